import { defineResourceRule } from "../../lib/rule";

/** STORE-1: every public-access block sets all four switches (AWSGuard, cdk-nag S2, Checkov CKV_AWS_53..56). */
export const s3PublicAccessBlock = defineResourceRule({
    name: "s3-public-access-block",
    description:
        "S3 public-access blocks (per bucket and account-wide) set blockPublicAcls, blockPublicPolicy, ignorePublicAcls and restrictPublicBuckets.",
    severity: "critical",
    enforcementLevel: "mandatory",
    remediation: "Set all four properties of the aws.s3.BucketPublicAccessBlock to true.",
    requirements: ["STORE-1"],
    resourceTypes: [
        "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
        "aws:s3/accountPublicAccessBlock:AccountPublicAccessBlock",
    ],
    validate({ props }, judge) {
        for (const key of ["blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets"]) {
            judge.expect(props[key], key, (v) => v === true, `${key} must be true.`);
        }
    },
});
