import { defineResourceRule } from "../../lib/rule";

/** CACHE-1: Redis requires TLS in transit (AWSGuard, cdk-nag AEC3, Checkov CKV_AWS_30). */
export const elasticacheEncryptionInTransit = defineResourceRule({
    name: "elasticache-encryption-in-transit",
    description: "ElastiCache replication groups require TLS in transit.",
    severity: "high",
    enforcementLevel: "mandatory",
    remediation: "Set transitEncryptionEnabled: true and leave transitEncryptionMode at \"required\".",
    requirements: ["CACHE-1"],
    resourceTypes: ["aws:elasticache/replicationGroup:ReplicationGroup"],
    validate({ props }, judge) {
        judge.expect(props["transitEncryptionEnabled"], "transitEncryptionEnabled", (v) => v === true,
            "transitEncryptionEnabled must be true.");
        judge.expect(props["transitEncryptionMode"], "transitEncryptionMode", (v) => v === undefined || v === "required",
            "transitEncryptionMode \"preferred\" still accepts plaintext clients; use \"required\".");
    },
});
