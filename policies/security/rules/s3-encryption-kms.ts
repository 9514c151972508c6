import { defineResourceRule } from "../../lib/rule";
import { WIRE, at, isRecord, isUnknown, list } from "../../lib/values";

/**
 * STORE-1: bucket default encryption is SSE-KMS with a bucket key (AWSGuard, Checkov CKV_AWS_145), in every form:
 * BucketServerSideEncryptionConfiguration (and V2), Bucket inline `serverSideEncryptionConfiguration.rule`, and
 * BucketV2 inline `serverSideEncryptionConfigurations[].rules[]`.
 */
export const s3EncryptionKms = defineResourceRule({
    name: "s3-encryption-kms",
    description:
        "S3 default encryption uses SSE-KMS (aws:kms or aws:kms:dsse) with a customer-managed key and the bucket key enabled.",
    severity: "high",
    enforcementLevel: "mandatory",
    remediation:
        'In the BucketServerSideEncryptionConfiguration, set applyServerSideEncryptionByDefault { sseAlgorithm: "aws:kms", kmsMasterKeyId: <CMK> } and bucketKeyEnabled: true.',
    requirements: ["STORE-1"],
    resourceTypes: [
        "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
        "aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2",
        "aws:s3/bucket:Bucket",
        "aws:s3/bucketV2:BucketV2",
    ],
    validate({ type, props }, judge) {
        let rules: unknown = props["rules"];
        if (type === "aws:s3/bucket:Bucket") {
            const inline = props["serverSideEncryptionConfiguration"];
            if (inline === undefined) {
                return; // encryption is declared by a separate configuration resource (see s3-bucket-protection-coverage)
            }
            rules = isUnknown(inline) ? inline : at(inline, "rule");
        } else if (type === "aws:s3/bucketV2:BucketV2") {
            // BucketV2 writes the inline form as a list: serverSideEncryptionConfigurations[].rules[] (POL-4).
            const inline = props["serverSideEncryptionConfigurations"];
            if (inline === undefined || (Array.isArray(inline) && inline.length === 0)) {
                return; // declared by a separate configuration resource
            }
            rules =
                isUnknown(inline) || list(inline).some(isUnknown)
                    ? WIRE.unknown
                    : list(inline).flatMap((c) => list(at(c, "rules")));
        }
        if (isUnknown(rules)) {
            judge.cannotJudge("rules");
            return;
        }
        const entries = list(rules);
        if (entries.length === 0) {
            judge.violation("no encryption rule is declared.");
        }
        entries.forEach((rule, i) => {
            if (!isRecord(rule)) {
                return;
            }
            judge.expect(
                at(rule, "applyServerSideEncryptionByDefault.sseAlgorithm"),
                `rules[${i}].sseAlgorithm`,
                (v) => v === "aws:kms" || v === "aws:kms:dsse",
                `rules[${i}]: sseAlgorithm must be aws:kms (SSE-S3/AES256 cannot be governed by our key policy).`,
            );
            judge.expect(
                at(rule, "applyServerSideEncryptionByDefault.kmsMasterKeyId"),
                `rules[${i}].kmsMasterKeyId`,
                (v) => typeof v === "string" && v !== "" && !v.endsWith("alias/aws/s3"),
                `rules[${i}]: kmsMasterKeyId must name a customer-managed key.`,
            );
            judge.expect(
                rule["bucketKeyEnabled"],
                `rules[${i}].bucketKeyEnabled`,
                (v) => v === true,
                `rules[${i}]: bucketKeyEnabled must be true (cuts KMS requests and cost).`,
            );
        });
    },
});
