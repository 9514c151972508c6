import { defineResourceRule } from "../../lib/rule";
import { asNumber } from "../../lib/values";

/** DB-2, DR-1: automated backups (point-in-time recovery) kept at least the configured days (AWSGuard, cdk-nag RDS13, Checkov CKV_AWS_133). */
export const rdsBackupRetention = defineResourceRule({
    name: "rds-backup-retention",
    description: "RDS automated backups are kept at least the configured number of days (default 7).",
    severity: "high",
    enforcementLevel: "mandatory",
    remediation:
        "Set backupRetentionPeriod to at least the configured minimum (prod 14) and a backupWindow that does not overlap maintenance.",
    requirements: ["DB-2", "DR-1"],
    config: {
        minDays: {
            schema: {
                type: "integer",
                minimum: 1,
                maximum: 35,
                default: 7,
                description: "Minimum backupRetentionPeriod in days.",
            },
            stricter: "higher",
        },
    },
    resourceTypes: ["aws:rds/instance:Instance", "aws:rds/cluster:Cluster"],
    validate({ props }, judge) {
        if (props["replicateSourceDb"] !== undefined) {
            return; // read replicas have no automated backups of their own
        }
        const min = judge.number("minDays");
        judge.expect(
            props["backupRetentionPeriod"],
            "backupRetentionPeriod",
            (v) => (asNumber(v) ?? 0) >= min,
            `backupRetentionPeriod must be at least ${min} days (got ${String(props["backupRetentionPeriod"] ?? "unset")}).`,
        );
    },
});
