/**
 * `npm run bench [-- --runs N]`: times the credential-free preview of all three stacks against the floor of
 * bare `node` loading the same Pulumi packages, and reports medians and the ratio (CI-2, QA-1).
 *
 * Each measurement is a fresh process, as a developer or CI would run it. Shared machines are noisy: read the
 * medians and the ratio, not single runs.
 */
import { spawnSync } from "child_process";
import * as os from "os";
import * as path from "path";

const ROOT = path.resolve(__dirname, "..");
const STACKS = ["dev", "staging", "prod"];
const PACKAGES = ["@pulumi/pulumi", "@pulumi/aws", "@pulumi/kubernetes", "@pulumi/postgresql", "@pulumi/random"];

/** Exit codes that mean the command did its work (3: the preview found a mandatory policy violation). */
const DONE = new Set([0, 3]);

function timeOnce(args: string[]): number {
    const start = process.hrtime.bigint();
    const result = spawnSync(process.execPath, args, { cwd: ROOT, stdio: ["ignore", "ignore", "pipe"] });
    const ms = Number(process.hrtime.bigint() - start) / 1e6;
    if (!DONE.has(result.status ?? -1)) throw new Error(`${args.join(" ")} exited ${result.status}: ${result.stderr.toString().slice(0, 2000)}`);
    return ms;
}

function median(values: number[]): number {
    const sorted = [...values].sort((a, b) => a - b);
    const mid = Math.floor(sorted.length / 2);
    return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

function main(): void {
    const runsFlag = process.argv.indexOf("--runs");
    const runs = runsFlag > 0 ? Number(process.argv[runsFlag + 1]) : 5;
    if (!Number.isInteger(runs) || runs < 1) throw new Error("--runs needs a positive integer");

    // The same packages, required as a program would require them. Their submodules load lazily, so the
    // floor does not include the AWS, Kubernetes and PostgreSQL modules the program then touches: the ratio
    // counts that loading as preview time.
    const floorScript = `${PACKAGES.map((p) => `require(${JSON.stringify(p)})`).join(";")};`;
    const floorArgs = ["-e", floorScript];
    // Exactly what `npm run plan` runs (see package.json), without npm's own start-up.
    const planArgs = (stack: string) => ["-r", "./tools/ts-loader.cjs", "tools/plan/cli.ts", "--stack", stack, "--quiet"];

    // One warm-up of each, so the first run's disk cache misses do not count.
    timeOnce(floorArgs);
    for (const s of STACKS) timeOnce(planArgs(s));

    const floor: number[] = [];
    const plan: number[] = [];
    const perStack: Record<string, number[]> = Object.fromEntries(STACKS.map((s) => [s, []]));
    for (let i = 0; i < runs; i++) {
        // Interleave the two so load on the machine affects both alike.
        let floorTotal = 0;
        for (let k = 0; k < STACKS.length; k++) floorTotal += timeOnce(floorArgs);
        floor.push(floorTotal);
        let planTotal = 0;
        for (const s of STACKS) {
            const ms = timeOnce(planArgs(s));
            perStack[s].push(ms);
            planTotal += ms;
        }
        plan.push(planTotal);
    }

    const f = median(floor);
    const p = median(plan);
    const fmt = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
    console.log(`runs: ${runs} (median of each), node ${process.version}, ${os.cpus().length} cores`);
    console.log(`floor: bare node loading ${PACKAGES.join(", ")}, once per stack: ${fmt(f)}`);
    for (const s of STACKS) console.log(`preview ${s.padEnd(7)}: ${fmt(median(perStack[s]))}`);
    console.log(`preview of all three stacks: ${fmt(p)}`);
    console.log(`ratio preview / floor: ${(p / f).toFixed(2)}x (target: at most 2.00x)`);
}

main();
