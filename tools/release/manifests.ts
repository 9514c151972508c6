/**
 * Kubernetes objects the release workflow applies with kubectl (REL-2): the smoke test Job that checks
 * /health, /health/db and /health/cache from inside the cluster, and the performance gate's load test Job
 * (jobs/release/load-test.mjs, mounted from a ConfigMap) with the MON-2 thresholds of the stack config.
 *
 * They are per-release actions, not stack resources, so Pulumi does not declare them; the tests judge them
 * with the security pack's rules like any workload of the program (restricted pod security, resources).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { StackConfig } from "../../infra/config";

/** Health endpoints the smoke test checks (HC-1, REL-2). */
export const SMOKE_PATHS = ["/health", "/health/db", "/health/cache"] as const;
/** Pinned images of the two Jobs (REL-2). */
export const SMOKE_IMAGE = "docker.io/curlimages/curl:8.15.0";
export const LOAD_TEST_IMAGE = "public.ecr.aws/docker/library/node:22.20.0-alpine3.22";
/** The load test script, shipped in a ConfigMap (REL-2). */
export const LOAD_TEST_SCRIPT = path.resolve(__dirname, "..", "..", "jobs", "release", "load-test.mjs");
/** The API as pods in the cluster reach it (the Service `bookbuddy-api`, port 80, in `bookbuddy`) (APP-1). */
export const IN_CLUSTER_API = "http://bookbuddy-api.bookbuddy.svc";
const NAMESPACE = "bookbuddy";
const UID = 10001;

const podSecurity = { runAsNonRoot: true, runAsUser: UID, runAsGroup: UID, seccompProfile: { type: "RuntimeDefault" } };
const containerSecurity = {
    runAsNonRoot: true,
    runAsUser: UID,
    allowPrivilegeEscalation: false,
    readOnlyRootFilesystem: true,
    privileged: false,
    capabilities: { drop: ["ALL"] },
    seccompProfile: { type: "RuntimeDefault" },
};
const resources = { requests: { cpu: "100m", memory: "64Mi" }, limits: { cpu: "500m", memory: "256Mi" } };

/** A Kubernetes name for a release Job: `<kind>-<run id>` (REL-2). */
export function jobName(kind: "smoke" | "load-test", runId: string): string {
    if (!/^[0-9]{1,20}(-[0-9]{1,4})?$/.test(runId))
        throw new Error(`run id "${runId}" must be the GitHub run id (digits, optionally -attempt) (REL-2)`);
    return `release-${kind}-${runId}`;
}

function job(
    name: string,
    component: string,
    container: Record<string, unknown>,
    volumes: unknown[] = [],
    deadlineSeconds: number,
): Record<string, unknown> {
    const labels = {
        "app.kubernetes.io/part-of": "bookbuddy",
        "app.kubernetes.io/component": component,
        "app.kubernetes.io/managed-by": "release-workflow",
    };
    return {
        apiVersion: "batch/v1",
        kind: "Job",
        metadata: { name, namespace: NAMESPACE, labels },
        spec: {
            backoffLimit: 0,
            activeDeadlineSeconds: deadlineSeconds,
            ttlSecondsAfterFinished: 3600,
            template: {
                metadata: { labels },
                spec: {
                    restartPolicy: "Never",
                    automountServiceAccountToken: false,
                    securityContext: podSecurity,
                    containers: [{ ...container, resources, securityContext: containerSecurity }],
                    volumes,
                },
            },
        },
    };
}

/** The smoke test: each health endpoint must answer 2xx within 5 s (3 tries, 2 s apart) (REL-2, HC-1). */
export function smokeTestJob(runId: string): Record<string, unknown> {
    const checks = SMOKE_PATHS.map(
        (p) =>
            `curl --fail --silent --show-error --max-time 5 --retry 3 --retry-delay 2 --retry-all-errors -o /dev/null -w '${p} %{http_code} %{time_total}s\\n' "$API${p}"`,
    );
    return job(
        jobName("smoke", runId),
        "smoke-test",
        {
            name: "smoke",
            image: SMOKE_IMAGE,
            command: ["sh", "-ec", checks.join("\n")],
            env: [{ name: "API", value: IN_CLUSTER_API }],
        },
        [],
        120,
    );
}

/** The performance gate: ConfigMap with the script and the Job running it against staging (REL-2, MON-2). */
export function loadTestObjects(runId: string, cfg: Pick<StackConfig, "monitoring" | "release">): Record<string, unknown>[] {
    const name = jobName("load-test", runId);
    const t = cfg.monitoring.thresholds;
    const configMap = {
        apiVersion: "v1",
        kind: "ConfigMap",
        metadata: {
            name,
            namespace: NAMESPACE,
            labels: { "app.kubernetes.io/part-of": "bookbuddy", "app.kubernetes.io/component": "load-test" },
        },
        data: { "load-test.mjs": fs.readFileSync(LOAD_TEST_SCRIPT, "utf8") },
    };
    const env = {
        TARGET_URL: IN_CLUSTER_API,
        PATHS: "/health,/health/db,/health/cache",
        RATE: String(cfg.release.loadTestRate),
        DURATION_SECONDS: String(cfg.release.loadTestSeconds),
        P95_MAX_SECONDS: String(t.latencyP95Seconds),
        ERROR_RATE_MAX_PERCENT: String(t.errorRatePercent),
    };
    const jobObject = job(
        name,
        "load-test",
        {
            name: "load-test",
            image: LOAD_TEST_IMAGE,
            command: ["node", "/scripts/load-test.mjs"],
            env: Object.entries(env).map(([n, value]) => ({ name: n, value })),
            volumeMounts: [{ name: "script", mountPath: "/scripts", readOnly: true }],
        },
        [{ name: "script", configMap: { name } }],
        cfg.release.loadTestSeconds + 120,
    );
    return [configMap, jobObject];
}
