import { defineResourceRule } from "../../lib/rule";

/** DB-2, MNT-2: minor engine versions are applied in the maintenance window (Checkov CKV_AWS_226, AWSGuard). */
export const rdsAutoMinorUpgrade = defineResourceRule({
    name: "rds-auto-minor-upgrade",
    description: "RDS instances apply minor version upgrades automatically in their maintenance window.",
    severity: "medium",
    enforcementLevel: "mandatory",
    remediation: "Leave autoMinorVersionUpgrade at true and pin only the major version in config.",
    requirements: ["DB-2", "MNT-2"],
    resourceTypes: ["aws:rds/instance:Instance"],
    validate({ props }, judge) {
        judge.expect(
            props["autoMinorVersionUpgrade"],
            "autoMinorVersionUpgrade",
            (v) => v !== false,
            "autoMinorVersionUpgrade must not be false.",
        );
    },
});
