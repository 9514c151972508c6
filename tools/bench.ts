/**
 * `npm run bench [-- --runs N]`: times the credential-free preview of all three stacks against the floor of
 * bare `node` loading the same Pulumi packages, and reports medians and the ratio (CI-2, QA-2: at most 1.5x).
 *
 * `npm run bench -- --suite [--runs N]`: times the whole test suite (`npm test`'s mocha run, parallel workers
 * and every real program they start) and reports medians against QA-2's 60 s on two cores.
 *
 * Each measurement is a fresh process, as a developer or CI would run it. Shared machines are noisy: besides
 * wall time the bench reports CPU time (user + system of the command and every child it waited for, from
 * Linux's /proc accounting), which another engineer's load barely changes. Read medians, not single runs.
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { orderedSpecFiles } = require("./spec-order.cjs") as { orderedSpecFiles: () => string[] };
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { PACKAGES } = require("./sdk-floor.cjs") as { PACKAGES: string[] };
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { childrenCpuMs } = require("./spec-cpu.cjs") as { childrenCpuMs: () => number };

const ROOT = path.resolve(__dirname, "..");
const STACKS = ["dev", "staging", "prod"];
/** QA-2's targets. */
export const PREVIEW_TARGET_RATIO = 1.5;
export const SUITE_TARGET_SECONDS = 60;

/** Exit codes that mean the command did its work (3: the preview found a mandatory policy violation). */
const DONE = new Set([0, 3]);

export interface Timing {
    /** Wall time, ms. */
    wall: number;
    /** CPU time (user + system) of the command and its waited-for children, ms; NaN where /proc is absent. */
    cpu: number;
}

function timeOnce(
    file: string,
    args: string[],
    env: NodeJS.ProcessEnv = process.env,
    ok: (status: number) => boolean = (s) => DONE.has(s),
): Timing {
    const cpu0 = childrenCpuMs();
    const start = process.hrtime.bigint();
    const result = spawnSync(file, args, { cwd: ROOT, env, stdio: ["ignore", "pipe", "pipe"], maxBuffer: 256 * 1024 * 1024 });
    const wall = Number(process.hrtime.bigint() - start) / 1e6;
    if (!ok(result.status ?? -1))
        throw new Error(
            `${[path.basename(file), ...args.slice(0, 4)].join(" ")}${args.length > 4 ? " ..." : ""} exited ${result.status}:\n${result.stdout.toString().slice(-3000)}${result.stderr.toString().slice(-2000)}`,
        );
    return { wall, cpu: childrenCpuMs() - cpu0 };
}

export function median(values: number[]): number {
    const sorted = [...values].sort((a, b) => a - b);
    const mid = Math.floor(sorted.length / 2);
    return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

const seconds = (ms: number) => (Number.isNaN(ms) ? "n/a" : `${(ms / 1000).toFixed(2)} s`);
const sum = (ts: Timing[]): Timing => ts.reduce((a, t) => ({ wall: a.wall + t.wall, cpu: a.cpu + t.cpu }), { wall: 0, cpu: 0 });

function load(): string {
    const [one, five] = os.loadavg();
    return `load average ${one.toFixed(1)} / ${five.toFixed(1)} (1 / 5 min)`;
}

/** Node's compile cache, which tools/ts-loader.cjs enables for the preview: every timed command gets the same. */
const COMPILE_CACHE = path.join(ROOT, "node_modules", ".cache", "v8-compile");

function benchPreview(runs: number): void {
    // The same packages, required as a program would require them. Their submodules load lazily, so the
    // floor does not include the AWS, Kubernetes and PostgreSQL modules the program then touches: the ratio
    // counts that loading as preview time.
    const floorArgs = ["-e", `${PACKAGES.map((p) => `require(${JSON.stringify(p)})`).join(";")};`];
    // Exactly what `npm run plan` runs (see package.json), without npm's own start-up.
    const planArgs = (stack: string) => ["-r", "./tools/ts-loader.cjs", "tools/plan/cli.ts", "--stack", stack, "--quiet"];
    const node = process.execPath;
    const env = { ...process.env, NODE_COMPILE_CACHE: COMPILE_CACHE };

    // The SDK floor registers each stack's recorded resources (tools/sdk-floor.cjs); the warm-up previews write
    // the documents it reads, so the floor registers exactly what the timed previews register.
    const documents = fs.mkdtempSync(path.join(os.tmpdir(), "bookbuddy-bench-"));
    const documentOf = (stack: string) => path.join(documents, `${stack}.json`);
    const sdkFloorArgs = (stack: string) => ["tools/sdk-floor.cjs", documentOf(stack)];
    try {
        // One warm-up of each, so the first run's disk cache misses do not count.
        timeOnce(node, floorArgs, env);
        for (const s of STACKS) {
            timeOnce(node, [...planArgs(s), "--json", documentOf(s)], env);
            const steps = (JSON.parse(fs.readFileSync(documentOf(s), "utf8")) as { steps: unknown[] }).steps.length;
            const registered = Number(
                spawnSync(node, sdkFloorArgs(s), { cwd: ROOT, env, encoding: "utf8" }).stdout.trim() || NaN,
            );
            if (registered !== steps)
                throw new Error(`the SDK floor of ${s} registered ${registered} resources, the preview ${steps}`);
        }

        const floor: Timing[] = [];
        const sdkFloor: Timing[] = [];
        const plan: Timing[] = [];
        const perStack: Record<string, Timing[]> = Object.fromEntries(STACKS.map((s) => [s, []]));
        for (let i = 0; i < runs; i++) {
            // Interleave the three so load on the machine affects all alike.
            floor.push(sum(STACKS.map(() => timeOnce(node, floorArgs, env))));
            sdkFloor.push(sum(STACKS.map((s) => timeOnce(node, sdkFloorArgs(s), env))));
            plan.push(
                sum(
                    STACKS.map((s) => {
                        const t = timeOnce(node, planArgs(s), env);
                        perStack[s].push(t);
                        return t;
                    }),
                ),
            );
        }

        const medians = (ts: Timing[]): Timing => ({ wall: median(ts.map((t) => t.wall)), cpu: median(ts.map((t) => t.cpu)) });
        const f = medians(floor);
        const k = medians(sdkFloor);
        const p = medians(plan);
        const ratio = (a: Timing, b: Timing) => `${(a.wall / b.wall).toFixed(2)}x wall, ${(a.cpu / b.cpu).toFixed(2)}x CPU`;
        console.log(`runs: ${runs} (median of each), node ${process.version}, ${os.cpus().length} cores, ${load()}`);
        console.log(`every command with node's compile cache in ${path.relative(ROOT, COMPILE_CACHE)}, as the preview`);
        console.log(
            `floor: bare node loading ${PACKAGES.join(", ")}, once per stack: ${seconds(f.wall)} wall, ${seconds(f.cpu)} CPU`,
        );
        console.log(
            `SDK floor: the same and @pulumi/policy, then each stack's recorded resources registered through the SDK's mocks (tools/sdk-floor.cjs; no program, policy, diff or price): ${seconds(k.wall)} wall, ${seconds(k.cpu)} CPU`,
        );
        for (const s of STACKS) {
            const ts = perStack[s];
            console.log(
                `preview ${s.padEnd(7)}: ${seconds(median(ts.map((t) => t.wall)))} wall, ${seconds(median(ts.map((t) => t.cpu)))} CPU`,
            );
        }
        console.log(`preview of all three stacks: ${seconds(p.wall)} wall, ${seconds(p.cpu)} CPU`);
        console.log(`ratio preview / floor: ${ratio(p, f)} (target: at most ${PREVIEW_TARGET_RATIO.toFixed(2)}x)`);
        console.log(`ratio SDK floor / floor: ${ratio(k, f)} (the SDK's own share, before any code of ours)`);
        console.log(`ratio preview / SDK floor: ${ratio(p, k)} (our share: program, packs, diff, price, output)`);
    } finally {
        fs.rmSync(documents, { recursive: true, force: true });
    }
}

interface SpecCpu {
    file: string;
    wallMs: number;
    workerCpuMs: number;
    childrenCpuMs: number;
}

function benchSuite(runs: number): void {
    // `npm test` without npm: mocha with the repository's .mocharc.json (parallel workers), every spec file in
    // the order `npm test` gives them (tools/spec-order.cjs: the slowest first), and the root hooks of
    // tools/spec-cpu.cjs, which record each file's CPU.
    const mocha = path.join(ROOT, "node_modules", "mocha", "bin", "mocha.js");
    const args = [mocha, ...orderedSpecFiles(), "--reporter", "dot", "--require", "tools/spec-cpu.cjs"];
    const records = fs.mkdtempSync(path.join(os.tmpdir(), "bookbuddy-bench-"));
    const results: Timing[] = [];
    const perFile = new Map<string, SpecCpu[]>();
    try {
        for (let i = 0; i < runs; i++) {
            const record = path.join(records, `run-${i}.jsonl`);
            const t = timeOnce(process.execPath, args, { ...process.env, BOOKBUDDY_SPEC_CPU: record }, (s) => s === 0);
            results.push(t);
            const lines = fs.readFileSync(record, "utf8").trim().split("\n");
            for (const line of lines) {
                const r = JSON.parse(line) as SpecCpu;
                const file = path.relative(ROOT, r.file);
                perFile.set(file, [...(perFile.get(file) ?? []), r]);
            }
            console.log(
                `run ${i + 1}: ${seconds(t.wall)} wall, ${seconds(t.cpu)} CPU (${(t.cpu / t.wall).toFixed(2)} cores busy), ${lines.length} spec files, ${load()}`,
            );
        }
    } finally {
        fs.rmSync(records, { recursive: true, force: true });
    }
    const wall = median(results.map((t) => t.wall));
    const cpu = median(results.map((t) => t.cpu));
    const cores = os.cpus().length;
    console.log(`runs: ${runs} (median of each), node ${process.version}, ${cores} cores`);
    console.log(`test suite: ${seconds(wall)} wall, ${seconds(cpu)} CPU (user + system, workers and the programs they start)`);
    // On an idle machine the wall time cannot be below CPU time spread over the cores.
    console.log(
        `idle-machine lower bound: ${seconds(cpu / cores)} on ${cores} cores (target: at most ${SUITE_TARGET_SECONDS} s on 2 cores)`,
    );

    // Where the CPU goes: per spec file, the medians over the runs of its worker's own CPU and of the programs
    // the worker waited for while running it (a program shared by several files counts where it is reaped).
    const files = [...perFile].map(([file, rs]) => ({
        file,
        worker: median(rs.map((r) => r.workerCpuMs)),
        children: median(rs.map((r) => r.childrenCpuMs)),
    }));
    const workers = files.reduce((a, f) => a + f.worker, 0);
    const children = files.reduce((a, f) => a + f.children, 0);
    console.log(
        `CPU by spec file (medians): workers ${seconds(workers)}, programs the specs start ${seconds(children)}, elsewhere (mocha's own process, programs reaped between files) ${seconds(cpu - workers - children)}`,
    );
    console.log(
        `the programs the specs start alone need at least ${seconds(children / cores)} on ${cores} idle cores; the slowest spec files:`,
    );
    for (const f of files.sort((a, b) => b.worker + b.children - (a.worker + a.children)).slice(0, 10)) {
        console.log(
            `  ${seconds(f.worker + f.children).padStart(8)}  ${f.file} (worker ${seconds(f.worker)}, programs ${seconds(f.children)})`,
        );
    }
}

function main(): void {
    const runsFlag = process.argv.indexOf("--runs");
    const suite = process.argv.includes("--suite");
    const runs = runsFlag > 0 ? Number(process.argv[runsFlag + 1]) : suite ? 3 : 5;
    if (!Number.isInteger(runs) || runs < 1) {
        process.stderr.write("error: --runs needs a positive integer\n");
        process.exit(2);
    }
    if (suite) benchSuite(runs);
    else benchPreview(runs);
}

if (require.main === module) main();
