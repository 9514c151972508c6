/**
 * Rules fail closed (POL-4): a value that stays unknown in the preview is a violation unless a stack relaxes
 * the rule (dev and staging only) or exempts the resource with a reason; prod never relaxes.
 */
import * as assert from "assert";
import { STACKS, loadStackConfig } from "../../policies/lib/config";
import { configSchemaOf, resolveConfig } from "../../policies/lib/rule";
import { allRules, rdsOk, ruleNamed } from "./cases";
import { WIRE, checkResource, checkStack, resource } from "./harness";

describe("policy packs fail closed on values unknown in the preview (POL-4)", () => {
    it("gives every rule an `unknowns` setting whose default is violation", () => {
        for (const rule of allRules) {
            const schema = configSchemaOf(rule).properties["unknowns"];
            assert.ok(schema && typeof schema === "object" && schema.default === "violation", rule.name);
            assert.strictEqual(resolveConfig(rule, {})["unknowns"], "violation", rule.name);
        }
    });

    it("prod relaxes no rule to advisory unknowns; every exemption in every stack carries a reason", () => {
        for (const stack of STACKS) {
            for (const [name, entry] of Object.entries(loadStackConfig(stack))) {
                if (typeof entry !== "object" || entry === null) {
                    continue;
                }
                const e = entry as Record<string, unknown>;
                if (stack === "prod") {
                    assert.notStrictEqual(e["unknowns"], "advisory", `prod.json relaxes ${name}`);
                }
                for (const x of (e["exemptions"] as { resource?: string; reason?: string }[] | undefined) ?? []) {
                    assert.ok(
                        typeof x.reason === "string" && x.reason.trim().length >= 10,
                        `${stack}.json ${name}: ${x.resource} has no reason`,
                    );
                }
            }
        }
    });

    it("reports an unknown resource value as a violation by default, as advisory when relaxed, and not at all when exempted", async () => {
        const rule = ruleNamed("rds-storage-encrypted-cmk");
        const db = resource("aws:rds/instance:Instance", "db", { ...rdsOk, kmsKeyId: WIRE.unknown });
        const closed = await checkResource(rule, db, { config: { unknowns: "violation" } });
        assert.deepStrictEqual(closed.cannotJudge, []);
        assert.deepStrictEqual(
            closed.violations.map((v) => v.message),
            [
                "rds-storage-encrypted-cmk cannot judge kmsKeyId: the value stays unknown in the preview, and rules fail closed (POL-4). " +
                    "Make the value known, or exempt the resource with a reason in policies/config/<stack>.json.",
            ],
        );
        const relaxed = await checkResource(rule, db, { config: { unknowns: "advisory" } });
        assert.deepStrictEqual(relaxed.violations, []);
        assert.match(relaxed.cannotJudge[0], /kmsKeyId/);
        const exempted = await checkResource(rule, db, {
            config: { exemptions: [{ resource: "db", reason: "key ARN comes from another stack" }] },
        });
        assert.match(exempted.notApplicable ?? "", /exempted: key ARN/);
    });

    it("names the resource a stack rule cannot judge as the violating URN, and skips exempted ones", async () => {
        const rule = ruleNamed("secret-rotation-within-limit");
        const jwt = resource("aws:secretsmanager/secret:Secret", "jwt", { kmsKeyId: "k", tags: WIRE.unknown });
        const closed = await checkStack(rule, [jwt], { config: { unknowns: "violation" } });
        assert.deepStrictEqual(
            closed.violations.map((v) => v.urn),
            [jwt.urn],
        );
        assert.match(closed.violations[0].message, /cannot judge the secret's rotation class/);
        const exempted = await checkStack(rule, [jwt], {
            config: { unknowns: "violation", exemptions: [{ resource: "jwt", reason: "tags come from a shared module" }] },
        });
        assert.deepStrictEqual(exempted, { violations: [], cannotJudge: [] });
    });

    it("rejects an unknown `unknowns` value the way the CLI validates config", async () => {
        await assert.rejects(
            checkResource(ruleNamed("rds-multi-az"), resource("aws:rds/instance:Instance", "db", rdsOk), {
                config: { unknowns: "ignore" },
            }),
            /unknowns: must be one of/,
        );
    });
});

describe("a missing convention tag never switches a rule off (POL-4)", () => {
    const plan = resource("aws:backup/plan:Plan", "daily", {
        name: "daily",
        rules: [{ ruleName: "all", targetVaultName: "v", schedule: "cron(0 3 * * ? *)", lifecycle: { deleteAfter: 120 } }],
    });
    const byTag = resource(
        "aws:backup/selection:Selection",
        "sel",
        { planId: WIRE.unknown, iamRoleArn: "arn:role", selectionTags: [{ type: "STRINGEQUALS", key: "backup", value: "yes" }] },
        { deps: { planId: [plan] } },
    );

    describe("backup-coverage treats every data store as primary unless tagged otherwise with a reason (BKP-1)", () => {
        const stores: [string, Record<string, unknown>][] = [
            ["aws:rds/instance:Instance", { engine: "postgres", identifier: "db" }],
            ["aws:rds/cluster:Cluster", { engine: "aurora-postgresql", clusterIdentifier: "aurora" }],
            ["aws:dynamodb/table:Table", { name: "sessions", hashKey: "id" }],
            ["aws:efs/fileSystem:FileSystem", { encrypted: true }],
            ["aws:ebs/volume:Volume", { availabilityZone: "eu-west-1a", size: 20, encrypted: true }],
            ["aws:s3/bucket:Bucket", { bucket: "uploads" }],
            ["aws:s3/bucketV2:BucketV2", { bucket: "uploads-v2" }],
        ];
        for (const [type, props] of stores) {
            const short = type.split(":").pop();
            it(`reports an untagged ${short} that no backup selection covers, and passes it once selected`, async () => {
                const store = resource(type, `untagged-${short}`, props);
                const outcome = await checkStack(ruleNamed("backup-coverage"), [store, plan]);
                assert.deepStrictEqual(
                    outcome.violations.map((v) => v.urn),
                    [store.urn],
                );
                assert.match(outcome.violations[0].message, /holds primary data/);
                const selected = resource(type, `selected-${short}`, { ...props, tags: { backup: "yes" } });
                assert.deepStrictEqual((await checkStack(ruleNamed("backup-coverage"), [selected, plan, byTag])).violations, []);
            });
        }

        it("accepts another data class only with a data-class-reason tag", async () => {
            const logs = resource("aws:s3/bucket:Bucket", "logs", {
                bucket: "logs",
                tags: { "data-class": "logs", "data-class-reason": "access logs expire by lifecycle and are no source of truth" },
            });
            const unexplained = resource("aws:s3/bucket:Bucket", "scratch", {
                bucket: "scratch",
                tags: { "data-class": "derived" },
            });
            const blank = resource("aws:rds/instance:Instance", "replica", {
                engine: "postgres",
                tags: { "data-class": "derived", "data-class-reason": " " },
            });
            const outcome = await checkStack(ruleNamed("backup-coverage"), [logs, unexplained, blank, plan]);
            assert.deepStrictEqual(
                outcome.violations.map((v) => v.urn),
                [unexplained.urn, blank.urn],
            );
            assert.match(
                outcome.violations[0].message,
                /data-class=derived has no data-class-reason tag, so it is treated as primary/,
            );
        });
    });

    describe("secret-rotation-within-limit gives an unclassified secret the strictest limit (SEC-1)", () => {
        const rotation = (s: ReturnType<typeof resource>, days: number) =>
            resource(
                "aws:secretsmanager/secretRotation:SecretRotation",
                `${s.urn.split("::").pop()}-rotation`,
                { secretId: WIRE.unknown, rotationRules: { automaticallyAfterDays: days } },
                { deps: { secretId: [s] } },
            );
        it("reports an untagged secret rotated every 180 days against the 90-day limit, and one with an unknown class likewise", async () => {
            const untagged = resource("aws:secretsmanager/secret:Secret", "misc", { name: "misc" });
            const unknownClass = resource("aws:secretsmanager/secret:Secret", "odd", {
                name: "odd",
                tags: { "rotation-class": "quarterly" },
            });
            const outcome = await checkStack(ruleNamed("secret-rotation-within-limit"), [
                untagged,
                unknownClass,
                rotation(untagged, 180),
                rotation(unknownClass, 120),
            ]);
            assert.deepStrictEqual(
                outcome.violations.map((v) => v.message),
                [
                    "secret misc (no known rotation-class, so the strictest limit) rotates every 180 days; the limit is 90.",
                    "secret odd (no known rotation-class, so the strictest limit) rotates every 120 days; the limit is 90.",
                ],
            );
        });
        it("passes an untagged secret that rotates within the strictest limit, and reports one without rotation", async () => {
            const untagged = resource("aws:secretsmanager/secret:Secret", "misc", { name: "misc" });
            const never = resource("aws:secretsmanager/secret:Secret", "never", { name: "never" });
            const outcome = await checkStack(ruleNamed("secret-rotation-within-limit"), [
                untagged,
                never,
                rotation(untagged, 30),
            ]);
            assert.deepStrictEqual(
                outcome.violations.map((v) => v.urn),
                [never.urn],
            );
            assert.match(outcome.violations[0].message, /has no rotation/);
        });
    });
});
