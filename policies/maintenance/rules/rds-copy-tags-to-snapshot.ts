import { defineResourceRule } from "../../lib/rule";

/** ENV-5, DB-2: snapshots inherit the instance tags, so backups stay attributable (Checkov CKV2_AWS_60). */
export const rdsCopyTagsToSnapshot = defineResourceRule({
    name: "rds-copy-tags-to-snapshot",
    description: "RDS instances copy their tags to snapshots.",
    severity: "low",
    enforcementLevel: "mandatory",
    remediation: "Set copyTagsToSnapshot: true.",
    requirements: ["DB-2", "ENV-5"],
    resourceTypes: ["aws:rds/instance:Instance", "aws:rds/cluster:Cluster"],
    validate({ props }, judge) {
        judge.expect(props["copyTagsToSnapshot"], "copyTagsToSnapshot", (v) => v === true, "copyTagsToSnapshot must be true.");
    },
});
