import { defineResourceRule } from "../../lib/rule";
import { CACHE_TYPES, SERVERLESS_CACHE, memberOfGroup } from "../../lib/elasticache";
import { list } from "../../lib/values";

/** CACHE-1: Redis runs in the program's private subnets, not the default subnet group (cdk-nag AEC1, Checkov CKV_AWS_323). */
export const elasticachePrivateSubnetGroup = defineResourceRule({
    name: "elasticache-private-subnet-group",
    description:
        'ElastiCache replication groups and cache clusters use an explicit subnet group, not "default"; serverless caches name their subnets.',
    severity: "medium",
    enforcementLevel: "mandatory",
    remediation: "Create an aws.elasticache.SubnetGroup over the private subnets and set subnetGroupName to it.",
    requirements: ["CACHE-1"],
    resourceTypes: CACHE_TYPES,
    validate({ type, props }, judge) {
        if (type === SERVERLESS_CACHE) {
            judge.expect(
                props["subnetIds"],
                "subnetIds",
                (v) => list(v).length > 0,
                "subnetIds must name the private cache subnets (absent uses the default VPC's subnets).",
            );
            return;
        }
        const member = memberOfGroup(type, props);
        if (member === "unknown") {
            judge.cannotJudge("replicationGroupId");
            return;
        }
        if (member) {
            return; // the group's subnet group applies
        }
        judge.expect(
            props["subnetGroupName"],
            "subnetGroupName",
            (v) => typeof v === "string" && v !== "" && v !== "default",
            'subnetGroupName must name the private cache subnet group (absent or "default" uses the default VPC).',
        );
    },
});
