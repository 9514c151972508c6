import { strict as assert } from "assert";
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { runPlan } from "../../tools/plan/cli";
import { renderStack } from "../../tools/plan/render";
import { PlanDocument } from "../../tools/plan/types";
import { REPO_ROOT, STACKS, nameOf, one, renderedStack, resources } from "../support/plan";

const FIXTURE = path.join(REPO_ROOT, "tests", "fixtures", "projects", "minimal");
/** The fixture breaks policies on purpose; this config turns every violation advisory. */
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

describe("credential-free preview: the JSON contract (CI-2)", () => {
    let doc: PlanDocument;
    before(async () => {
        doc = await renderStack({ projectDir: FIXTURE, stack: "test" });
    });

    it("renders another project through --cwd, with the engine's URNs for the stack, components and children", () => {
        const urns = doc.steps.map((s) => s.urn);
        assert.ok(urns.includes("urn:pulumi:test::fixture::pulumi:pulumi:Stack::fixture-test"));
        const shelf = one(doc, "fixture:index:Shelf");
        assert.equal(shelf.custom, false);
        assert.equal(shelf.urn, "urn:pulumi:test::fixture::fixture:index:Shelf::shelf");
        const topic = one(doc, "aws:sns/topic:Topic");
        assert.equal(topic.urn, "urn:pulumi:test::fixture::fixture:index:Shelf$aws:sns/topic:Topic::shelf-events");
        assert.equal(topic.parent, shelf.urn);
        assert.equal(shelf.parent, "urn:pulumi:test::fixture::pulumi:pulumi:Stack::fixture-test");
        assert.ok(doc.steps.every((s) => s.op === "create"));
        assert.deepEqual(doc.changeSummary, { create: doc.steps.length });
    });

    it("records providers, dependencies and property dependencies as registered", () => {
        const provider = one(doc, "pulumi:providers:aws");
        const topic = one(doc, "aws:sns/topic:Topic");
        assert.equal(topic.provider, `${provider.urn}::eu-provider-id`, "the component's providers map reaches its child");
        const token = one(doc, "aws:ssm/parameter:Parameter", "token");
        assert.deepEqual(token.propertyDependencies.description, [topic.urn]);
        assert.ok(token.dependencies.includes(topic.urn));
        const password = one(doc, "aws:ssm/parameter:Parameter", "password");
        assert.ok(password.dependencies.includes(token.urn), "dependsOn is kept");
        assert.match(
            topic.outputs!.arn as string,
            /^arn:aws:sns:eu-west-1:123456789012:shelf-events-[0-9a-f]{7}$/,
            "DR/other-region providers give ARNs in their region",
        );
    });

    it("writes every secret as [secret]: config secrets, generated values and secret outputs", () => {
        const token = one(doc, "aws:ssm/parameter:Parameter", "token");
        const password = one(doc, "aws:ssm/parameter:Parameter", "password");
        assert.equal(token.inputs.value, "[secret]");
        assert.equal(password.inputs.value, "[secret]");
        assert.equal(doc.outputs!.generated, "[secret]");
        const random = one(doc, "random:index/randomPassword:RandomPassword");
        assert.equal(random.outputs!.result, "[secret]");
        const text = JSON.stringify(doc);
        assert.ok(!text.includes("placeholder-ciphertext"), "secure values are neither decrypted nor copied");
        assert.ok(!/offline-[0-9a-f]{24}/.test(text), "the mocked random value never appears");
    });

    it("is deterministic", async () => {
        const again = await renderStack({ projectDir: FIXTURE, stack: "test" });
        assert.deepEqual(again, doc);
    });
});

describe("credential-free preview: the command (CI-2, ENV-6)", () => {
    it("prints the resource tree and counts per type, and writes the JSON", async () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "plan-"));
        const file = path.join(dir, "out.json");
        const { code, out } = await runCli(["--stack", "test", "--cwd", FIXTURE, "--json", file, ...ADVISORY]);
        assert.equal(code, 0);
        assert.match(out, /Previewing update \(test\) offline/);
        assert.match(out, / \+ {3}pulumi:pulumi:Stack\s+fixture-test\s+create/);
        assert.match(out, /├─ fixture:index:Shelf|└─ fixture:index:Shelf/);
        assert.match(out, /\+ \d+ to create/);
        assert.match(out, /aws:ssm\/parameter:Parameter\s+2/);
        const written = JSON.parse(fs.readFileSync(file, "utf8"));
        assert.ok(Array.isArray(written.steps) && written.steps.length > 0);
        assert.deepEqual(written.policyViolations, written.policyViolations ?? []);
        fs.rmSync(dir, { recursive: true });
    });

    it("prices the stack and compares it with a baseline, showing a changed setting as an update with its path", async () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "baseline-"));
        const base = path.join(dir, "base.json");
        assert.equal((await runCli(["--stack", "test", "--cwd", FIXTURE, "--json", base, "--quiet", ...ADVISORY])).code, 0);
        // The same project with one setting changed, as a pull request would change it.
        const changed = path.join(dir, "project");
        fs.mkdirSync(changed);
        for (const f of ["Pulumi.yaml", "program.ts"]) fs.copyFileSync(path.join(FIXTURE, f), path.join(changed, f));
        fs.writeFileSync(
            path.join(changed, "Pulumi.test.yaml"),
            fs.readFileSync(path.join(FIXTURE, "Pulumi.test.yaml"), "utf8").replace("label: books", "label: stories"),
        );
        fs.symlinkSync(path.join(REPO_ROOT, "node_modules"), path.join(changed, "node_modules"));
        const out = path.join(dir, "current.json");
        const { code, out: printed } = await runCli([
            "--stack",
            "test",
            "--cwd",
            changed,
            "--baseline",
            base,
            "--json",
            out,
            "--quiet",
            ...ADVISORY,
        ]);
        assert.equal(code, 0);
        assert.match(printed, /tags\.label/);
        assert.match(printed, /TOTAL/);
        const doc = JSON.parse(fs.readFileSync(out, "utf8"));
        const diff = doc.diff;
        assert.equal(diff.updates.length, 1);
        assert.match(diff.updates[0].urn, /aws:sns\/topic:Topic::shelf-events$/);
        assert.deepEqual(
            diff.updates[0].changes.map((c: { path: string }) => c.path),
            ["tags.label"],
        );
        assert.equal(diff.creates.length + diff.deletes.length + diff.replaces.length, 0);
        assert.equal(diff.cost.deltaMonthlyUsd, 0);
        assert.equal(typeof doc.cost.monthlyUsd, "number");
        assert.match(
            (await runCli(["--stack", "test", "--cwd", FIXTURE, "--baseline", path.join(dir, "missing.json")])).err,
            /--baseline .*missing\.json: cannot read the file/,
        );
        fs.rmSync(dir, { recursive: true });
    });

    it("runs both policy packs, groups violations by pack and level with URNs, and exits 3 on a mandatory one (POL-3)", async () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "policy-"));
        const file = path.join(dir, "out.json");
        const { code, out } = await runCli(["--stack", "test", "--cwd", FIXTURE, "--json", file, "--quiet"]);
        assert.equal(code, 3);
        assert.match(out, /Policy packs run: bookbuddy-security, bookbuddy-maintenance/);
        assert.match(
            out,
            /bookbuddy-security — mandatory \(\d+\):\n {2}\[mandatory\] sns-topic-encrypted \(high\)\n {6}urn:pulumi:test::fixture::fixture:index:Shelf\$aws:sns\/topic:Topic::shelf-events/,
        );
        assert.match(out, /Policy violations: \d+ mandatory, \d+ advisory/);
        const doc = JSON.parse(fs.readFileSync(file, "utf8"));
        const v = doc.policyViolations.find((x: { policy: string }) => x.policy === "sns-topic-encrypted");
        assert.deepEqual(Object.keys(v).sort(), ["enforcementLevel", "message", "policy", "policyPack", "severity", "urn"]);
        assert.equal(v.policyPack, "bookbuddy-security");
        assert.equal(v.enforcementLevel, "mandatory");
        // Choosing one pack runs only that pack; a config file can relax levels.
        const only = await runCli(["--stack", "test", "--cwd", FIXTURE, "--quiet", "--policy-pack", "policies/maintenance"]);
        assert.match(only.out, /Policy packs run: bookbuddy-maintenance\n/);
        assert.ok(!only.out.includes("sns-topic-encrypted"));
        assert.equal((await runCli(["--stack", "test", "--cwd", FIXTURE, "--quiet", ...ADVISORY])).code, 0);
        assert.match(
            (await runCli(["--stack", "test", "--policy-pack", "policies/other"])).err,
            /expected policies\/security or policies\/maintenance/,
        );
        fs.rmSync(dir, { recursive: true });
    });

    it("exits 2 with one clear message for a stack without a stack file", async () => {
        const { code, err } = await runCli(["--stack", "qa", "--cwd", FIXTURE]);
        assert.equal(code, 2);
        assert.match(err, /^error: Pulumi\.qa\.yaml: no such stack file in .*; known stacks: broken, test/);
    });

    it("exits 2 for usage mistakes", async () => {
        assert.equal((await runCli([])).code, 2);
        assert.equal((await runCli(["--stak", "dev"])).err, "error: unknown flag --stak (see --help)\n");
        assert.match((await runCli(["--stack"])).err, /--stack needs a value/);
        assert.match((await runCli(["--stack", "dev", "--quiet=yes"])).err, /--quiet takes no value/);
        assert.match((await runCli(["--stack", "dev", "--format", "html"])).err, /--format html: expected text or markdown/);
        assert.match((await runCli(["--stack=dev", "--cwd=" + os.tmpdir()])).err, /Pulumi\.yaml: not found/);
        assert.match((await runCli(["--stack", "dev", "--cwd", os.tmpdir()])).err, /Pulumi\.yaml: not found/);
    });

    it("answers --help with the usage text on stdout and exit 0 (CI-2)", async () => {
        const { code, out, err } = await runCli(["--help"]);
        assert.equal(code, 0);
        assert.equal(err, "");
        assert.match(out, /^usage: npm run plan -- --stack <name> \[flags\]\n/);
        for (const flag of [
            "-s, --stack <name>",
            "--json <file>",
            "--baseline <plan.json>",
            "--format text|markdown",
            "--policy-pack <dir>",
            "--quiet",
            "--help",
        ]) {
            assert.ok(out.includes(flag), `usage lacks ${flag}`);
        }
    });

    it("exits 1 with the trace when the program itself fails", async () => {
        const { code, err } = await runCli(["--stack", "broken", "--cwd", FIXTURE]);
        assert.equal(code, 1);
        assert.match(err, /the fixture program failed on purpose/);
    });

    it("stops a bad stack file before any resource, without a stack trace (ENV-6)", () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "badstack-"));
        for (const f of ["Pulumi.yaml", "tsconfig.json"]) fs.copyFileSync(path.join(REPO_ROOT, f), path.join(dir, f));
        fs.symlinkSync(path.join(REPO_ROOT, "infra"), path.join(dir, "infra"));
        fs.symlinkSync(path.join(REPO_ROOT, "components"), path.join(dir, "components"));
        fs.symlinkSync(path.join(REPO_ROOT, "node_modules"), path.join(dir, "node_modules"));
        fs.writeFileSync(
            path.join(dir, "Pulumi.qa.yaml"),
            "config:\n  aws:region: us-east-1\n  bookbuddy:owner: me\n  bookbuddy:costCenter: cc\n  bookbuddy:drRegion: us-west-2\n  bookbuddy:network:\n    azCount: 7\n",
        );
        let stderr = "";
        let status = 0;
        try {
            execFileSync(
                process.execPath,
                ["-r", "./tools/ts-loader.cjs", path.join(REPO_ROOT, "tools/plan/cli.ts"), "--stack", "qa", "--cwd", dir],
                {
                    cwd: REPO_ROOT,
                    stdio: ["ignore", "pipe", "pipe"],
                },
            );
        } catch (e) {
            const err = e as { status: number; stderr: Buffer };
            status = err.status;
            stderr = err.stderr.toString();
        }
        fs.rmSync(dir, { recursive: true });
        assert.equal(status, 2);
        assert.match(stderr, /^error: Pulumi\.qa\.yaml: invalid stack configuration \(\d+ problems\):/);
        assert.match(stderr, /bookbuddy:network\.azCount: got 7; expected an integer from 2 to 3/);
        assert.match(stderr, /bookbuddy:cluster: missing; expected a value \(required\)/);
        assert.ok(!/\n\s+at /.test(stderr), `no stack trace expected:\n${stderr}`);
    });
});

describe("credential-free preview: every stack (CI-2, ENV-1)", () => {
    for (const stack of STACKS) {
        it(`renders ${stack} with a consistent graph`, async () => {
            const doc = await renderedStack(stack);
            const urns = new Set(doc.steps.map((s) => s.urn));
            assert.equal(urns.size, doc.steps.length, "URNs are unique");
            for (const r of resources(doc)) {
                if (r.parent) assert.ok(urns.has(r.parent), `${r.urn}: parent ${r.parent} is not in the preview`);
                for (const d of r.dependencies) assert.ok(urns.has(d), `${nameOf(r)}: dependency ${d} is not in the preview`);
                for (const deps of Object.values(r.propertyDependencies)) for (const d of deps) assert.ok(urns.has(d));
                // Default providers are disabled for these packages (Pulumi.yaml): each resource names its provider.
                if (/^(aws|kubernetes|postgresql):/.test(r.type)) assert.ok(r.provider, `${r.urn} uses an explicit provider`);
            }
        });
    }

    it("tags every AWS resource through provider default tags (ENV-5)", async () => {
        for (const stack of STACKS) {
            const doc = await renderedStack(stack);
            for (const p of resources(doc).filter((r) => r.type === "pulumi:providers:aws")) {
                // Provider configuration reaches the engine as JSON text.
                const tags = JSON.parse(p.inputs.defaultTags as string).tags as Record<string, string>;
                assert.deepEqual(
                    {
                        environment: tags.environment,
                        service: tags.service,
                        owner: tags.owner,
                        "cost-center": tags["cost-center"],
                        "managed-by": tags["managed-by"],
                    },
                    {
                        environment: stack,
                        service: "bookbuddy",
                        owner: "platform-team",
                        "cost-center": "cc-1042",
                        "managed-by": "pulumi",
                    },
                );
            }
        }
    });
});

describe("credential-free preview: concurrent renders (CI-2)", () => {
    it("keeps stacks apart when renders are requested at the same time", async () => {
        const [a, b] = await Promise.all([
            renderStack({ projectDir: FIXTURE, stack: "test" }),
            renderStack({ projectDir: REPO_ROOT, stack: "dev" }),
        ]);
        assert.ok(a.steps.every((s) => s.urn.startsWith("urn:pulumi:test::fixture::")));
        assert.ok(b.steps.every((s) => s.urn.startsWith("urn:pulumi:dev::bookbuddy::")));
    });
});

describe("credential-free preview: the command as npm runs it (CI-2)", () => {
    it("loads through the caching TypeScript loader and writes the same document as an in-process render", () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "loader-"));
        const file = path.join(dir, "test.json");
        const run = () =>
            execFileSync(
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
                    file,
                    "--quiet",
                    ...ADVISORY,
                ],
                {
                    cwd: REPO_ROOT,
                    stdio: ["ignore", "pipe", "pipe"],
                },
            );
        run();
        const first = JSON.parse(fs.readFileSync(file, "utf8"));
        run(); // served from the loader's cache the second time
        assert.deepEqual(JSON.parse(fs.readFileSync(file, "utf8")), first);
        const cacheDir = path.join(REPO_ROOT, "node_modules", ".cache", "bookbuddy-ts");
        assert.ok(
            fs.readdirSync(cacheDir).some((f) => f.endsWith(".js")),
            "transpiled files are cached",
        );
        return renderStack({ projectDir: FIXTURE, stack: "test" }).then((doc) => {
            assert.deepEqual(first.steps, JSON.parse(JSON.stringify(doc.steps)));
            fs.rmSync(dir, { recursive: true });
        });
    });
});

describe("credential-free preview: cost of every stack (CI-2, ENV-4)", () => {
    it("prices every instance class the stacks use, and dev < staging <= prod", async () => {
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        const { estimateCost, unpricedInstanceClasses } = require("../../tools/plan/cost");
        const totals: Record<string, number> = {};
        for (const stack of STACKS) {
            const doc = await renderedStack(stack);
            assert.deepEqual(unpricedInstanceClasses(doc), [], `${stack} uses instance classes the price table lacks`);
            const cost = estimateCost(doc);
            totals[stack] = cost.monthlyUsd;
            for (const type of [
                "aws:eks/cluster:Cluster",
                "aws:eks/nodeGroup:NodeGroup",
                "aws:ec2/natGateway:NatGateway",
                "aws:rds/instance:Instance",
                "aws:elasticache/replicationGroup:ReplicationGroup",
            ]) {
                assert.ok(
                    cost.resources.some((r: { type: string; monthlyUsd: number }) => r.type === type && r.monthlyUsd > 0),
                    `${stack}: ${type} is priced`,
                );
            }
        }
        assert.ok(totals.dev < totals.staging && totals.staging <= totals.prod, JSON.stringify(totals));
    });
});
