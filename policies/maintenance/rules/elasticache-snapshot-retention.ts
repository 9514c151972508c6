import { defineResourceRule } from "../../lib/rule";
import { asNumber } from "../../lib/values";

/** CACHE-1: daily snapshots kept at least the configured days (Checkov CKV_AWS_134). */
export const elasticacheSnapshotRetention = defineResourceRule({
    name: "elasticache-snapshot-retention",
    description: "ElastiCache replication groups keep automatic snapshots at least the configured number of days (default 1).",
    severity: "medium",
    enforcementLevel: "mandatory",
    remediation: "Set snapshotRetentionLimit (prod 7) and a snapshotWindow outside the maintenance window.",
    requirements: ["CACHE-1", "MNT-2"],
    config: {
        minDays: {
            schema: {
                type: "integer",
                minimum: 1,
                maximum: 35,
                default: 1,
                description: "Minimum snapshotRetentionLimit in days.",
            },
            stricter: "higher",
        },
    },
    resourceTypes: ["aws:elasticache/replicationGroup:ReplicationGroup"],
    validate({ props }, judge) {
        const min = judge.number("minDays");
        judge.expect(
            props["snapshotRetentionLimit"],
            "snapshotRetentionLimit",
            (v) => (asNumber(v) ?? 0) >= min,
            `snapshotRetentionLimit must be at least ${min}.`,
        );
    },
});
