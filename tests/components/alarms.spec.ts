import * as assert from "assert";
import { ALB_ERROR_RATE_EXPRESSION, AlertSubscriptions, freeStorageThresholdBytes, ServiceAlarms } from "../../components/alarms";
import { PlanDocument, PlanResourceState } from "../../tools/plan/types";
import { nameOf, ofType, renderComponent, renderedStack, STACKS } from "../support/plan";

const TOPIC = "arn:aws:sns:us-east-1:123456789012:bookbuddy-test-alerts";
const ALARM = "aws:cloudwatch/metricAlarm:MetricAlarm";
const byName = (doc: PlanDocument) => new Map(ofType(doc, ALARM).map((r) => [String(r.inputs.name), r]));

describe("ServiceAlarms (ALARM-1)", () => {
    let doc: PlanDocument;
    before(async () => {
        doc = await renderComponent(() => {
            new ServiceAlarms("svc", {
                topicArn: TOPIC,
                namePrefix: "bb-test",
                database: { identifier: "bb-test-postgres", allocatedStorageGb: 100, replicaIdentifiers: ["bb-test-replica"] },
                cache: { memberClusters: ["bb-test-cache-001", "bb-test-cache-002"], count: 2 },
                loadBalancerArnSuffix: "app/k8s-bookbudd-api/0123456789abcdef",
            });
        });
    });

    it("declares exactly the RDS, per-member ElastiCache and ALB alarms", () => {
        const names = [...byName(doc).keys()].sort();
        const cache = (n: string) =>
            ["cpu", "engine-cpu", "evictions", "memory-critical", "memory-warning"].map((k) => `bb-test-cache-${n}-${k}`);
        assert.deepStrictEqual(
            names,
            [
                "bb-test-alb-5xx-rate",
                "bb-test-alb-latency-p95",
                ...cache("001"),
                ...cache("002"),
                "bb-test-rds-connections",
                "bb-test-rds-cpu",
                "bb-test-rds-free-storage",
                "bb-test-rds-freeable-memory",
                "bb-test-rds-replica-lag-0",
            ].sort(),
        );
    });

    it("sends ALARM and OK to the topic and states the missing-data treatment of every alarm", () => {
        for (const a of ofType(doc, ALARM)) {
            assert.deepStrictEqual(a.inputs.alarmActions, [TOPIC], nameOf(a));
            assert.deepStrictEqual(a.inputs.okActions, [TOPIC], nameOf(a));
            assert.ok(["breaching", "notBreaching"].includes(String(a.inputs.treatMissingData)), nameOf(a));
        }
    });

    it("uses the operations documents' thresholds and the stores' identifiers as dimensions", () => {
        const a = byName(doc);
        const get = (n: string) => a.get(`bb-test-${n}`)!.inputs;
        assert.strictEqual(get("rds-cpu").threshold, 80);
        assert.strictEqual(get("rds-cpu").comparisonOperator, "GreaterThanThreshold");
        assert.deepStrictEqual(get("rds-cpu").dimensions, { DBInstanceIdentifier: "bb-test-postgres" });
        // 20% of 100 GiB, in bytes.
        assert.strictEqual(get("rds-free-storage").threshold, 21474836480);
        assert.strictEqual(get("rds-free-storage").comparisonOperator, "LessThanThreshold");
        assert.deepStrictEqual(get("rds-replica-lag-0").dimensions, { DBInstanceIdentifier: "bb-test-replica" });
        assert.strictEqual(get("cache-002-engine-cpu").metricName, "EngineCPUUtilization");
        assert.deepStrictEqual(get("cache-002-engine-cpu").dimensions, { CacheClusterId: "bb-test-cache-002" });
        assert.strictEqual(get("cache-001-memory-warning").threshold, 80);
        assert.strictEqual(get("cache-001-memory-critical").threshold, 85);
        assert.strictEqual(get("cache-001-evictions").statistic, "Sum");
        const latency = get("alb-latency-p95");
        assert.strictEqual(latency.extendedStatistic, "p95");
        assert.strictEqual(latency.threshold, 1);
        assert.deepStrictEqual(latency.dimensions, { LoadBalancer: "app/k8s-bookbudd-api/0123456789abcdef" });
    });

    it("computes the 5xx rate by metric math over target and load balancer 5xx and all requests", () => {
        const rate = byName(doc).get("bb-test-alb-5xx-rate")!.inputs;
        assert.strictEqual(rate.threshold, 1);
        const queries = rate.metricQueries as Array<Record<string, any>>;
        assert.deepStrictEqual(
            queries.map((q) => q.id),
            ["rate", "target5xx", "elb5xx", "requests"],
        );
        assert.strictEqual(queries[0].expression, ALB_ERROR_RATE_EXPRESSION);
        assert.strictEqual(queries[0].returnData, true);
        assert.deepStrictEqual(
            queries.slice(1).map((q) => q.metric.metricName),
            ["HTTPCode_Target_5XX_Count", "HTTPCode_ELB_5XX_Count", "RequestCount"],
        );
        assert.ok(queries.slice(1).every((q) => q.returnData === false && q.metric.stat === "Sum"));
    });

    it("rejects a warning at or above the critical memory threshold and nonsense storage inputs", () => {
        assert.throws(() => freeStorageThresholdBytes(0, 20), /invalid storage alarm inputs/);
        assert.strictEqual(freeStorageThresholdBytes(20, 20), 4294967296);
        return assert.rejects(
            renderComponent(
                () =>
                    new ServiceAlarms("bad", {
                        topicArn: TOPIC,
                        namePrefix: "x",
                        thresholds: { cacheMemoryWarningPercent: 85, cacheMemoryCriticalPercent: 85 },
                    }),
            ),
            /cacheMemoryWarningPercent \(85\) must be below cacheMemoryCriticalPercent/,
        );
    });
});

describe("AlertSubscriptions (ALARM-1, SEC-2)", () => {
    it("subscribes emails and HTTPS endpoints, keeping the endpoints secret", async () => {
        const doc = await renderComponent(
            () =>
                new AlertSubscriptions("subs", {
                    topicArn: TOPIC,
                    emails: ["oncall@example.com"],
                    httpsEndpoints: ["https://hooks.example.com/t0ken"],
                }),
        );
        const subs = ofType(doc, "aws:sns/topicSubscription:TopicSubscription");
        assert.deepStrictEqual(subs.map((s) => [s.inputs.protocol, s.inputs.endpoint]).sort(), [
            ["email", "oncall@example.com"],
            ["https", "[secret]"],
        ]);
        assert.ok(!JSON.stringify(doc).includes("t0ken"), "the HTTPS endpoint must not appear in the plan");
    });
});

describe("alarms in the stacks (ALARM-1, ENV-3, ENV-4)", () => {
    const cacheCpuAlarms = (doc: PlanDocument) =>
        ofType(doc, ALARM).filter((a) => a.inputs.metricName === "CPUUtilization" && a.inputs.namespace === "AWS/ElastiCache");

    it("alarms on every cache member: one in dev, three in prod", async () => {
        assert.strictEqual(cacheCpuAlarms(await renderedStack("dev")).length, 1);
        assert.strictEqual(cacheCpuAlarms(await renderedStack("prod")).length, 3);
    });

    it("dimensions the RDS alarms with the instance identifier and the ALB alarms with the looked-up ALB (prod)", async () => {
        const prod = await renderedStack("prod");
        const rds = ofType(prod, ALARM).filter((a) => a.inputs.namespace === "AWS/RDS");
        assert.ok(rds.length >= 4);
        assert.ok(
            rds.every((a) => (a.inputs.dimensions as Record<string, string>).DBInstanceIdentifier === "bookbuddy-prod-postgres"),
        );
        const latency = ofType(prod, ALARM).find((a) => a.inputs.metricName === "TargetResponseTime")!;
        assert.match((latency.inputs.dimensions as Record<string, string>).LoadBalancer, /^app\/k8s-[0-9a-f]+\/[0-9a-f]{16}$/);
    });

    it("subscribes the prod on-call mailbox to the alert topic", async () => {
        const subs = ofType(await renderedStack("prod"), "aws:sns/topicSubscription:TopicSubscription");
        assert.ok(subs.some((s) => s.inputs.protocol === "email" && s.inputs.endpoint === "oncall@bookbuddy.example"));
    });
});

describe("log group retention in every stack (BKP-4)", () => {
    for (const stack of STACKS) {
        it(`${stack}: every CloudWatch log group keeps at least 90 days with a KMS key`, async () => {
            const groups: PlanResourceState[] = ofType(await renderedStack(stack), "aws:cloudwatch/logGroup:LogGroup");
            assert.ok(groups.length >= 5, `expected the program's log groups, found ${groups.length}`);
            for (const g of groups) {
                assert.ok(Number(g.inputs.retentionInDays) >= 90, `${nameOf(g)} keeps ${g.inputs.retentionInDays} days`);
                assert.match(String(g.inputs.kmsKeyId), /^arn:aws:kms:/, `${nameOf(g)} has no KMS key`);
            }
        });
    }
});
