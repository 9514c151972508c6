import { redisOk } from "../cases";
import { WIRE, cannotJudge, pinResource } from "./pin";

const RULE = "elasticache-encryption-at-rest-cmk";
const RG = "aws:elasticache/replicationGroup:ReplicationGroup";
const CLUSTER = "aws:elasticache/cluster:Cluster";
const SERVERLESS = "aws:elasticache/serverlessCache:ServerlessCache";
const KEY = "arn:aws:kms:eu-central-1:111122223333:key/cache";
const NO_AT_REST = "atRestEncryptionEnabled must be true.";
const NO_CMK = "kmsKeyId must name a customer-managed KMS key.";
const SERVERLESS_NO_CMK = "kmsKeyId must name a customer-managed KMS key (a serverless cache otherwise uses an AWS-owned key).";
const STANDALONE =
    "a standalone cache cluster cannot encrypt data at rest: declare a ReplicationGroup (or ServerlessCache) instead.";

describe(`${RULE}: at-rest encryption with a CMK in every form (CACHE-1)`, () => {
    it("accepts a replication group encrypted with a CMK, the flag also as the string true", async () => {
        await pinResource(RULE, RG, redisOk, {});
        await pinResource(RULE, RG, { ...redisOk, atRestEncryptionEnabled: "true" }, {});
    });

    it("reports encryption that is off or absent and a key that is absent, empty or not a string", async () => {
        await pinResource(RULE, RG, { ...redisOk, atRestEncryptionEnabled: false }, { violations: [NO_AT_REST] });
        await pinResource(RULE, RG, { ...redisOk, atRestEncryptionEnabled: undefined }, { violations: [NO_AT_REST] });
        await pinResource(RULE, RG, { ...redisOk, atRestEncryptionEnabled: "false" }, { violations: [NO_AT_REST] });
        for (const kmsKeyId of [undefined, "", 7]) {
            await pinResource(RULE, RG, { ...redisOk, kmsKeyId }, { violations: [NO_CMK] });
        }
        await pinResource(
            RULE,
            RG,
            { ...redisOk, atRestEncryptionEnabled: false, kmsKeyId: undefined },
            { violations: [NO_AT_REST, NO_CMK] },
        );
    });

    it("cannot judge an unknown flag or key", async () => {
        await pinResource(
            RULE,
            RG,
            { ...redisOk, atRestEncryptionEnabled: WIRE.unknown },
            { cannotJudge: [cannotJudge(RULE, "atRestEncryptionEnabled")] },
        );
        await pinResource(RULE, RG, { ...redisOk, kmsKeyId: WIRE.unknown }, { cannotJudge: [cannotJudge(RULE, "kmsKeyId")] });
    });

    it("judges a serverless cache by its key only", async () => {
        await pinResource(RULE, SERVERLESS, { engine: "redis", kmsKeyId: KEY }, {});
        for (const kmsKeyId of [undefined, "", 7]) {
            await pinResource(RULE, SERVERLESS, { engine: "redis", kmsKeyId }, { violations: [SERVERLESS_NO_CMK] });
        }
        await pinResource(
            RULE,
            SERVERLESS,
            { engine: "redis", kmsKeyId: WIRE.unknown },
            { cannotJudge: [cannotJudge(RULE, "kmsKeyId")] },
        );
    });

    it("reports a standalone cluster even with the settings of a group, passes a group member, cannot judge an unknown group id", async () => {
        await pinResource(
            RULE,
            CLUSTER,
            { engine: "redis", atRestEncryptionEnabled: true, kmsKeyId: KEY },
            { violations: [STANDALONE] },
        );
        await pinResource(RULE, CLUSTER, { engine: "redis", replicationGroupId: "" }, { violations: [STANDALONE] });
        await pinResource(RULE, CLUSTER, { engine: "redis", replicationGroupId: "bookbuddy-redis" }, {});
        await pinResource(
            RULE,
            CLUSTER,
            { engine: "redis", replicationGroupId: WIRE.unknown },
            { cannotJudge: [cannotJudge(RULE, "replicationGroupId")] },
        );
    });
});
