/**
 * #14 item 2 (K8S-2, MON-1, LOG-1): every Helm release's values are keys its pinned chart really has. The key
 * paths of each chart version are data (tests/upstream/chart-keys/<chart>.json, extracted from the chart's own
 * values.yaml by tools/upstream/refresh-chart-keys.ts, with source and version); a key the program sets that the
 * chart lacks is silently ignored by Helm, so it fails here, unless it lies under a free-form path. A release
 * pinned to another version than its data fails until the data is refreshed.
 */
import { strict as assert } from "assert";
import { ChartKeys, extractKeys, parseValues, unknownPaths } from "../../tools/upstream/chart-keys";
import { PlanDocument } from "../../tools/plan/types";
import { nameOf, ofType, renderedStack, STACKS } from "../support/plan";
import { listData, readData } from "./support";

const CHARTS = new Map(
    listData("chart-keys", /\.json$/).map((f) => {
        const data = readData<ChartKeys>("chart-keys", f);
        return [data.chart, data] as const;
    }),
);

/** Problems of the Helm releases of one rendered stack against the chart key data. */
export function releaseProblems(doc: PlanDocument): string[] {
    const problems: string[] = [];
    for (const release of ofType(doc, "kubernetes:helm.sh/v3:Release")) {
        const chart = String(release.inputs.chart);
        const data = CHARTS.get(chart);
        if (!data) {
            problems.push(
                `${nameOf(release)}: no key data for chart ${chart}; run tools/upstream/refresh-chart-keys.ts on its values.yaml`,
            );
            continue;
        }
        if (data.version !== release.inputs.version) {
            problems.push(
                `${nameOf(release)}: pins ${chart} ${String(release.inputs.version)}, the key data is for ${data.version}; refresh tests/upstream/chart-keys/${chart}.json from that version's values.yaml`,
            );
            continue;
        }
        for (const p of unknownPaths(release.inputs.values ?? {}, data))
            problems.push(`${nameOf(release)}: ${chart} ${data.version} has no values key ${p}`);
    }
    return problems;
}

describe("UP-1: Helm values checked against the pinned charts' own keys", function () {
    this.timeout(300_000);

    it("every data file records its source and version", () => {
        assert.ok(CHARTS.size >= 10, `${CHARTS.size} charts`);
        for (const d of CHARTS.values()) {
            for (const k of ["project", "file", "version", "url"] as const) assert.ok(d.source?.[k], `${d.chart}: source.${k}`);
            assert.ok(
                d.source.version.includes(d.version) || d.chart === "aws-load-balancer-controller",
                `${d.chart}: source ref ${d.source.version} is not the chart version ${d.version}`,
            );
            assert.ok(d.keys.length > 10, `${d.chart}: ${d.keys.length} keys`);
        }
    });

    it("the check can fail: an unknown key, a key under a scalar, and a version bump without data", () => {
        const chart: ChartKeys = {
            chart: "x",
            version: "1.0.0",
            source: { project: "p", file: "f", version: "x-1.0.0", url: "u" },
            ...extractKeys(parseValues("a:\n  b: 1\n  free: {}\nlist: []\nname: ''\n")),
        };
        assert.deepEqual(
            unknownPaths({ a: { b: 2, c: 3, free: { any: { thing: 1 } } }, list: [{ z: 1 }], name: { sub: 1 } }, chart),
            ["a.c", "name.sub"],
        );
        const doc = {
            steps: [
                {
                    newState: {
                        type: "kubernetes:helm.sh/v3:Release",
                        urn: "urn:pulumi:s::p::kubernetes:helm.sh/v3:Release::r",
                        custom: true,
                        inputs: { chart: "fluent-bit", version: "0.99.0", values: {} },
                    },
                },
            ],
        } as unknown as PlanDocument;
        assert.match(releaseProblems(doc).join("\n"), /pins fluent-bit 0\.99\.0, the key data is for 0\.52\.0/);
    });

    for (const stack of STACKS) {
        it(`${stack}: every values key of every release exists in its chart version`, async () => {
            assert.deepEqual(releaseProblems(await renderedStack(stack)), []);
        });
    }
});

describe("UP-1: tools/upstream/refresh-chart-keys.ts", function () {
    this.timeout(60_000);
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { spawnSync } = require("child_process") as typeof import("child_process");
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const fs = require("fs") as typeof import("fs");
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const os = require("os") as typeof import("os");
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const path = require("path") as typeof import("path");
    const run = (args: string[]) =>
        spawnSync(process.execPath, ["-r", "./tools/ts-loader.cjs", "tools/upstream/refresh-chart-keys.ts", ...args], {
            encoding: "utf8",
        });

    it("writes the keys, free-form paths, source and documented extras of a values.yaml", () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "chart-keys-"));
        fs.writeFileSync(
            path.join(dir, "values.yaml"),
            "image:\n  tag: ''\nextraArgs:\n  v: 4\nresources: {}\ntolerations: []\n",
        );
        const r = run([
            "--chart",
            "demo",
            "--version",
            "1.2.3",
            "--values",
            path.join(dir, "values.yaml"),
            "--project",
            "o/r",
            "--file",
            "charts/demo/values.yaml",
            "--ref",
            "demo-1.2.3",
            "--free-form",
            "extraArgs=templates/deployment.yaml",
            "--out-dir",
            dir,
        ]);
        assert.equal(r.status, 0, r.stderr);
        const data = JSON.parse(fs.readFileSync(path.join(dir, "demo.json"), "utf8")) as ChartKeys;
        assert.deepEqual(data.keys, ["extraArgs", "extraArgs.v", "image", "image.tag", "resources", "tolerations"]);
        assert.deepEqual(data.freeForm, ["resources", "tolerations"]);
        assert.deepEqual(data.documented, [{ path: "extraArgs", freeForm: true, evidence: "templates/deployment.yaml" }]);
        assert.equal(data.source.url, "https://github.com/o/r/blob/demo-1.2.3/charts/demo/values.yaml");
        assert.deepEqual(
            unknownPaths({ extraArgs: { "balance-similar-node-groups": true }, image: { tag: "x", digest: "y" } }, data),
            ["image.digest"],
        );
    });

    it("bad input: one clear message and exit 2", () => {
        const r = run([
            "--chart",
            "demo",
            "--version",
            "1.0.0",
            "--values",
            "/nonexistent/values.yaml",
            "--project",
            "o/r",
            "--file",
            "f",
            "--ref",
            "t",
        ]);
        assert.equal(r.status, 2);
        assert.match(r.stderr, /^refresh-chart-keys: --values \/nonexistent\/values.yaml: no such file\n$/);
        assert.equal(run(["--chart", "demo"]).status, 2);
    });
});
