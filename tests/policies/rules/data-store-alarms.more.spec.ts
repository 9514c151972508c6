import type { PlanResourceState } from "../../../tools/plan/types";
import { rdsOk, redisOk } from "../cases";
import { WIRE, cannotJudge, pinStack, resource } from "./pin";

const RULE = "data-store-alarms";
const db = (name: string, ids: Record<string, unknown>) => resource("aws:rds/instance:Instance", name, { ...rdsOk, ...ids });
const alarm = (name: string, props: Record<string, unknown>, deps: Record<string, PlanResourceState[]> = {}) =>
    resource(
        "aws:cloudwatch/metricAlarm:MetricAlarm",
        name,
        { alarmActions: ["a"], okActions: ["a"], treatMissingData: "missing", ...props },
        { deps },
    );

describe(`${RULE}: alarms that cannot be matched yet (ALARM-1)`, () => {
    it("cannot judge a store when one alarm's dimensions are unknown, even if another alarm names a different store", async () => {
        const a = db("a", { identifier: "bookbuddy-a" });
        await pinStack(
            RULE,
            [
                a,
                alarm("x", { metricName: "CPUUtilization", dimensions: WIRE.unknown }),
                alarm("y", { metricName: "CPUUtilization", dimensions: { DBInstanceIdentifier: "bookbuddy-b" } }),
            ],
            { cannotJudge: [cannotJudge(RULE, ["alarm dimensions", a])] },
        );
    });

    it("reports the store when its only unknown alarm came from another store (a property dependency)", async () => {
        const a = db("a", { identifier: "bookbuddy-a" });
        const b = db("b", { identifier: "bookbuddy-b", id: "db-b" });
        await pinStack(
            RULE,
            [a, b, alarm("x", { metricName: "CPUUtilization", dimensions: WIRE.unknown }, { dimensions: [b] })],
            {
                violations: [
                    [a, "a has no alarm on CPUUtilization, FreeableMemory, FreeStorageSpace, DatabaseConnections."],
                    [b, "b has no alarm on FreeableMemory, FreeStorageSpace, DatabaseConnections."],
                ],
            },
        );
    });

    it("ignores identifiers that are not strings, also as a node id prefix", async () => {
        const c = resource("aws:elasticache/replicationGroup:ReplicationGroup", "c", {
            ...redisOk,
            replicationGroupId: 42,
            id: undefined,
        });
        const alarms = ["EngineCPUUtilization", "DatabaseMemoryUsagePercentage", "Evictions"].map((m) =>
            alarm(`c-${m}`, { metricName: m, dimensions: { CacheClusterId: "42-001" } }),
        );
        await pinStack(RULE, [c, ...alarms], {
            violations: [[c, "c has no alarm on CPUUtilization|EngineCPUUtilization, DatabaseMemoryUsagePercentage, Evictions."]],
        });
    });
});
