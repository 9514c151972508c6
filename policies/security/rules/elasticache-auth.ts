import { defineResourceRule } from "../../lib/rule";
import { CACHE_CLUSTER, CACHE_TYPES, SERVERLESS_CACHE, memberOfGroup } from "../../lib/elasticache";
import { list } from "../../lib/values";

/**
 * CACHE-1, SEC-1: Redis clients authenticate with an AUTH token or RBAC user groups (cdk-nag AEC6, Checkov
 * CKV_AWS_31), in every form: replication group (authToken or userGroupIds), serverless cache (userGroupId);
 * a standalone cache cluster has no AUTH setting, so only one that joins a replication group passes.
 */
export const elasticacheAuth = defineResourceRule({
    name: "elasticache-auth",
    description:
        "ElastiCache replication groups and serverless caches require an AUTH token or RBAC user groups; standalone cache clusters (no AUTH) are not used.",
    severity: "high",
    enforcementLevel: "mandatory",
    remediation: "Set authToken from a Secrets Manager secret (authTokenUpdateStrategy ROTATE for rotation) or userGroupIds.",
    requirements: ["CACHE-1", "SEC-1"],
    resourceTypes: CACHE_TYPES,
    validate({ type, props }, judge) {
        if (type === CACHE_CLUSTER) {
            const member = memberOfGroup(type, props);
            if (member === "unknown") {
                judge.cannotJudge("replicationGroupId");
            } else if (!member) {
                judge.violation(
                    "a standalone cache cluster has no AUTH: declare a ReplicationGroup (or ServerlessCache) with authToken or user groups.",
                );
            }
            return;
        }
        if (type === SERVERLESS_CACHE) {
            const group = props["userGroupId"];
            if (!(typeof group === "string" && group !== "")) {
                judge.violation("userGroupId is not set: any client in the network can use the serverless cache.");
            }
            return;
        }
        const token = props["authToken"];
        const groups = props["userGroupIds"];
        if ((typeof token === "string" && token !== "") || list(groups).length > 0) {
            return; // a token (possibly unknown or "[secret]") or a user group is configured
        }
        judge.violation("neither authToken nor userGroupIds is set: any client in the network can use the cache.");
    },
});
