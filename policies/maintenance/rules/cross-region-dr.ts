import { defineStackRule } from "../../lib/rule";
import { anyLink, BUCKET_ID_PROPS, BUCKET_TYPES, ofTypes, refersTo } from "../../lib/stack";
import { at, isUnknown, list, tagsOf } from "../../lib/values";

/**
 * DR-1, BKP-1: the production stack copies database backups to a vault in the DR region (copyActions)
 * and replicates primary-data buckets (S3 replication). Disabled by default; prod config enables it.
 */
export const crossRegionDr = defineStackRule({
    name: "cross-region-dr",
    description:
        "Backup plans copy recovery points to another region and buckets tagged data-class=primary are replicated (prod).",
    severity: "high",
    enforcementLevel: "disabled",
    costOnly: true,
    remediation:
        "Add copyActions { destinationVaultArn: <DR vault ARN> } to the plan rules and an aws.s3.BucketReplicationConfig to each primary-data bucket.",
    requirements: ["DR-1", "BKP-1"],
    validate(resources, judge) {
        for (const plan of ofTypes(resources, ["aws:backup/plan:Plan"])) {
            const rules = plan.props["rules"];
            if (isUnknown(rules)) {
                judge.cannotJudge("plan rules", plan.urn);
                continue;
            }
            const copies = list(rules).flatMap((r) => list(at(r, "copyActions")));
            const targets = copies.map((c) => at(c, "destinationVaultArn"));
            if (targets.some(isUnknown) && !targets.some((t) => typeof t === "string" && !isUnknown(t))) {
                judge.cannotJudge("copyActions destination", plan.urn);
            } else if (!targets.some((t) => typeof t === "string" && t !== "")) {
                judge.violation(`backup plan ${plan.name} has no copyActions to a DR-region vault.`, plan.urn);
            }
        }
        const replications = ofTypes(resources, ["aws:s3/bucketReplicationConfig:BucketReplicationConfig"]);
        for (const bucket of ofTypes(resources, BUCKET_TYPES)) {
            const tags = tagsOf(bucket.props);
            if (tags === undefined) {
                judge.cannotJudge("bucket tags", bucket.urn);
                continue;
            }
            if (tags["data-class"] !== "primary") {
                continue;
            }
            const link = anyLink(replications.map((r) => refersTo(r, "bucket", bucket, BUCKET_ID_PROPS)));
            if (link === "unknown") {
                judge.cannotJudge("which bucket a replication belongs to", bucket.urn);
            } else if (link === "no") {
                judge.violation(`bucket ${bucket.name} holds primary data but is not replicated to the DR region.`, bucket.urn);
            }
        }
    },
});
