import * as assert from "assert";
import * as http from "http";
import { AddressInfo } from "net";
import {
    canaryPolicy,
    CANARY_SCRIPT_PATH,
    engineFunctionName,
    HealthChecks,
    HealthChecksArgs,
    scheduleExpression,
} from "../../components/health";
import { PlanDocument } from "../../tools/plan/types";
import { json, ofType, renderComponent, renderedStack } from "../support/plan";

const KEY = "arn:aws:kms:us-east-1:123456789012:key/11111111-2222-4333-8444-555555555555";
const TOPIC = "arn:aws:sns:us-east-1:123456789012:alerts";
const args: HealthChecksArgs = {
    baseUrl: "https://api.example.com/",
    checks: [
        { canaryName: "qa-health", path: "/health", rateMinutes: 1 },
        { canaryName: "qa-health-db", path: "/health/db", rateMinutes: 5 },
        { canaryName: "qa-health-cache", path: "/health/cache", rateMinutes: 5 },
    ],
    runtimeVersion: "syn-nodejs-puppeteer-10.0",
    topicArn: TOPIC,
    artifactKeyArn: KEY,
    accessLogBucket: "qa-logs",
    logsKeyArn: KEY,
    context: { accountId: "123456789012", region: "us-east-1", partition: "aws" },
};

describe("HealthChecks (HC-1)", () => {
    let doc: PlanDocument;
    before(async () => {
        doc = await renderComponent(() => new HealthChecks("hc", args));
    });

    it("runs /health every minute and /health/db, /health/cache every five minutes on a pinned runtime", () => {
        const canaries = ofType(doc, "aws:synthetics/canary:Canary").map((c) => c.inputs as Record<string, any>);
        assert.deepStrictEqual(
            canaries.map((c) => [c.name, c.schedule.expression, c.runConfig.environmentVariables.HEALTH_URL]),
            [
                ["qa-health", "rate(1 minute)", "https://api.example.com/health"],
                ["qa-health-db", "rate(5 minutes)", "https://api.example.com/health/db"],
                ["qa-health-cache", "rate(5 minutes)", "https://api.example.com/health/cache"],
            ],
        );
        for (const c of canaries) {
            assert.strictEqual(c.runtimeVersion, "syn-nodejs-puppeteer-10.0");
            assert.strictEqual(c.handler, "health.handler");
            assert.strictEqual(c.startCanary, true);
            assert.ok(c.runConfig.timeoutInSeconds < 60);
            assert.deepStrictEqual(c.artifactConfig.s3Encryption, { encryptionMode: "SSE_KMS", kmsKeyArn: KEY });
        }
    });

    it("alarms on failing runs and on a day below 99.5% success, to the topic", () => {
        const alarms = new Map(
            ofType(doc, "aws:cloudwatch/metricAlarm:MetricAlarm").map((a) => [
                String(a.inputs.name),
                a.inputs as Record<string, any>,
            ]),
        );
        assert.strictEqual(alarms.size, 6);
        const failing = alarms.get("qa-health-failing")!;
        assert.deepStrictEqual(
            [
                failing.metricName,
                failing.namespace,
                failing.threshold,
                failing.comparisonOperator,
                failing.period,
                failing.evaluationPeriods,
            ],
            ["SuccessPercent", "CloudWatchSynthetics", 100, "LessThanThreshold", 60, 2],
        );
        assert.deepStrictEqual(
            [alarms.get("qa-health-db-failing")!.period, alarms.get("qa-health-db-failing")!.evaluationPeriods],
            [300, 1],
        );
        const uptime = alarms.get("qa-health-cache-uptime")!;
        assert.deepStrictEqual([uptime.threshold, uptime.period, uptime.statistic], [99.5, 86400, "Average"]);
        for (const a of alarms.values()) {
            assert.deepStrictEqual([a.alarmActions, a.okActions, a.treatMissingData], [[TOPIC], [TOPIC], "breaching"]);
        }
    });

    it("creates each canary's log group for 90 days with the logs key, and the role cannot create log groups (BKP-4)", () => {
        const groups = ofType(doc, "aws:cloudwatch/logGroup:LogGroup");
        assert.strictEqual(groups.length, 3);
        for (const g of groups) {
            assert.match(String(g.inputs.name), /^\/aws\/lambda\/cwsyn-qa-health/);
            assert.deepStrictEqual([g.inputs.retentionInDays, g.inputs.kmsKeyId], [90, KEY]);
        }
        const policy = json(ofType(doc, "aws:iam/rolePolicy:RolePolicy")[0].inputs.policy);
        const actions: string[] = policy.Statement.flatMap((s: any) => s.Action);
        assert.ok(!actions.includes("logs:CreateLogGroup"));
        for (const s of policy.Statement)
            assert.ok(!(s.Resource === "*" && ([] as string[]).concat(s.Action).includes("*")), "no * on *");
        assert.ok(
            ofType(doc, "aws:s3/bucket:Bucket").every((b) => (b.inputs.tags as Record<string, string>)["data-class"] === "logs"),
        );
    });

    it("validates names, schedules and engine ARNs", () => {
        assert.strictEqual(scheduleExpression(1), "rate(1 minute)");
        assert.strictEqual(scheduleExpression(5), "rate(5 minutes)");
        assert.throws(() => scheduleExpression(0), /1 to 60 minutes/);
        assert.strictEqual(
            engineFunctionName("arn:aws:lambda:us-east-1:1:function:cwsyn-qa-health-abc:3"),
            "cwsyn-qa-health-abc",
        );
        assert.throws(() => engineFunctionName("arn:aws:s3:::x"), /not a Lambda function ARN/);
        assert.ok(canaryPolicy(args.context, "arn:aws:s3:::b", KEY));
        return assert.rejects(
            renderComponent(
                () =>
                    new HealthChecks("bad", {
                        ...args,
                        checks: [{ canaryName: "Way-Too-Long-Canary-Name-Here", path: "/health", rateMinutes: 1 }],
                    }),
            ),
            /must be 1-21 lower-case letters/,
        );
    });

    it("prod checks the API's public host (HC-1)", async () => {
        const urls = ofType(await renderedStack("prod"), "aws:synthetics/canary:Canary").map(
            (c) => (c.inputs as any).runConfig.environmentVariables.HEALTH_URL,
        );
        assert.deepStrictEqual(urls, [
            "https://api.bookbuddy.example/health",
            "https://api.bookbuddy.example/health/db",
            "https://api.bookbuddy.example/health/cache",
        ]);
    });
});

describe("health canary script (HC-1)", () => {
    let server: http.Server;
    let base: string;
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- the canary resolves its runtime modules through Module._resolveFilename
    const Module = require("module");
    const originalLoad = Module._load;
    const steps: string[] = [];

    before(async () => {
        server = http.createServer((req, res) => {
            if (req.url === "/health")
                return void res.writeHead(200, { "Content-Type": "application/json" }).end('{"status":"ok"}');
            if (req.url === "/health/db") return void res.writeHead(503).end("database down");
            if (req.url === "/health/slow") return void setTimeout(() => res.writeHead(200).end("late"), 500);
            res.writeHead(404).end();
        });
        await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
        base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
        // The Synthetics runtime module, as the canary sees it: runs the step and records its name.
        Module._load = function (request: string, ...rest: unknown[]) {
            if (request === "Synthetics")
                return { executeStep: async (name: string, fn: () => Promise<unknown>) => (steps.push(name), fn()) };
            return originalLoad.call(this, request, ...rest);
        };
    });
    after(() => {
        Module._load = originalLoad;
        server.close();
    });

    const load = () => {
        delete require.cache[require.resolve(CANARY_SCRIPT_PATH)];
        // eslint-disable-next-line @typescript-eslint/no-require-imports -- the canary script is plain CommonJS, loaded fresh
        return require(CANARY_SCRIPT_PATH);
    };

    it("passes on 200 as one named step", async () => {
        process.env.HEALTH_URL = `${base}/health`;
        assert.strictEqual(await load().handler(), 200);
        assert.strictEqual(steps.at(-1), "GET /health");
    });

    it("fails on any other status, naming the status", async () => {
        process.env.HEALTH_URL = `${base}/health/db`;
        await assert.rejects(load().handler(), /answered 503: database down/);
    });

    it("fails on a timeout and without a URL", async () => {
        process.env.HEALTH_TIMEOUT_MS = "100";
        try {
            await assert.rejects(load().check(`${base}/health/slow`), /no answer .* within 100 ms/);
        } finally {
            delete process.env.HEALTH_TIMEOUT_MS;
        }
        delete process.env.HEALTH_URL;
        await assert.rejects(load().handler(), /HEALTH_URL is not set/);
    });
});
