import * as assert from "assert";
import * as aws from "@pulumi/aws";
import type { PackModule } from "../../tools/policy/runner";
import { builtinPack, runPolicyPacks } from "../../tools/policy/runner";
import { rdsOk } from "./cases";
import { WIRE, resource } from "./harness";

const tags = { environment: "dev", service: "bookbuddy", owner: "platform", "cost-center": "cc-42", "managed-by": "pulumi" };
const provider = resource("pulumi:providers:aws", "aws", { region: "eu-west-1", defaultTags: JSON.stringify({ tags }) });

describe("policy packs: the offline runner the preview calls (POL-3, CI-2)", () => {
    it("runs both packs with the stack's config and reports engine-shaped violations", async () => {
        const db = resource(
            "aws:rds/instance:Instance",
            "db",
            { ...rdsOk, multiAz: false, storageEncrypted: false },
            { provider },
        );
        const violations = await runPolicyPacks([provider, db], { packs: ["security", "maintenance"], stack: "dev" });
        const encrypted = violations.find((v) => v.policy === "rds-storage-encrypted-cmk");
        assert.deepStrictEqual(encrypted, {
            policyPack: "bookbuddy-security",
            policy: "rds-storage-encrypted-cmk",
            enforcementLevel: "mandatory",
            urn: db.urn,
            message: "RDS instances encrypt storage with a customer-managed KMS key.\nstorageEncrypted must be true.",
            severity: "critical",
        });
        const multiAz = violations.find((v) => v.policy === "rds-multi-az");
        assert.strictEqual(multiAz?.enforcementLevel, "advisory", "dev relaxes Multi-AZ to advisory");
        assert.strictEqual(multiAz?.policyPack, "bookbuddy-maintenance");
    });

    it("applies prod's stricter levels and thresholds", async () => {
        const db = resource(
            "aws:rds/instance:Instance",
            "db",
            { ...rdsOk, multiAz: false, backupRetentionPeriod: 7 },
            { provider },
        );
        const violations = await runPolicyPacks([provider, db], { packs: ["maintenance"], stack: "prod" });
        assert.deepStrictEqual(
            violations
                .filter((v) => v.urn === db.urn)
                .map((v) => [v.policy, v.enforcementLevel])
                .sort(),
            [
                ["backup-coverage", "mandatory"],
                ["data-store-alarms", "mandatory"],
                ["rds-backup-retention", "mandatory"],
                ["rds-multi-az", "mandatory"],
            ],
        );
    });

    it("honours a passed config: per-policy level, properties, `all` and `disabled`", async () => {
        const group = resource(
            "aws:cloudwatch/logGroup:LogGroup",
            "api",
            { name: "/api", retentionInDays: 30, kmsKeyId: "k" },
            { provider },
        );
        const run = (config: Record<string, unknown>) =>
            runPolicyPacks([provider, group], { packs: ["maintenance"], stack: "none", config });
        assert.deepStrictEqual(
            (await run({})).map((v) => [v.policy, v.enforcementLevel]),
            [["log-group-retention", "mandatory"]],
        );
        assert.deepStrictEqual(await run({ "log-group-retention": { minDays: 30 } }), []);
        assert.deepStrictEqual(
            (await run({ all: "advisory" })).map((v) => v.enforcementLevel),
            ["advisory"],
        );
        assert.deepStrictEqual(
            (await run({ all: "advisory", "log-group-retention": "remediate" })).map((v) => v.enforcementLevel),
            ["mandatory"],
        );
        assert.deepStrictEqual(await run({ "log-group-retention": "disabled" }), []);
        await assert.rejects(run({ "log-group-retention": { minDays: -1 } }), /minDays: must be >= 1/);
    });

    it("fails closed on values unknown in the preview: a violation at the rule's level, advisory 'can't run during preview' only where a stack relaxes it (POL-4)", async () => {
        const db = resource(
            "aws:rds/instance:Instance",
            "db",
            { ...rdsOk, storageEncrypted: WIRE.unknown, publiclyAccessible: true },
            { provider },
        );
        const violations = await runPolicyPacks([provider, db], { packs: ["security"], stack: "prod" });
        const mine = violations.filter((v) => v.policy === "rds-storage-encrypted-cmk");
        assert.strictEqual(mine.length, 1);
        assert.strictEqual(mine[0].enforcementLevel, "mandatory");
        assert.match(
            mine[0].message,
            /\nrds-storage-encrypted-cmk cannot judge storageEncrypted: the value stays unknown in the preview, and rules fail closed/,
        );
        assert.ok(violations.some((v) => v.policy === "rds-not-publicly-accessible" && v.enforcementLevel === "mandatory"));

        const relaxed = await runPolicyPacks([provider, db], {
            packs: ["security"],
            stack: "dev",
            config: { "rds-storage-encrypted-cmk": { unknowns: "advisory" } },
        });
        const advisory = relaxed.filter((v) => v.policy === "rds-storage-encrypted-cmk");
        assert.strictEqual(advisory.length, 1);
        assert.strictEqual(advisory[0].enforcementLevel, "advisory");
        assert.match(
            advisory[0].message,
            /^can't run policy 'rds-storage-encrypted-cmk' from policy pack 'bookbuddy-security@v0\.1\.0' during preview: .*storageEncrypted/,
        );

        const exempted = await runPolicyPacks([provider, db], {
            packs: ["security"],
            stack: "prod",
            config: {
                all: "mandatory",
                "rds-storage-encrypted-cmk": {
                    exemptions: [{ resource: "db", reason: "restored from a snapshot whose key is read at deploy time" }],
                },
            },
        });
        assert.deepStrictEqual(
            exempted.filter((v) => v.policy === "rds-storage-encrypted-cmk"),
            [],
        );
    });

    it("names the offending resource's URN for stack rules, and the URN of each resource it cannot judge", async () => {
        const vpc = resource("aws:ec2/vpc:Vpc", "main", { cidrBlock: "10.0.0.0/16" }, { provider });
        const secret = resource("aws:secretsmanager/secret:Secret", "jwt", { kmsKeyId: "k", tags: WIRE.unknown }, { provider });
        const violations = await runPolicyPacks([provider, vpc, secret], { packs: ["security"], stack: "staging" });
        const flow = violations.find((v) => v.policy === "vpc-flow-logs");
        assert.strictEqual(flow?.urn, vpc.urn);
        const rotation = violations.find((v) => v.policy === "secret-rotation-within-limit");
        assert.deepStrictEqual([rotation?.urn, rotation?.enforcementLevel], [secret.urn, "mandatory"]);
        assert.match(rotation?.message ?? "", /cannot judge the secret's rotation class/);
    });

    it("gives custom packs the engine's arguments (type, name, props, provider, stack tags, isType/asType, config)", async () => {
        const seen: unknown[] = [];
        const pack: PackModule = {
            name: "probe",
            version: "1.0.0",
            enforcementLevel: "mandatory",
            policies: [
                {
                    name: "probe-resource",
                    description: "records its arguments",
                    configSchema: { properties: { limit: { type: "number", default: 3 } } },
                    validateResource: (args, report) => {
                        if (!args.isType(aws.s3.Bucket)) {
                            args.notApplicable("buckets only");
                        }
                        const props = args.asType(aws.s3.Bucket);
                        seen.push([
                            args.type,
                            args.name,
                            props?.bucket,
                            args.provider?.name,
                            args.stackTags.get("team"),
                            args.getConfig<{ limit: number }>().limit,
                            args.opts.parent,
                        ]);
                        report("bucket seen");
                    },
                },
                {
                    name: "probe-stack",
                    description: "counts resources",
                    enforcementLevel: "advisory",
                    validateStack: (args, report) => {
                        const bucket = args.resources.find((r) => r.type === "aws:s3/bucket:Bucket");
                        report(
                            `${args.resources.length} resources; parent ${bucket?.parent?.name}; deps ${bucket?.dependencies.length}`,
                            bucket?.urn,
                        );
                    },
                },
            ],
        };
        const component = resource("bookbuddy:storage:MediaStorage", "media", {}, { custom: false });
        const bucket = resource(
            "aws:s3/bucket:Bucket",
            "media-bucket",
            { bucket: "bookbuddy-media" },
            { provider, parent: component.urn, deps: { tags: [component] } },
        );
        const violations = await runPolicyPacks([provider, component, bucket], {
            packs: [pack],
            stack: "dev",
            stackTags: { team: "platform" },
        });
        assert.deepStrictEqual(seen, [
            ["aws:s3/bucket:Bucket", "media-bucket", "bookbuddy-media", "aws", "platform", 3, component.urn],
        ]);
        assert.deepStrictEqual(
            violations.map((v) => [v.policy, v.enforcementLevel, v.urn, v.message]),
            [
                ["probe-resource", "mandatory", bucket.urn, "records its arguments\nbucket seen"],
                ["probe-stack", "advisory", bucket.urn, "counts resources\n3 resources; parent media; deps 1"],
            ],
        );
    });

    it("surfaces a crashing rule as an error naming the policy", async () => {
        const pack: PackModule = {
            name: "broken",
            version: "1.0.0",
            policies: [
                {
                    name: "boom",
                    description: "throws",
                    validateResource: () => {
                        throw new Error("bad rule");
                    },
                },
            ],
        };
        await assert.rejects(
            runPolicyPacks([provider], { packs: [pack], stack: "dev" }),
            /policy 'boom' from policy pack 'broken@v1.0.0': bad rule/,
        );
    });

    it("builds the two packs from the rule modules with their own versions", () => {
        const security = builtinPack("security");
        const maintenance = builtinPack("maintenance");
        assert.strictEqual(security.name, "bookbuddy-security");
        assert.strictEqual(maintenance.version, "0.1.0");
        assert.ok(security.policies.length > 40 && maintenance.policies.length > 20);
    });
});
