import { defineResourceRule } from "../../lib/rule";

/** DB-1: RDS instances are not publicly accessible (AWSGuard, Checkov CKV_AWS_17). */
export const rdsNotPubliclyAccessible = defineResourceRule({
    name: "rds-not-publicly-accessible",
    description: "RDS instances are not publicly accessible.",
    severity: "critical",
    enforcementLevel: "mandatory",
    remediation: "Remove publiclyAccessible or set it to false; reach the database from the cluster through the database subnets.",
    requirements: ["DB-1"],
    resourceTypes: ["aws:rds/instance:Instance"],
    validate({ props }, judge) {
        judge.expect(props["publiclyAccessible"], "publiclyAccessible", (v) => v !== true, "publiclyAccessible must not be true.");
    },
});
