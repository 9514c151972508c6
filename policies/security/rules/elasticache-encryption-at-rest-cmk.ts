import { defineResourceRule } from "../../lib/rule";

/** CACHE-1: Redis encrypted at rest with a customer-managed KMS key (AWSGuard, cdk-nag AEC3, Checkov CKV_AWS_29/CKV_AWS_191). */
export const elasticacheEncryptionAtRestCmk = defineResourceRule({
    name: "elasticache-encryption-at-rest-cmk",
    description: "ElastiCache replication groups encrypt data at rest with a customer-managed KMS key.",
    severity: "critical",
    enforcementLevel: "mandatory",
    remediation: "Set atRestEncryptionEnabled: true and kmsKeyId to the cache CMK ARN.",
    requirements: ["CACHE-1"],
    resourceTypes: ["aws:elasticache/replicationGroup:ReplicationGroup"],
    validate({ props }, judge) {
        judge.expect(props["atRestEncryptionEnabled"], "atRestEncryptionEnabled", (v) => v === true || v === "true",
            "atRestEncryptionEnabled must be true.");
        judge.expect(props["kmsKeyId"], "kmsKeyId", (v) => typeof v === "string" && v !== "",
            "kmsKeyId must name a customer-managed KMS key.");
    },
});
