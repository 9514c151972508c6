/**
 * Checks of the preview's file inputs and outputs that run before anything is rendered (CI-2, ENV-6): each bad
 * input ends in one PlanUsageError naming the flag and the file (exit 2, no stack trace, no value echoed), never
 * in a raw system error after the whole output, and never in a hang.
 */
import * as fs from "fs";
import * as path from "path";
import { reconcile, type PolicyPackConfigFile } from "../../policies/lib/config";
import { builtinPack } from "../policy/runner";
import { PlanUsageError } from "./render";
import type { PlanDocument } from "./types";

/**
 * Kernel and pseudo file systems (statfs magic numbers from linux/magic.h) where a preview file cannot live:
 * writing there fails or, worse, Node's recursive mkdir loops forever on /proc.
 */
const PSEUDO_FILESYSTEMS: Record<number, string> = {
    0x9fa0: "proc",
    0x62656572: "sysfs",
    0x27e0eb: "cgroup",
    0x63677270: "cgroup2",
    0x64626720: "debugfs",
    0x74726163: "tracefs",
    0x73636673: "securityfs",
    0x1cd1: "devpts",
    0xcafe4a11: "bpf",
    0x62656570: "configfs",
};

/**
 * Checks where `--json <file>` will be written, before rendering: the file is a regular file or absent; the
 * nearest existing ancestor is a writable directory on an ordinary file system (not under a file, not /proc).
 */
export function checkJsonTarget(file: string, cwd = process.cwd()): void {
    const target = path.resolve(cwd, file);
    const fail = (why: string): never => {
        throw new PlanUsageError(`--json ${file}: ${why}; expected a path to a JSON file in a writable directory`);
    };
    const existing = statOrUndefined(target);
    if (existing && !existing.isFile()) fail(existing.isDirectory() ? "is a directory" : "exists and is not a regular file");
    let ancestor = path.dirname(target);
    for (;;) {
        const stat = statOrUndefined(ancestor);
        if (stat) {
            if (!stat.isDirectory()) fail(`${ancestor} is a file, not a directory`);
            break;
        }
        const parent = path.dirname(ancestor);
        if (parent === ancestor) fail("no existing parent directory");
        ancestor = parent;
    }
    const kind = PSEUDO_FILESYSTEMS[fs.statfsSync(ancestor).type];
    if (kind) fail(`${ancestor} is on the ${kind} kernel file system`);
    try {
        fs.accessSync(ancestor, fs.constants.W_OK);
    } catch {
        fail(`${ancestor} is not writable`);
    }
}

/** Writes the preview JSON after checkJsonTarget passed; a late failure is still one message. */
export function writeJsonTarget(file: string, text: string): void {
    try {
        fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
        fs.writeFileSync(file, text);
    } catch (e) {
        throw new PlanUsageError(`--json ${file}: cannot write the file (${(e as NodeJS.ErrnoException).code ?? "error"})`);
    }
}

function statOrUndefined(file: string): fs.Stats | undefined {
    try {
        return fs.statSync(file);
    } catch {
        return undefined;
    }
}

/** The stack and project a preview document describes: ours carries them, `pulumi preview --json` has them in URNs. */
export function stackOfPlan(doc: PlanDocument): { stack?: string; project?: string } {
    if (doc.offline?.stack) return { stack: doc.offline.stack, project: doc.offline.project };
    const urn = doc.steps.map((s) => s.urn).find((u) => typeof u === "string" && u.startsWith("urn:pulumi:"));
    const m = urn ? /^urn:pulumi:([^:]+)::([^:]+)::/.exec(urn) : null;
    return m ? { stack: m[1], project: m[2] } : {};
}

/** A baseline must be a preview of the same stack of the same project; anything else would diff nonsense. */
export function checkBaselineStack(baseline: PlanDocument, file: string, current: PlanDocument): void {
    const was = stackOfPlan(baseline);
    const now = stackOfPlan(current);
    if (was.stack !== undefined && (was.stack !== now.stack || (was.project !== undefined && was.project !== now.project))) {
        throw new PlanUsageError(
            `--baseline ${file}: a preview of stack "${was.stack}"${was.project ? ` of project "${was.project}"` : ""}; ` +
                `expected a preview of stack "${now.stack}" of project "${now.project}"`,
        );
    }
}

/**
 * The policy configuration (a --policy-pack-config file or policies/config/<stack>.json) checked against both
 * packs before rendering (POL-3): every entry names a policy of this repository (or `all`), and every value
 * is one the policy's config schema accepts.
 */
export function checkPolicyConfig(config: PolicyPackConfigFile, file: string): void {
    if (typeof config !== "object" || config === null || Array.isArray(config)) {
        throw new PlanUsageError(`${file}: expected a JSON object of policy names`);
    }
    const packs = (["security", "maintenance"] as const).map(builtinPack);
    const names = packs.flatMap((p) => p.policies.map((policy) => policy.name));
    for (const key of Object.keys(config)) {
        if (key !== "all" && !names.includes(key)) {
            const hint = names.find((n) => n.includes(key) || key.includes(n));
            throw new PlanUsageError(
                `${file}: key "${key}": no policy of that name in bookbuddy-security or bookbuddy-maintenance${hint ? `; did you mean "${hint}"?` : ""}`,
            );
        }
    }
    for (const pack of packs) {
        try {
            reconcile(pack.policies, config, pack.enforcementLevel);
        } catch (e) {
            throw new PlanUsageError(`${file}: ${(e as Error).message.replace(/:\n\s*/, ": ").replace(/\n\s*/g, "; ")}`);
        }
    }
}
