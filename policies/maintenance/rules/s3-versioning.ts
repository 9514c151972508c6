import { defineResourceRule } from "../../lib/rule";
import { at, isUnknown, list } from "../../lib/values";

/** STORE-1: versioning is enabled (AWSGuard, Checkov CKV_AWS_21, cdk-nag NIST S3BucketVersioningEnabled). */
export const s3Versioning = defineResourceRule({
    name: "s3-versioning",
    description: "S3 bucket versioning (BucketVersioning and V2 resources, Bucket and BucketV2 inline) is Enabled.",
    severity: "medium",
    enforcementLevel: "mandatory",
    remediation: 'Set versioningConfiguration { status: "Enabled" } on the aws.s3.BucketVersioning.',
    requirements: ["STORE-1", "DR-1"],
    resourceTypes: [
        "aws:s3/bucketVersioning:BucketVersioning",
        "aws:s3/bucketVersioningV2:BucketVersioningV2",
        "aws:s3/bucket:Bucket",
        "aws:s3/bucketV2:BucketV2",
    ],
    validate({ type, props }, judge) {
        if (type.includes("bucketVersioning")) {
            judge.expect(
                at(props, "versioningConfiguration.status"),
                "versioningConfiguration.status",
                (v) => v === "Enabled",
                "versioningConfiguration.status must be Enabled.",
            );
        } else if (type === "aws:s3/bucket:Bucket" && props["versioning"] !== undefined) {
            judge.expect(
                at(props, "versioning.enabled"),
                "versioning.enabled",
                (v) => v === true,
                "inline versioning.enabled must be true.",
            );
        } else if (type === "aws:s3/bucketV2:BucketV2" && props["versionings"] !== undefined) {
            // BucketV2 writes the inline form as a list (POL-4).
            const entries = props["versionings"];
            if (isUnknown(entries)) {
                judge.cannotJudge("versionings");
                return;
            }
            list(entries).forEach((v, i) =>
                judge.expect(
                    at(v, "enabled"),
                    `versionings[${i}].enabled`,
                    (x) => x === true,
                    `inline versionings[${i}].enabled must be true.`,
                ),
            );
        }
    },
});
