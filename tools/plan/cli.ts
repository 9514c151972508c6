/**
 * `npm run plan -- --stack <name> [--cwd <dir>] [--json <file>] [--baseline <plan.json>]`: the credential-free
 * preview (CI-2): renders the stack offline, judges it with both policy packs (POL-3), prices it and compares
 * it with a baseline.
 *
 * Exit codes: 0 success; 1 program error; 2 usage or configuration error (one clear message, no stack trace);
 * 3 a mandatory policy violation; 4 the deploy path is not proven (DEP-1; 3 wins when both apply).
 */
import * as fs from "fs";
import * as path from "path";
import { CONFIG_DIR, loadStackConfig } from "../../policies/lib/config";
import { runPolicyPacks } from "../policy/runner";
import { FlagSpecs, parseFlags, usageText } from "../cli-args";
import { estimateCost, formatCost } from "./cost";
import { checkDeployPath, DEPLOY_PATH_EXIT, formatDeployPath } from "./deploy-path";
import { diffPlans } from "./diff";
import { formatDiff } from "./format-diff";
import { formatSummary, formatTree } from "./print";
import { useFastStackTraces } from "./stack-traces";
import { checkBaselineStack, checkJsonTarget, checkPolicyConfig, writeJsonTarget } from "./inputs";
import { JOB_SUMMARY_LIMIT, renderMarkdown } from "./markdown";
import { PlanUsageError, readProject, readStackConfig, renderStack } from "./render";
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
    format: "text" | "markdown";
    quiet: boolean;
}

export const PLAN_FLAGS: FlagSpecs = {
    stack: { type: "string", short: "s", value: "<name>", description: "stack to preview (Pulumi.<name>.yaml); required" },
    cwd: { type: "string", value: "<dir>", description: "Pulumi project directory (default: the repository root)" },
    json: { type: "string", value: "<file>", description: "also write the preview as JSON (the PR comment renders from it)" },
    baseline: {
        type: "string",
        value: "<plan.json>",
        description: "compare with an earlier preview JSON (ours or pulumi preview --json)",
    },
    "policy-pack": {
        type: "string",
        multiple: true,
        value: "<dir>",
        description: "policies/security or policies/maintenance (default: both)",
    },
    "policy-pack-config": {
        type: "string",
        value: "<file>",
        description: "policy configuration JSON (policies/config/<stack>.json)",
    },
    format: {
        type: "string",
        value: "text|markdown",
        description: "printout format (default: text); markdown puts the verdict first (CI-3)",
    },
    quiet: { type: "boolean", description: "leave out the resource tree (text format)" },
};

export const PLAN_USAGE = usageText(
    "npm run plan -- --stack <name> [flags]",
    "Renders a stack offline (no cloud credentials, no secrets), runs both policy packs, estimates the monthly cost and\n" +
        "compares with a baseline. Exit codes: 0 ok, 1 program error, 2 usage or configuration error, 3 mandatory violation,\n" +
        "4 deploy path not proven (DEP-1).",
    PLAN_FLAGS,
);

/** Parses the command line (CI-2); `undefined` means `--help` was asked for. Throws PlanUsageError on a mistake. */
export function parseArgs(argv: string[], defaultCwd: string): PlanArgs | undefined {
    let parsed;
    try {
        parsed = parseFlags(argv, PLAN_FLAGS);
    } catch (e) {
        throw new PlanUsageError((e as Error).message);
    }
    if (parsed.help) {
        return undefined;
    }
    const v = parsed.values;
    if (typeof v.stack !== "string") throw new PlanUsageError("--stack is required (see --help)");
    const packs: PackName[] = [];
    for (const dir of (v["policy-pack"] as string[] | undefined) ?? []) {
        const pack = path.basename(dir.replace(/\/+$/, "")) as PackName;
        if (!PACKS.includes(pack))
            throw new PlanUsageError(`--policy-pack ${dir}: expected policies/security or policies/maintenance`);
        if (!packs.includes(pack)) packs.push(pack);
    }
    const format = (v.format as string | undefined) ?? "text";
    if (format !== "text" && format !== "markdown") throw new PlanUsageError(`--format ${format}: expected text or markdown`);
    return {
        stack: v.stack,
        cwd: typeof v.cwd === "string" ? path.resolve(v.cwd) : defaultCwd,
        json: v.json as string | undefined,
        baseline: v.baseline as string | undefined,
        // Both packs by default, as every preview should be judged by both (POL-3).
        policyPacks: packs.length > 0 ? packs : [...PACKS],
        policyPackConfig: v["policy-pack-config"] as string | undefined,
        format,
        quiet: v.quiet === true,
    };
}

/** Runs the preview and returns the exit code; output goes through the given writers. */
export async function runPlan(
    argv: string[],
    out: (s: string) => void,
    err: (s: string) => void,
    defaultCwd: string,
): Promise<number> {
    let args: PlanArgs;
    let doc: PlanDocument;
    try {
        const parsed = parseArgs(argv, defaultCwd);
        if (!parsed) {
            out(PLAN_USAGE + "\n");
            return EXIT.ok;
        }
        args = parsed;
        // Every file input and output is checked before the render (one message, exit 2, no hang).
        if (args.json) checkJsonTarget(args.json);
        const policyConfig = readPolicyConfig(args.policyPackConfig, args.stack);
        const baseline = args.baseline ? readBaseline(args.baseline) : undefined;
        doc = await renderStack({ projectDir: args.cwd, stack: args.stack });
        if (baseline) checkBaselineStack(baseline, args.baseline!, doc);
        doc.policyViolations = await runPolicyPacks(doc.steps.map((step) => step.newState!).filter(Boolean), {
            packs: args.policyPacks,
            stack: args.stack,
            config: policyConfig,
        });
        doc.policyPacks = args.policyPacks.map((p) => `bookbuddy-${p}`);
        doc.deployPath = checkDeployPath(doc);
        const costOptions = { defaultRegion: stackRegion(args.cwd, args.stack) };
        doc.cost = estimateCost(doc, undefined, costOptions);
        if (baseline) doc.diff = diffPlans(baseline, doc, { estimate: (d) => estimateCost(d, undefined, costOptions) });
    } catch (e) {
        return reportError(e, err);
    }
    const deployPath = doc.deployPath as ReturnType<typeof checkDeployPath>;
    if (args.format === "markdown") {
        out(renderMarkdown(doc, { stack: args.stack }, JOB_SUMMARY_LIMIT));
    } else {
        if (!args.quiet) {
            out(`Previewing update (${args.stack}) offline: no cloud credentials, no secrets decrypted.\n`);
            out(formatTree(doc) + "\n");
        }
        out("\n" + formatSummary(doc) + "\n");
        out("\n" + formatViolations(doc.policyViolations ?? [], args.policyPacks) + "\n");
        out("\n" + formatDeployPath(deployPath) + "\n");
        out("\n" + formatCost(doc.cost!) + "\n");
        if (doc.diff) out("\n" + formatDiff(doc.diff as ReturnType<typeof diffPlans>) + "\n");
    }
    if (args.json) {
        try {
            writeJsonTarget(args.json, JSON.stringify(doc, null, 2) + "\n");
        } catch (e) {
            return reportError(e, err);
        }
        if (args.format === "text") out(`\nWrote ${args.json}\n`);
    }
    if ((doc.policyViolations ?? []).some((v) => v.enforcementLevel === "mandatory")) return EXIT.mandatoryViolation;
    return deployPath.ok ? EXIT.ok : EXIT.deployPathBroken;
}

/** The stack's `aws:region` (the region of resources without an explicit provider), when the stack file sets it. */
function stackRegion(cwd: string, stack: string): string | undefined {
    const { config } = readStackConfig(cwd, readProject(cwd), stack);
    return config["aws:region"] || undefined;
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
        throw new PlanUsageError(
            `--baseline ${file}: expected preview JSON with a "steps" list (from npm run plan -- --json, or pulumi preview --json)`,
        );
    }
}

function reportError(e: unknown, err: (s: string) => void): number {
    const error = e as Error & { __pulumiRunError?: boolean };
    if (e instanceof PlanUsageError || error?.name === "ConfigError" || error?.__pulumiRunError) {
        err(`error: ${error.message}\n`);
        return EXIT.usage;
    }
    // A program bug: the stack trace helps whoever wrote the program.
    const trace =
        error?.stack && error.stack.includes("\n    at ")
            ? error.stack
            : `${error?.stack ?? String(e)}\n(run with BOOKBUDDY_STACK_TRACES=1 for the stack trace)`;
    err(`error: the program failed: ${trace}\n`);
    return EXIT.programError;
}

if (require.main === module) {
    useFastStackTraces();
    runPlan(
        process.argv.slice(2),
        (s) => process.stdout.write(s),
        (s) => process.stderr.write(s),
        path.resolve(__dirname, "..", ".."),
    )
        .then((code) => process.exit(code))
        .catch((e) => {
            process.stderr.write(`error: ${e?.stack ?? e}\n`);
            process.exit(EXIT.programError);
        });
}
