import { defineResourceRule } from "../../lib/rule";
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

/** STORE-1: bucket policies deny requests without TLS (cdk-nag S10, AWSGuard). */
export const s3TlsOnlyPolicy = defineResourceRule({
    name: "s3-tls-only-policy",
    description: "S3 bucket policies deny every action when aws:SecureTransport is false.",
    severity: "high",
    enforcementLevel: "mandatory",
    remediation: "Add a statement { Effect: Deny, Principal: \"*\", Action: \"s3:*\", Resource: [bucket, bucket/*], Condition: { Bool: { \"aws:SecureTransport\": \"false\" } } }.",
    requirements: ["STORE-1"],
    resourceTypes: ["aws:s3/bucketPolicy:BucketPolicy"],
    validate({ props }, judge) {
        const policy = props["policy"];
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
