/**
 * REL-2, MON-2: the performance gate's load test (jobs/release/load-test.mjs), run offline as the cluster runs
 * it (the same file, plain Node) against a local HTTP server on 127.0.0.1: a healthy server passes; 2% errors
 * fail; a P95 of 1.5 s fails; bad input ends with exit status 2. Bounded: about 100 requests per case.
 */
import { strict as assert } from "node:assert";
import { spawn } from "node:child_process";
import * as http from "node:http";
import { AddressInfo } from "node:net";
import { LOAD_TEST_SCRIPT } from "../../tools/release/manifests";

type Behaviour = (n: number) => { status: number; delayMs: number };

async function withServer<T>(behaviour: Behaviour, body: (url: string) => Promise<T>): Promise<T> {
    let n = 0;
    const server = http.createServer((req, res) => {
        const { status, delayMs } = behaviour(n++);
        setTimeout(() => {
            res.writeHead(status, { "content-type": "application/json" });
            res.end(JSON.stringify({ path: req.url }));
        }, delayMs);
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    try {
        return await body(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
    } finally {
        server.closeAllConnections();
        await new Promise((resolve) => server.close(resolve));
    }
}

interface Run {
    status: number | null;
    summary?: { requests: number; failed: number; errorRatePercent: number; p95Seconds: number; passed: boolean };
    stderr: string;
}

function runLoadTest(env: Record<string, string>): Promise<Run> {
    return new Promise((resolve, reject) => {
        const child = spawn(process.execPath, [LOAD_TEST_SCRIPT], {
            env: { PATH: process.env.PATH ?? "", ...env },
            stdio: ["ignore", "pipe", "pipe"],
        });
        let stdout = "";
        let stderr = "";
        child.stdout.on("data", (d) => (stdout += d));
        child.stderr.on("data", (d) => (stderr += d));
        const timer = setTimeout(() => child.kill("SIGKILL"), 30_000);
        child.on("error", reject);
        child.on("close", (status) => {
            clearTimeout(timer);
            const last = stdout.trim().split("\n").pop();
            resolve({ status, stderr, summary: last ? JSON.parse(last) : undefined });
        });
    });
}

/** The MON-2 defaults of every stack: P95 below 1 s, errors below 1 %. */
const GATE = {
    // 100 requests, started over half a second: the gate judges the same 100 latencies as at 50 per second over 2 s.
    RATE: "200",
    DURATION_SECONDS: "0.5",
    P95_MAX_SECONDS: "1",
    ERROR_RATE_MAX_PERCENT: "1",
    PATHS: "/health,/health/db,/health/cache",
};

describe("REL-2 performance gate: the load test script against a local server", function () {
    this.timeout(60_000);

    it("a healthy API passes the gate", async function () {
        const run = await withServer(
            () => ({ status: 200, delayMs: 5 }),
            (url) => runLoadTest({ ...GATE, TARGET_URL: url }),
        );
        assert.equal(run.status, 0, run.stderr);
        assert.equal(run.summary!.requests, 100);
        assert.equal(run.summary!.failed, 0);
        assert.ok(run.summary!.p95Seconds < 1);
        assert.equal(run.summary!.passed, true);
    });

    it("2% server errors fail the gate", async function () {
        const run = await withServer(
            (n) => ({ status: n % 50 === 7 ? 500 : 200, delayMs: 5 }),
            (url) => runLoadTest({ ...GATE, TARGET_URL: url }),
        );
        assert.equal(run.status, 1, run.stderr);
        assert.equal(run.summary!.failed, 2);
        assert.equal(run.summary!.errorRatePercent, 2);
        assert.equal(run.summary!.passed, false);
    });

    it("a P95 latency of 1.5 s fails the gate", async function () {
        // Every tenth request takes 1.5 s: the 95th of 100 sorted latencies is a slow one.
        const run = await withServer(
            (n) => ({ status: 200, delayMs: n % 10 === 3 ? 1500 : 5 }),
            (url) => runLoadTest({ ...GATE, TARGET_URL: url }),
        );
        assert.equal(run.status, 1, run.stderr);
        assert.equal(run.summary!.failed, 0);
        assert.ok(run.summary!.p95Seconds >= 1.5, `p95 ${run.summary!.p95Seconds}`);
        assert.equal(run.summary!.passed, false);
    });

    it("an unreachable API fails the gate (network errors count as failures)", async function () {
        const run = await runLoadTest({
            ...GATE,
            DURATION_SECONDS: "0.2",
            TARGET_URL: "http://127.0.0.1:9",
            TIMEOUT_SECONDS: "1",
        });
        assert.equal(run.status, 1, run.stderr);
        assert.equal(run.summary!.failed, run.summary!.requests);
    });

    it("bad input ends with one message and exit status 2", async function () {
        const missing = await runLoadTest({ TARGET_URL: "http://127.0.0.1:9" });
        assert.equal(missing.status, 2);
        assert.match(missing.stderr, /^load-test: P95_MAX_SECONDS is required\n$/);
        const badUrl = await runLoadTest({ ...GATE, TARGET_URL: "ftp://x/y" });
        assert.equal(badUrl.status, 2);
        assert.match(badUrl.stderr, /TARGET_URL must be an http\(s\) base URL/);
    });
});
