// Performance gate of a release (REL-2, MON-2): a short open-model load test at a fixed request rate that
// passes only when the P95 latency stays under P95_MAX_SECONDS and the share of failed requests under
// ERROR_RATE_MAX_PERCENT (the MON-2 thresholds of the stack configuration).
//
// Plain Node.js (>= 22, global fetch), no dependencies: the release workflow runs this file in a Kubernetes Job
// against the staging API, and the tests run the same file against a local HTTP server on 127.0.0.1.
//
// Environment:
//   TARGET_URL              base URL, e.g. http://bookbuddy-api.bookbuddy.svc (required)
//   PATHS                   comma-separated paths, requested in turn (default /health)
//   RATE                    requests per second (default 20, at most 1000)
//   DURATION_SECONDS        how long requests are started (default 60, at most 1800)
//   TIMEOUT_SECONDS         per-request timeout; a timed-out request fails (default 5)
//   P95_MAX_SECONDS         the gate: P95 latency must stay below (required)
//   ERROR_RATE_MAX_PERCENT  the gate: failed requests must stay below, percent (required)
// A request fails on a network error, a timeout or a status outside 200-399.
// Exit status: 0 gate passed, 1 gate failed, 2 bad input. The last line of output is a JSON summary.

function fail(message) {
    console.error(`load-test: ${message}`);
    process.exit(2);
}

function number(name, fallback, min, max) {
    const raw = process.env[name];
    if (raw === undefined || raw === "") {
        if (fallback === undefined) fail(`${name} is required`);
        return fallback;
    }
    const value = Number(raw);
    if (!Number.isFinite(value) || value <= min || value > max)
        fail(`${name} must be a number above ${min} and at most ${max}, got ${JSON.stringify(raw)}`);
    return value;
}

/** Nearest-rank percentile of sorted values. */
export function percentile(sorted, p) {
    if (sorted.length === 0) return NaN;
    const rank = Math.ceil((p / 100) * sorted.length);
    return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1];
}

async function one(url, timeoutMs) {
    const started = performance.now();
    try {
        const res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs), redirect: "manual" });
        await res.arrayBuffer();
        return { seconds: (performance.now() - started) / 1000, ok: res.status >= 200 && res.status < 400 };
    } catch {
        return { seconds: Math.max(timeoutMs / 1000, (performance.now() - started) / 1000), ok: false };
    }
}

async function main() {
    const target = process.env.TARGET_URL ?? "";
    if (!/^https?:\/\/[^\s/]+$/.test(target.replace(/\/$/, "")))
        fail(`TARGET_URL must be an http(s) base URL without path, got ${JSON.stringify(target)}`);
    const paths = (process.env.PATHS || "/health").split(",").map((p) => p.trim());
    if (paths.some((p) => !/^\/[A-Za-z0-9._~\/-]*$/.test(p)))
        fail(`PATHS must be a comma-separated list of absolute paths, got ${JSON.stringify(process.env.PATHS)}`);
    const rate = number("RATE", 20, 0, 1000);
    const duration = number("DURATION_SECONDS", 60, 0, 1800);
    const timeoutMs = number("TIMEOUT_SECONDS", 5, 0, 60) * 1000;
    const p95Max = number("P95_MAX_SECONDS", undefined, 0, 60);
    const errorMax = number("ERROR_RATE_MAX_PERCENT", undefined, 0, 100);

    const base = target.replace(/\/$/, "");
    // One untimed request first: it loads the HTTP client and opens a connection, which is not the API's latency.
    await one(`${base}${paths[0]}`, timeoutMs);
    const total = Math.round(rate * duration);
    const gapMs = 1000 / rate;
    const start = performance.now();
    const pending = [];
    // Open model: request i starts at i * gap whatever the earlier ones do, so a slow server cannot slow the test down.
    for (let i = 0; i < total; i++) {
        const due = start + i * gapMs;
        const wait = due - performance.now();
        if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
        pending.push(one(`${base}${paths[i % paths.length]}`, timeoutMs));
    }
    const results = await Promise.all(pending);
    const latencies = results.map((r) => r.seconds).sort((a, b) => a - b);
    const failed = results.filter((r) => !r.ok).length;
    const errorRatePercent = (100 * failed) / results.length;
    const p95 = percentile(latencies, 95);
    const passed = results.length > 0 && p95 < p95Max && errorRatePercent < errorMax;
    const summary = {
        requests: results.length,
        failed,
        errorRatePercent: Number(errorRatePercent.toFixed(3)),
        p50Seconds: Number(percentile(latencies, 50).toFixed(4)),
        p95Seconds: Number(p95.toFixed(4)),
        maxSeconds: Number(latencies[latencies.length - 1].toFixed(4)),
        thresholds: { p95MaxSeconds: p95Max, errorRateMaxPercent: errorMax },
        passed,
    };
    console.log(JSON.stringify(summary));
    process.exit(passed ? 0 : 1);
}

if (import.meta.url === `file://${process.argv[1]}`) {
    main().catch((err) => fail(err instanceof Error ? err.message : String(err)));
}
