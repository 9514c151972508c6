import { redisOk } from "../cases";
import { WIRE, cannotJudge, pinResource } from "./pin";

const RULE = "elasticache-log-delivery";
const RG = "aws:elasticache/replicationGroup:ReplicationGroup";
const slow = { destination: "/bookbuddy/redis/slow", destinationType: "cloudwatch-logs", logFormat: "json", logType: "slow-log" };

describe(`${RULE}: both log types (CACHE-1)`, () => {
    it("names both missing log types", async () => {
        await pinResource(
            RULE,
            RG,
            { ...redisOk, logDeliveryConfigurations: [] },
            { violations: ["logDeliveryConfigurations lacks slow-log and engine-log."] },
        );
    });

    it("cannot judge when one log type is unknown", async () => {
        await pinResource(
            RULE,
            RG,
            { ...redisOk, logDeliveryConfigurations: [slow, { ...slow, logType: WIRE.unknown }] },
            { cannotJudge: [cannotJudge(RULE, "logDeliveryConfigurations")] },
        );
    });
});
