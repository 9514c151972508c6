import { redisOk } from "../cases";
import { WIRE, cannotJudge, pinResource } from "./pin";

const RULE = "elasticache-encryption-in-transit";
const RG = "aws:elasticache/replicationGroup:ReplicationGroup";
const CLUSTER = "aws:elasticache/cluster:Cluster";
const NO_TLS = "transitEncryptionEnabled must be true.";
const PREFERRED = 'transitEncryptionMode "preferred" still accepts plaintext clients; use "required".';

describe(`${RULE}: TLS on replication groups and standalone clusters (CACHE-1)`, () => {
    it("accepts TLS with the mode required or absent", async () => {
        await pinResource(RULE, RG, redisOk, {});
        await pinResource(RULE, RG, { ...redisOk, transitEncryptionMode: undefined }, {});
    });

    it("reports TLS that is off, absent or not the boolean true, and the preferred mode", async () => {
        await pinResource(RULE, RG, { ...redisOk, transitEncryptionEnabled: false }, { violations: [NO_TLS] });
        await pinResource(RULE, RG, { ...redisOk, transitEncryptionEnabled: undefined }, { violations: [NO_TLS] });
        await pinResource(RULE, RG, { ...redisOk, transitEncryptionEnabled: "true" }, { violations: [NO_TLS] });
        await pinResource(RULE, RG, { ...redisOk, transitEncryptionMode: "preferred" }, { violations: [PREFERRED] });
        await pinResource(
            RULE,
            RG,
            { ...redisOk, transitEncryptionEnabled: false, transitEncryptionMode: "preferred" },
            { violations: [NO_TLS, PREFERRED] },
        );
    });

    it("cannot judge an unknown setting or mode", async () => {
        await pinResource(
            RULE,
            RG,
            { ...redisOk, transitEncryptionEnabled: WIRE.unknown },
            { cannotJudge: [cannotJudge(RULE, "transitEncryptionEnabled")] },
        );
        await pinResource(
            RULE,
            RG,
            { ...redisOk, transitEncryptionMode: WIRE.unknown },
            { cannotJudge: [cannotJudge(RULE, "transitEncryptionMode")] },
        );
    });

    it("judges a standalone cluster itself, leaves a group member to its group, and cannot judge an unknown group id", async () => {
        await pinResource(RULE, CLUSTER, { engine: "redis" }, { violations: [NO_TLS] });
        await pinResource(RULE, CLUSTER, { engine: "redis", replicationGroupId: "" }, { violations: [NO_TLS] });
        await pinResource(RULE, CLUSTER, { engine: "redis", transitEncryptionEnabled: true }, {});
        await pinResource(RULE, CLUSTER, { engine: "redis", replicationGroupId: "bookbuddy-redis" }, {});
        await pinResource(
            RULE,
            CLUSTER,
            { engine: "redis", replicationGroupId: WIRE.unknown },
            { cannotJudge: [cannotJudge(RULE, "replicationGroupId")] },
        );
    });
});
