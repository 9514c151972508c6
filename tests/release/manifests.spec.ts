/**
 * REL-2: the Kubernetes objects the release workflow applies (smoke test Job, load test ConfigMap and Job)
 * validate against the Kubernetes schemas (kubernetes-models) and pass every resource rule of both policy
 * packs that applies to Jobs, like the program's own workloads; the load test carries the stack's MON-2
 * thresholds; `set-versions` rewrites only the two released versions of a stack file.
 */
import { strict as assert } from "node:assert";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parseStackConfig } from "../../infra/config";
import { maintenanceRules } from "../../policies/maintenance/rules";
import { securityRules } from "../../policies/security/rules";
import { readProject, readStackConfig } from "../../tools/plan/render";
import { main } from "../../tools/release/main";
import { jobName, loadTestObjects, LOAD_TEST_SCRIPT, SMOKE_PATHS, smokeTestJob } from "../../tools/release/manifests";
import { setVersions } from "../../tools/release/versions";
import { checkResource, resource } from "../policies/harness";
import { REPO_ROOT } from "../support/plan";

const esmImport = new Function("specifier", "return import(specifier)") as (specifier: string) => Promise<any>;

function config(stack: string) {
    const { config: raw, secretKeys } = readStackConfig(REPO_ROOT, readProject(REPO_ROOT), stack);
    return parseStackConfig(stack, raw, new Set(secretKeys));
}

describe("REL-2 release Jobs: Kubernetes schemas and both policy packs", function () {
    this.timeout(60_000);
    const objects = () => [smokeTestJob("123456"), ...loadTestObjects("123456", config("staging"))];

    it("validate against the Kubernetes schemas", async function () {
        const { Job } = await esmImport("kubernetes-models/batch/v1");
        const { ConfigMap } = await esmImport("kubernetes-models/v1");
        for (const o of objects()) {
            const Model = (o as any).kind === "Job" ? Job : ConfigMap;
            new Model(o).validate();
        }
    });

    it("pass every applicable resource rule of the security and maintenance packs", async function () {
        const jobs = objects().filter((o: any) => o.kind === "Job");
        let judged = 0;
        const rules = [...securityRules, ...maintenanceRules].filter((r) =>
            ((r as { resourceTypes?: string[] }).resourceTypes ?? []).includes("kubernetes:batch/v1:Job"),
        );
        assert.ok(rules.length >= 5, `rules for Jobs: ${rules.map((r) => r.name).join(", ")}`);
        for (const rule of rules) {
            for (const job of jobs) {
                const res = resource("kubernetes:batch/v1:Job", (job as any).metadata.name, job as Record<string, unknown>);
                const outcome = await checkResource(rule, res);
                if (outcome.notApplicable !== undefined) continue;
                judged++;
                assert.deepEqual(outcome.violations, [], `${rule.name} on ${(job as any).metadata.name}`);
                assert.deepEqual(outcome.cannotJudge, [], `${rule.name} on ${(job as any).metadata.name}`);
            }
        }
        assert.equal(judged, rules.length * jobs.length);
    });

    it("the smoke test checks /health, /health/db and /health/cache inside the cluster and fails on any error", function () {
        const container = (smokeTestJob("7") as any).spec.template.spec.containers[0];
        const script: string = container.command[2];
        assert.deepEqual(container.command.slice(0, 2), ["sh", "-ec"]);
        for (const p of SMOKE_PATHS) assert.match(script, new RegExp(`curl --fail .*"\\$API${p.replace(/\//g, "\\/")}"`));
        assert.deepEqual(container.env, [{ name: "API", value: "http://bookbuddy-api.bookbuddy.svc" }]);
        assert.equal((smokeTestJob("7") as any).spec.backoffLimit, 0);
    });

    it("the load test runs the tested script with the stack's MON-2 thresholds", function () {
        const cfg = config("staging");
        const [cm, job] = loadTestObjects("42-1", cfg) as any[];
        assert.equal(cm.data["load-test.mjs"], fs.readFileSync(LOAD_TEST_SCRIPT, "utf8"));
        const env = Object.fromEntries(job.spec.template.spec.containers[0].env.map((e: any) => [e.name, e.value]));
        assert.equal(env.P95_MAX_SECONDS, String(cfg.monitoring.thresholds.latencyP95Seconds));
        assert.equal(env.ERROR_RATE_MAX_PERCENT, String(cfg.monitoring.thresholds.errorRatePercent));
        assert.equal(env.RATE, String(cfg.release.loadTestRate));
        assert.equal(env.DURATION_SECONDS, String(cfg.release.loadTestSeconds));
        assert.equal(job.metadata.name, "release-load-test-42-1");
        assert.equal(job.spec.activeDeadlineSeconds, cfg.release.loadTestSeconds + 120);
    });

    it("refuses a run id that is not GitHub's", function () {
        assert.throws(() => jobName("smoke", "1; rm -rf /"), /run id/);
        assert.equal(jobName("smoke", "99-2"), "release-smoke-99-2");
    });
});

describe("REL-2 set-versions for the automatic rollback", function () {
    it("sets the API tag and the web release and keeps every other line", function () {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "set-versions-"));
        try {
            const original = fs.readFileSync(path.join(REPO_ROOT, "Pulumi.prod.yaml"), "utf8");
            fs.writeFileSync(path.join(dir, "Pulumi.prod.yaml"), original);
            setVersions(dir, "prod", { imageTag: "0.0.9", webRelease: "2026.11.30-abc1234" });
            const changed = fs.readFileSync(path.join(dir, "Pulumi.prod.yaml"), "utf8");
            const diff = changed.split("\n").filter((line, i) => line !== original.split("\n")[i]);
            assert.deepEqual(diff, ['    imageTag: "0.0.9"', '    release: "2026.11.30-abc1234"']);
            assert.throws(() => setVersions(dir, "prod", { imageTag: "latest", webRelease: "x" }), /imageTag/);
            assert.throws(() => setVersions(dir, "prod", { imageTag: "1.0.0", webRelease: "../x" }), /web\.release/);
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });
});

describe("REL-2 npm run release-manifest (the workflow's entry point)", function () {
    // Each case calls the CLI's main in-process; starting node loaded @pulumi/pulumi again for every case (QA-2).
    // The two real runs of the bin at the end prove the process contract (exit status, stdout, stderr).
    const run = (args: string[], cwd = REPO_ROOT) => {
        let stdout = "";
        let stderr = "";
        const status = main(args, { cwd, stdout: (text) => (stdout += text), stderr: (text) => (stderr += text) });
        return { status, stdout, stderr };
    };
    const badInput = [
        ["deploy", "--stack", "prod", "--run", "1"],
        ["smoke", "--stack", "prod"],
        ["smoke", "--stack", "nope", "--run", "1"],
        ["smoke", "--bogus"],
    ];

    it("prints the smoke test Job as a List for kubectl apply", function () {
        const r = run(["smoke", "--stack", "staging", "--run", "77-1"]);
        assert.equal(r.status, 0, r.stderr);
        assert.equal(r.stderr, "");
        const list = JSON.parse(r.stdout);
        assert.equal(list.kind, "List");
        assert.deepEqual(
            list.items.map((i: any) => `${i.kind}/${i.metadata.name}`),
            ["Job/release-smoke-77-1"],
        );
    });

    it("prints the load test ConfigMap and Job", function () {
        const r = run(["load-test", "--stack", "prod", "--run", "5"]);
        assert.equal(r.status, 0, r.stderr);
        assert.deepEqual(
            JSON.parse(r.stdout).items.map((i: any) => i.kind),
            ["ConfigMap", "Job"],
        );
    });

    it("ends bad input with one message and exit status 2", function () {
        for (const args of badInput) {
            const r = run(args);
            assert.equal(r.status, 2, `${args.join(" ")}: ${r.stderr}`);
            assert.equal(r.stdout, "");
            assert.notEqual(r.stderr, "", `${args.join(" ")}: no message`);
            assert.doesNotMatch(r.stderr, /\n\s+at /, "no stack trace");
        }
        assert.match(run(badInput[2]).stderr, /^Pulumi\.nope\.yaml: no such stack file/);
    });

    it("set-versions rewrites the stack file in the working directory", function () {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "release-cli-"));
        try {
            fs.copyFileSync(path.join(REPO_ROOT, "Pulumi.staging.yaml"), path.join(dir, "Pulumi.staging.yaml"));
            const ok = run(["set-versions", "--stack", "staging", "--image-tag", "0.0.8", "--web-release", "w8"], dir);
            assert.equal(ok.status, 0, ok.stderr);
            assert.match(
                fs.readFileSync(path.join(dir, "Pulumi.staging.yaml"), "utf8"),
                /imageTag: "0\.0\.8"[\s\S]*release: "w8"/,
            );
            const bad = run(["set-versions", "--stack", "staging", "--image-tag", "latest", "--web-release", "w8"], dir);
            assert.equal(bad.status, 2);
            assert.match(bad.stderr, /^bookbuddy:app\.imageTag: got "latest"/);
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });

    describe("the bin (tools/release/cli.ts) run as its own process", function () {
        this.timeout(120_000);
        const spawn = (args: string[]) =>
            spawnSync(
                process.execPath,
                ["-r", path.join(REPO_ROOT, "tools/ts-loader.cjs"), path.join(REPO_ROOT, "tools/release/cli.ts"), ...args],
                { cwd: REPO_ROOT, encoding: "utf8" },
            );

        it("prints the List on stdout with exit status 0, as main does in-process", function () {
            const args = ["smoke", "--stack", "staging", "--run", "77-1"];
            const r = spawn(args);
            assert.equal(r.status, 0, r.stderr);
            assert.equal(r.stderr, "");
            assert.equal(r.stdout, run(args).stdout);
            assert.equal(JSON.parse(r.stdout).items[0].metadata.name, "release-smoke-77-1");
        });

        it("ends bad input with exit status 2, the message on stderr, nothing on stdout and no stack trace", function () {
            const r = spawn(badInput[0]);
            assert.equal(r.status, 2, r.stderr);
            assert.equal(r.stdout, "");
            assert.equal(r.stderr, run(badInput[0]).stderr);
            assert.match(r.stderr, /^usage: npm run release-manifest/);
            assert.doesNotMatch(r.stderr, /\n\s+at /, "no stack trace");
        });
    });
});
