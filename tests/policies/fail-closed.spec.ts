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
                    assert.ok(typeof x.reason === "string" && x.reason.trim().length >= 10, `${stack}.json ${name}: ${x.resource} has no reason`);
                }
            }
        }
    });

    it("reports an unknown resource value as a violation by default, as advisory when relaxed, and not at all when exempted", async () => {
        const rule = ruleNamed("rds-storage-encrypted-cmk");
        const db = resource("aws:rds/instance:Instance", "db", { ...rdsOk, kmsKeyId: WIRE.unknown });
        const closed = await checkResource(rule, db, { config: { unknowns: "violation" } });
        assert.deepStrictEqual(closed.cannotJudge, []);
        assert.deepStrictEqual(closed.violations.map((v) => v.message), [
            "rds-storage-encrypted-cmk cannot judge kmsKeyId: the value stays unknown in the preview, and rules fail closed (POL-4). " +
            "Make the value known, or exempt the resource with a reason in policies/config/<stack>.json.",
        ]);
        const relaxed = await checkResource(rule, db, { config: { unknowns: "advisory" } });
        assert.deepStrictEqual(relaxed.violations, []);
        assert.match(relaxed.cannotJudge[0], /kmsKeyId/);
        const exempted = await checkResource(rule, db, { config: { exemptions: [{ resource: "db", reason: "key ARN comes from another stack" }] } });
        assert.match(exempted.notApplicable ?? "", /exempted: key ARN/);
    });

    it("names the resource a stack rule cannot judge as the violating URN, and skips exempted ones", async () => {
        const rule = ruleNamed("secret-rotation-within-limit");
        const jwt = resource("aws:secretsmanager/secret:Secret", "jwt", { kmsKeyId: "k", tags: WIRE.unknown });
        const closed = await checkStack(rule, [jwt], { config: { unknowns: "violation" } });
        assert.deepStrictEqual(closed.violations.map((v) => v.urn), [jwt.urn]);
        assert.match(closed.violations[0].message, /cannot judge the secret's rotation class/);
        const exempted = await checkStack(rule, [jwt], { config: { unknowns: "violation", exemptions: [{ resource: "jwt", reason: "tags come from a shared module" }] } });
        assert.deepStrictEqual(exempted, { violations: [], cannotJudge: [] });
    });

    it("rejects an unknown `unknowns` value the way the CLI validates config", async () => {
        await assert.rejects(checkResource(ruleNamed("rds-multi-az"), resource("aws:rds/instance:Instance", "db", rdsOk), { config: { unknowns: "ignore" } }), /unknowns: must be one of/);
    });
});
