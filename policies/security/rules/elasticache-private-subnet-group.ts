import { defineResourceRule } from "../../lib/rule";

/** CACHE-1: Redis runs in the program's private subnets, not the default subnet group (cdk-nag AEC1, Checkov CKV_AWS_323). */
export const elasticachePrivateSubnetGroup = defineResourceRule({
    name: "elasticache-private-subnet-group",
    description: "ElastiCache replication groups use an explicit subnet group, not \"default\".",
    severity: "medium",
    enforcementLevel: "mandatory",
    remediation: "Create an aws.elasticache.SubnetGroup over the private subnets and set subnetGroupName to it.",
    requirements: ["CACHE-1"],
    resourceTypes: ["aws:elasticache/replicationGroup:ReplicationGroup"],
    validate({ props }, judge) {
        judge.expect(props["subnetGroupName"], "subnetGroupName",
            (v) => typeof v === "string" && v !== "" && v !== "default",
            "subnetGroupName must name the private cache subnet group (absent or \"default\" uses the default VPC).");
    },
});
