import { redisOk } from "../cases";
import { WIRE, cannotJudge, pinResource } from "./pin";

const RULE = "elasticache-multi-az-failover";
const RG = "aws:elasticache/replicationGroup:ReplicationGroup";

describe(`${RULE}: replicas per node group or cache clusters (ENV-3, CACHE-1)`, () => {
    it("counts replicasPerNodeGroup from one, when it is set", async () => {
        await pinResource(RULE, RG, { ...redisOk, numCacheClusters: undefined, replicasPerNodeGroup: 1 }, {});
        await pinResource(
            RULE,
            RG,
            { ...redisOk, numCacheClusters: 3, replicasPerNodeGroup: 0 },
            { violations: ["at least one replica is needed for failover."] },
        );
    });

    it("names replicasPerNodeGroup when it is unknown", async () => {
        await pinResource(
            RULE,
            RG,
            { ...redisOk, numCacheClusters: undefined, replicasPerNodeGroup: WIRE.unknown },
            { cannotJudge: [cannotJudge(RULE, "replicasPerNodeGroup")] },
        );
    });
});
