import { defineResourceRule } from "../../lib/rule";
import { at, isUnknown, list } from "../../lib/values";

/** STORE-1: lifecycle expires noncurrent versions and aborts incomplete uploads (Checkov CKV2_AWS_61, CKV_AWS_300). */
export const s3Lifecycle = defineResourceRule({
    name: "s3-lifecycle",
    description:
        "S3 lifecycle configurations have enabled rules expiring noncurrent versions and aborting incomplete multipart uploads.",
    severity: "medium",
    enforcementLevel: "mandatory",
    remediation:
        "Add enabled rules with noncurrentVersionExpiration { noncurrentDays } and abortIncompleteMultipartUpload { daysAfterInitiation: 7 }.",
    requirements: ["STORE-1", "BKP-4"],
    resourceTypes: [
        "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",
        "aws:s3/bucketLifecycleConfigurationV2:BucketLifecycleConfigurationV2",
    ],
    validate({ props }, judge) {
        const rules = props["rules"];
        if (isUnknown(rules) || list(rules).some((r) => isUnknown(at(r, "status")))) {
            judge.cannotJudge("rules");
            return;
        }
        const enabled = list(rules).filter((r) => at(r, "status") === "Enabled");
        if (!enabled.some((r) => at(r, "noncurrentVersionExpiration") !== undefined)) {
            judge.violation("no enabled rule expires noncurrent versions (versioned buckets grow forever).");
        }
        if (!enabled.some((r) => at(r, "abortIncompleteMultipartUpload") !== undefined)) {
            judge.violation("no enabled rule aborts incomplete multipart uploads.");
        }
    },
});
