/**
 * The import layering of ARCHITECTURE ("imports run down the layers only"), checked on the real import graph
 * (read with the TypeScript compiler's own pre-processor): tools/ may import infra/, components/ and policies/;
 * policies/ imports nothing from tools/ or infra/; infra/ nothing from tools/; components/ nothing from infra/ or
 * tools/; and no two project files import each other, directly or round a longer cycle.
 */
import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import * as ts from "typescript";
import { REPO_ROOT } from "../support/plan";

const ROOTS = ["infra", "components", "policies", "tools", "lambdas", "jobs"];

function sourceFiles(dir: string): string[] {
    const full = path.join(REPO_ROOT, dir);
    if (!fs.existsSync(full)) return [];
    return fs.readdirSync(full, { withFileTypes: true }).flatMap((e) => {
        const rel = path.join(dir, e.name);
        if (e.isDirectory()) return e.name === "node_modules" ? [] : sourceFiles(rel);
        return /\.ts$/.test(e.name) && !e.name.endsWith(".d.ts") ? [rel] : [];
    });
}

/** Project-relative file → the project files it imports (relative specifiers only; packages are not layers). */
export function importGraph(
    files: string[],
    read: (f: string) => string = (f) => fs.readFileSync(path.join(REPO_ROOT, f), "utf8"),
): Map<string, string[]> {
    const known = new Set(files);
    const graph = new Map<string, string[]>();
    for (const file of files) {
        const info = ts.preProcessFile(read(file), true, true);
        const targets: string[] = [];
        for (const ref of info.importedFiles) {
            if (!ref.fileName.startsWith(".")) continue;
            const base = path.normalize(path.join(path.dirname(file), ref.fileName));
            const target = [`${base}.ts`, path.join(base, "index.ts"), base].find((c) => known.has(c));
            if (target) targets.push(target);
        }
        graph.set(file, [...new Set(targets)]);
    }
    return graph;
}

/** Every import cycle, as the files of each strongly connected component with more than one file (Tarjan). */
export function cycles(graph: Map<string, string[]>): string[][] {
    let index = 0;
    const indices = new Map<string, number>();
    const low = new Map<string, number>();
    const stack: string[] = [];
    const onStack = new Set<string>();
    const found: string[][] = [];
    const visit = (v: string): void => {
        indices.set(v, index);
        low.set(v, index++);
        stack.push(v);
        onStack.add(v);
        for (const w of graph.get(v) ?? []) {
            if (!indices.has(w)) {
                visit(w);
                low.set(v, Math.min(low.get(v)!, low.get(w)!));
            } else if (onStack.has(w)) {
                low.set(v, Math.min(low.get(v)!, indices.get(w)!));
            }
        }
        if (low.get(v) === indices.get(v)) {
            const component: string[] = [];
            let w: string;
            do {
                w = stack.pop()!;
                onStack.delete(w);
                component.push(w);
            } while (w !== v);
            if (component.length > 1) found.push(component.sort());
        }
    };
    for (const v of graph.keys()) if (!indices.has(v)) visit(v);
    return found;
}

/** Imports that go against the layers: [importer, imported]. */
export function layerViolations(graph: Map<string, string[]>): string[] {
    const forbidden: Record<string, string[]> = {
        policies: ["tools", "infra"],
        infra: ["tools"],
        components: ["infra", "tools"],
        lambdas: ["infra", "tools"],
        jobs: ["infra", "tools"],
    };
    const top = (f: string) => f.split(path.sep)[0];
    const out: string[] = [];
    for (const [from, targets] of graph) {
        for (const to of targets) if ((forbidden[top(from)] ?? []).includes(top(to))) out.push(`${from} imports ${to}`);
    }
    return out;
}

describe("import layering (ARCHITECTURE: imports run down the layers only)", () => {
    const graph = importGraph(ROOTS.flatMap(sourceFiles));

    it("reads a graph of the real size", () => {
        assert.ok(graph.size > 100, `only ${graph.size} files`);
        assert.ok(graph.get(path.join("tools", "plan", "cli.ts"))!.includes(path.join("tools", "policy", "runner.ts")));
    });

    it("the checks find what they look for (a made-up cycle and a made-up upward import)", () => {
        const made = new Map([
            ["infra/a.ts", ["infra/b.ts"]],
            ["infra/b.ts", ["infra/c.ts"]],
            ["infra/c.ts", ["infra/a.ts"]],
            ["policies/lib/x.ts", ["tools/plan/types.ts"]],
            ["tools/plan/types.ts", []],
        ]);
        assert.deepEqual(cycles(made), [["infra/a.ts", "infra/b.ts", "infra/c.ts"]]);
        assert.deepEqual(layerViolations(made), ["policies/lib/x.ts imports tools/plan/types.ts"]);
    });

    it("policies/ imports nothing from tools/ or infra/; infra/ nothing from tools/; components/ nothing from infra/", () => {
        assert.deepEqual(layerViolations(graph), []);
    });

    it("no import cycles (infra/app.ts and infra/storage.ts share infra/edge.ts instead of importing each other)", () => {
        assert.deepEqual(cycles(graph), []);
    });
});
