/**
 * Refreshes the values key data of one chart version (UP-1) from the chart's own values.yaml:
 *
 *   node -r ./tools/ts-loader.cjs tools/upstream/refresh-chart-keys.ts \
 *     --chart kube-prometheus-stack --version 77.6.0 \
 *     --values https://raw.githubusercontent.com/prometheus-community/helm-charts/kube-prometheus-stack-77.6.0/charts/kube-prometheus-stack/values.yaml \
 *     --project prometheus-community/helm-charts --file charts/kube-prometheus-stack/values.yaml --ref kube-prometheus-stack-77.6.0
 *
 * `--values` is a file path or an https URL. `--subchart name=<values file or URL>=<source>` adds a dependency's keys
 * under `name` (a parent chart passes `name:` values to it). Hand-documented keys survive a refresh (they are read from the
 * existing data file; `--out-dir` writes elsewhere); `--documented path=evidence` or `--free-form path=evidence` adds one. Writes
 * tests/upstream/chart-keys/<chart>.json. Exit 2 with one message on bad input.
 */
import * as fs from "fs";
import * as path from "path";
import { parseArgs } from "util";
import { ChartKeys, extractKeys, parseValues, segment } from "./chart-keys";

const DATA_DIR = path.resolve(__dirname, "..", "..", "tests", "upstream", "chart-keys");

function fail(message: string): never {
    process.stderr.write(`refresh-chart-keys: ${message}\n`);
    process.exit(2);
}

async function readValues(source: string): Promise<string> {
    if (/^https:\/\//.test(source)) {
        const response = await fetch(source);
        if (!response.ok) fail(`--values ${source}: HTTP ${response.status}`);
        return response.text();
    }
    if (!fs.existsSync(source)) fail(`--values ${source}: no such file`);
    return fs.readFileSync(source, "utf8");
}

async function main(): Promise<void> {
    let opts;
    try {
        opts = parseArgs({
            options: {
                chart: { type: "string" },
                version: { type: "string" },
                values: { type: "string" },
                project: { type: "string" },
                file: { type: "string" },
                ref: { type: "string" },
                url: { type: "string" },
                documented: { type: "string", multiple: true },
                "free-form": { type: "string", multiple: true },
                subchart: { type: "string", multiple: true },
                "out-dir": { type: "string" },
            },
            strict: true,
        }).values;
    } catch (e) {
        fail((e as Error).message);
    }
    for (const k of ["chart", "version", "values", "project", "file", "ref"] as const) if (!opts[k]) fail(`--${k} is required`);
    if (!/^[a-z0-9-]+$/.test(opts.chart!)) fail(`--chart ${opts.chart}: expected a chart name such as "fluent-bit"`);
    const text = await readValues(opts.values!);
    let parsed: unknown;
    try {
        parsed = parseValues(text);
    } catch (e) {
        fail(`--values ${opts.values}: not YAML (${(e as Error).message.split("\n")[0]})`);
    }
    const dir = opts["out-dir"] ?? DATA_DIR;
    const out = path.join(dir, `${opts.chart}.json`);
    const previous: ChartKeys | undefined = fs.existsSync(out) ? JSON.parse(fs.readFileSync(out, "utf8")) : undefined;
    const documented = [...(previous?.documented ?? [])];
    const add = (list: string[] | undefined, freeForm: boolean) => {
        for (const entry of list ?? []) {
            const [p, evidence] = entry.split("=", 2);
            if (!p || !evidence) fail(`--${freeForm ? "free-form" : "documented"} ${entry}: expected path=evidence`);
            documented.push({ path: p, ...(freeForm ? { freeForm: true } : {}), evidence });
        }
    };
    add(opts.documented, false);
    add(opts["free-form"], true);
    const { keys, freeForm } = extractKeys(parsed);
    const subcharts: { name: string; source: string }[] = [];
    for (const entry of opts.subchart ?? []) {
        const [name, file, source] = entry.split("=", 3);
        if (!name || !file || !source) fail(`--subchart ${entry}: expected name=<values file or URL>=<source>`);
        const sub = extractKeys(parseValues(await readValues(file)));
        const under = (k: string) => (k.startsWith("[") ? `${segment(name)}${k}` : `${segment(name)}.${k}`);
        keys.push(...sub.keys.map(under).filter((k) => !keys.includes(k)));
        freeForm.push(...sub.freeForm.map(under).filter((k) => !freeForm.includes(k)));
        subcharts.push({ name, source });
    }
    keys.sort();
    freeForm.sort();
    const data: ChartKeys = {
        chart: opts.chart!,
        version: opts.version!,
        source: {
            project: opts.project!,
            file: opts.file!,
            version: opts.ref!,
            url:
                opts.url ??
                (/^https:/.test(opts.values!)
                    ? opts.values!
                    : `https://github.com/${opts.project}/blob/${opts.ref}/${opts.file}`),
        },
        keys,
        freeForm,
        ...(subcharts.length ? { subcharts } : {}),
        ...(documented.length ? { documented } : {}),
    };
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(out, JSON.stringify(data, null, 1) + "\n");
    process.stdout.write(`${out}: ${keys.length} keys, ${freeForm.length} free-form paths (${opts.chart} ${opts.version})\n`);
}

void main();
