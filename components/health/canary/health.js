/**
 * CloudWatch Synthetics canary of one Bookbuddy health endpoint (HC-1).
 *
 * The runtime provides the `Synthetics` module; the URL comes from the canary's environment (HEALTH_URL).
 * A run succeeds only on HTTP 200 within the timeout; any other status, a redirect, a network error or a
 * timeout fails the step, which makes the run count against SuccessPercent.
 */
const https = require("https");
const http = require("http");

const TIMEOUT_MS = Number(process.env.HEALTH_TIMEOUT_MS || 10000);

/** GETs the URL once; resolves with the status code and body, rejects on network errors and timeouts. */
function get(url) {
    const client = new URL(url).protocol === "http:" ? http : https;
    return new Promise((resolve, reject) => {
        const req = client.get(
            url,
            { headers: { "User-Agent": "bookbuddy-health-canary", Accept: "application/json" }, timeout: TIMEOUT_MS },
            (res) => {
                let body = "";
                res.setEncoding("utf8");
                res.on("data", (chunk) => {
                    if (body.length < 4096) body += chunk;
                });
                res.on("end", () => resolve({ status: res.statusCode, body }));
            },
        );
        req.on("timeout", () => req.destroy(new Error(`no answer from ${url} within ${TIMEOUT_MS} ms`)));
        req.on("error", reject);
    });
}

/** Checks one URL: HTTP 200 or an error naming the status. */
async function check(url) {
    const { status, body } = await get(url);
    if (status !== 200) {
        throw new Error(`${url} answered ${status}: ${body.slice(0, 200)}`);
    }
    return status;
}

exports.check = check;

exports.handler = async () => {
    const url = process.env.HEALTH_URL;
    if (!url) throw new Error("HEALTH_URL is not set");
    const synthetics = require("Synthetics");
    return synthetics.executeStep(`GET ${new URL(url).pathname}`, async () => check(url));
};
