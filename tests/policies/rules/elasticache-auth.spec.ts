import { redisOk } from "../cases";
import { WIRE, cannotJudge, pinResource } from "./pin";

const RULE = "elasticache-auth";
const RG = "aws:elasticache/replicationGroup:ReplicationGroup";
const CLUSTER = "aws:elasticache/cluster:Cluster";
const SERVERLESS = "aws:elasticache/serverlessCache:ServerlessCache";
const OPEN = "neither authToken nor userGroupIds is set: any client in the network can use the cache.";
const SERVERLESS_OPEN = "userGroupId is not set: any client in the network can use the serverless cache.";
const STANDALONE =
    "a standalone cache cluster has no AUTH: declare a ReplicationGroup (or ServerlessCache) with authToken or user groups.";
const open = { ...redisOk, authToken: undefined };

describe(`${RULE}: AUTH token or user groups in every form (CACHE-1, SEC-1)`, () => {
    it("accepts a token, an unknown token or a user group on a replication group", async () => {
        await pinResource(RULE, RG, redisOk, {});
        await pinResource(RULE, RG, { ...redisOk, authToken: WIRE.unknown }, {});
        await pinResource(RULE, RG, { ...open, userGroupIds: ["bookbuddy-users"] }, {});
        await pinResource(RULE, RG, { ...redisOk, authToken: "", userGroupIds: ["bookbuddy-users"] }, {});
    });

    it("reports a replication group with no token (absent, empty or not a string) and no user group", async () => {
        await pinResource(RULE, RG, open, { violations: [OPEN] });
        await pinResource(RULE, RG, { ...redisOk, authToken: "" }, { violations: [OPEN] });
        await pinResource(RULE, RG, { ...redisOk, authToken: 1 }, { violations: [OPEN] });
        await pinResource(RULE, RG, { ...open, userGroupIds: [] }, { violations: [OPEN] });
    });

    it("judges a serverless cache by its user group", async () => {
        await pinResource(RULE, SERVERLESS, { engine: "redis", userGroupId: "bookbuddy-users" }, {});
        await pinResource(RULE, SERVERLESS, { engine: "redis", authToken: "[secret]" }, { violations: [SERVERLESS_OPEN] });
        await pinResource(RULE, SERVERLESS, { engine: "redis", userGroupId: "" }, { violations: [SERVERLESS_OPEN] });
        await pinResource(
            RULE,
            SERVERLESS,
            { engine: "redis", userGroupId: ["bookbuddy-users"] },
            { violations: [SERVERLESS_OPEN] },
        );
    });

    it("reports a standalone cluster, passes a group member, cannot judge an unknown group id", async () => {
        await pinResource(RULE, CLUSTER, { engine: "redis", authToken: "[secret]" }, { violations: [STANDALONE] });
        await pinResource(RULE, CLUSTER, { engine: "redis", replicationGroupId: "bookbuddy-redis" }, {});
        await pinResource(
            RULE,
            CLUSTER,
            { engine: "redis", replicationGroupId: WIRE.unknown },
            { cannotJudge: [cannotJudge(RULE, "replicationGroupId")] },
        );
    });
});
