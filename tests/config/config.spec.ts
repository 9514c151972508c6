import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import * as YAML from "yaml";
import { ConfigError, parseStackConfig } from "../../infra/config";
import { schema } from "../../infra/config/schema";
import { Field } from "../../infra/config/spec";
import { readProject, readStackConfig } from "../../tools/plan/render";
import { REPO_ROOT, STACKS } from "../support/plan";

/** A valid configuration map as the engine hands it over: the dev stack's, with the cluster group replaced. */
function base(): Record<string, string> {
    const { config } = readStackConfig(REPO_ROOT, readProject(REPO_ROOT), "dev");
    return {
        ...config,
        "bookbuddy:cluster": JSON.stringify({
            version: "1.33",
            nodeGroups: [{ name: "general", instanceTypes: ["m7i.large"], minSize: 1, desiredSize: 2, maxSize: 3 }],
        }),
    };
}

function problemsOf(raw: Record<string, string>, secretKeys: string[] = []): ConfigError {
    try {
        parseStackConfig("qa", raw, new Set(secretKeys));
    } catch (e) {
        assert.ok(e instanceof ConfigError, `expected a ConfigError, got ${e}`);
        return e as ConfigError;
    }
    assert.fail("expected the configuration to be rejected");
}

describe("stack configuration (ENV-6)", () => {
    it("accepts a valid configuration and fills every default", () => {
        const raw = base();
        delete raw["bookbuddy:network"];
        const cfg = parseStackConfig("qa", raw);
        assert.equal(cfg.stack, "qa");
        assert.equal(cfg.region, "us-east-1");
        assert.equal(cfg.network.azCount, 3);
        assert.equal(cfg.network.natGateways, "perAz");
        assert.equal(cfg.network.cidr, "10.0.0.0/16");
        assert.equal(cfg.network.flowLogRetentionDays, 90);
        assert.equal(cfg.cluster.nodeGroups[0].capacityType, "ON_DEMAND");
        assert.equal(cfg.cluster.nodeGroups[0].diskSizeGb, 50);
        assert.equal(cfg.cluster.endpointPublicAccess, false);
        assert.deepEqual(cfg.registry.repositories, ["api", "web"]);
        assert.equal(cfg.registry.keepImages, 30);
    });

    it("names the stack file and the key of an unknown key, with a hint, and never repeats its value", () => {
        const err = problemsOf({ ...base(), "bookbuddy:netwrk": JSON.stringify({ azCount: 2 }) });
        assert.equal(err.problems.length, 1, err.message);
        assert.equal(err.stackFile, "Pulumi.qa.yaml");
        assert.match(err.message, /^Pulumi\.qa\.yaml: invalid stack configuration \(1 problem\):/);
        assert.match(err.message, /bookbuddy:netwrk: unknown key; did you mean "bookbuddy:network"\?/);
        assert.doesNotMatch(err.message, /azCount/);
    });

    it("does not repeat the value of a mistyped key, which may be a secret under the wrong name (ENV-6, SEC-2)", () => {
        const value = `tok-${process.pid}-${Date.now()}`;
        for (const raw of [
            { ...base(), "bookbuddy:alarmHttpsEndpoint": value },
            { ...base(), "bookbuddy:network": JSON.stringify({ azCount: 2, token: value }) },
            { ...base(), "bookbudy:owner": value },
        ]) {
            const err = problemsOf(raw);
            assert.ok(!err.message.includes(value), err.message);
        }
    });

    it("rejects an unknown key of the AWS provider such as aws:regin, with the provider's own key list (ENV-6)", () => {
        const err = problemsOf({ ...base(), "aws:regin": "eu-west-1" });
        assert.equal(err.problems.length, 1, err.message);
        assert.match(err.message, /aws:regin: unknown key of the aws provider; did you mean "aws:region"\?/);
        assert.doesNotMatch(err.message, /eu-west-1/);
        // Real provider keys pass: they are read from the pinned @pulumi/aws package.
        parseStackConfig("qa", { ...base(), "aws:skipCredentialsValidation": "true", "aws:defaultTags": "{}" });
    });

    it("rejects a secure: value given for a key that is not a secret, without showing it (ENV-5, SEC-2)", () => {
        const err = problemsOf({ ...base(), "bookbuddy:extraTags": JSON.stringify({ team: "[secret]" }) }, [
            "bookbuddy:extraTags",
        ]);
        assert.equal(err.problems.length, 1, err.message);
        assert.match(err.message, /bookbuddy:extraTags: got "\[secret\]"; expected a plain value: this key is not a secret/);
        // Keys that hold secrets still take them.
        const cfg = parseStackConfig(
            "qa",
            { ...base(), "bookbuddy:alarmHttpsEndpoints": JSON.stringify(["https://hooks.example.com/x"]) },
            new Set(["bookbuddy:alarmHttpsEndpoints"]),
        );
        assert.equal(cfg.alarmHttpsEndpoints.length, 1);
    });

    it("rejects unknown nested keys with the known keys listed", () => {
        const err = problemsOf({ ...base(), "bookbuddy:network": JSON.stringify({ natGateway: "single" }) });
        assert.equal(err.problems.length, 1);
        assert.equal(err.problems[0].key, "bookbuddy:network.natGateway");
        assert.match(err.message, /did you mean "natGateways"\?/);
    });

    it("rejects wrong types and out-of-range values", () => {
        const err = problemsOf({
            ...base(),
            "bookbuddy:network": JSON.stringify({ azCount: 5, natGateways: "many", cidr: "10.0.0.1/16" }),
            "bookbuddy:registry": JSON.stringify({ keepImages: "thirty" }),
        });
        assert.equal(err.problems.length, 4, err.message);
        const byKey = Object.fromEntries(err.problems.map((p) => [p.key, p]));
        assert.equal(byKey["bookbuddy:network.azCount"].given, 5);
        assert.equal(byKey["bookbuddy:network.azCount"].expected, "an integer from 2 to 3");
        assert.match(byKey["bookbuddy:network.natGateways"].expected, /one of "single", "perAz"/);
        assert.match(byKey["bookbuddy:network.cidr"].expected, /host bits must be zero/);
        assert.equal(byKey["bookbuddy:registry.keepImages"].expected, "an integer from 5 to 1000");
        assert.match(err.message, /\(4 problems\)/);
    });

    it("reports missing required keys, including aws:region", () => {
        const raw = base();
        delete raw["bookbuddy:owner"];
        delete raw["aws:region"];
        const err = problemsOf(raw);
        const keys = err.problems.map((p) => p.key).sort();
        assert.deepEqual(keys, ["aws:region", "bookbuddy:owner"]);
        assert.match(err.message, /bookbuddy:owner: missing; expected a value \(required\)/);
    });

    it("reports a stack with no configuration at all with every required key", () => {
        const err = problemsOf({});
        const keys = err.problems.map((p) => p.key);
        for (const k of ["aws:region", "bookbuddy:owner", "bookbuddy:costCenter", "bookbuddy:drRegion", "bookbuddy:cluster"])
            assert.ok(keys.includes(k), k);
    });

    it("rejects keys of foreign namespaces it does not know", () => {
        const err = problemsOf({ ...base(), "bookbuddyy:owner": "x" });
        assert.equal(err.problems[0].key, "bookbuddyy:owner");
    });

    it("checks relations between keys (node group sizes, public endpoint, DR region)", () => {
        const raw = base();
        raw["bookbuddy:drRegion"] = "us-east-1";
        raw["bookbuddy:cluster"] = JSON.stringify({
            version: "1.33",
            endpointPublicAccess: true,
            nodeGroups: [
                { name: "a", instanceTypes: ["m7i.large"], minSize: 3, desiredSize: 1, maxSize: 2 },
                { name: "a", instanceTypes: ["m7i.large"], minSize: 1, desiredSize: 1, maxSize: 2 },
            ],
        });
        const err = problemsOf(raw);
        const keys = err.problems.map((p) => p.key).sort();
        assert.deepEqual(keys, [
            "bookbuddy:cluster.nodeGroups",
            "bookbuddy:cluster.nodeGroups[0]",
            "bookbuddy:cluster.publicAccessCidrs",
            "bookbuddy:drRegion",
        ]);
    });

    it("refuses a world-open public API endpoint (K8S-1)", () => {
        const raw = base();
        raw["bookbuddy:cluster"] = JSON.stringify({
            version: "1.33",
            endpointPublicAccess: true,
            publicAccessCidrs: ["0.0.0.0/0"],
            nodeGroups: [{ name: "a", instanceTypes: ["m7i.large"], minSize: 1, desiredSize: 1, maxSize: 2 }],
        });
        const err = problemsOf(raw);
        assert.equal(err.problems[0].key, "bookbuddy:cluster.publicAccessCidrs[0]");
    });

    it("coerces top-level scalars the engine passes as strings", () => {
        const cfg = parseStackConfig("qa", { ...base(), "bookbuddy:service": "books" });
        assert.equal(cfg.service, "books");
    });

    it("documents every key with a doc line and requirement IDs on each top-level group", () => {
        const walk = (f: Field<unknown>, key: string) => {
            assert.ok(f.doc && f.doc.length > 5, `${key} has no doc`);
            const fields = (f as unknown as { fields?: Record<string, Field<unknown>> }).fields;
            if (fields) for (const [k, sub] of Object.entries(fields)) walk(sub, `${key}.${k}`);
        };
        for (const [key, f] of Object.entries(schema)) {
            walk(f as Field<unknown>, key);
            assert.ok((f as Field<unknown>).ids.length > 0, `${key} cites no requirement ID`);
        }
    });

    for (const stack of STACKS) {
        it(`the ${stack} stack file is valid and sets only keys the schema knows`, () => {
            const project = readProject(REPO_ROOT);
            const { config, secretKeys } = readStackConfig(REPO_ROOT, project, stack);
            const cfg = parseStackConfig(stack, config, new Set(secretKeys));
            assert.equal(cfg.stack, stack);
            const doc = YAML.parse(fs.readFileSync(path.join(REPO_ROOT, `Pulumi.${stack}.yaml`), "utf8"));
            for (const key of Object.keys(doc.config)) assert.match(key, /^(aws|bookbuddy):/);
        });
    }

    it("dev is cheap and prod highly available (ENV-3, ENV-4)", () => {
        const project = readProject(REPO_ROOT);
        const load = (s: string) => {
            const { config, secretKeys } = readStackConfig(REPO_ROOT, project, s);
            return parseStackConfig(s, config, new Set(secretKeys));
        };
        const dev = load("dev");
        const prod = load("prod");
        assert.equal(dev.network.natGateways, "single");
        assert.equal(dev.network.azCount, 2);
        assert.equal(prod.network.natGateways, "perAz");
        assert.equal(prod.network.azCount, 3);
        assert.ok(prod.cluster.nodeGroups.every((g) => g.capacityType === "ON_DEMAND" && g.minSize >= 2));
    });
});

describe("configuration reference (ENV-6, DOC-1)", () => {
    it("docs/configuration.md is generated from the schema and current", () => {
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        const { configurationDoc, CONFIG_DOC } = require("../../tools/config-docs");
        const committed = fs.readFileSync(CONFIG_DOC, "utf8");
        assert.equal(committed, configurationDoc(), "run: node -r ts-node/register/transpile-only tools/config-docs.ts --write");
        for (const key of Object.keys(schema)) assert.ok(committed.includes(`| \`bookbuddy:${key}\` |`), key);
    });
});
