import { defineResourceRule } from "../../lib/rule";
import { at } from "../../lib/values";

/** STORE-1: versioning is enabled (AWSGuard, Checkov CKV_AWS_21, cdk-nag NIST S3BucketVersioningEnabled). */
export const s3Versioning = defineResourceRule({
    name: "s3-versioning",
    description: "S3 bucket versioning resources set status Enabled.",
    severity: "medium",
    enforcementLevel: "mandatory",
    remediation: "Set versioningConfiguration { status: \"Enabled\" } on the aws.s3.BucketVersioning.",
    requirements: ["STORE-1", "DR-1"],
    resourceTypes: ["aws:s3/bucketVersioning:BucketVersioning", "aws:s3/bucketVersioningV2:BucketVersioningV2", "aws:s3/bucket:Bucket", "aws:s3/bucketV2:BucketV2"],
    validate({ type, props }, judge) {
        if (type.includes("bucketVersioning")) {
            judge.expect(at(props, "versioningConfiguration.status"), "versioningConfiguration.status", (v) => v === "Enabled",
                "versioningConfiguration.status must be Enabled.");
        } else if (props["versioning"] !== undefined) {
            judge.expect(at(props, "versioning.enabled"), "versioning.enabled", (v) => v === true, "inline versioning.enabled must be true.");
        }
    },
});
