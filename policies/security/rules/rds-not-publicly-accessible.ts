import { defineResourceRule } from "../../lib/rule";

/** DB-1: RDS and Aurora instances are not publicly accessible (AWSGuard RDS_INSTANCE_PUBLIC_ACCESS_CHECK, cdk-nag RDS2, Checkov CKV_AWS_17). */
export const rdsNotPubliclyAccessible = defineResourceRule({
    name: "rds-not-publicly-accessible",
    description: "RDS instances and Aurora cluster instances are not publicly accessible.",
    severity: "critical",
    enforcementLevel: "mandatory",
    remediation:
        "Remove publiclyAccessible or set it to false; reach the database from the cluster through the database subnets.",
    requirements: ["DB-1"],
    resourceTypes: ["aws:rds/instance:Instance", "aws:rds/clusterInstance:ClusterInstance"],
    validate({ props }, judge) {
        judge.expect(
            props["publiclyAccessible"],
            "publiclyAccessible",
            (v) => v !== true,
            "publiclyAccessible must not be true.",
        );
    },
});
