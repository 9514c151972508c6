import { redisOk } from "../cases";
import { WIRE, cannotJudge, pinResource } from "./pin";

const RULE = "elasticache-private-subnet-group";
const RG = "aws:elasticache/replicationGroup:ReplicationGroup";
const CLUSTER = "aws:elasticache/cluster:Cluster";
const SERVERLESS = "aws:elasticache/serverlessCache:ServerlessCache";
const NO_GROUP = 'subnetGroupName must name the private cache subnet group (absent or "default" uses the default VPC).';
const NO_SUBNETS = "subnetIds must name the private cache subnets (absent uses the default VPC's subnets).";

describe(`${RULE}: an explicit subnet group or subnets in every form (CACHE-1)`, () => {
    it("accepts a named subnet group and reports an absent, empty, default or non-string one", async () => {
        await pinResource(RULE, RG, redisOk, {});
        for (const subnetGroupName of [undefined, "", "default", 42]) {
            await pinResource(RULE, RG, { ...redisOk, subnetGroupName }, { violations: [NO_GROUP] });
        }
    });

    it("cannot judge an unknown subnet group", async () => {
        await pinResource(
            RULE,
            RG,
            { ...redisOk, subnetGroupName: WIRE.unknown },
            { cannotJudge: [cannotJudge(RULE, "subnetGroupName")] },
        );
    });

    it("judges a serverless cache by its subnets only", async () => {
        await pinResource(RULE, SERVERLESS, { engine: "redis", subnetIds: ["subnet-a"] }, {});
        await pinResource(
            RULE,
            SERVERLESS,
            { engine: "redis", subnetGroupName: "bookbuddy-cache" },
            { violations: [NO_SUBNETS] },
        );
        await pinResource(RULE, SERVERLESS, { engine: "redis", subnetIds: [] }, { violations: [NO_SUBNETS] });
        await pinResource(
            RULE,
            SERVERLESS,
            { engine: "redis", subnetIds: WIRE.unknown },
            { cannotJudge: [cannotJudge(RULE, "subnetIds")] },
        );
    });

    it("judges a standalone cluster itself, leaves a group member to its group, and cannot judge an unknown group id", async () => {
        await pinResource(RULE, CLUSTER, { engine: "redis" }, { violations: [NO_GROUP] });
        await pinResource(RULE, CLUSTER, { engine: "redis", subnetGroupName: "bookbuddy-cache" }, {});
        await pinResource(RULE, CLUSTER, { engine: "redis", replicationGroupId: "bookbuddy-redis" }, {});
        await pinResource(
            RULE,
            CLUSTER,
            { engine: "redis", replicationGroupId: WIRE.unknown },
            { cannotJudge: [cannotJudge(RULE, "replicationGroupId")] },
        );
    });
});
