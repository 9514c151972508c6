/**
 * The automatic analysis of an API release (REL-1, MON-2): two Prometheus measurements of the NEW pods only,
 * judged against the same thresholds as the alert rules (`monitoring.thresholds.errorRatePercent` and
 * `latencyP95Seconds`). A failed measurement aborts the Rollout, which sends all traffic back to the stable
 * pods without a person.
 *
 * Pure TypeScript, no Pulumi resources: the rollout component puts `analysisTemplateSpec()` into an Argo
 * Rollouts AnalysisTemplate, and the tests evaluate exactly these queries and conditions with promtool.
 *
 * Each success condition is kept as a structured comparison and rendered twice from that one value: as the
 * expression Argo Rollouts evaluates on the query result (`result[0] <= 0.01`), and as the PromQL filter the
 * promtool unit tests evaluate (`(<query>) <= 0.01`). Both keep a sample only when the comparison holds, and
 * both fail on an empty result or NaN (no traffic is no proof of health: the analysis fails closed).
 */

/** Argument of the template that names the pods under test (Argo fills it from the new ReplicaSet's hash). */
export const CANARY_HASH_ARG = "canary-hash";

/** A comparison of the first query result with a threshold, as Argo Rollouts' success condition (REL-1). */
export interface Condition {
    operator: "<=" | "<";
    threshold: number;
}

/** One measurement of the analysis (REL-1). */
export interface AnalysisMetric {
    /** Metric name in the AnalysisTemplate, e.g. `error-rate`. */
    name: string;
    /** PromQL with the `{{args.canary-hash}}` placeholder Argo substitutes. */
    query: string;
    condition: Condition;
}

/** Where the analysis reads and what it measures (REL-1, MON-2). */
export interface AnalysisOptions {
    /** Share of 5xx answers that fails the release, percent (the alert rules' `errorRatePercent`). */
    errorRatePercent: number;
    /** P95 latency that fails the release, seconds (the alert rules' `latencyP95Seconds`). */
    latencyP95Seconds: number;
    /** Prometheus `job` label of the API's ServiceMonitor; e.g. `bookbuddy-api` (MON-2). */
    apiJob: string;
    /** Namespace of the API pods; e.g. `bookbuddy`. */
    namespace: string;
    /** Name of the Rollout; its pods are named `<rollout>-<hash>-<suffix>`. */
    rolloutName: string;
    /** Rate window of the queries, a Prometheus duration such as `2m`. */
    window: string;
    /** Time between measurements, e.g. `1m`. */
    interval: string;
    /** Wait before the first measurement, so the window holds samples of the new pods, e.g. `1m`. */
    initialDelay: string;
    /** Failed measurements tolerated before the release aborts; 0 aborts on the first. */
    failureLimit: number;
    /** Prometheus base URL reachable from the Argo Rollouts controller. */
    prometheusAddress: string;
    /** Measurements before the analysis succeeds; omitted, it measures until the rollout completes (canary background analysis). */
    count?: number;
}

const DURATION = /^([0-9]+(ms|s|m|h|d|w|y))+$/;

/** Formats a number for PromQL and expr without floating-point noise (0.07200000000000001 becomes 0.072). */
export function num(value: number): string {
    return String(Number(value.toPrecision(12)));
}

/** The condition as Argo Rollouts evaluates it on the Prometheus provider's result vector. */
export function argoCondition(c: Condition): string {
    return `result[0] ${c.operator} ${num(c.threshold)}`;
}

/** Parses a condition rendered by `argoCondition` (the tests read it back from the rendered template). */
export function parseArgoCondition(text: string): Condition {
    const m = /^result\[0\] (<=|<) ([0-9]+(?:\.[0-9]+)?(?:e-?[0-9]+)?)$/.exec(text);
    if (!m) throw new Error(`success condition ${JSON.stringify(text)} is not of the form "result[0] <= <number>"`);
    return { operator: m[1] as Condition["operator"], threshold: Number(m[2]) };
}

/** The condition as a PromQL filter: a sample is left exactly when the condition holds. */
export function promqlCondition(query: string, c: Condition): string {
    return `(${query}) ${c.operator} ${num(c.threshold)}`;
}

/** Substitutes the template's arguments the way Argo Rollouts does (`{{args.name}}`). */
export function substituteArgs(query: string, args: Record<string, string>): string {
    return query.replace(/\{\{\s*args\.([A-Za-z0-9_-]+)\s*\}\}/g, (_, name: string) => {
        if (!(name in args)) throw new Error(`query refers to argument ${name}, which was not given`);
        return args[name];
    });
}

function check(o: AnalysisOptions): void {
    const fail = (what: string) => {
        throw new Error(`release analysis: ${what} (REL-1)`);
    };
    if (!(o.errorRatePercent > 0 && o.errorRatePercent < 100))
        fail(`errorRatePercent must be above 0 and below 100, got ${o.errorRatePercent}`);
    if (!(o.latencyP95Seconds > 0 && Number.isFinite(o.latencyP95Seconds)))
        fail(`latencyP95Seconds must be above 0, got ${o.latencyP95Seconds}`);
    for (const key of ["window", "interval", "initialDelay"] as const) {
        if (!DURATION.test(o[key])) fail(`${key} must be a duration such as "2m", got ${JSON.stringify(o[key])}`);
    }
    if (o.count !== undefined && !(Number.isInteger(o.count) && o.count >= 1))
        fail(`count must be a positive integer, got ${o.count}`);
    if (!Number.isInteger(o.failureLimit) || o.failureLimit < 0)
        fail(`failureLimit must be an integer of 0 or more, got ${o.failureLimit}`);
    if (!/^https?:\/\/[a-z0-9.-]+(:\d+)?$/.test(o.prometheusAddress))
        fail(`prometheusAddress must be a URL without path, got ${JSON.stringify(o.prometheusAddress)}`);
    for (const key of ["apiJob", "namespace", "rolloutName"] as const) {
        if (!/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(o[key]))
            fail(`${key} must be a Kubernetes name, got ${JSON.stringify(o[key])}`);
    }
}

/** The two measurements: 5xx share and P95 latency of the pods of the new ReplicaSet (REL-1, MON-2). */
export function analysisMetrics(o: AnalysisOptions): AnalysisMetric[] {
    check(o);
    const sel = `job="${o.apiJob}", namespace="${o.namespace}", pod=~"${o.rolloutName}-{{args.${CANARY_HASH_ARG}}}-.*"`;
    return [
        {
            name: "error-rate",
            query: `sum(rate(http_requests_total{${sel}, status=~"5.."}[${o.window}]))\n/\nsum(rate(http_requests_total{${sel}}[${o.window}]))`,
            condition: { operator: "<=", threshold: o.errorRatePercent / 100 },
        },
        {
            name: "latency-p95",
            query: `histogram_quantile(0.95, sum by (le) (rate(http_request_duration_seconds_bucket{${sel}}[${o.window}])))`,
            condition: { operator: "<=", threshold: o.latencyP95Seconds },
        },
    ];
}

/** The `spec` of the AnalysisTemplate (argoproj.io/v1alpha1) carrying `analysisMetrics` (REL-1). */
export function analysisTemplateSpec(o: AnalysisOptions): Record<string, unknown> {
    return {
        args: [{ name: CANARY_HASH_ARG }],
        metrics: analysisMetrics(o).map((m) => ({
            name: m.name,
            interval: o.interval,
            initialDelay: o.initialDelay,
            ...(o.count !== undefined ? { count: o.count } : {}),
            failureLimit: o.failureLimit,
            // An empty or unreadable result counts as an error; a few in a row fail the analysis too.
            consecutiveErrorLimit: 3,
            successCondition: argoCondition(m.condition),
            provider: { prometheus: { address: o.prometheusAddress, query: m.query, timeout: 30 } },
        })),
    };
}
