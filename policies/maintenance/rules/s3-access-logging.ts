import { defineResourceRule } from "../../lib/rule";

/** STORE-1: server access logs go to a separate log bucket (cdk-nag S1, Checkov CKV_AWS_18). */
export const s3AccessLogging = defineResourceRule({
    name: "s3-access-logging",
    description: "S3 bucket logging resources name a target bucket other than the logged bucket.",
    severity: "medium",
    enforcementLevel: "mandatory",
    remediation: 'Set targetBucket to the log bucket and targetPrefix to "<bucket>/".',
    requirements: ["STORE-1"],
    resourceTypes: ["aws:s3/bucketLogging:BucketLogging", "aws:s3/bucketLoggingV2:BucketLoggingV2"],
    validate({ props }, judge) {
        if (
            judge.expect(
                props["targetBucket"],
                "targetBucket",
                (v) => typeof v === "string" && v !== "",
                "targetBucket must be set.",
            )
        ) {
            judge.expect(
                props["bucket"],
                "bucket",
                (v) => v !== props["targetBucket"],
                "a bucket must not log into itself (each log write would log again).",
            );
        }
    },
});
