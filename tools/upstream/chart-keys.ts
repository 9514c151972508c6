/**
 * Helm values key paths of a chart version (#14 item 2, K8S-2, MON-1, LOG-1): which keys a chart's own
 * values.yaml defines, and under which keys any content is accepted (free-form maps, lists, unset values).
 * Used by tools/upstream/refresh-chart-keys.ts to write the data and by the tests to check the program's values.
 */
import YAML from "yaml";

export interface ChartKeys {
    chart: string;
    version: string;
    source: { project: string; file: string; version: string; url: string };
    /** Every key path the chart's values.yaml defines, e.g. `alertmanager.alertmanagerSpec.replicas`. */
    keys: string[];
    /** Paths under which any key is accepted: empty maps, lists, null values, plus documented extras. */
    freeForm: string[];
    /** Dependencies whose keys are merged under their name, with their source. */
    subcharts?: { name: string; source: string }[];
    /** Keys or free-form paths added by hand, each with the chart file that reads it. */
    documented?: { path: string; freeForm?: boolean; evidence: string }[];
}

/** One path segment: plain names as-is, names with dots, slashes or spaces quoted. */
export function segment(name: string): string {
    return /^[A-Za-z0-9_-]+$/.test(name) ? name : `[${JSON.stringify(name)}]`;
}

export function join(parent: string, name: string): string {
    const s = segment(name);
    return parent ? (s.startsWith("[") ? `${parent}${s}` : `${parent}.${s}`) : s;
}

/** Key paths and free-form paths of a parsed values document. */
export function extractKeys(values: unknown): { keys: string[]; freeForm: string[] } {
    const keys: string[] = [];
    const freeForm: string[] = [];
    const walk = (value: unknown, path: string) => {
        if (value === null || value === undefined || Array.isArray(value)) {
            if (path) freeForm.push(path);
            return;
        }
        if (typeof value === "object") {
            const entries = Object.entries(value as Record<string, unknown>);
            if (entries.length === 0 && path) freeForm.push(path);
            for (const [k, v] of entries) {
                const p = join(path, k);
                keys.push(p);
                walk(v, p);
            }
        }
    };
    walk(values, "");
    return { keys: keys.sort(), freeForm: freeForm.sort() };
}

export function parseValues(text: string): unknown {
    return YAML.parse(text, { uniqueKeys: false }) ?? {};
}

/** Every map key path the program sets in a values object (lists and scalars are leaves). */
export function valuePaths(values: unknown, path = ""): string[] {
    if (!values || typeof values !== "object" || Array.isArray(values)) return [];
    return Object.entries(values as Record<string, unknown>).flatMap(([k, v]) => {
        const p = join(path, k);
        return [p, ...valuePaths(v, p)];
    });
}

/** The paths the chart does not have: neither a key of its values.yaml nor below a free-form path. */
export function unknownPaths(values: unknown, chart: ChartKeys): string[] {
    const keys = new Set([...chart.keys, ...(chart.documented ?? []).map((d) => d.path)]);
    const free = [...chart.freeForm, ...(chart.documented ?? []).filter((d) => d.freeForm).map((d) => d.path)];
    const under = (p: string) => free.some((f) => p.startsWith(`${f}.`) || p.startsWith(`${f}[`));
    return valuePaths(values).filter((p) => !under(p) && !keys.has(p));
}
