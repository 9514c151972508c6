/**
 * REL-1, MON-2: the automatic analysis of an API release, proven with promtool. The AnalysisTemplate is taken
 * from the rendered staging and prod stacks; each metric's PromQL (with the canary hash substituted, as Argo
 * Rollouts does) and its success condition (read back from the template's `successCondition`) are evaluated
 * by Prometheus's own engine through `promtool test rules` on synthetic series: a healthy canary passes, a
 * canary with 2% errors or a P95 of 1.5 s fails, a canary without traffic fails (closed), and bad stable pods
 * do not fail a good canary (the query reads the new pods only).
 */
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import * as YAML from "yaml";
import { CANARY_HASH_ARG, parseArgoCondition, promqlCondition, substituteArgs } from "../../components/release/analysis";
import { PlanDocument } from "../../tools/plan/types";
import { describeRun, runTool, tempDir } from "../monitoring/toolchain";
import { ofType, renderedStack } from "../support/plan";

const ANALYSIS_TYPE = "kubernetes:argoproj.io/v1alpha1:AnalysisTemplate";
const CANARY_HASH = "6f9c7b8d54";
const STABLE_HASH = "5d8b9c7f41";
const LABELS = { job: "bookbuddy-api", namespace: "bookbuddy", service: "bookbuddy-api", endpoint: "http" };
const MINUTES = 12;

interface RenderedMetric {
    name: string;
    query: string;
    successCondition: string;
}

function renderedMetrics(doc: PlanDocument): RenderedMetric[] {
    const templates = ofType(doc, ANALYSIS_TYPE);
    assert.equal(templates.length, 1, "one AnalysisTemplate");
    const spec = (templates[0].inputs as any).spec;
    assert.deepEqual(spec.args, [{ name: CANARY_HASH_ARG }]);
    return spec.metrics.map((m: any) => ({
        name: m.name,
        query: m.provider.prometheus.query,
        successCondition: m.successCondition,
    }));
}

/** Traffic of one pod: requests per minute, share of 5xx, and the latency bucket each request falls in. */
interface PodTraffic {
    hash: string;
    perMinute: number;
    errorShare: number;
    /** Share of requests per histogram bucket upper bound (finite ones), the rest above the last. */
    latency: Array<[number, number]>;
}

const BUCKETS = [0.1, 0.25, 0.5, 1, 2.5];

function counter(perMinute: number): string {
    return `0+${Number(perMinute.toPrecision(12))}x${MINUTES}`;
}

function seriesOf(pods: PodTraffic[]): Array<{ series: string; values: string }> {
    const out: Array<{ series: string; values: string }> = [];
    for (const p of pods) {
        const pod = `bookbuddy-api-${p.hash}-x7k2p`;
        const base = Object.entries({ ...LABELS, pod })
            .map(([k, v]) => `${k}="${v}"`)
            .join(", ");
        out.push({
            series: `http_requests_total{${base}, method="GET", handler="/books", status="200"}`,
            values: counter(p.perMinute * (1 - p.errorShare)),
        });
        out.push({
            series: `http_requests_total{${base}, method="GET", handler="/books", status="503"}`,
            values: counter(p.perMinute * p.errorShare),
        });
        let cumulative = 0;
        for (const le of BUCKETS) {
            cumulative += p.latency.filter(([bound]) => bound === le).reduce((sum, [, share]) => sum + share, 0);
            out.push({
                series: `http_request_duration_seconds_bucket{${base}, method="GET", handler="/books", le="${le}"}`,
                values: counter(p.perMinute * cumulative),
            });
        }
        out.push({
            series: `http_request_duration_seconds_bucket{${base}, method="GET", handler="/books", le="+Inf"}`,
            values: counter(p.perMinute),
        });
    }
    return out;
}

const FAST: Array<[number, number]> = [
    [0.1, 0.96],
    [0.25, 0.04],
];
/** 92.5% within 1 s and 7.5% between 1 and 2.5 s: the interpolated P95 is exactly 1.5 s. */
const SLOW_P95_1_5: Array<[number, number]> = [
    [0.25, 0.925],
    [2.5, 0.075],
];

/** One promtool expression test per metric: the sample is expected exactly when the condition holds. */
function unitTest(
    metrics: RenderedMetric[],
    pods: PodTraffic[],
    passes: Record<string, boolean>,
    exact: Record<string, number> = {},
) {
    const exprTests = metrics.flatMap((m) => {
        const query = substituteArgs(m.query, { [CANARY_HASH_ARG]: CANARY_HASH });
        const condition = promqlCondition(query, parseArgoCondition(m.successCondition));
        // count() only observes whether the rendered condition left its sample: 1 when it holds, nothing when not.
        const tests: unknown[] = [
            {
                expr: `count(${condition})`,
                eval_time: `${MINUTES - 1}m`,
                exp_samples: passes[m.name] ? [{ labels: "{}", value: 1 }] : [],
            },
        ];
        if (exact[m.name] !== undefined)
            tests.push({
                expr: rounded(query),
                eval_time: `${MINUTES - 1}m`,
                exp_samples: [{ labels: "{}", value: exact[m.name] }],
            });
        return tests;
    });
    return {
        rule_files: [],
        evaluation_interval: "1m",
        tests: [{ interval: "1m", input_series: seriesOf(pods), promql_expr_test: exprTests }],
    };
}

/** The query's value rounded to 1e-6, so float noise of rate() does not decide an exact comparison (promtool 2.42 has no fuzzy compare). */
function rounded(query: string): string {
    return `round(${query}, 0.000001)`;
}

function runPromtool(doc: unknown): void {
    const { dir, cleanup } = tempDir("release-analysis");
    try {
        const file = path.join(dir, "analysis-test.yml");
        fs.writeFileSync(file, YAML.stringify(doc, { lineWidth: 0 }));
        const result = runTool("promtool", ["test", "rules", file], dir);
        assert.equal(result.status, 0, describeRun("promtool test rules", result));
    } finally {
        cleanup();
    }
}

for (const stack of ["staging", "prod"] as const) {
    describe(`REL-1 release analysis of ${stack}, evaluated by promtool`, function () {
        this.timeout(300_000);
        let metrics: RenderedMetric[];
        before(async function () {
            metrics = renderedMetrics(await renderedStack(stack));
        });

        it("measures the error rate and the P95 latency on the MON-2 thresholds (1%, 1 s)", function () {
            assert.deepEqual(
                metrics.map((m) => [m.name, m.successCondition]),
                [
                    ["error-rate", "result[0] <= 0.01"],
                    ["latency-p95", "result[0] <= 1"],
                ],
            );
        });

        it("a healthy canary passes both measurements", function () {
            const pods: PodTraffic[] = [
                { hash: CANARY_HASH, perMinute: 600, errorShare: 0.002, latency: FAST },
                { hash: STABLE_HASH, perMinute: 5400, errorShare: 0.001, latency: FAST },
            ];
            runPromtool(unitTest(metrics, pods, { "error-rate": true, "latency-p95": true }, { "error-rate": 0.002 }));
        });

        it("a canary answering 2% of requests with 5xx fails the error-rate measurement", function () {
            const pods: PodTraffic[] = [
                { hash: CANARY_HASH, perMinute: 600, errorShare: 0.02, latency: FAST },
                { hash: STABLE_HASH, perMinute: 5400, errorShare: 0, latency: FAST },
            ];
            runPromtool(unitTest(metrics, pods, { "error-rate": false, "latency-p95": true }));
            // The query itself reads 0.02 for the canary, although the whole service is at 0.2%.
            const query = substituteArgs(metrics[0].query, { [CANARY_HASH_ARG]: CANARY_HASH });
            runPromtool({
                rule_files: [],
                evaluation_interval: "1m",
                tests: [
                    {
                        interval: "1m",
                        input_series: seriesOf(pods),
                        promql_expr_test: [
                            { expr: query, eval_time: `${MINUTES - 1}m`, exp_samples: [{ labels: "{}", value: 0.02 }] },
                        ].map((t) => ({ ...t, expr: rounded(t.expr) })),
                    },
                ],
            });
        });

        it("a canary with a P95 latency of 1.5 s fails the latency measurement", function () {
            const pods: PodTraffic[] = [
                { hash: CANARY_HASH, perMinute: 600, errorShare: 0, latency: SLOW_P95_1_5 },
                { hash: STABLE_HASH, perMinute: 5400, errorShare: 0, latency: FAST },
            ];
            runPromtool(withLatencyValue(metrics, pods));
        });

        it("bad stable pods do not fail a good canary: only the new ReplicaSet's pods are read", function () {
            const pods: PodTraffic[] = [
                { hash: CANARY_HASH, perMinute: 600, errorShare: 0.002, latency: FAST },
                { hash: STABLE_HASH, perMinute: 5400, errorShare: 0.05, latency: SLOW_P95_1_5 },
            ];
            runPromtool(unitTest(metrics, pods, { "error-rate": true, "latency-p95": true }));
        });

        it("a canary without traffic fails closed (no sample satisfies either condition)", function () {
            const pods: PodTraffic[] = [{ hash: STABLE_HASH, perMinute: 5400, errorShare: 0, latency: FAST }];
            runPromtool(unitTest(metrics, pods, { "error-rate": false, "latency-p95": false }));
        });
    });
}

/** The 1.5 s case: error-rate passes with 0, the latency query reads exactly 1.5 and its condition drops it. */
function withLatencyValue(metrics: RenderedMetric[], pods: PodTraffic[]) {
    const [errors, latency] = metrics;
    const sub = (q: string) => substituteArgs(q, { [CANARY_HASH_ARG]: CANARY_HASH });
    return {
        rule_files: [],
        evaluation_interval: "1m",
        tests: [
            {
                interval: "1m",
                input_series: seriesOf(pods),
                promql_expr_test: [
                    {
                        expr: `count(${promqlCondition(sub(errors.query), parseArgoCondition(errors.successCondition))})`,
                        eval_time: `${MINUTES - 1}m`,
                        exp_samples: [{ labels: "{}", value: 1 }],
                    },
                    {
                        expr: rounded(sub(latency.query)),
                        eval_time: `${MINUTES - 1}m`,
                        exp_samples: [{ labels: "{}", value: 1.5 }],
                    },
                    {
                        expr: `count(${promqlCondition(sub(latency.query), parseArgoCondition(latency.successCondition))})`,
                        eval_time: `${MINUTES - 1}m`,
                        exp_samples: [],
                    },
                ],
            },
        ],
    };
}

describe("REL-1 release analysis conditions", function () {
    it("reads back only the condition form it renders", function () {
        assert.deepEqual(parseArgoCondition("result[0] <= 0.01"), { operator: "<=", threshold: 0.01 });
        assert.throws(() => parseArgoCondition("result[0] <= 0.01 || true"), /not of the form/);
        assert.throws(() => parseArgoCondition("len(result) > 0"), /not of the form/);
    });

    it("substitutes every argument and refuses a missing one", function () {
        assert.equal(substituteArgs('pod=~"api-{{args.canary-hash}}-.*"', { "canary-hash": "abc" }), 'pod=~"api-abc-.*"');
        assert.throws(() => substituteArgs("{{args.other}}", {}), /argument other/);
    });
});
