import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { estimateCost } from "../../tools/plan/cost";
import { diffInputs, diffPlans } from "../../tools/plan/diff";
import { formatDiff } from "../../tools/plan/format-diff";
import { normalisePlan, urnType } from "../../tools/plan/normalise";
import { REPLACE_ON_CHANGES } from "../../tools/plan/replace-rules";
import { PlanDocument, PlanResourceState, SECRET_PLACEHOLDER } from "../../tools/plan/types";

const FIXTURES = path.join(__dirname, "fixtures");

function load(name: string): PlanDocument {
    return JSON.parse(fs.readFileSync(path.join(FIXTURES, name), "utf8")) as PlanDocument;
}

/** The newState of the step whose URN ends with `::<name>` and whose type is `type`. */
function state(doc: PlanDocument, type: string, name: string): PlanResourceState {
    const step = doc.steps.find((s) => s.urn.endsWith(`::${name}`) && (s.newState?.type ?? s.oldState?.type) === type);
    assert.ok(step?.newState, `fixture has no ${type} ${name}`);
    return step.newState;
}

const VPC = "aws:ec2/vpc:Vpc";
const SUBNET = "aws:ec2/subnet:Subnet";
const SG = "aws:ec2/securityGroup:SecurityGroup";
const RDS = "aws:rds/instance:Instance";
const REDIS = "aws:elasticache/replicationGroup:ReplicationGroup";
const EKS = "aws:eks/cluster:Cluster";

describe("CI-2 baseline diff: creates, deletes and updates with exact property paths", () => {
    const baseline = load("offline-dev.json");

    it("reports an identical document as all unchanged", () => {
        const diff = diffPlans(baseline, load("offline-dev.json"));
        assert.deepStrictEqual(
            [diff.creates.length, diff.updates.length, diff.replaces.length, diff.deletes.length, diff.notComparable.length],
            [0, 0, 0, 0, 0],
        );
        // 33 steps minus the root stack resource.
        assert.strictEqual(diff.unchanged, 32);
        assert.deepStrictEqual(diff.baseline, { format: "offline", complete: true, resources: 32 });
    });

    it("finds a new resource, a removed one and deep property changes", () => {
        const current = load("offline-dev.json");
        (state(current, VPC, "dev-vpc").inputs.tags as Record<string, string>).environment = "development";
        const sg = state(current, SG, "dev-endpoints").inputs as { ingress: { cidrBlocks: string[] }[] };
        sg.ingress[0].cidrBlocks[1] = "10.40.0.0/16";
        sg.ingress[0].cidrBlocks.push("10.50.0.0/16");
        const subnetTags = state(current, SUBNET, "dev-private-a").inputs.tags as Record<string, string | undefined>;
        subnetTags["kubernetes.io/role/internal-elb"] = undefined;
        delete subnetTags["kubernetes.io/role/internal-elb"];
        const bucketUrn = "urn:pulumi:dev::bookbuddy::bookbuddy:storage:MediaStorage$aws:s3/bucket:Bucket::dev-media";
        current.steps.push({
            op: "create",
            urn: bucketUrn,
            newState: {
                type: "aws:s3/bucket:Bucket",
                urn: bucketUrn,
                custom: true,
                inputs: { bucket: "bookbuddy-dev-media" },
                dependencies: [],
                propertyDependencies: {},
            },
        });
        current.steps = current.steps.filter((s) => !s.urn.endsWith("::dev-rds-cpu"));

        const diff = diffPlans(baseline, current);
        assert.deepStrictEqual(diff.creates, [{ urn: bucketUrn, type: "aws:s3/bucket:Bucket", name: "dev-media" }]);
        assert.deepStrictEqual(
            diff.deletes.map((d) => [d.type, d.name]),
            [["aws:cloudwatch/metricAlarm:MetricAlarm", "dev-rds-cpu"]],
        );
        assert.deepStrictEqual(diff.replaces, []);
        const byName = Object.fromEntries(diff.updates.map((u) => [u.name, u.changes]));
        assert.deepStrictEqual(Object.keys(byName).sort(), ["dev-endpoints", "dev-private-a", "dev-vpc"]);
        assert.deepStrictEqual(byName["dev-vpc"], [{ path: "tags.environment", kind: "update", old: "dev", new: "development" }]);
        assert.deepStrictEqual(byName["dev-endpoints"], [
            { path: "ingress[0].cidrBlocks[1]", kind: "update", old: "10.30.0.0/16", new: "10.40.0.0/16" },
            { path: "ingress[0].cidrBlocks[2]", kind: "add", new: "10.50.0.0/16" },
        ]);
        assert.deepStrictEqual(byName["dev-private-a"], [
            { path: 'tags["kubernetes.io/role/internal-elb"]', kind: "delete", old: "1" },
        ]);
        assert.strictEqual(diff.unchanged, 32 - 1 - 3);
    });

    it("keeps the result JSON-serialisable and prints every change with its path", () => {
        const current = load("offline-dev.json");
        (state(current, VPC, "dev-vpc").inputs.tags as Record<string, string>).environment = "development";
        current.steps = current.steps.filter((s) => !s.urn.endsWith("::dev-rds-cpu"));
        const diff = diffPlans(baseline, current);
        assert.deepStrictEqual(JSON.parse(JSON.stringify(diff)), diff);
        const text = formatDiff(diff);
        assert.match(text, /~ 1 to update/);
        assert.match(text, /- 1 to delete/);
        assert.ok(text.includes('~ tags.environment: "dev" => "development"'), text);
        assert.ok(text.includes("- aws:cloudwatch/metricAlarm:MetricAlarm dev-rds-cpu"), text);
    });

    it("compares arrays by index and objects by key, ignoring key order", () => {
        assert.deepStrictEqual(diffInputs({ a: { x: 1, y: [1, 2] } }, { a: { y: [1, 2], x: 1 } }), []);
        assert.deepStrictEqual(diffInputs({ list: [1, 2, 3] }, { list: [1, 3] }), [
            { path: "list[1]", kind: "update", old: 2, new: 3 },
            { path: "list[2]", kind: "delete", old: 3 },
        ]);
        assert.deepStrictEqual(diffInputs({}, { spec: { replicas: 2 } }), [{ path: "spec", kind: "add", new: { replicas: 2 } }]);
    });
});

describe("CI-2 baseline diff: replacements forced by a changed property", () => {
    const baseline = load("offline-dev.json");

    it("reports a subnet CIDR change as a replacement with its source", () => {
        const current = load("offline-dev.json");
        state(current, SUBNET, "dev-private-b").inputs.cidrBlock = "10.20.48.0/20";
        const diff = diffPlans(baseline, current);
        assert.deepStrictEqual(diff.updates, []);
        assert.strictEqual(diff.replaces.length, 1);
        const r = diff.replaces[0];
        assert.strictEqual(r.name, "dev-private-b");
        assert.deepStrictEqual(r.changes, [
            { path: "cidrBlock", kind: "update", old: "10.20.32.0/20", new: "10.20.48.0/20", forcesReplacement: true },
        ]);
        assert.deepStrictEqual(
            r.replaceReasons.map((x) => x.property),
            ["cidrBlock"],
        );
        assert.match(r.replaceReasons[0].source, /vpc_subnet\.go/);
        const text = formatDiff(diff);
        assert.match(text, /\+- 1 to replace/);
        assert.ok(text.includes('~ cidrBlock: "10.20.32.0/20" => "10.20.48.0/20"  (forces replacement)'), text);
    });

    it("updates an RDS instance class in place but replaces on a new KMS key", () => {
        const resize = load("offline-dev.json");
        state(resize, RDS, "dev-postgres").inputs.instanceClass = "db.t4g.small";
        const d1 = diffPlans(baseline, resize);
        assert.deepStrictEqual([d1.updates.length, d1.replaces.length], [1, 0]);

        const rekey = load("offline-dev.json");
        state(rekey, RDS, "dev-postgres").inputs.kmsKeyId = "arn:aws:kms:us-east-1:123456789012:key/other";
        const d2 = diffPlans(baseline, rekey);
        assert.deepStrictEqual([d2.updates.length, d2.replaces.length], [0, 1]);
        assert.deepStrictEqual(
            d2.replaces[0].replaceReasons.map((x) => x.property),
            ["kmsKeyId"],
        );
    });

    it("replaces an EKS cluster only when envelope encryption is removed, not when its key changes", () => {
        const rekey = load("offline-dev.json");
        (state(rekey, EKS, "dev-eks").inputs.encryptionConfig as { provider: { keyArn: string } }).provider.keyArn = "arn:other";
        assert.deepStrictEqual(diffPlans(baseline, rekey).replaces, []);

        const removed = load("offline-dev.json");
        delete state(removed, EKS, "dev-eks").inputs.encryptionConfig;
        const diff = diffPlans(baseline, removed);
        assert.deepStrictEqual(
            diff.replaces.map((r) => r.replaceReasons.map((x) => x.property)),
            [["encryptionConfig"]],
        );
    });

    it("replaces a Redis group on a transit-encryption change only below engine 7.0.5", () => {
        const modern = load("offline-dev.json");
        state(modern, REDIS, "dev-redis").inputs.transitEncryptionEnabled = false;
        const d1 = diffPlans(baseline, modern);
        assert.deepStrictEqual([d1.updates.length, d1.replaces.length], [1, 0]);

        const old = load("offline-dev.json");
        const oldBaseline = load("offline-dev.json");
        state(oldBaseline, REDIS, "dev-redis").inputs.engineVersion = "6.2";
        state(old, REDIS, "dev-redis").inputs.engineVersion = "6.2";
        state(old, REDIS, "dev-redis").inputs.transitEncryptionEnabled = false;
        const d2 = diffPlans(oldBaseline, old);
        assert.deepStrictEqual([d2.updates.length, d2.replaces.length], [0, 1]);
    });

    it("names a source for every rule of the replacement table", () => {
        for (const [type, { rules }] of Object.entries(REPLACE_ON_CHANGES)) {
            for (const rule of rules) {
                assert.ok(rule.source.length > 10, `${type}.${rule.property} has no source`);
                assert.match(rule.property, /^[a-z][A-Za-z0-9]*(\.[a-z][A-Za-z0-9]*)*$/, `${type}: ${rule.property}`);
            }
        }
    });
});

describe("CI-2 baseline diff: secrets stay redacted (SEC-2)", () => {
    const baseline = load("offline-dev.json");

    it("treats a placeholder on both sides of two offline documents as unchanged", () => {
        const diff = diffPlans(baseline, load("offline-dev.json"));
        assert.strictEqual(state(baseline, REDIS, "dev-redis").inputs.authToken, SECRET_PLACEHOLDER);
        assert.strictEqual(diff.updates.length, 0);
    });

    it("reports a value turning secret as a changed secret without either value", () => {
        const plain = load("offline-dev.json");
        state(plain, REDIS, "dev-redis").inputs.authToken = "example-token-not-a-real-one";
        const diff = diffPlans(plain, baseline);
        assert.deepStrictEqual(
            diff.updates.map((u) => u.changes),
            [[{ path: "authToken", kind: "update", secret: true }]],
        );
        const json = JSON.stringify(diff);
        const text = formatDiff(diff);
        assert.ok(!json.includes("example-token-not-a-real-one"), json);
        assert.ok(!text.includes("example-token-not-a-real-one"), text);
        assert.ok(text.includes("~ authToken: [secret] (changed)"), text);
    });

    it("reports a secret as changed when the current engine preview says it changed", () => {
        const diff = diffPlans(baseline, load("engine-preview-dev.json"));
        const redis = diff.updates.find((u) => u.type === REDIS);
        assert.deepStrictEqual(redis?.changes, [{ path: "authToken", kind: "update", secret: true }]);
    });

    it("redacts engine secret envelopes nested in inputs", () => {
        const current = load("offline-dev.json");
        const env = state(current, "kubernetes:apps/v1:Deployment", "dev-api").inputs.spec as {
            template: { spec: { containers: { env: unknown[] }[] } };
        };
        env.template.spec.containers[0].env.push({
            name: "TOKEN",
            value: { "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", ciphertext: "opaque" },
        });
        const diff = diffPlans(baseline, current);
        const change = diff.updates[0].changes[0];
        assert.strictEqual(change.path, "spec.template.spec.containers[0].env[2]");
        assert.deepStrictEqual(change.new, { name: "TOKEN", value: SECRET_PLACEHOLDER });
        assert.strictEqual(change.secret, true);
        assert.ok(!JSON.stringify(diff).includes("opaque"));
    });
});

describe("CI-2 baseline diff: real engine preview JSON (pulumi preview --json)", () => {
    const engine = load("engine-preview-dev.json");
    const offline = load("offline-dev.json");

    it("normalises engine steps to the after-state and leaves out the stack and default providers", () => {
        const plan = normalisePlan(engine);
        assert.strictEqual(plan.format, "engine");
        assert.strictEqual(plan.complete, true);
        const types = [...plan.resources.values()].map((r) => r.type);
        assert.ok(!types.includes("pulumi:pulumi:Stack"));
        assert.ok(!types.some((t) => t.startsWith("pulumi:providers:")));
        // the deleted log group is gone after the preview; the created rule exists
        assert.ok(!types.includes("aws:cloudwatch/logGroup:LogGroup"));
        assert.ok(types.includes("aws:ec2/securityGroupRule:SecurityGroupRule"));
        assert.strictEqual(plan.resources.size, 32);
        assert.strictEqual(urnType(engine.steps[1].urn), engine.steps[1].newState?.type);
    });

    it("diffs an engine baseline against the current offline preview", () => {
        const diff = diffPlans(engine, offline);
        assert.deepStrictEqual(diff.baseline, { format: "engine", complete: true, resources: 32 });
        assert.deepStrictEqual([diff.creates, diff.deletes, diff.replaces], [[], [], []]);
        assert.deepStrictEqual(
            diff.updates.map((u) => [u.name, u.changes]),
            [
                ["dev-postgres", [{ path: "instanceClass", kind: "update", old: "db.t4g.small", new: "db.t4g.micro" }]],
                ["dev-vpc", [{ path: "tags.owner", kind: "update", old: "platform-old", new: "platform" }]],
            ],
        );
    });

    it("marks resources as not comparable when the engine preview hides unchanged ones", () => {
        const changedOnly: PlanDocument = { ...engine, steps: engine.steps.filter((s) => s.op !== "same") };
        const diff = diffPlans(changedOnly, offline);
        assert.strictEqual(diff.baseline.complete, false);
        assert.deepStrictEqual(diff.creates, []);
        assert.strictEqual(diff.notComparable.length, 30);
        assert.match(diff.notComparable[0].reason, /--show-sames/);
        assert.match(formatDiff(diff), /\? 30 not comparable/);
    });
});

describe("CI-2 baseline diff: monthly cost delta", () => {
    it("shows the delta between the documents' cost estimates", () => {
        const baseline = load("offline-dev.json");
        const current = load("offline-dev.json");
        state(current, RDS, "dev-postgres").inputs.multiAz = true;
        baseline.cost = estimateCost(baseline);
        current.cost = estimateCost(current);
        const diff = diffPlans(baseline, current);
        // db.t4g.micro 0.016/h × 730 = 11.68 and 20 GB × 0.115 = 2.30 are doubled by Multi-AZ.
        assert.deepStrictEqual(diff.cost, { baselineMonthlyUsd: 237.63, currentMonthlyUsd: 251.61, deltaMonthlyUsd: 13.98 });
        assert.ok(formatDiff(diff).includes("Monthly cost: $237.63 -> $251.61 (+$13.98)"));
    });

    it("estimates a missing side when given an estimator, and says when no delta is available", () => {
        const engine = load("engine-preview-dev.json");
        const offline = load("offline-dev.json");
        const none = diffPlans(engine, offline);
        assert.strictEqual(none.cost, undefined);
        assert.match(formatDiff(none), /Monthly cost delta: not available/);
        const diff = diffPlans(engine, offline, { estimate: (doc) => estimateCost(doc) });
        // the baseline ran db.t4g.small (0.032/h) where the current runs db.t4g.micro (0.016/h)
        assert.deepStrictEqual(diff.cost, { baselineMonthlyUsd: 249.31, currentMonthlyUsd: 237.63, deltaMonthlyUsd: -11.68 });
        assert.ok(formatDiff(diff).includes("(-$11.68)"));
    });
});
