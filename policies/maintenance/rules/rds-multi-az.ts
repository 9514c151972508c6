import { defineResourceRule } from "../../lib/rule";

/** ENV-3, DB-2: PostgreSQL runs Multi-AZ (AWSGuard, cdk-nag RDS3, Checkov CKV_AWS_157). Costs money: advisory in dev (ENV-4). */
export const rdsMultiAz = defineResourceRule({
    name: "rds-multi-az",
    description: "RDS instances are Multi-AZ.",
    severity: "high",
    enforcementLevel: "mandatory",
    costOnly: true,
    remediation: "Set multiAz: true (stack config postgres.multiAz).",
    requirements: ["ENV-3", "DB-2"],
    resourceTypes: ["aws:rds/instance:Instance"],
    validate({ props }, judge) {
        if (props["replicateSourceDb"] !== undefined) {
            return;
        }
        judge.expect(props["multiAz"], "multiAz", (v) => v === true, "multiAz must be true.");
    },
});
