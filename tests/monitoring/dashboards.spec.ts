import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import * as YAML from "yaml";
import { dashboards, GrafanaDashboard } from "../../components/monitoring/dashboards";
import { describeRun, runTool, tempDir } from "./toolchain";

/** Grafana's built-in interval variables, replaced by durations as Grafana would at query time. */
const BUILTINS: Record<string, string> = { __rate_interval: "5m", __interval: "1m", __range: "1d" };

/** An expression as Grafana sends it to Prometheus: variables replaced by their current values. */
function interpolate(expr: string, d: GrafanaDashboard): string {
    const values: Record<string, string> = { ...BUILTINS };
    for (const v of d.templating.list) {
        if (v.type === "query" && "value" in v.current) values[v.name] = v.current.value;
    }
    return expr.replace(/\$\{(\w+)\}|\$(\w+)/g, (whole, braced: string | undefined, bare: string | undefined) => {
        const name = braced ?? bare!;
        if (!(name in values)) throw new Error(`dashboard ${d.uid} uses undefined variable ${whole} in: ${expr}`);
        return values[name];
    });
}

/** Every PromQL expression of a dashboard: panel targets and the selectors of label_values() variables. */
function expressions(d: GrafanaDashboard): Array<{ where: string; expr: string }> {
    const out: Array<{ where: string; expr: string }> = [];
    for (const p of d.panels)
        for (const t of p.targets) out.push({ where: `${d.uid} panel ${p.id} ${t.refId}`, expr: interpolate(t.expr, d) });
    for (const v of d.templating.list) {
        if (v.type !== "query" || typeof v.query === "string") continue;
        const m = /^label_values\((.+), (\w+)\)$/.exec(v.query.query);
        assert.ok(m, `${d.uid} variable ${v.name}: unexpected query ${v.query.query}`);
        out.push({ where: `${d.uid} variable ${v.name}`, expr: m[1] });
    }
    return out;
}

/** The expressions as recording rules, so promtool parses every one of them. */
function asRuleFile(items: Array<{ where: string; expr: string }>): string {
    return YAML.stringify({
        groups: [
            {
                name: "dashboards",
                rules: items.map((item, i) => ({
                    record: `dashboard:expr_${i}:check`,
                    expr: item.expr,
                    labels: { where: item.where },
                })),
            },
        ],
    });
}

describe("MON-1 Grafana dashboards as code (components/monitoring/dashboards.ts)", function () {
    this.timeout(60_000);
    const files = dashboards();
    let work: { dir: string; cleanup: () => void };

    before(() => (work = tempDir("bookbuddy-dashboards")));
    after(() => work.cleanup());

    it("MON-1: ships the API, PostgreSQL, Redis and cluster dashboards with unique uids and file names", () => {
        assert.deepStrictEqual(
            files.map((f) => f.name),
            ["bookbuddy-api.json", "bookbuddy-postgres.json", "bookbuddy-redis.json", "bookbuddy-cluster.json"],
        );
        assert.strictEqual(new Set(files.map((f) => f.json.uid)).size, files.length);
        assert.strictEqual(new Set(files.map((f) => f.json.title)).size, files.length);
        for (const f of files) {
            assert.ok(f.json.uid.length <= 40, `${f.json.uid}: Grafana uids are at most 40 characters`);
            assert.deepStrictEqual(JSON.parse(JSON.stringify(f.json)), f.json, `${f.name} is plain JSON`);
        }
    });

    it("MON-1: every dashboard is a complete model: datasource variable, panels with PromQL targets on it, a non-overlapping grid", () => {
        for (const { json: d } of files) {
            const ds = d.templating.list.find((v) => v.name === "datasource");
            assert.ok(ds && ds.type === "datasource" && ds.query === "prometheus", `${d.uid}: datasource variable`);
            assert.ok(d.panels.length >= 8, `${d.uid}: at least 8 panels`);
            assert.strictEqual(new Set(d.panels.map((p) => p.id)).size, d.panels.length, `${d.uid}: unique panel ids`);
            const cells = new Set<string>();
            for (const p of d.panels) {
                assert.ok(p.title && p.description, `${d.uid} panel ${p.id}: title and description`);
                assert.deepStrictEqual(p.datasource, { type: "prometheus", uid: "${datasource}" });
                assert.ok(p.targets.length > 0, `${d.uid} panel ${p.id}: targets`);
                for (const t of p.targets) assert.deepStrictEqual(t.datasource, p.datasource);
                assert.ok(typeof p.fieldConfig.defaults.unit === "string", `${d.uid} panel ${p.id}: unit`);
                const { x, y, w, h } = p.gridPos;
                assert.ok(x >= 0 && w > 0 && x + w <= 24, `${d.uid} panel ${p.id}: within 24 columns`);
                for (let cx = x; cx < x + w; cx++) {
                    for (let cy = y; cy < y + h; cy++) {
                        const key = `${cx},${cy}`;
                        assert.ok(!cells.has(key), `${d.uid} panel ${p.id} overlaps another panel at ${key}`);
                        cells.add(key);
                    }
                }
            }
        }
    });

    it("MON-1: every PromQL expression of every dashboard passes promtool check rules", () => {
        const all = files.flatMap((f) => expressions(f.json));
        assert.ok(all.length >= 50, `expected many expressions, found ${all.length}`);
        fs.writeFileSync(path.join(work.dir, "dashboards.yml"), asRuleFile(all));
        const result = runTool("promtool", ["check", "rules", "dashboards.yml"], work.dir);
        assert.strictEqual(result.status, 0, describeRun("promtool check rules dashboards.yml", result));
        assert.match(result.stdout, new RegExp(`SUCCESS: ${all.length} rules found`));
    });

    it("MON-1: the same check rejects a broken expression (the check can fail)", () => {
        const broken = [{ where: "broken", expr: 'sum by (le) (rate(http_requests_total{job="x"}[$__rate_interval])' }];
        fs.writeFileSync(
            path.join(work.dir, "broken.yml"),
            asRuleFile(broken.map((b) => ({ ...b, expr: b.expr.replace("$__rate_interval", "5m") }))),
        );
        const result = runTool("promtool", ["check", "rules", "broken.yml"], work.dir);
        assert.notStrictEqual(result.status, 0, describeRun("promtool check rules broken.yml", result));
    });

    it("MON-1 MON-2: panels draw the alert thresholds from config", () => {
        const custom = dashboards({ thresholds: { errorRatePercent: 2.5, cpuPercent: 70 } });
        const api = custom.find((f) => f.json.uid === "bookbuddy-api")!.json;
        const errorPanel = api.panels.find((p) => p.title === "Error rate")!;
        const steps = (errorPanel.fieldConfig.defaults.thresholds as { steps: Array<{ value: number | null }> }).steps;
        assert.strictEqual(steps[steps.length - 1].value, 0.025);
        const cluster = custom.find((f) => f.json.uid === "bookbuddy-cluster")!.json;
        assert.match(cluster.panels.find((p) => p.title === "Node CPU")!.description, /above 70%/);
    });

    it("MON-1: the API dashboard follows the configured job and namespace", () => {
        const api = dashboards({ apiJob: "books-api", namespace: "books" }).find((f) => f.json.uid === "bookbuddy-api")!.json;
        const ns = api.templating.list.find((v) => v.name === "namespace")!;
        assert.deepStrictEqual(ns.current, { text: "books", value: "books" });
        assert.ok(api.panels.flatMap((p) => p.targets).some((t) => t.expr.includes('job="books-api"')));
    });
});
