/**
 * The first deploy of a stack (DEP-1): `bookbuddy:deploy.phase: runner` renders only what can be created
 * from outside the VPC (keys, network, the deploy runner and its identities) and nothing that needs the
 * private endpoints; the full stack then only adds to it. A stack whose deploying identity would end up
 * without access is refused before any resource, with exit 2 and one message naming file and key.
 */
import { strict as assert } from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as YAML from "yaml";
import { ConfigError, parseStackConfig } from "../../infra/config";
import { runPlan } from "../../tools/plan/cli";
import { checkDeployPath } from "../../tools/plan/deploy-path";
import { readProject, readStackConfig, renderProgram } from "../../tools/plan/render";
import { PlanDocument } from "../../tools/plan/types";
import { REPO_ROOT, ofType, renderedStack, resources, programModules } from "../support/plan";

/** The dev stack's configuration as the engine hands it over, with `bookbuddy:deploy` changed. */
function devConfig(deploy: (d: Record<string, unknown>) => void): { config: Record<string, string>; secretKeys: string[] } {
    const { config, secretKeys } = readStackConfig(REPO_ROOT, readProject(REPO_ROOT), "dev");
    const d = JSON.parse(config["bookbuddy:deploy"]);
    deploy(d);
    return { config: { ...config, "bookbuddy:deploy": JSON.stringify(d) }, secretKeys };
}

/** Renders the repository's program with a configuration map. */
function renderWith(config: Record<string, string>, secretKeys: string[]): Promise<PlanDocument> {
    return renderProgram(
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        () => require(path.join(REPO_ROOT, "infra", "index.ts")),
        { project: "bookbuddy", stack: "dev", config, secretKeys, freshModules: programModules },
    );
}

describe("first deploy: deploy.phase runner (DEP-1)", function () {
    this.timeout(240_000);
    let first: PlanDocument;
    let full: PlanDocument;

    before(async () => {
        const { config, secretKeys } = devConfig((d) => (d.phase = "runner"));
        first = await renderWith(config, secretKeys);
        full = await renderedStack("dev");
    });

    it("creates the network and the runner with its identities, and nothing behind the private endpoints", () => {
        const types = new Set(resources(first).map((r) => r.type));
        for (const t of [
            "aws:ec2/vpc:Vpc",
            "aws:ec2/natGateway:NatGateway",
            "aws:codebuild/project:Project",
            "aws:codebuild/webhook:Webhook",
            "aws:kms/key:Key",
        ]) {
            assert.ok(types.has(t), `the first deploy should create ${t}`);
        }
        const roles = ofType(first, "aws:iam/role:Role").map((r) => r.inputs.name);
        assert.ok(
            roles.includes("bookbuddy-dev-deploy") && roles.includes("bookbuddy-dev-preview"),
            `roles: ${roles.join(", ")}`,
        );
        const behind = resources(first).filter((r) => /^(kubernetes|postgresql):|^aws:(eks|rds|elasticache)\//.test(r.type));
        assert.deepEqual(
            behind.map((r) => r.urn),
            [],
        );
        assert.equal((first.outputs!.deploy as { phase: string }).phase, "runner");
        assert.equal(first.outputs!.clusterName, undefined);
    });

    it("is a subset of the full stack with the same URNs and inputs, so the next deploy only adds", () => {
        const fullByUrn = new Map(resources(full).map((r) => [r.urn, r]));
        assert.ok(resources(first).length < resources(full).length / 2);
        for (const r of resources(first)) {
            const later = fullByUrn.get(r.urn);
            assert.ok(later, `${r.urn} is missing from the full stack: the second deploy would delete it`);
            assert.deepEqual(later!.inputs, r.inputs, `${r.urn} changes between the first and the full deploy`);
        }
    });

    it("passes the deploy-path check: the runner reaches the internet; nothing private to reach yet", () => {
        const result = checkDeployPath(first);
        assert.deepEqual(
            result.checks.filter((c) => !c.ok),
            [],
        );
        assert.match(
            result.checks.map((c) => c.detail).join("\n"),
            /deploy\.phase is runner: 0 clusters and 0 databases to reach yet/,
        );
    });
});

describe("the deploying identity must get access (DEP-1, ENV-6)", () => {
    const base = () => devConfig(() => undefined);

    function problems(edit: (d: Record<string, unknown>) => void, extra: Record<string, string> = {}): string {
        const { config, secretKeys } = devConfig(edit);
        try {
            parseStackConfig("dev", { ...config, ...extra }, new Set(secretKeys));
        } catch (e) {
            assert.ok(e instanceof ConfigError, String(e));
            return e.message;
        }
        return "";
    }

    it("accepts the committed stack files", () => {
        for (const stack of ["dev", "staging", "prod"]) {
            const { config, secretKeys } = readStackConfig(REPO_ROOT, readProject(REPO_ROOT), stack);
            assert.equal(parseStackConfig(stack, config, new Set(secretKeys)).deploy.deployRoleName, `bookbuddy-${stack}-deploy`);
        }
        assert.ok(base().config["bookbuddy:deploy"]);
    });

    it("requires a declared deploying identity", () => {
        assert.match(
            problems((d) => delete d.deployRoleName),
            /^Pulumi\.dev\.yaml: invalid stack configuration \(1 problem\):\n {2}- bookbuddy:deploy\.deployRoleName: missing; expected a value \(required\)/,
        );
    });

    it("refuses the preview role as the deploying identity (it only gets a view policy)", () => {
        assert.match(
            problems((d) => (d.previewRoleName = d.deployRoleName)),
            /bookbuddy:deploy\.previewRoleName: got "bookbuddy-dev-deploy"; expected a role other than deploy\.deployRoleName/,
        );
    });

    it("refuses the deploy role listed again in cluster.adminRoleArns (EKS refuses a second entry)", () => {
        const { config } = base();
        const cluster = JSON.parse(config["bookbuddy:cluster"]);
        cluster.adminRoleArns = ["arn:aws:iam::123456789012:role/bookbuddy-dev-deploy"];
        assert.match(
            problems(() => undefined, { "bookbuddy:cluster": JSON.stringify(cluster) }),
            /bookbuddy:cluster\.adminRoleArns\[0\]: got ".*role\/bookbuddy-dev-deploy"; expected no entry for deploy\.deployRoleName/,
        );
    });

    it("npm run plan stops with exit 2 and one message before any resource when the stack file lacks it", async () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "first-deploy-"));
        for (const f of ["Pulumi.yaml"]) fs.copyFileSync(path.join(REPO_ROOT, f), path.join(dir, f));
        const doc = YAML.parseDocument(fs.readFileSync(path.join(REPO_ROOT, "Pulumi.dev.yaml"), "utf8"));
        doc.deleteIn(["config", "bookbuddy:deploy", "deployRoleName"]);
        fs.writeFileSync(path.join(dir, "Pulumi.dev.yaml"), doc.toString());
        for (const d of ["infra", "components", "lambdas", "node_modules"])
            fs.symlinkSync(path.join(REPO_ROOT, d), path.join(dir, d));
        let out = "";
        let err = "";
        const code = await runPlan(
            ["--stack", "dev", "--cwd", dir, "--quiet"],
            (s) => (out += s),
            (s) => (err += s),
            REPO_ROOT,
        );
        assert.equal(code, 2, err);
        assert.equal(out, "");
        assert.match(
            err,
            /^error: Pulumi\.dev\.yaml: invalid stack configuration \(1 problem\):\n {2}- bookbuddy:deploy\.deployRoleName: missing; expected a value \(required\): an IAM role name/,
        );
        assert.doesNotMatch(err, /\n\s+at /, "no stack trace");
    });
});
