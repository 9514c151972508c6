import { defineResourceRule } from "../../lib/rule";
import { allowsEveryone, rawStatements } from "../../lib/iam";
import { BUCKET_TYPES as INLINE_POLICY_BUCKETS } from "../../lib/stack";

/**
 * STORE-1: a bucket policy's Allow statements never grant everyone (Principal "*" or { AWS: "*" }) without a
 * Condition (Checkov CKV_AWS_70, AWSGuard S3_BUCKET_PUBLIC_READ_PROHIBITED/S3_BUCKET_PUBLIC_WRITE_PROHIBITED,
 * cdk-nag S5's intent). The deny statements are judged by s3-tls-only-policy; CloudFront's access is an Allow
 * to the service principal conditioned on the distribution (CDN-1). Every form: BucketPolicy and inline policy.
 */
export const s3PolicyNoPublicAllow = defineResourceRule({
    name: "s3-policy-no-public-allow",
    description: "S3 bucket policies never Allow Principal \"*\" without a Condition.",
    severity: "critical",
    enforcementLevel: "mandatory",
    remediation: "Grant a named principal (the CloudFront service with an AWS:SourceArn condition, a role ARN) instead of \"*\".",
    requirements: ["STORE-1", "CDN-1", "POL-4"],
    resourceTypes: ["aws:s3/bucketPolicy:BucketPolicy", ...INLINE_POLICY_BUCKETS],
    validate({ props }, judge) {
        const policy = props["policy"];
        if (policy === undefined || policy === "") {
            return;
        }
        const statements = rawStatements(policy);
        if (statements === "unknown") {
            judge.cannotJudge("policy");
        } else if (statements === "invalid") {
            judge.violation("policy is not a JSON policy document.");
        } else {
            statements.forEach((s, i) => {
                if (allowsEveryone(s)) {
                    judge.violation(`Statement[${i}] allows everyone (Principal "*") without a Condition.`);
                }
            });
        }
    },
});
