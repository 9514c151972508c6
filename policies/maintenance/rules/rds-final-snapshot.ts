import { defineResourceRule } from "../../lib/rule";

/** DB-2: deleting a database leaves a final snapshot (AWSGuard). */
export const rdsFinalSnapshot = defineResourceRule({
    name: "rds-final-snapshot",
    description: "RDS deletion takes a final snapshot (skipFinalSnapshot false with a finalSnapshotIdentifier).",
    severity: "high",
    enforcementLevel: "mandatory",
    remediation: 'Set skipFinalSnapshot: false and finalSnapshotIdentifier: "<name>-final".',
    requirements: ["DB-2"],
    resourceTypes: ["aws:rds/instance:Instance", "aws:rds/cluster:Cluster"],
    validate({ props }, judge) {
        if (props["replicateSourceDb"] !== undefined) {
            return;
        }
        judge.expect(
            props["skipFinalSnapshot"],
            "skipFinalSnapshot",
            (v) => v === false,
            "skipFinalSnapshot must be false (the provider default true deletes the data without a snapshot).",
        );
        judge.expect(
            props["finalSnapshotIdentifier"],
            "finalSnapshotIdentifier",
            (v) => typeof v === "string" && v !== "",
            "finalSnapshotIdentifier must be set, or the deletion fails when it is needed most.",
        );
    },
});
