import * as assert from "assert";
import { ChildProcess, spawn } from "child_process";
import * as fs from "fs";
import * as http from "http";
import * as net from "net";
import * as path from "path";
import * as YAML from "yaml";
import {
    AlertmanagerConfig,
    alertmanagerConfig,
    AlertmanagerOptions,
    receivers,
    receiverSecretKeys,
    routeTiming,
} from "../../components/monitoring/alertmanager";
import { alertingRules, alertRuleGroups } from "../../components/monitoring/rules";
import { describeRun, runTool, tempDir, toolPath } from "./toolchain";

const OPTIONS: AlertmanagerOptions = {
    teamChannel: "#bookbuddy-alerts",
    dailyReview: {
        to: "bookbuddy-review@example.com",
        from: "alertmanager@example.com",
        smarthost: "email-smtp.eu-west-1.amazonaws.com:587",
    },
    heartbeat: { url: "https://heartbeat.example.com/ping/bookbuddy-prod" },
};

const EXPECTED_BY_SEVERITY: Record<string, string> = {
    critical: `${receivers.pager},${receivers.team}`,
    high: receivers.team,
    warning: receivers.dailyReview,
};

function seconds(duration: string): number {
    const m = /^([0-9]+)(s|m|h)$/.exec(duration);
    assert.ok(m, `unsupported duration ${duration}`);
    return Number(m[1]) * { s: 1, m: 60, h: 3600 }[m[2] as "s" | "m" | "h"];
}

/** Every string value of an object with its key path. */
function leaves(value: unknown, at = ""): Array<[string, string]> {
    if (typeof value === "string") return [[at, value]];
    if (Array.isArray(value)) return value.flatMap((v, i) => leaves(v, `${at}[${i}]`));
    if (value && typeof value === "object") return Object.entries(value).flatMap(([k, v]) => leaves(v, at ? `${at}.${k}` : k));
    return [];
}

function freePort(): Promise<number> {
    return new Promise((resolve, reject) => {
        const server = net.createServer();
        server.once("error", reject);
        server.listen(0, "127.0.0.1", () => {
            const port = (server.address() as net.AddressInfo).port;
            server.close(() => resolve(port));
        });
    });
}

async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs: number): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    let lastError: unknown;
    while (Date.now() < deadline) {
        try {
            const value = await probe();
            if (value !== undefined) return value;
        } catch (err) {
            lastError = err;
        }
        await new Promise((r) => setTimeout(r, 250));
    }
    throw new Error(`timed out waiting for ${what}${lastError ? `: ${String(lastError)}` : ""}`);
}

describe("MON-3 LOG-2 Alertmanager routing (components/monitoring/alertmanager.ts)", function () {
    this.timeout(120_000);
    const config = alertmanagerConfig(OPTIONS);
    const alerts = alertingRules(
        alertRuleGroups({}, { runbookBaseUrl: "https://github.com/bookbuddy/bookbuddy-infra/blob/main" }),
    );
    let work: { dir: string; cleanup: () => void };

    before(() => {
        work = tempDir("bookbuddy-alertmanager");
        fs.writeFileSync(path.join(work.dir, "alertmanager.yml"), YAML.stringify(config));
    });
    after(() => work.cleanup());

    function routeTest(labels: Record<string, string>, expected: string): void {
        const args = ["config", "routes", "test", "--config.file=alertmanager.yml", `--verify.receivers=${expected}`];
        const result = runTool("amtool", [...args, ...Object.entries(labels).map(([k, v]) => `${k}=${v}`)], work.dir);
        assert.strictEqual(
            result.status,
            0,
            describeRun(`amtool routes test ${JSON.stringify(labels)} expecting ${expected}`, result),
        );
        assert.strictEqual(result.stdout.trim(), expected);
    }

    it("MON-3: amtool check-config accepts the generated configuration", () => {
        const result = runTool("amtool", ["check-config", "alertmanager.yml"], work.dir);
        assert.strictEqual(result.status, 0, describeRun("amtool check-config", result));
        assert.match(result.stdout, /SUCCESS/);
        assert.match(result.stdout, /4 inhibit rules/);
        assert.match(result.stdout, /5 receivers/);
    });

    it("MON-3: amtool fails a route test that expects the wrong receiver (the check can fail)", () => {
        const result = runTool(
            "amtool",
            [
                "config",
                "routes",
                "test",
                "--config.file=alertmanager.yml",
                `--verify.receivers=${receivers.pager}`,
                "severity=warning",
            ],
            work.dir,
        );
        assert.notStrictEqual(result.status, 0, describeRun("a wrong expectation", result));
    });

    describe("MON-3 LOG-2: every generated alert reaches the receiver of its severity (amtool config routes test)", () => {
        for (const a of alerts) {
            it(`${a.alert} (${a.labels.severity}) goes to ${EXPECTED_BY_SEVERITY[a.labels.severity]}`, () => {
                const labels: Record<string, string> = { alertname: a.alert, namespace: "bookbuddy" };
                for (const [k, v] of Object.entries(a.labels)) if (v !== undefined) labels[k] = v;
                routeTest(labels, EXPECTED_BY_SEVERITY[a.labels.severity]);
            });
        }
    });

    it("MON-3: the chart's Watchdog reaches the dead man's switch, InfoInhibitor and info alerts go nowhere, unlabelled alerts reach the team", () => {
        routeTest({ alertname: "Watchdog", severity: "none" }, receivers.heartbeat);
        routeTest({ alertname: "InfoInhibitor", severity: "none", namespace: "bookbuddy" }, receivers.none);
        routeTest({ alertname: "CPUThrottlingHigh", severity: "info", namespace: "bookbuddy" }, receivers.none);
        routeTest({ alertname: "SomethingNew", namespace: "bookbuddy" }, receivers.team);
        routeTest({ alertname: "KubePodCrashLooping", severity: "warning", namespace: "bookbuddy" }, receivers.dailyReview);
    });

    it("MON-3: without a heartbeat the Watchdog is dropped rather than paging anyone", () => {
        const plain = alertmanagerConfig({ ...OPTIONS, heartbeat: undefined });
        fs.writeFileSync(path.join(work.dir, "plain.yml"), YAML.stringify(plain));
        const check = runTool("amtool", ["check-config", "plain.yml"], work.dir);
        assert.strictEqual(check.status, 0, describeRun("amtool check-config plain.yml", check));
        const result = runTool("amtool", ["config", "routes", "test", "--config.file=plain.yml", "alertname=Watchdog"], work.dir);
        assert.strictEqual(result.stdout.trim(), receivers.none);
    });

    it("MON-3 LOG-2: high alerts reach the team within 1 hour, critical within minutes, warnings at most daily", () => {
        const route = (matcher: string) => config.route.routes!.find((r) => r.matchers?.includes(matcher))!;
        const high = route('severity=~"critical|high"');
        const crit = route('severity="critical"');
        const warn = route('severity="warning"');
        for (const a of alerts) {
            const hold = a.for ? seconds(a.for) : 0;
            const evaluation = 60; // the chart's default rule evaluation interval
            if (a.labels.severity === "high") {
                assert.ok(
                    hold + evaluation + seconds(high.group_wait!) <= 3600,
                    `${a.alert} would reach the team after more than 1 hour`,
                );
            }
            if (a.labels.severity === "critical") {
                assert.ok(
                    hold + evaluation + seconds(crit.group_wait!) <= 600,
                    `${a.alert} would page after more than 10 minutes`,
                );
            }
        }
        assert.ok(seconds(high.repeat_interval!) <= 3600, "a firing high alert is repeated at least hourly");
        assert.strictEqual(warn.repeat_interval, "24h");
        assert.strictEqual(warn.group_interval, "24h");
        assert.deepStrictEqual(warn.group_by, ["namespace"]);
        assert.strictEqual(crit.continue, true, "critical alerts are copied to the team channel too");
        assert.deepStrictEqual(routeTiming.warning, { group_wait: "10m", group_interval: "24h", repeat_interval: "24h" });
    });

    it("SEC-2 MON-3: no secret value is in the configuration, only files under the mounted Secret", () => {
        const dir = "/etc/alertmanager/secrets/alertmanager-receivers";
        const all = leaves(config);
        const secretKeys =
            /(^|\.)(routing_key|service_key|api_url|auth_password|auth_secret|credentials|password|api_key|token|bearer_token)$/;
        const plain = all.filter(([k]) => secretKeys.test(k));
        assert.deepStrictEqual(plain, [], "secret fields must be *_file references");
        const files = all.filter(([k]) => k.endsWith("_file"));
        assert.deepStrictEqual(
            files.map(([, v]) => v).sort(),
            Object.values(receiverSecretKeys)
                .map((key) => `${dir}/${key}`)
                .sort(),
        );
        const yaml = YAML.stringify(config);
        assert.ok(!/hooks\.slack\.com|events\.pagerduty\.com\/.+key/i.test(yaml), "no webhook or key URL embedded");
    });

    it("MON-3: rejects incomplete or unsafe options", () => {
        assert.throws(
            () => alertmanagerConfig({ ...OPTIONS, dailyReview: { ...OPTIONS.dailyReview, to: "" } }),
            /dailyReview.to is required/,
        );
        assert.throws(
            () => alertmanagerConfig({ ...OPTIONS, dailyReview: { ...OPTIONS.dailyReview, smarthost: "smtp.example.com" } }),
            /host:port/,
        );
        assert.throws(
            () => alertmanagerConfig({ ...OPTIONS, heartbeat: { url: "http://plain.example.com" } }),
            /heartbeat.url must be an https URL/,
        );
        assert.throws(() => alertmanagerConfig({ ...OPTIONS, secretsDir: "relative/dir" }), /absolute path/);
    });

    describe("MON-3: a real Alertmanager inhibits twins and pages with the key from the mounted file", () => {
        let am: ChildProcess | undefined;
        let amLog = "";
        let amUrl = "";
        let capture: http.Server | undefined;
        const received: Array<{ path: string; body: any }> = [];
        const routingKey = "test-routing-key-0123456789abcdef";

        before(async function () {
            this.timeout(60_000);
            const binary = toolPath("alertmanager");
            const capturePort = await freePort();
            capture = http.createServer((req, res) => {
                let body = "";
                req.on("data", (chunk) => (body += chunk));
                req.on("end", () => {
                    received.push({ path: req.url ?? "", body: JSON.parse(body || "{}") });
                    res.writeHead(202, { "content-type": "application/json" });
                    res.end("{}");
                });
            });
            await new Promise<void>((resolve) => capture!.listen(capturePort, "127.0.0.1", resolve));

            // The same configuration, with the Secret's files in a temporary directory and the
            // PagerDuty and Slack endpoints pointed at a local capture server.
            const secrets = path.join(work.dir, "secrets");
            fs.mkdirSync(secrets);
            fs.writeFileSync(path.join(secrets, receiverSecretKeys.pagerDutyRoutingKey), routingKey);
            fs.writeFileSync(path.join(secrets, receiverSecretKeys.slackWebhookUrl), `http://127.0.0.1:${capturePort}/slack`);
            fs.writeFileSync(path.join(secrets, receiverSecretKeys.smtpPassword), "unused");
            fs.writeFileSync(path.join(secrets, receiverSecretKeys.heartbeatToken), "unused");
            const local: AlertmanagerConfig = alertmanagerConfig({ ...OPTIONS, heartbeat: undefined, secretsDir: secrets });
            local.global.pagerduty_url = `http://127.0.0.1:${capturePort}/pagerduty/`;
            // Same routes and inhibitions; only the wait before the first notification is shortened, so the
            // test does not sit out the production group_wait (its values are asserted elsewhere).
            const shorten = (r: AlertmanagerConfig["route"]): void => {
                if (r.group_wait) r.group_wait = "1s";
                r.routes?.forEach(shorten);
            };
            shorten(local.route);
            fs.writeFileSync(path.join(work.dir, "local.yml"), YAML.stringify(local));

            const port = await freePort();
            amUrl = `http://127.0.0.1:${port}`;
            am = spawn(
                binary,
                [
                    "--config.file=local.yml",
                    `--storage.path=${path.join(work.dir, "data")}`,
                    `--web.listen-address=127.0.0.1:${port}`,
                    "--cluster.listen-address=",
                ],
                { cwd: work.dir, stdio: ["ignore", "pipe", "pipe"] },
            );
            am.stdout!.on("data", (d) => (amLog += d));
            am.stderr!.on("data", (d) => (amLog += d));
            await waitFor(
                "Alertmanager to be ready",
                async () => ((await fetch(`${amUrl}/-/ready`)).ok ? true : undefined),
                30_000,
            ).catch((err) => {
                throw new Error(`${(err as Error).message}\n${amLog}`);
            });
        });

        after(async () => {
            if (am && am.exitCode === null) {
                am.kill("SIGTERM");
                await new Promise((r) => am!.once("exit", r));
            }
            await new Promise<void>((resolve) => (capture ? capture.close(() => resolve()) : resolve()));
        });

        function ruleLabels(name: string): Record<string, string> {
            const rule = alerts.find((a) => a.alert === name)!;
            return Object.fromEntries(Object.entries(rule.labels).filter((e): e is [string, string] => e[1] !== undefined));
        }

        it("a critical twin inhibits its warning on the same object only; alerts without a twin are not inhibited", async () => {
            const node = (instance: string) => ({ instance, namespace: "monitoring" });
            const post = [
                { labels: { alertname: "NodeMemoryCritical", ...ruleLabels("NodeMemoryCritical"), ...node("10.0.1.10:9100") } },
                { labels: { alertname: "NodeMemoryHigh", ...ruleLabels("NodeMemoryHigh"), ...node("10.0.1.10:9100") } },
                { labels: { alertname: "NodeMemoryHigh", ...ruleLabels("NodeMemoryHigh"), ...node("10.0.2.20:9100") } },
                { labels: { alertname: "HealthCheckFailing", ...ruleLabels("HealthCheckFailing"), namespace: "bookbuddy" } },
                { labels: { alertname: "ApiErrorRateHigh", ...ruleLabels("ApiErrorRateHigh"), namespace: "bookbuddy" } },
                {
                    labels: {
                        alertname: "AvailabilityBudgetFastBurn",
                        ...ruleLabels("AvailabilityBudgetFastBurn"),
                        namespace: "bookbuddy",
                    },
                },
                {
                    labels: {
                        alertname: "AvailabilityBudgetSlowBurn",
                        ...ruleLabels("AvailabilityBudgetSlowBurn"),
                        namespace: "bookbuddy",
                    },
                },
            ].map((a) => ({
                ...a,
                annotations: { summary: a.labels.alertname, description: "test", runbook_url: "https://example.com" },
            }));
            const res = await fetch(`${amUrl}/api/v2/alerts`, {
                method: "POST",
                headers: { "content-type": "application/json" },
                body: JSON.stringify(post),
            });
            assert.strictEqual(res.status, 200, await res.text());

            const state = await waitFor(
                "inhibition to settle",
                async () => {
                    const list = (await (await fetch(`${amUrl}/api/v2/alerts`)).json()) as Array<{
                        labels: Record<string, string>;
                        status: { state: string };
                    }>;
                    return list.length === post.length ? list : undefined;
                },
                20_000,
            );
            const stateOf = (alertname: string, extra: Record<string, string> = {}) =>
                state.find((a) => a.labels.alertname === alertname && Object.entries(extra).every(([k, v]) => a.labels[k] === v))!
                    .status.state;
            assert.strictEqual(
                stateOf("NodeMemoryHigh", { instance: "10.0.1.10:9100" }),
                "suppressed",
                "warning twin of a critical on the same node",
            );
            assert.strictEqual(
                stateOf("NodeMemoryHigh", { instance: "10.0.2.20:9100" }),
                "active",
                "warning on another node stays",
            );
            assert.strictEqual(stateOf("NodeMemoryCritical"), "active");
            assert.strictEqual(stateOf("AvailabilityBudgetSlowBurn"), "suppressed", "slow burn is silenced by the fast burn");
            assert.strictEqual(
                stateOf("ApiErrorRateHigh"),
                "active",
                "a critical without a twin does not silence unrelated alerts",
            );
            assert.strictEqual(stateOf("HealthCheckFailing"), "active");
        });

        it("critical alerts reach PagerDuty with the routing key read from the mounted file", async () => {
            const event = await waitFor(
                "a PagerDuty event",
                async () => received.find((r) => r.path.startsWith("/pagerduty")),
                30_000,
            ).catch((err) => {
                throw new Error(`${(err as Error).message}\n${amLog}`);
            });
            assert.strictEqual(event.body.routing_key, routingKey);
            assert.strictEqual(event.body.event_action, "trigger");
            assert.strictEqual(event.body.payload.severity, "critical");
            const pagedFor = received.filter((r) => r.path.startsWith("/pagerduty")).map((r) => r.body.payload.summary as string);
            assert.ok(
                pagedFor.every((s) => /NodeMemoryCritical|HealthCheckFailing|AvailabilityBudgetFastBurn/.test(s)),
                `paged for ${pagedFor}`,
            );
        });
    });
});
