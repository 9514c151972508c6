/**
 * `npm run plan -- --stack <name> [--cwd <dir>] [--json <file>] [--baseline <plan.json>]`: the credential-free
 * preview (CI-2): renders the stack offline, judges it with both policy packs (POL-3), prices it and compares
 * it with a baseline.
 *
 * Exit codes: 0 success; 1 program error; 2 usage or configuration error (one clear message, no stack trace);
 * 3 a mandatory policy violation; 4 the deploy path is not proven (DEP-1, tools/plan/deploy-path.ts; 3 wins
 * when both apply).
 */
import * as fs from "fs";
import * as path from "path";
import { runPolicyPacks } from "../policy/runner";
import { estimateCost, formatCost } from "./cost";
import { checkDeployPath, DEPLOY_PATH_EXIT, formatDeployPath } from "./deploy-path";
import { diffPlans, formatDiff } from "./diff";
import { formatSummary, formatTree } from "./print";
import { useFastStackTraces } from "./stack-traces";
import { PlanUsageError, renderStack } from "./render";
import { checkBaselineStack, checkJsonTarget, checkPolicyConfig, writeJsonTarget } from "./inputs";
import { CONFIG_DIR, loadStackConfig } from "../../policies/lib/config";
import { PlanDocument, PolicyViolation } from "./types";

export const EXIT = { ok: 0, programError: 1, usage: 2, mandatoryViolation: 3, deployPathBroken: DEPLOY_PATH_EXIT } as const;

const PACKS = ["security", "maintenance"] as const;
type PackName = (typeof PACKS)[number];

export interface PlanArgs {
    stack: string;
    cwd: string;
    json?: string;
    baseline?: string;
    policyPacks: PackName[];
    policyPackConfig?: string;
    quiet: boolean;
}

const USAGE =
    "usage: npm run plan -- --stack <name> [--cwd <project dir>] [--json <file>] [--baseline <plan.json>]\n" +
    "                      [--policy-pack policies/security|policies/maintenance ...] [--policy-pack-config <file>] [--quiet]";

export function parseArgs(argv: string[], defaultCwd: string): PlanArgs {
    const args: Partial<PlanArgs> = { cwd: defaultCwd, quiet: false };
    const packs: PackName[] = [];
    for (let i = 0; i < argv.length; i++) {
        const flag = argv[i];
        const value = () => {
            const v = argv[++i];
            if (v === undefined || v.startsWith("--")) throw new PlanUsageError(`${flag} needs a value\n${USAGE}`);
            return v;
        };
        switch (flag) {
            case "--stack":
            case "-s":
                args.stack = value();
                break;
            case "--cwd":
                args.cwd = path.resolve(value());
                break;
            case "--json":
                args.json = value();
                break;
            case "--baseline":
                args.baseline = value();
                break;
            case "--policy-pack": {
                const v = value();
                const pack = path.basename(v.replace(/\/+$/, "")) as PackName;
                if (!PACKS.includes(pack)) throw new PlanUsageError(`--policy-pack ${v}: expected policies/security or policies/maintenance`);
                if (!packs.includes(pack)) packs.push(pack);
                break;
            }
            case "--policy-pack-config":
                args.policyPackConfig = value();
                break;
            case "--quiet":
                args.quiet = true;
                break;
            default:
                throw new PlanUsageError(`unknown argument ${JSON.stringify(flag)}\n${USAGE}`);
        }
    }
    if (!args.stack) throw new PlanUsageError(`--stack is required\n${USAGE}`);
    // Both packs by default, as every preview should be judged by both (POL-3).
    args.policyPacks = packs.length > 0 ? packs : [...PACKS];
    return args as PlanArgs;
}

/** Runs the preview and returns the exit code; output goes through the given writers. */
export async function runPlan(argv: string[], out: (s: string) => void, err: (s: string) => void, defaultCwd: string): Promise<number> {
    let args: PlanArgs;
    let doc: PlanDocument;
    try {
        args = parseArgs(argv, defaultCwd);
        // Every file input and output is checked before the render (one message, exit 2, no hang).
        if (args.json) checkJsonTarget(args.json);
        const policyConfig = readPolicyConfig(args.policyPackConfig, args.stack);
        const baseline = args.baseline ? readBaseline(args.baseline) : undefined;
        doc = await renderStack({ projectDir: args.cwd, stack: args.stack });
        if (baseline) checkBaselineStack(baseline, args.baseline!, doc);
        doc.policyViolations = await runPolicyPacks(
            doc.steps.map((step) => step.newState!).filter(Boolean),
            { packs: args.policyPacks, stack: args.stack, config: policyConfig },
        );
        doc.deployPath = checkDeployPath(doc);
        doc.cost = estimateCost(doc);
        if (baseline) doc.diff = diffPlans(baseline, doc, { estimate: (d) => estimateCost(d) });
    } catch (e) {
        return reportError(e, err);
    }
    if (!args.quiet) {
        out(`Previewing update (${args.stack}) offline: no cloud credentials, no secrets decrypted.\n`);
        out(formatTree(doc) + "\n");
    }
    out("\n" + formatSummary(doc) + "\n");
    out("\n" + formatViolations(doc.policyViolations ?? [], args.policyPacks) + "\n");
    const deployPath = doc.deployPath as ReturnType<typeof checkDeployPath>;
    out("\n" + formatDeployPath(deployPath) + "\n");
    out("\n" + formatCost(doc.cost!) + "\n");
    if (doc.diff) out("\n" + formatDiff(doc.diff as ReturnType<typeof diffPlans>) + "\n");
    if (args.json) {
        try {
            writeJsonTarget(args.json, JSON.stringify(doc, null, 2) + "\n");
        } catch (e) {
            return reportError(e, err);
        }
        out(`\nWrote ${args.json}\n`);
    }
    if ((doc.policyViolations ?? []).some((v) => v.enforcementLevel === "mandatory")) return EXIT.mandatoryViolation;
    return deployPath.ok ? EXIT.ok : EXIT.deployPathBroken;
}

/** Violations grouped by pack and enforcement level, mandatory first. */
export function formatViolations(violations: PolicyViolation[], packs: string[]): string {
    const lines = [`Policy packs run: ${packs.map((p) => `bookbuddy-${p}`).join(", ")}`];
    if (violations.length === 0) return lines.concat("    no policy violations").join("\n");
    const order = ["mandatory", "advisory", "remediate"];
    const groups = new Map<string, PolicyViolation[]>();
    for (const v of violations) {
        const key = `${v.policyPack}\u0000${v.enforcementLevel}`;
        if (!groups.has(key)) groups.set(key, []);
        groups.get(key)!.push(v);
    }
    const keys = [...groups.keys()].sort((a, b) => {
        const [pa, la] = a.split("\u0000");
        const [pb, lb] = b.split("\u0000");
        return order.indexOf(la) - order.indexOf(lb) || pa.localeCompare(pb);
    });
    for (const key of keys) {
        const [pack, level] = key.split("\u0000");
        const list = groups.get(key)!;
        lines.push("", `${pack} — ${level} (${list.length}):`);
        for (const v of list) {
            lines.push(`  [${level}] ${v.policy}${v.severity ? ` (${v.severity})` : ""}`, `      ${v.urn || "(stack)"}`);
            for (const l of v.message.split("\n")) lines.push(`      ${l}`);
        }
    }
    const mandatory = violations.filter((v) => v.enforcementLevel === "mandatory").length;
    lines.push("", `Policy violations: ${mandatory} mandatory, ${violations.length - mandatory} advisory`);
    return lines.join("\n");
}

function readJson(file: string, flag: string): Record<string, unknown> {
    try {
        return JSON.parse(fs.readFileSync(file, "utf8"));
    } catch (e) {
        throw new PlanUsageError(`${flag} ${file}: expected a readable JSON file (${(e as Error).message.split("\n")[0]})`);
    }
}

/** The policy configuration in force (the given file, or policies/config/<stack>.json), checked against both packs. */
function readPolicyConfig(file: string | undefined, stack: string): Record<string, unknown> | undefined {
    if (file) {
        const config = readJson(file, "--policy-pack-config");
        checkPolicyConfig(config, `--policy-pack-config ${file}`);
        return config;
    }
    if (!fs.existsSync(path.join(CONFIG_DIR, `${stack}.json`))) return undefined;
    const where = path.relative(process.cwd(), path.join(CONFIG_DIR, `${stack}.json`));
    let config: Record<string, unknown>;
    try {
        config = loadStackConfig(stack);
    } catch (e) {
        throw new PlanUsageError(`${where}: expected a JSON object of policy names (${(e as Error).message.split("\n")[0]})`);
    }
    checkPolicyConfig(config, where);
    return config;
}

/** Reads a baseline preview: ours or a real `pulumi preview --json`. */
function readBaseline(file: string): PlanDocument {
    let text: string;
    try {
        text = fs.readFileSync(file, "utf8");
    } catch {
        throw new PlanUsageError(`--baseline ${file}: cannot read the file`);
    }
    try {
        const doc = JSON.parse(text);
        if (!doc || !Array.isArray(doc.steps)) throw new Error("no steps");
        return doc as PlanDocument;
    } catch {
        throw new PlanUsageError(`--baseline ${file}: expected preview JSON with a "steps" list (from npm run plan -- --json, or pulumi preview --json)`);
    }
}

function reportError(e: unknown, err: (s: string) => void): number {
    const error = e as Error & { __pulumiRunError?: boolean };
    if (e instanceof PlanUsageError || error?.name === "ConfigError" || error?.__pulumiRunError) {
        err(`error: ${error.message}\n`);
        return EXIT.usage;
    }
    // A program bug: the stack trace helps whoever wrote the program.
    const trace = error?.stack && error.stack.includes("\n    at ") ? error.stack : `${error?.stack ?? String(e)}\n(run with BOOKBUDDY_STACK_TRACES=1 for the stack trace)`;
    err(`error: the program failed: ${trace}\n`);
    return EXIT.programError;
}

if (require.main === module) {
    useFastStackTraces();
    runPlan(process.argv.slice(2), (s) => process.stdout.write(s), (s) => process.stderr.write(s), path.resolve(__dirname, "..", ".."))
        .then((code) => process.exit(code))
        .catch((e) => {
            process.stderr.write(`error: ${e?.stack ?? e}\n`);
            process.exit(EXIT.programError);
        });
}
