import { defineResourceRule } from "../../lib/rule";
import { list } from "../../lib/values";

/** CACHE-1, SEC-1: Redis clients authenticate with an AUTH token or RBAC user groups (cdk-nag AEC6, Checkov CKV_AWS_31). */
export const elasticacheAuth = defineResourceRule({
    name: "elasticache-auth",
    description: "ElastiCache replication groups require an AUTH token or RBAC user groups.",
    severity: "high",
    enforcementLevel: "mandatory",
    remediation: "Set authToken from a Secrets Manager secret (authTokenUpdateStrategy ROTATE for rotation) or userGroupIds.",
    requirements: ["CACHE-1", "SEC-1"],
    resourceTypes: ["aws:elasticache/replicationGroup:ReplicationGroup"],
    validate({ props }, judge) {
        const token = props["authToken"];
        const groups = props["userGroupIds"];
        if ((typeof token === "string" && token !== "") || list(groups).length > 0) {
            return; // a token (possibly unknown or "[secret]") or a user group is configured
        }
        judge.violation("neither authToken nor userGroupIds is set: any client in the network can use the cache.");
    },
});
