/**
 * CI-1 (and QA-1 for the coverage gate): what the pipeline relies on, read from the
 * parsed workflow files: triggers, jobs, the stack matrix, least permissions, OIDC only
 * where it is used, fork safety, pinned actions, both policy packs on every Pulumi run,
 * deploy concurrency and the production approval.
 */
import { strict as assert } from "node:assert";
import { CronExpressionParser } from "cron-parser";
import cron from "cron-validate";
import * as YAML from "yaml";
import { RUNNER_WORKFLOWS, runnerLabel } from "../../components/deploy/names";
import {
    Job,
    STACKS,
    Workflow,
    actionOf,
    STATE_BACKEND,
    concurrencyGroup,
    deployLocationFindings,
    environmentName,
    hygieneFindings,
    idTokenFindings,
    injectionFindings,
    inputLines,
    loadWorkflows,
    matrixAxis,
    parseWorkflowText,
    pinConsistencyFindings,
    pinFindings,
    pullRequestWriteFindings,
    pulumiCliFindings,
    pulumiInputFindings,
    pulumiStepFindings,
    stackDeploys,
    stepsOf,
    topLevelPermissionFindings,
    triggerConfig,
    triggers,
    workflowNamed,
    writeScopes,
} from "./workflow-rules";

const workflows = loadWorkflows();
const pr = workflowNamed(workflows, "pr.yml");
const prComment = workflowNamed(workflows, "pr-comment.yml");
const preview = workflowNamed(workflows, "preview.yml");
const deploy = workflowNamed(workflows, "deploy.yml");
const drift = workflowNamed(workflows, "drift.yml");
const audit = workflowNamed(workflows, "audit.yml");
const deploys = stackDeploys();
/** The runs-on label of a stack's runner, as components/deploy names it (DEP-1). */
const stackRunner = (stack: string) => runnerLabel(`bookbuddy-${stack}`);
const deployLocation = (wf: Workflow) => deployLocationFindings(wf, deploys, RUNNER_WORKFLOWS, stackRunner);

/** All run: scripts of a job joined, to look for the commands it runs. */
function runText(job: Job): string {
    return stepsOf(job)
        .map((s) => s.run ?? "")
        .join("\n");
}

/** The pulumi/actions steps of a job. */
function pulumiSteps(job: Job) {
    return stepsOf(job).filter((s) => actionOf(s) === "pulumi/actions");
}

/** Next `count` run times of a GitHub cron (UTC), validated first by cron-validate. */
function cronRuns(expression: string, count: number): Date[] {
    const validation = cron(expression, { preset: "default" });
    assert.ok(validation.isValid(), `${expression}: ${validation.isError() ? validation.getError().join("; ") : ""}`);
    const interval = CronExpressionParser.parse(expression, { currentDate: "2026-01-01T00:00:00Z", tz: "UTC" });
    return interval.take(count).map((d) => d.toDate());
}

/** The cron strings of a workflow's schedule trigger. */
function schedules(wf: Workflow): string[] {
    const on = wf.data.on as Record<string, unknown>;
    const entries = on.schedule as { cron: string }[];
    return entries.map((e) => e.cron);
}

/** Parses a copy of a workflow after editing its plain data. */
function variant(wf: Workflow, edit: (data: Workflow["data"]) => void): Workflow {
    const data = structuredClone(wf.data);
    edit(data);
    return parseWorkflowText(YAML.stringify(data), wf.file);
}

describe("CI-1 workflow rules hold for every workflow", function () {
    for (const [title, rule] of [
        ["top-level permissions are read-only and never id-token", topLevelPermissionFindings],
        ["id-token: write only in jobs that configure AWS or Pulumi through OIDC", idTokenFindings],
        ["pull-requests: write never where pull request code runs; no pull_request_target", pullRequestWriteFindings],
        ["every uses: is pinned to a full commit SHA with a version comment", pinFindings],
        ["no ${{ }} expansion inside run: or github-script bodies", injectionFindings],
        ["every job has a timeout and checkouts do not persist the token", hygieneFindings],
        ["every pulumi/actions step carries both policy packs, their per-stack configs and a pinned CLI", pulumiStepFindings],
        ["pulumi/actions steps only use inputs of the pinned release", pulumiInputFindings],
        [
            "DEP-1: the Pulumi CLI runs only as a preview-only refresh against the S3 backend after a pinned install",
            pulumiCliFindings,
        ],
        [
            "DEP-1: Pulumi runs on the stack's runner in its VPC, as the identity and from the branch its stack file declares",
            deployLocation,
        ],
    ] as const) {
        it(title, function () {
            assert.deepEqual(
                workflows.flatMap((wf) => rule(wf)),
                [],
            );
        });
    }

    it("each action is pinned to one commit across all workflows", function () {
        assert.deepEqual(pinConsistencyFindings(workflows), []);
    });

    it("the Pulumi steps run in preview, deploy, drift and release only", function () {
        const files = workflows
            .filter((wf) => Object.values(wf.data.jobs).some((j) => pulumiSteps(j).length > 0))
            .map((wf) => wf.file);
        assert.deepEqual(files, [
            ".github/workflows/deploy.yml",
            ".github/workflows/drift.yml",
            ".github/workflows/preview.yml",
            ".github/workflows/release.yml",
        ]);
    });
});

describe("CI-1 the rules reject violating workflows", function () {
    it("flags write or id-token permissions at the top level, and missing permissions", function () {
        assert.equal(
            topLevelPermissionFindings(variant(pr, (d) => (d.permissions = { contents: "read", "id-token": "write" }))).length,
            1,
        );
        assert.equal(topLevelPermissionFindings(variant(pr, (d) => (d.permissions = { contents: "write" }))).length, 1);
        assert.equal(topLevelPermissionFindings(variant(pr, (d) => (d.permissions = "write-all"))).length, 1);
        assert.equal(topLevelPermissionFindings(variant(pr, (d) => delete d.permissions)).length, 1);
    });

    it("flags id-token: write on a job without OIDC, and OIDC without id-token", function () {
        assert.equal(
            idTokenFindings(variant(pr, (d) => (d.jobs.lint.permissions = { contents: "read", "id-token": "write" }))).length,
            1,
        );
        assert.equal(
            idTokenFindings(
                variant(preview, (d) => (d.jobs.preview.permissions = { contents: "read", "pull-requests": "write" })),
            ).length,
            1,
        );
    });

    it("flags pull-requests: write on a job that runs pull request code, and pull_request_target", function () {
        assert.equal(
            pullRequestWriteFindings(
                variant(pr, (d) => (d.jobs.test.permissions = { contents: "read", "pull-requests": "write" })),
            ).length,
            1,
        );
        assert.equal(pullRequestWriteFindings(variant(preview, (d) => delete d.jobs.preview.if)).length, 1);
        const checkoutInComment = variant(prComment, (d) =>
            d.jobs.comment.steps!.unshift({ uses: "actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683" }),
        );
        assert.equal(pullRequestWriteFindings(checkoutInComment).length, 1);
        assert.equal(pullRequestWriteFindings(variant(pr, (d) => (d.on = { pull_request_target: {} }))).length, 1);
    });

    it("flags tags, branches and missing version comments", function () {
        const text = [
            "on: push",
            "permissions: {}",
            "jobs:",
            "  a:",
            "    runs-on: ubuntu-latest",
            "    steps:",
            "      - uses: actions/checkout@v4",
            "      - uses: pulumi/actions@main",
            "      - uses: actions/setup-node@49933ea5288caeca8642d1e84afbd3f7d6820020",
            "      - uses: actions/setup-node@49933ea5288caeca8642d1e84afbd3f7d6820020 # v4.4.0",
            "      - uses: ./.github/actions/local",
            "      - uses: docker://alpine:3",
        ].join("\n");
        assert.equal(pinFindings(parseWorkflowText(text, "pins.yml")).length, 4);
    });

    it("flags expressions inside scripts, missing timeouts and persisted checkout credentials", function () {
        assert.equal(
            injectionFindings(variant(pr, (d) => (d.jobs.lint.steps![2].run = "echo ${{ github.head_ref }}"))).length,
            1,
        );
        assert.equal(hygieneFindings(variant(pr, (d) => delete d.jobs.lint["timeout-minutes"])).length, 1);
        assert.equal(hygieneFindings(variant(pr, (d) => delete d.jobs.lint.steps![0].with)).length, 1);
    });

    it("flags a Pulumi step missing a pack, a config, the CLI pin, or with an unknown input", function () {
        const edit = (change: (w: Record<string, unknown>) => void) =>
            variant(deploy, (d) => change(d.jobs["deploy-prod"].steps!.find((s) => actionOf(s) === "pulumi/actions")!.with!));
        assert.equal(pulumiStepFindings(edit((w) => (w.policyPacks = "policies/security\n"))).length, 1);
        assert.equal(
            pulumiStepFindings(
                edit((w) => (w.policyPackConfigs = "policies/config/staging.json\npolicies/config/staging.json\n")),
            ).length,
            2,
        );
        assert.equal(pulumiStepFindings(edit((w) => delete w["pulumi-version"])).length, 1);
        assert.equal(pulumiInputFindings(edit((w) => (w["policy-packs"] = "policies/security"))).length, 1);
    });

    it("DEP-1: flags a Pulumi job off the stack's runner, with another stack's role, environment or branch", function () {
        const prod = (change: (j: Job) => void) => deployLocation(variant(deploy, (d) => change(d.jobs["deploy-prod"])));
        assert.deepEqual(
            prod((j) => (j["runs-on"] = "ubuntu-latest")),
            [
                ".github/workflows/deploy.yml: job deploy-prod (prod) runs on ubuntu-latest, not the stack's runner " +
                    stackRunner("prod"),
            ],
        );
        assert.equal(prod((j) => (j["runs-on"] = stackRunner("staging"))).length, 1);
        const credentials = (j: Job) => stepsOf(j).find((s) => actionOf(s) === "aws-actions/configure-aws-credentials")!.with!;
        assert.match(
            prod(
                (j) => (credentials(j)["role-to-assume"] = "arn:aws:iam::${{ vars.AWS_ACCOUNT_ID }}:role/bookbuddy-prod-preview"),
            ).join(),
            /not arn:aws:iam::\$\{\{ vars.AWS_ACCOUNT_ID \}\}:role\/bookbuddy-prod-deploy \(deploy.deployRoleName of Pulumi.prod.yaml\)/,
        );
        assert.match(
            prod((j) => (j.environment = "staging")).join(),
            /runs in environment staging, but the deploy role trusts only production/,
        );
        const driftJob = (change: (j: Job) => void) => deployLocation(variant(drift, (d) => change(d.jobs.drift)));
        assert.match(
            driftJob((j) => ((j.strategy!.matrix!.include as { branch: string }[])[2].branch = "develop")).join(),
            /\(prod\) checks out develop, not main/,
        );
        assert.match(
            driftJob(
                (j) =>
                    (credentials(j)["role-to-assume"] =
                        "arn:aws:iam::${{ vars.AWS_ACCOUNT_ID }}:role/bookbuddy-${{ matrix.stack }}-deploy"),
            ).join(),
            /\(dev\) assumes .*bookbuddy-dev-deploy, not .*bookbuddy-dev-preview/,
        );
        assert.match(
            deployLocation(variant(preview, (d) => delete d.jobs.preview.if)).join(),
            /runs pull request code on a CodeBuild runner without the same-repository condition/,
        );
        assert.match(
            deployLocation(variant(audit, (d) => (d.jobs.audit["runs-on"] = stackRunner("dev")))).join(),
            /the runner's webhook does not accept workflow/,
        );
    });

    it("DEP-1: flags a refresh that writes state, a pulumi up in a script, and a CLI without the S3 backend", function () {
        const refresh = (change: (s: { run?: string; env?: Record<string, unknown> }) => void) =>
            pulumiCliFindings(variant(drift, (d) => change(d.jobs.drift.steps!.find((s) => s.run?.includes("pulumi refresh"))!)));
        assert.deepEqual(
            refresh(() => undefined),
            [],
        );
        assert.match(refresh((s) => (s.run = s.run!.replace(" --preview-only", ""))).join(), /without --preview-only/);
        assert.match(refresh((s) => (s.run = s.run!.replace(" --expect-no-changes", ""))).join(), /without --expect-no-changes/);
        assert.match(
            refresh((s) => (s.run = 'pulumi up --yes --stack "organization/bookbuddy/${STACK}"')).join(),
            /only a preview-only refresh may run outside pulumi\/actions/,
        );
        assert.match(refresh((s) => delete s.env!.PULUMI_BACKEND_URL).join(), /does not set PULUMI_BACKEND_URL/);
        const noInstall = variant(
            drift,
            (d) => (d.jobs.drift.steps = d.jobs.drift.steps!.filter((s) => !(actionOf(s) === "pulumi/actions"))),
        );
        assert.match(pulumiCliFindings(noInstall).join(), /without a pinned install before it/);
        const edit = (change: (w: Record<string, unknown>) => void) =>
            variant(deploy, (d) => change(d.jobs["deploy-prod"].steps!.find((s) => actionOf(s) === "pulumi/actions")!.with!));
        assert.match(pulumiStepFindings(edit((w) => delete w["cloud-url"])).join(), /instead of the S3 state backend/);
        assert.match(pulumiStepFindings(edit((w) => delete w.command)).join(), /runs no command and is not a pinned CLI install/);
    });

    it("flags one action pinned to two commits", function () {
        const bumped = variant(
            audit,
            (d) => (d.jobs.audit.steps![0].uses = "actions/checkout@08c6903cd8c0fde910a37f88322edcfb5dd907a8"),
        );
        assert.equal(pinConsistencyFindings([pr, bumped]).length, 1);
    });
});

describe("CI-1 pr.yml: pull request checks, safe for forks", function () {
    it("runs on pull_request only and references no secret", function () {
        assert.deepEqual(triggers(pr), ["pull_request"]);
        assert.doesNotMatch(pr.text, /secrets\./);
        assert.deepEqual(pr.data.permissions, { contents: "read" });
        for (const job of Object.values(pr.data.jobs)) assert.deepEqual(writeScopes(job.permissions), []);
    });

    it("has the jobs lint, typecheck, mutation, test and preview", function () {
        assert.deepEqual(Object.keys(pr.data.jobs), ["lint", "typecheck", "mutation", "test", "preview"]);
        assert.match(runText(pr.data.jobs.lint), /^npm run lint$/m);
        assert.match(runText(pr.data.jobs.typecheck), /^npm run typecheck$/m);
        // POL-4: the rules' mutation gate (90 % killed) runs on every pull request, as in .ci/run.
        assert.match(runText(pr.data.jobs.mutation), /^npm run mutation$/m);
        for (const job of Object.values(pr.data.jobs)) assert.match(runText(job), /^npm ci\b/m);
    });

    it("QA-1: the test job installs the tools of the tests and runs the coverage gate", function () {
        const text = runText(pr.data.jobs.test);
        assert.match(text, /apt-get install .*\bpostgresql\b.*\bprometheus\b.*\bprometheus-alertmanager\b/);
        assert.match(text, /^npm run coverage$/m);
    });

    it("uses Node 22 with the npm cache", function () {
        for (const job of Object.values(pr.data.jobs)) {
            const setup = stepsOf(job).find((s) => actionOf(s) === "actions/setup-node");
            assert.equal(setup?.with?.["node-version"], "22");
            assert.equal(setup?.with?.cache, "npm");
        }
    });

    it("previews exactly dev, staging and prod, each with both packs and a baseline from the target branch", function () {
        const job = pr.data.jobs.preview;
        assert.deepEqual(matrixAxis(job, "stack"), [...STACKS]);
        assert.equal(job.strategy?.["fail-fast"], false);
        const checkouts = stepsOf(job).filter((s) => actionOf(s) === "actions/checkout");
        assert.equal(checkouts.length, 2);
        assert.equal(checkouts[1].with?.ref, "${{ github.event.pull_request.base.sha }}");
        const targetDir = String(checkouts[1].with?.path);
        const text = runText(job);
        assert.match(text, new RegExp(`cd ${targetDir}\\n\\s*npm ci`));
        assert.match(text, /npm run --silent plan -- "\$\{args\[@\]\}" > "\.\.\/base\/\$\{STACK\}\.md"/);
        assert.match(text, /--json "\.\.\/base\/\$\{STACK\}\.json"/);
        assert.match(text, /--json "out\/\$\{STACK\}\.json" --policy-pack-config "policies\/config\/\$\{STACK\}\.json"/);
        assert.match(text, /args\+=\(--baseline "base\/\$\{STACK\}\.json"\)/);
        assert.match(text, /"\$GITHUB_STEP_SUMMARY"/);
        // The job summary shows the same Markdown as the comment (CI-3), not the text printout.
        assert.match(text, /npm run --silent plan -- "\$\{args\[@\]\}" --format markdown > "out\/\$\{STACK\}\.md"/);
        assert.match(text, /cat "out\/\$\{STACK\}\.md" >> "\$GITHUB_STEP_SUMMARY"/);
        assert.match(text, /"\$code" -eq 3/);
        assert.equal(job.env?.STACK, "${{ matrix.stack }}");
    });

    it("uploads the preview JSON and printout per stack, even when the preview fails", function () {
        const upload = stepsOf(pr.data.jobs.preview).find((s) => actionOf(s) === "actions/upload-artifact");
        assert.equal(upload?.with?.name, "offline-preview-${{ matrix.stack }}");
        assert.equal(upload?.with?.path, "out/");
        assert.equal(upload?.if, "${{ !cancelled() }}");
    });
});

describe("CI-1 pr-comment.yml: the trusted comment on fork pull requests (CI-3)", function () {
    const job = prComment.data.jobs.comment;
    const render = prComment.data.jobs.render;

    it("is triggered by the completion of the PR checks workflow", function () {
        assert.deepEqual(triggers(prComment), ["workflow_run"]);
        const config = triggerConfig(prComment, "workflow_run");
        assert.deepEqual(config?.workflows, [pr.data.name]);
        assert.deepEqual(config?.types, ["completed"]);
        assert.match(render.if ?? "", /github\.event\.workflow_run\.event == 'pull_request'/);
        assert.deepEqual(job.needs, "render");
    });

    it("the comment job holds only actions: read and pull-requests: write, and never checks out or runs code", function () {
        assert.deepEqual(prComment.data.permissions, {});
        assert.deepEqual(job.permissions, { actions: "read", "pull-requests": "write" });
        for (const step of stepsOf(job)) {
            assert.equal(step.run, undefined);
            assert.notEqual(actionOf(step), "actions/checkout");
        }
        assert.deepEqual(stepsOf(job).map(actionOf), [
            "actions/download-artifact",
            "actions/download-artifact",
            "actions/github-script",
        ]);
    });

    it("the render job has no write scope and runs only the default branch's code on the JSON artifacts", function () {
        assert.deepEqual(render.permissions, { actions: "read", contents: "read" });
        const checkout = stepsOf(render).find((s) => actionOf(s) === "actions/checkout");
        assert.equal(checkout?.with?.ref, "${{ github.event.repository.default_branch }}");
        const download = stepsOf(render).find((s) => actionOf(s) === "actions/download-artifact");
        assert.equal(download?.with?.["run-id"], "${{ github.event.workflow_run.id }}");
        assert.equal(download?.with?.pattern, "offline-preview-*");
        const runs = stepsOf(render)
            .filter((s) => s.run !== undefined)
            .map((s) => String(s.run));
        assert.ok(
            runs.some((r) => /npm ci .*--ignore-scripts/.test(r)),
            "installs without install scripts",
        );
        assert.ok(runs.some((r) => r.includes("npm run --silent plan-comment -- --dir previews --out comment/comment.md")));
        assert.ok(!JSON.stringify(render).includes("pull_request.head"), "never refers to the pull request's head");
    });

    it("checks the pull request head, and updates the one comment it finds by its marker", function () {
        const script = String(stepsOf(job)[2].with?.script);
        assert.match(script, /pull\.head\.sha !== run\.head_sha/);
        assert.match(script, /<!-- bookbuddy-offline-preview -->/);
        assert.match(script, /comment\.body\?\.startsWith\(marker\)/);
        assert.match(script, /updateComment/);
        assert.match(script, /createComment/);
        assert.match(script, /body\.length > limit/);
    });
});

describe("CI-1 preview.yml: pulumi preview in trusted contexts", function () {
    const job = preview.data.jobs.preview;

    it("runs for pull requests from branches of this repository only", function () {
        assert.deepEqual(triggers(preview), ["pull_request"]);
        assert.equal(job.if, "github.event.pull_request.head.repo.full_name == github.repository");
    });

    it("previews each stack with comment-on-pr and diff, on the stack's runner, against the S3 backend", function () {
        assert.deepEqual(matrixAxis(job, "stack"), [...STACKS]);
        const [step] = pulumiSteps(job);
        assert.equal(step.with?.command, "preview");
        assert.equal(step.with?.["stack-name"], "organization/bookbuddy/${{ matrix.stack }}");
        assert.equal(step.with?.["cloud-url"], STATE_BACKEND);
        assert.equal(step.with?.["comment-on-pr"], true);
        assert.equal(step.with?.diff, true);
        assert.equal(
            job["runs-on"],
            "codebuild-bookbuddy-${{ matrix.stack }}-deploy-runner-${{ github.run_id }}-${{ github.run_attempt }}",
        );
    });

    it("gets AWS credentials as the stack's preview role through OIDC; no Pulumi Cloud token", function () {
        const aws = stepsOf(job).find((s) => actionOf(s) === "aws-actions/configure-aws-credentials");
        assert.equal(
            aws?.with?.["role-to-assume"],
            "arn:aws:iam::${{ vars.AWS_ACCOUNT_ID }}:role/bookbuddy-${{ matrix.stack }}-preview",
        );
        assert.equal(
            stepsOf(job).find((s) => actionOf(s) === "pulumi/auth-actions"),
            undefined,
        );
        assert.deepEqual(writeScopes(job.permissions).sort(), ["id-token", "pull-requests"]);
    });
});

describe("CI-1 deploy.yml: pulumi up per stack", function () {
    const jobs = deploy.data.jobs;
    const deployJobs = { dev: jobs["deploy-dev"], staging: jobs["deploy-staging"], prod: jobs["deploy-prod"] };

    it("is triggered by pushes to develop and main and by a manual dispatch with a stack input", function () {
        assert.deepEqual(triggers(deploy).sort(), ["push", "workflow_dispatch"]);
        assert.deepEqual(triggerConfig(deploy, "push")?.branches, ["develop", "main"]);
        const input = (
            triggerConfig(deploy, "workflow_dispatch")?.inputs as Record<
                string,
                { type: string; options: string[]; default: string }
            >
        ).stack;
        assert.equal(input.type, "choice");
        assert.deepEqual(input.options, [...STACKS]);
        assert.equal(input.default, "dev");
    });

    it("verifies with the type check, the tests and the offline preview of the target stack before any up", function () {
        const text = runText(jobs.verify);
        // The deploy itself compiles without type checking (Pulumi.yaml: typescript false, tools/ts-loader.cjs).
        assert.match(text, /^npm run typecheck$/m);
        assert.match(text, /^npm test$/m);
        assert.match(
            text,
            /npm run --silent plan -- --stack "\$STACK" .*--policy-pack-config "policies\/config\/\$\{STACK\}\.json"/,
        );
        assert.equal(
            stepsOf(jobs.verify).find((s) => s.run?.includes("npm run --silent plan"))?.shell,
            "bash",
            "pipefail keeps the plan's exit code",
        );
        for (const job of Object.values(deployJobs)) assert.equal(job.needs, "verify");
        assert.deepEqual(writeScopes(jobs.verify.permissions), []);
    });

    it("targets staging from develop, prod from main and dev by dispatch", function () {
        assert.match(deploy.data.env?.STACK as string, /inputs\.stack/);
        assert.equal(deployJobs.dev.if, "github.event_name == 'workflow_dispatch' && inputs.stack == 'dev'");
        assert.match(deployJobs.staging.if ?? "", /^github\.ref == 'refs\/heads\/develop' && /);
        assert.match(deployJobs.prod.if ?? "", /^github\.ref == 'refs\/heads\/main' && /);
    });

    for (const stack of STACKS) {
        it(`${stack}: pulumi up of the ${stack} stack in its own non-cancelling concurrency group`, function () {
            const job = deployJobs[stack];
            assert.equal(concurrencyGroup(job.concurrency), `deploy-${stack}`);
            assert.equal((job.concurrency as { "cancel-in-progress": boolean })["cancel-in-progress"], false);
            const [step] = pulumiSteps(job);
            assert.equal(step.with?.command, "up");
            assert.equal(step.with?.["stack-name"], `organization/bookbuddy/${stack}`);
            assert.equal(step.with?.["cloud-url"], STATE_BACKEND);
            assert.equal(job["runs-on"], stackRunner(stack));
            assert.deepEqual(inputLines(step.with?.policyPackConfigs), [
                `policies/config/${stack}.json`,
                `policies/config/${stack}.json`,
            ]);
            assert.deepEqual(writeScopes(job.permissions), ["id-token"]);
        });
    }

    it("puts prod behind the production environment and the others behind their own", function () {
        assert.equal(environmentName(deployJobs.prod), "production");
        assert.equal(environmentName(deployJobs.staging), "staging");
        assert.equal(environmentName(deployJobs.dev), "dev");
    });
});

describe("CI-1 drift.yml: nightly drift detection", function () {
    it("runs nightly (once a day) and on demand", function () {
        assert.deepEqual(triggers(drift).sort(), ["schedule", "workflow_dispatch"]);
        const [expression] = schedules(drift);
        const runs = cronRuns(expression, 8);
        for (let i = 1; i < runs.length; i++) assert.equal(runs[i].getTime() - runs[i - 1].getTime(), 24 * 3600 * 1000);
        assert.ok(runs[0].getUTCHours() < 6, "runs at night (UTC)");
    });

    it("refreshes each stack preview-only, expecting no changes, from its runner and its deploy branch (DEP-1)", function () {
        const job = drift.data.jobs.drift;
        assert.deepEqual(matrixAxis(job, "stack"), [...STACKS]);
        assert.equal(job.strategy?.["fail-fast"], false);
        assert.deepEqual(job.strategy?.matrix?.include, [
            { stack: "dev", branch: "develop" },
            { stack: "staging", branch: "develop" },
            { stack: "prod", branch: "main" },
        ]);
        const checkout = stepsOf(job).find((s) => actionOf(s) === "actions/checkout");
        assert.equal(checkout?.with?.ref, "${{ matrix.branch }}");
        assert.match(
            runText(job),
            /pulumi refresh --stack "organization\/bookbuddy\/\$\{STACK\}" --preview-only --expect-no-changes/,
        );
        assert.deepEqual(
            pulumiSteps(job).map((s) => s.with),
            [{ "pulumi-version": "${{ steps.pulumi-version.outputs.version }}" }],
        );
    });

    it("opens or updates one issue per failing stack, with issues: write in that job only", function () {
        const report = drift.data.jobs.report;
        assert.equal(report.needs, "drift");
        assert.equal(report.if, "failure()");
        assert.deepEqual(writeScopes(report.permissions), ["issues"]);
        assert.deepEqual(writeScopes(drift.data.jobs.drift.permissions), ["id-token"]);
        const script = String(stepsOf(report).find((s) => actionOf(s) === "actions/github-script")?.with?.script);
        assert.match(script, /issues\.create\(/);
        assert.match(script, /issues\.createComment\(/);
        assert.match(script, /core\.setFailed\(/);
        assert.match(script, /bookbuddy-drift:\$\{stack\}/, "one marker per stack");
    });
});

describe("CI-1 audit.yml: weekly dependency audit", function () {
    it("runs weekly and on demand", function () {
        assert.deepEqual(triggers(audit).sort(), ["schedule", "workflow_dispatch"]);
        const runs = cronRuns(schedules(audit)[0], 5);
        for (let i = 1; i < runs.length; i++) assert.equal(runs[i].getTime() - runs[i - 1].getTime(), 7 * 24 * 3600 * 1000);
    });

    it("fails on high or critical advisories and checks registry signatures", function () {
        const text = runText(audit.data.jobs.audit);
        assert.match(text, /^npm ci\b/m);
        assert.match(text, /npm audit --audit-level=high/);
        assert.match(text, /code=\$\{PIPESTATUS\[0\]\}/);
        assert.match(text, /exit "\$code"/);
        assert.match(text, /^npm audit signatures$/m);
        assert.deepEqual(writeScopes(audit.data.jobs.audit.permissions), []);
    });
});

describe("CI-1 schedules are valid cron strings", function () {
    it("rejects what GitHub would reject", function () {
        assert.equal(cron("61 3 * * *", { preset: "default" }).isValid(), false);
        assert.equal(cron("17 3 * *", { preset: "default" }).isValid(), false);
    });
});

describe("DEP-1 drift.yml's report: one issue per stack, never a duplicate", function () {
    /** Runs the report's github-script body against an in-memory issue tracker. */
    async function report(
        jobs: { name: string; conclusion: string }[],
        issues: { number: number; body: string; pull_request?: object }[],
    ) {
        const script = String(stepsOf(drift.data.jobs.report).find((s) => actionOf(s) === "actions/github-script")?.with?.script);
        const calls: {
            created: { title: string; body: string }[];
            comments: { issue_number: number; body: string }[];
            failed: string[];
        } = { created: [], comments: [], failed: [] };
        const listJobs = Symbol("listJobs");
        const listIssues = Symbol("listIssues");
        const github = {
            paginate: async (what: symbol) =>
                what === listJobs
                    ? jobs.map((j, i) => ({ ...j, html_url: `https://example.test/job/${i}` }))
                    : issues.filter((i) => i.body !== undefined),
            rest: {
                actions: { listJobsForWorkflowRun: listJobs },
                issues: {
                    listForRepo: listIssues,
                    createComment: async (a: { issue_number: number; body: string }) => void calls.comments.push(a),
                    create: async (a: { title: string; body: string }) => {
                        calls.created.push(a);
                        const number = 100 + issues.length;
                        issues.push({ number, body: a.body });
                        return { data: { number } };
                    },
                },
            },
        };
        const context = { repo: { owner: "bookbuddy", repo: "bookbuddy-infra" }, runId: 7, serverUrl: "https://github.com" };
        const core = { notice: () => undefined, setFailed: (m: string) => void calls.failed.push(m) };
        const AsyncFunction = Object.getPrototypeOf(async () => undefined).constructor;
        await new AsyncFunction("github", "context", "core", script)(github, context, core);
        return calls;
    }

    it("creates an issue for a newly drifting stack, comments on a stack's open issue, and fails the run", async function () {
        const issues = [
            { number: 5, body: "<!-- bookbuddy-drift:prod -->\nDrift check of prod ..." },
            { number: 6, body: "unrelated" },
        ];
        const jobs = [
            { name: "Drift (dev)", conclusion: "success" },
            { name: "Drift (staging)", conclusion: "failure" },
            { name: "Drift (prod)", conclusion: "failure" },
        ];
        const first = await report(jobs, issues);
        assert.deepEqual(
            first.comments.map((c) => c.issue_number),
            [5],
        );
        assert.deepEqual(
            first.created.map((c) => c.title),
            ["Infrastructure drift detected: staging"],
        );
        assert.match(first.created[0].body, /^<!-- bookbuddy-drift:staging -->\n/);
        assert.match(first.failed.join(), /staging, prod/);
        // The next night: both stacks still drift; the staging issue now exists, so nothing new is opened.
        const second = await report(jobs, issues);
        assert.deepEqual(second.created, []);
        assert.deepEqual(second.comments.map((c) => c.issue_number).sort(), [100 + 2, 5].sort());
    });
});
