import { defineResourceRule } from "../../lib/rule";
import { CACHE_CLUSTER, CACHE_TYPES, SERVERLESS_CACHE, memberOfGroup } from "../../lib/elasticache";

/**
 * CACHE-1: Redis encrypted at rest with a customer-managed KMS key (AWSGuard, cdk-nag AEC3, Checkov
 * CKV_AWS_29/CKV_AWS_191), in every form: a replication group sets it; a serverless cache is always encrypted
 * and needs kmsKeyId; a standalone cache cluster cannot encrypt at rest at all (the API offers no setting), so
 * only a cluster that joins a replication group passes.
 */
export const elasticacheEncryptionAtRestCmk = defineResourceRule({
    name: "elasticache-encryption-at-rest-cmk",
    description:
        "ElastiCache replication groups and serverless caches encrypt data at rest with a customer-managed KMS key; standalone cache clusters (no at-rest encryption) are not used.",
    severity: "critical",
    enforcementLevel: "mandatory",
    remediation: "Set atRestEncryptionEnabled: true and kmsKeyId to the cache CMK ARN.",
    requirements: ["CACHE-1"],
    resourceTypes: CACHE_TYPES,
    validate({ type, props }, judge) {
        if (type === CACHE_CLUSTER) {
            const member = memberOfGroup(type, props);
            if (member === "unknown") {
                judge.cannotJudge("replicationGroupId");
            } else if (!member) {
                judge.violation(
                    "a standalone cache cluster cannot encrypt data at rest: declare a ReplicationGroup (or ServerlessCache) instead.",
                );
            }
            return;
        }
        if (type === SERVERLESS_CACHE) {
            judge.expect(
                props["kmsKeyId"],
                "kmsKeyId",
                (v) => typeof v === "string" && v !== "",
                "kmsKeyId must name a customer-managed KMS key (a serverless cache otherwise uses an AWS-owned key).",
            );
            return;
        }
        judge.expect(
            props["atRestEncryptionEnabled"],
            "atRestEncryptionEnabled",
            (v) => v === true || v === "true",
            "atRestEncryptionEnabled must be true.",
        );
        judge.expect(
            props["kmsKeyId"],
            "kmsKeyId",
            (v) => typeof v === "string" && v !== "",
            "kmsKeyId must name a customer-managed KMS key.",
        );
    },
});
