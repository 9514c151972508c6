import { defineResourceRule } from "../../lib/rule";

/** DB-2: deletion protection on every database (AWSGuard, cdk-nag RDS10, Checkov CKV_AWS_293). */
export const rdsDeletionProtection = defineResourceRule({
    name: "rds-deletion-protection",
    description: "RDS instances and clusters have deletion protection enabled.",
    severity: "high",
    enforcementLevel: "mandatory",
    remediation:
        "Set deletionProtection: true (and the Pulumi protect option); turn it off deliberately before a planned teardown.",
    requirements: ["DB-2"],
    resourceTypes: ["aws:rds/instance:Instance", "aws:rds/cluster:Cluster"],
    validate({ props }, judge) {
        judge.expect(props["deletionProtection"], "deletionProtection", (v) => v === true, "deletionProtection must be true.");
    },
});
