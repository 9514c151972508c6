import { defineResourceRule } from "../../lib/rule";
import { CACHE_CLUSTER, REPLICATION_GROUP, memberOfGroup } from "../../lib/elasticache";

/**
 * CACHE-1: Redis requires TLS in transit (AWSGuard, cdk-nag AEC3, Checkov CKV_AWS_30) on replication groups and
 * standalone cache clusters. A serverless cache always requires TLS (no setting; listed in forms.json).
 */
export const elasticacheEncryptionInTransit = defineResourceRule({
    name: "elasticache-encryption-in-transit",
    description: "ElastiCache replication groups and cache clusters require TLS in transit.",
    severity: "high",
    enforcementLevel: "mandatory",
    remediation: 'Set transitEncryptionEnabled: true and leave transitEncryptionMode at "required".',
    requirements: ["CACHE-1"],
    resourceTypes: [REPLICATION_GROUP, CACHE_CLUSTER],
    validate({ type, props }, judge) {
        const member = memberOfGroup(type, props);
        if (member === "unknown") {
            judge.cannotJudge("replicationGroupId");
            return;
        }
        if (member) {
            return; // judged on its replication group
        }
        judge.expect(
            props["transitEncryptionEnabled"],
            "transitEncryptionEnabled",
            (v) => v === true,
            "transitEncryptionEnabled must be true.",
        );
        judge.expect(
            props["transitEncryptionMode"],
            "transitEncryptionMode",
            (v) => v === undefined || v === "required",
            'transitEncryptionMode "preferred" still accepts plaintext clients; use "required".',
        );
    },
});
