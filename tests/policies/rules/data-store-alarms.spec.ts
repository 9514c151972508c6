import type { PlanResourceState } from "../../../tools/plan/types";
import { rdsOk, redisOk } from "../cases";
import { WIRE, cannotJudge, pinStack, resource } from "./pin";

const RULE = "data-store-alarms";
const RDS_METRICS = ["CPUUtilization", "FreeableMemory", "FreeStorageSpace", "DatabaseConnections"];
const REDIS_METRICS = ["EngineCPUUtilization", "DatabaseMemoryUsagePercentage", "Evictions"];
const ALL_RDS = "CPUUtilization, FreeableMemory, FreeStorageSpace, DatabaseConnections";
const ALL_REDIS = "CPUUtilization|EngineCPUUtilization, DatabaseMemoryUsagePercentage, Evictions";

const db = (name: string, ids: Record<string, unknown>) => resource("aws:rds/instance:Instance", name, { ...rdsOk, ...ids });
const cache = (name: string, ids: Record<string, unknown>) =>
    resource("aws:elasticache/replicationGroup:ReplicationGroup", name, { ...redisOk, ...ids });
const alarm = (name: string, props: Record<string, unknown>, deps: Record<string, PlanResourceState[]> = {}) =>
    resource(
        "aws:cloudwatch/metricAlarm:MetricAlarm",
        name,
        { alarmActions: ["a"], okActions: ["a"], treatMissingData: "missing", ...props },
        { deps },
    );
const alarmsOn = (prefix: string, metrics: string[], dimensions: unknown, deps: Record<string, PlanResourceState[]> = {}) =>
    metrics.map((m) => alarm(`${prefix}-${m}`, { metricName: m, dimensions }, deps));

describe(`${RULE}: which alarm watches which store (ALARM-1)`, () => {
    it("tells two RDS instances apart by identifier: the alarms of one do not cover the other", async () => {
        const a = db("a", { identifier: "bookbuddy-a" });
        const b = db("b", { identifier: "bookbuddy-b" });
        await pinStack(RULE, [a, b, ...alarmsOn("a", RDS_METRICS, { DBInstanceIdentifier: "bookbuddy-a" })], {
            violations: [[b, `b has no alarm on ${ALL_RDS}.`]],
        });
    });

    it("matches an RDS instance by its id too, and a replication group by replicationGroupId or id", async () => {
        await pinStack(RULE, [db("a", { id: "db-a" }), ...alarmsOn("a", RDS_METRICS, { DBInstanceIdentifier: "db-a" })], {});
        await pinStack(
            RULE,
            [
                cache("c", { replicationGroupId: "bookbuddy-c" }),
                ...alarmsOn("c", REDIS_METRICS, { ReplicationGroupId: "bookbuddy-c" }),
            ],
            {},
        );
        await pinStack(
            RULE,
            [
                cache("c", { replicationGroupId: undefined, id: "rg-c" }),
                ...alarmsOn("c", REDIS_METRICS, { ReplicationGroupId: "rg-c" }),
            ],
            {},
        );
    });

    it("does not match an RDS instance by a replicationGroupId, nor a replication group by an identifier", async () => {
        const a = db("a", { replicationGroupId: "x" });
        await pinStack(RULE, [a, ...alarmsOn("a", RDS_METRICS, { DBInstanceIdentifier: "x" })], {
            violations: [[a, `a has no alarm on ${ALL_RDS}.`]],
        });
        const c = cache("c", { identifier: "y" });
        await pinStack(RULE, [c, ...alarmsOn("c", REDIS_METRICS, { ReplicationGroupId: "y" })], {
            violations: [[c, `c has no alarm on ${ALL_REDIS}.`]],
        });
    });

    it("matches node ids (<group>-001) for replication groups only, not for RDS instances, and not other groups", async () => {
        await pinStack(
            RULE,
            [
                cache("c", { replicationGroupId: "bookbuddy-c" }),
                ...alarmsOn("c", REDIS_METRICS, { CacheClusterId: "bookbuddy-c-001" }),
            ],
            {},
        );
        const a = db("a", { identifier: "bookbuddy-a" });
        await pinStack(RULE, [a, ...alarmsOn("a", RDS_METRICS, { DBInstanceIdentifier: "bookbuddy-a-001" })], {
            violations: [[a, `a has no alarm on ${ALL_RDS}.`]],
        });
        const other = cache("d", { replicationGroupId: "bookbuddy-d" });
        await pinStack(RULE, [other, ...alarmsOn("c", REDIS_METRICS, { CacheClusterId: "bookbuddy-c-001" })], {
            violations: [[other, `d has no alarm on ${ALL_REDIS}.`]],
        });
    });

    it("matches when any one dimension names the store, and when either identifier does", async () => {
        await pinStack(
            RULE,
            [
                db("a", { identifier: "bookbuddy-a" }),
                ...alarmsOn("a", RDS_METRICS, { Role: "WRITER", DBInstanceIdentifier: "bookbuddy-a" }),
            ],
            {},
        );
        await pinStack(
            RULE,
            [db("a", { identifier: "bookbuddy-a", id: "db-a" }), ...alarmsOn("a", RDS_METRICS, { DBInstanceIdentifier: "db-a" })],
            {},
        );
    });

    it("never matches an empty identifier, and ignores dimension values that are not strings", async () => {
        const a = db("a", { identifier: "" });
        await pinStack(RULE, [a, ...alarmsOn("a", RDS_METRICS, { DBInstanceIdentifier: "" })], {
            violations: [[a, `a has no alarm on ${ALL_RDS}.`]],
        });
        const c = cache("c", { replicationGroupId: "bookbuddy-c" });
        await pinStack(RULE, [c, ...alarmsOn("c", REDIS_METRICS, { Shard: 1 })], {
            violations: [[c, `c has no alarm on ${ALL_REDIS}.`]],
        });
    });

    it("reads metric-math alarms (metricQueries) and their dependencies", async () => {
        const a = db("a", { identifier: "bookbuddy-a" });
        const queries = (dims: unknown) =>
            RDS_METRICS.map((m) =>
                alarm(`q-${m}`, { metricQueries: [{ id: "m1", metric: { metricName: m, dimensions: dims } }] }),
            );
        await pinStack(RULE, [a, ...queries({ DBInstanceIdentifier: "bookbuddy-a" })], {});
        const linked = RDS_METRICS.map((m) =>
            alarm(
                `q-${m}`,
                { metricQueries: [{ id: "m1", metric: { metricName: m, dimensions: WIRE.unknown } }] },
                { metricQueries: [a] },
            ),
        );
        await pinStack(RULE, [a, ...linked], {});
        await pinStack(RULE, [a, ...queries(WIRE.unknown)], { cannotJudge: [cannotJudge(RULE, ["alarm dimensions", a])] });
    });

    it("cannot judge alarms whose whole dimensions are unknown, or some of whose values are", async () => {
        const a = db("a", { identifier: "bookbuddy-a" });
        await pinStack(RULE, [a, alarm("x", { metricName: "CPUUtilization", dimensions: WIRE.unknown })], {
            cannotJudge: [cannotJudge(RULE, ["alarm dimensions", a])],
        });
        await pinStack(
            RULE,
            [a, alarm("x", { metricName: "CPUUtilization", dimensions: { DBInstanceIdentifier: WIRE.unknown, Role: "WRITER" } })],
            { cannotJudge: [cannotJudge(RULE, ["alarm dimensions", a])] },
        );
    });

    it("does not count alarms without dimensions", async () => {
        const a = db("a", { identifier: "bookbuddy-a" });
        await pinStack(RULE, [a, ...RDS_METRICS.map((m) => alarm(`x-${m}`, { metricName: m }))], {
            violations: [[a, `a has no alarm on ${ALL_RDS}.`]],
        });
    });
});
