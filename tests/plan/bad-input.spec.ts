/**
 * Every bad input of the credential-free preview ends the same way (CI-2, ENV-6): exit 2, one message naming
 * the file, key or flag, no stack trace, no secret value echoed, and no hang.
 */
import { strict as assert } from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { runPlan } from "../../tools/plan/cli";
import { REPO_ROOT } from "../support/plan";

const FIXTURE = path.join(REPO_ROOT, "tests", "fixtures", "projects", "minimal");
const ADVISORY = ["--policy-pack-config", path.join(FIXTURE, "policy-advisory.json")];

async function runCli(args: string[]): Promise<{ code: number; out: string; err: string }> {
    let out = "";
    let err = "";
    const code = await runPlan(
        args,
        (s) => (out += s),
        (s) => (err += s),
        REPO_ROOT,
    );
    return { code, out, err };
}

/** Exit 2 with exactly one `error:` line block, no stack trace, and nothing printed on stdout. */
function assertUsage(result: { code: number; out: string; err: string }, pattern: RegExp): void {
    assert.equal(result.code, 2, `exit code\n${result.err}`);
    assert.match(result.err, pattern);
    assert.equal(result.err.match(/^error:/gm)?.length, 1, `one message expected:\n${result.err}`);
    assert.ok(!/\n\s+at /.test(result.err), `no stack trace expected:\n${result.err}`);
    assert.equal(result.out, "", "nothing rendered before the error");
}

const temps: string[] = [];
function tempDir(prefix: string): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), `${prefix}-`));
    temps.push(dir);
    return dir;
}

/** A copy of this project (program linked, not copied) with one extra stack file. */
function projectWithStack(stack: string, yaml: string): string {
    const dir = tempDir("bad-input");
    for (const f of ["Pulumi.yaml", "tsconfig.json"]) fs.copyFileSync(path.join(REPO_ROOT, f), path.join(dir, f));
    for (const d of ["infra", "components", "node_modules", "lambdas", "jobs"]) {
        if (fs.existsSync(path.join(REPO_ROOT, d))) fs.symlinkSync(path.join(REPO_ROOT, d), path.join(dir, d));
    }
    fs.writeFileSync(path.join(dir, `Pulumi.${stack}.yaml`), yaml);
    return dir;
}

/** The dev stack file with some lines added under `config:`. */
function devWith(extra: string): string {
    const dev = fs.readFileSync(path.join(REPO_ROOT, "Pulumi.dev.yaml"), "utf8");
    return dev.replace(/^config:\n/m, `config:\n${extra}`);
}

after(() => {
    for (const d of temps) fs.rmSync(d, { recursive: true, force: true });
});

describe("credential-free preview: bad input (CI-2, ENV-6)", () => {
    it("rejects an unknown aws: key such as aws:regin, naming the stack file and the key", async () => {
        const dir = projectWithStack("qa", devWith("  aws:regin: eu-west-1\n"));
        const result = await runCli(["--stack", "qa", "--cwd", dir, ...ADVISORY]);
        assertUsage(
            result,
            /^error: Pulumi\.qa\.yaml: invalid stack configuration \(1 problem\):\n {2}- aws:regin: unknown key of the aws provider; did you mean "aws:region"\?/,
        );
        assert.ok(!result.err.includes("eu-west-1"), "the value of an unknown key is not repeated");
    });

    it("does not repeat the value of an unknown key (it may be a secret under the wrong name)", async () => {
        const token = `tok${process.pid}x${Date.now()}`;
        const dir = projectWithStack("qa", devWith(`  bookbuddy:alarmHttpsEndpoint: https://hooks.example.com/${token}\n`));
        const result = await runCli(["--stack", "qa", "--cwd", dir, ...ADVISORY]);
        assertUsage(result, /bookbuddy:alarmHttpsEndpoint: unknown key; did you mean "bookbuddy:alarmHttpsEndpoints"\?/);
        assert.ok(!result.err.includes(token), result.err);
    });

    it("rejects a secure: value for a key that is not a secret instead of tagging resources with it (ENV-5, SEC-2)", async () => {
        const cipher = `v1:${Buffer.from(`c${process.pid}${Date.now()}`).toString("base64")}`;
        const dir = projectWithStack("qa", devWith(`  bookbuddy:extraTags:\n    team:\n      secure: ${cipher}\n`));
        const result = await runCli(["--stack", "qa", "--cwd", dir, ...ADVISORY]);
        assertUsage(result, /bookbuddy:extraTags: got "\[secret\]"; expected a plain value: this key is not a secret/);
        assert.ok(!result.err.includes(cipher), result.err);
    });

    it("rejects a baseline of another stack instead of comparing it as if it were the same", async () => {
        const dir = tempDir("baseline");
        const other = path.join(dir, "other.json");
        fs.writeFileSync(
            other,
            JSON.stringify({ steps: [{ op: "same", urn: "urn:pulumi:prod::fixture::pulumi:pulumi:Stack::fixture-prod" }] }),
        );
        assertUsage(
            await runCli(["--stack", "test", "--cwd", FIXTURE, "--baseline", other, ...ADVISORY]),
            /^error: --baseline .*other\.json: a preview of stack "prod" of project "fixture"; expected a preview of stack "test" of project "fixture"/,
        );
        const ours = path.join(dir, "ours.json");
        fs.writeFileSync(ours, JSON.stringify({ offline: { stack: "test", project: "another" }, steps: [] }));
        assertUsage(
            await runCli(["--stack", "test", "--cwd", FIXTURE, "--baseline", ours, ...ADVISORY]),
            /--baseline .*ours\.json: a preview of stack "test" of project "another"/,
        );
    });

    it("rejects an invalid policy config value with exit 2 naming the file, the policy and the property (POL-3)", async () => {
        const dir = tempDir("policy-config");
        const file = path.join(dir, "bad-level.json");
        fs.writeFileSync(file, JSON.stringify({ "rds-multi-az": "sometimes" }));
        assertUsage(
            await runCli(["--stack", "test", "--cwd", FIXTURE, "--policy-pack-config", file]),
            /^error: --policy-pack-config .*bad-level\.json: parsing enforcement level for "rds-multi-az": "sometimes" is not a valid enforcement level/,
        );
        const schema = path.join(dir, "bad-property.json");
        fs.writeFileSync(schema, JSON.stringify({ "backup-coverage": { databaseDays: "thirty" } }));
        assertUsage(
            await runCli(["--stack", "test", "--cwd", FIXTURE, "--policy-pack-config", schema]),
            /^error: --policy-pack-config .*bad-property\.json: policy pack configuration is invalid: backup-coverage: databaseDays: expected integer, got string/,
        );
    });

    it("rejects an unknown policy name in the policy config instead of ignoring it (POL-3)", async () => {
        const file = path.join(tempDir("policy-name"), "typo.json");
        fs.writeFileSync(file, JSON.stringify({ all: "advisory", "rds-multiaz": "advisory" }));
        assertUsage(
            await runCli(["--stack", "test", "--cwd", FIXTURE, "--policy-pack-config", file]),
            /^error: --policy-pack-config .*typo\.json: key "rds-multiaz": no policy of that name in bookbuddy-security or bookbuddy-maintenance/,
        );
    });

    it("rejects a malformed Pulumi.yaml under --cwd with one line naming the file", async () => {
        const dir = tempDir("malformed");
        fs.writeFileSync(path.join(dir, "Pulumi.yaml"), "name: broken\nruntime: nodejs\n  main: [unclosed\n");
        fs.writeFileSync(path.join(dir, "Pulumi.test.yaml"), "config: {}\n");
        const result = await runCli(["--stack", "test", "--cwd", dir]);
        assertUsage(result, /^error: .*Pulumi\.yaml: not valid YAML \(line \d+\): /);
        assert.equal(result.err.trimEnd().split("\n").length, 1, result.err);
        fs.writeFileSync(path.join(dir, "Pulumi.yaml"), "- just\n- a list\n");
        assertUsage(
            await runCli(["--stack", "test", "--cwd", dir]),
            /Pulumi\.yaml: expected a map with the keys name, runtime and main/,
        );
    });

    it("checks --json before rendering: a directory, a path under a file, a kernel file system", async () => {
        const dir = tempDir("json-target");
        assertUsage(
            await runCli(["--stack", "test", "--cwd", FIXTURE, "--json", dir, ...ADVISORY]),
            /^error: --json .*: is a directory; expected a path to a JSON file/,
        );
        const file = path.join(dir, "plain.txt");
        fs.writeFileSync(file, "x");
        assertUsage(
            await runCli(["--stack", "test", "--cwd", FIXTURE, "--json", path.join(file, "sub", "out.json"), ...ADVISORY]),
            /--json .*: .*plain\.txt is a file, not a directory/,
        );
        assertUsage(
            await runCli(["--stack", "test", "--cwd", FIXTURE, "--json", "/proc/bookbuddy/out.json", ...ADVISORY]),
            /--json \/proc\/bookbuddy\/out\.json: \/proc is on the proc kernel file system/,
        );
    });

    it("does not hang on --json under /proc when run as a command", () => {
        const started = Date.now();
        const run = spawnSync(
            process.execPath,
            [
                "-r",
                "./tools/ts-loader.cjs",
                "tools/plan/cli.ts",
                "--stack",
                "test",
                "--cwd",
                FIXTURE,
                "--json",
                "/proc/x/y.json",
                ...ADVISORY,
            ],
            {
                cwd: REPO_ROOT,
                encoding: "utf8",
                timeout: 30_000,
            },
        );
        assert.equal(run.signal, null, "the command must end on its own");
        assert.equal(run.status, 2, run.stderr);
        assert.match(run.stderr, /^error: --json \/proc\/x\/y\.json: \/proc is on the proc kernel file system/);
        assert.ok(Date.now() - started < 30_000);
    });
});
