import { defineStackRule } from "../../lib/rule";
import { BUCKET_ID_PROPS, BUCKET_TYPES, anyLink, ofTypes, refersTo } from "../../lib/stack";

const LOGGING = ["aws:s3/bucketLogging:BucketLogging", "aws:s3/bucketLoggingV2:BucketLoggingV2"];

/**
 * STORE-1: every bucket has versioning, a lifecycle configuration and access logging. A bucket that
 * receives other buckets' access logs is not required to log into itself (that would loop); the rules
 * s3-versioning, s3-lifecycle and s3-access-logging check the contents.
 */
export const s3BucketMaintenanceCoverage = defineStackRule({
    name: "s3-bucket-maintenance-coverage",
    description:
        "Every S3 bucket has a versioning resource, a lifecycle configuration and access logging (log-target buckets excepted).",
    severity: "medium",
    enforcementLevel: "mandatory",
    remediation: "Declare aws.s3.BucketVersioning, aws.s3.BucketLifecycleConfiguration and aws.s3.BucketLogging for the bucket.",
    requirements: ["STORE-1", "POL-2"],
    validate(resources, judge) {
        const companions = [
            {
                label: "versioning",
                types: ["aws:s3/bucketVersioning:BucketVersioning", "aws:s3/bucketVersioningV2:BucketVersioningV2"],
                inline: "versioning",
            },
            {
                label: "a lifecycle configuration",
                types: [
                    "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",
                    "aws:s3/bucketLifecycleConfigurationV2:BucketLifecycleConfigurationV2",
                ],
                inline: "lifecycleRules",
            },
            { label: "access logging", types: LOGGING, inline: "logging" },
        ];
        const loggings = ofTypes(resources, LOGGING);
        for (const bucket of ofTypes(resources, BUCKET_TYPES)) {
            for (const c of companions) {
                let link =
                    bucket.props[c.inline] !== undefined
                        ? "yes"
                        : anyLink(ofTypes(resources, c.types).map((r) => refersTo(r, "bucket", bucket, BUCKET_ID_PROPS)));
                if (link !== "yes" && c.label === "access logging") {
                    const target = anyLink(loggings.map((l) => refersTo(l, "targetBucket", bucket, BUCKET_ID_PROPS)));
                    link = target === "yes" ? "yes" : link === "unknown" || target === "unknown" ? "unknown" : "no";
                }
                if (link === "unknown") {
                    judge.cannotJudge(`whether ${c.label} belongs to the bucket`, bucket.urn);
                } else if (link === "no") {
                    judge.violation(`bucket ${bucket.name} has no ${c.label}.`, bucket.urn);
                }
            }
        }
    },
});
