/**
 * REL-2 (and REL-1, CI-1): the release workflow, read from the parsed file: staging, then the performance gate,
 * then prod behind the production environment; in each stack the order backup -> pulumi up (migration Job,
 * Rollout) -> wait for the Rollout -> smoke tests -> CDN invalidation -> notification, the automatic rollback
 * on failure, and the database restore runbooks linked from the notification.
 */
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import {
    Job,
    actionOf,
    concurrencyGroup,
    environmentName,
    loadWorkflows,
    repoRoot,
    stepsOf,
    triggers,
    workflowNamed,
} from "./workflow-rules";

const release = workflowNamed(loadWorkflows(), "release.yml");
const jobs = release.data.jobs;

function stepIndex(job: Job, match: (s: ReturnType<typeof stepsOf>[number]) => boolean, what: string): number {
    const i = stepsOf(job).findIndex(match);
    assert.ok(i >= 0, `no step ${what}`);
    return i;
}

const byRun = (pattern: RegExp) => (s: ReturnType<typeof stepsOf>[number]) => pattern.test(s.run ?? "");
const pulumi = (command: string) => (s: ReturnType<typeof stepsOf>[number]) =>
    actionOf(s) === "pulumi/actions" && s.with?.command === command;

describe("REL-2 release.yml: staging, performance gate, prod", function () {
    it("is started by hand, from main only, and chains staging -> gate -> prod", function () {
        assert.deepEqual(triggers(release), ["workflow_dispatch"]);
        assert.equal(jobs.verify.if, "github.ref == 'refs/heads/main'");
        assert.deepEqual(Object.keys(jobs), ["verify", "release-staging", "performance-gate", "release-prod"]);
        assert.equal(jobs["release-staging"].needs, "verify");
        assert.equal(jobs["performance-gate"].needs, "release-staging");
        assert.equal(jobs["release-prod"].needs, "performance-gate");
    });

    it("records deployments in the staging and production environments and never overlaps deploy.yml", function () {
        assert.equal(environmentName(jobs["release-staging"]), "staging");
        assert.equal(environmentName(jobs["release-prod"]), "production");
        assert.equal(concurrencyGroup(jobs["release-staging"].concurrency), "deploy-staging");
        assert.equal(concurrencyGroup(jobs["performance-gate"].concurrency), "deploy-staging");
        assert.equal(concurrencyGroup(jobs["release-prod"].concurrency), "deploy-prod");
    });

    for (const id of ["release-staging", "release-prod"]) {
        it(`${id}: backup -> up -> Rollout -> smoke tests -> invalidation -> notification, in that order`, function () {
            const job = jobs[id];
            const order = [
                stepIndex(job, pulumi("preview"), "preview"),
                stepIndex(
                    job,
                    byRun(/aws backup start-backup-job[\s\S]*describe-backup-job[\s\S]*COMPLETED/),
                    "backup, waited for",
                ),
                stepIndex(job, pulumi("up"), "pulumi up"),
                stepIndex(job, byRun(/get rollout bookbuddy-api[\s\S]*Healthy[\s\S]*Degraded/), "wait for the Rollout"),
                stepIndex(
                    job,
                    byRun(/release-manifest -- smoke[\s\S]*kubectl apply[\s\S]*wait "job\/\$\{job\}" --for=condition=complete/),
                    "smoke tests",
                ),
                stepIndex(job, byRun(/aws cloudfront create-invalidation[\s\S]*wait invalidation-completed/), "invalidation"),
                stepIndex(job, byRun(/aws sns publish --topic-arn "\$topic"/), "notification"),
            ];
            assert.deepEqual(
                [...order].sort((a, b) => a - b),
                order,
            );
        });

        it(`${id}: on failure sets the previous versions, applies them with both packs, and the notification links the restore runbooks`, function () {
            const steps = stepsOf(jobs[id]);
            const previous = steps.find(byRun(/set-versions/))!;
            assert.match(String(previous.if), /^failure\(\) && /);
            const rollback = steps.find((s) => s.id === "rollback")!;
            assert.equal(actionOf(rollback), "pulumi/actions");
            assert.equal(rollback.with?.command, "up");
            assert.equal(rollback.if, "failure() && steps.previous.outcome == 'success'");
            const notify = steps.find(byRun(/aws sns publish/))!;
            assert.match(String(notify.if), /^always\(\)/);
            assert.match(notify.run!, /docs\/runbooks\/restore-from-snapshot\.md/);
            assert.match(notify.run!, /docs\/runbooks\/point-in-time-recovery\.md/);
            for (const runbook of ["restore-from-snapshot.md", "point-in-time-recovery.md"])
                assert.ok(fs.existsSync(path.join(repoRoot, "docs", "runbooks", runbook)));
        });
    }

    it("the prod release waits for the performance gate, which runs the load test Job against staging", function () {
        const gate = jobs["performance-gate"];
        assert.equal(gate.env?.STACK, "staging");
        stepIndex(
            gate,
            byRun(/release-manifest -- load-test --stack "\$STACK"[\s\S]*kubectl apply[\s\S]*exit "\$ok"/),
            "load test",
        );
    });
});
