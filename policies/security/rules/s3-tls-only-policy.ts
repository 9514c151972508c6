import { defineResourceRule } from "../../lib/rule";
import { BUCKET_TYPES as INLINE_POLICY_BUCKETS } from "../../lib/stack";
import { isRecord, isUnknown, list, parseJson, containsUnknown } from "../../lib/values";

function deniesInsecureTransport(statement: Record<string, unknown>): boolean {
    if (statement["Effect"] !== "Deny") {
        return false;
    }
    const condition = statement["Condition"];
    const bool = isRecord(condition) ? condition["Bool"] : undefined;
    const secure = isRecord(bool) ? bool["aws:SecureTransport"] : undefined;
    const denied = list(secure).some((v) => v === false || v === "false");
    const actions = list(statement["Action"]).map(String);
    return denied && actions.some((a) => a === "s3:*" || a === "*");
}

/**
 * STORE-1: bucket policies deny requests without TLS (cdk-nag S10, AWSGuard S3_BUCKET_SSL_REQUESTS_ONLY), in
 * every form: aws.s3.BucketPolicy and the inline `policy` of Bucket and BucketV2.
 */
export const s3TlsOnlyPolicy = defineResourceRule({
    name: "s3-tls-only-policy",
    description: "S3 bucket policies deny every action when aws:SecureTransport is false.",
    severity: "high",
    enforcementLevel: "mandatory",
    remediation:
        'Add a statement { Effect: Deny, Principal: "*", Action: "s3:*", Resource: [bucket, bucket/*], Condition: { Bool: { "aws:SecureTransport": "false" } } }.',
    requirements: ["STORE-1"],
    resourceTypes: ["aws:s3/bucketPolicy:BucketPolicy", ...INLINE_POLICY_BUCKETS],
    validate({ type, props }, judge) {
        const policy = props["policy"];
        if (INLINE_POLICY_BUCKETS.includes(type) && (policy === undefined || policy === "")) {
            return; // the policy is a separate BucketPolicy (its presence: s3-bucket-protection-coverage)
        }
        const document = parseJson(policy);
        if (isUnknown(policy) || containsUnknown(document)) {
            judge.cannotJudge("policy");
            return;
        }
        if (!isRecord(document)) {
            judge.violation("policy is not a JSON policy document.");
            return;
        }
        if (!list(document["Statement"]).filter(isRecord).some(deniesInsecureTransport)) {
            judge.violation("no statement denies s3:* when aws:SecureTransport is false.");
        }
    },
});
