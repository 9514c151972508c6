/**
 * The anchor matrix (POL-2, #17 item 2): every rule of the pinned anchor rule sets that reads a family the program
 * uses has a verdict — a rule of ours that exists, or "not applicable: <reason>" — no verdict is a gap, every family
 * the rendered stacks use has anchor rows, every rendered type belongs to a family or is explained, the rule lists
 * match their pinned versions, and docs/policy-anchors.md is what the generator prints.
 */
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { ANCHOR_SOURCES } from "../../tools/policy/anchors/sources";
import { ANCHOR_FAMILIES, OUTSIDE_ANCHORS } from "../../tools/policy/anchors/services";
import { ANCHOR_MAPPING } from "../../tools/policy/anchors/mapping";
import { UPSTREAM_DIR, loadAnchorData } from "../../tools/policy/anchors/extract";
import { ANCHORS_DOC_PATH, anchorMatrix, familiesOf, renderAnchors, verdictKind } from "../../tools/policy/anchors/matrix";
import { CATALOG_PATH } from "../../tools/policy/catalog";
import { allRules } from "./cases";
import { STACKS, renderedStack } from "../support/plan";

describe("policy anchor matrix (POL-2, #17)", function () {
    this.timeout(240_000);
    const rows = anchorMatrix();
    const ruleNames = new Set(allRules.map((r) => r.name));

    describe("upstream rule lists", () => {
        for (const source of ANCHOR_SOURCES) {
            it(`${source.id}: the data file was extracted at the pinned ref ${source.ref} and lists rules with IDs and titles`, () => {
                const data = loadAnchorData(source.id);
                assert.strictEqual(data.source, source.id);
                assert.strictEqual(data.repository, source.repository);
                assert.strictEqual(
                    data.ref,
                    source.ref,
                    `upstream/${source.id}.json was extracted at ${data.ref}; regenerate it at ${source.ref} with extract.ts`,
                );
                assert.match(data.commit, /^[0-9a-f]{40}$/);
                assert.ok(data.rules.length > 0);
                const ids = new Set<string>();
                for (const rule of data.rules) {
                    assert.ok(
                        rule.id.trim() !== "" && rule.title.trim() !== "",
                        `${source.id}: a rule without ID or title (${rule.path})`,
                    );
                    assert.ok(!ids.has(rule.id), `${source.id}: ${rule.id} twice`);
                    ids.add(rule.id);
                    assert.ok(
                        source.paths.some(
                            (p) => rule.path === p || rule.path.startsWith(`${p}/`) || rule.path.startsWith("src/rules/"),
                        ),
                        `${source.id}: ${rule.id} read from ${rule.path}, outside the declared paths`,
                    );
                }
            });
        }

        it("has a data file for every source and no stray one", () => {
            const files = fs
                .readdirSync(UPSTREAM_DIR)
                .filter((f) => f.endsWith(".json"))
                .map((f) => f.replace(/\.json$/, ""))
                .sort();
            assert.deepStrictEqual(files, ANCHOR_SOURCES.map((s) => s.id).sort());
        });
    });

    describe("verdicts", () => {
        it("gives every anchor rule in scope a verdict", () => {
            const missing = rows.filter((r) => r.kind === "missing").map((r) => `${r.source.id} ${r.rule.id}: ${r.rule.title}`);
            assert.deepStrictEqual(
                missing,
                [],
                `anchor rules without a verdict in tools/policy/anchors/mapping.ts:\n${missing.join("\n")}`,
            );
        });

        it("leaves no gap open: a concern we should enforce gets a rule, or an honest not-applicable reason", () => {
            const gaps = rows.filter((r) => r.kind === "gap").map((r) => `${r.source.id} ${r.rule.id}: ${r.verdict}`);
            assert.deepStrictEqual(gaps, []);
        });

        it("maps only to rules that exist (policies/<pack>/rules/<name>.ts)", () => {
            const unknown = rows.flatMap((r) =>
                r.ours.filter((n) => !ruleNames.has(n)).map((n) => `${r.source.id} ${r.rule.id} → ${n}`),
            );
            assert.deepStrictEqual(unknown, []);
        });

        it("gives each not-applicable verdict a reason of substance", () => {
            for (const row of rows.filter((r) => r.kind === "not applicable")) {
                const reason = row.verdict!.slice("not applicable: ".length);
                assert.ok(reason.length >= 30, `${row.source.id} ${row.rule.id}: the reason "${reason}" is too short to say why`);
            }
        });

        it("keeps no verdict for a rule that is not in scope (a stale ID after an upstream bump)", () => {
            for (const [source, verdicts] of Object.entries(ANCHOR_MAPPING)) {
                assert.ok(
                    ANCHOR_SOURCES.some((s) => s.id === source),
                    `mapping for unknown source ${source}`,
                );
                const inScope = new Set(rows.filter((r) => r.source.id === source).map((r) => r.rule.id));
                const stale = Object.keys(verdicts).filter((id) => !inScope.has(id));
                assert.deepStrictEqual(stale, [], `${source}: verdicts for rules not in scope`);
            }
        });

        it("tells verdict kinds apart", () => {
            assert.strictEqual(verdictKind(undefined), "missing");
            assert.strictEqual(verdictKind("gap: no rule reads X"), "gap");
            assert.strictEqual(verdictKind("not applicable: the program declares no X"), "not applicable");
            assert.strictEqual(verdictKind("rds-multi-az"), "rule");
        });

        it("selects rules into families by their targets", () => {
            const rule = (targets: string[]) => ({ id: "X", title: "x", path: "p", targets });
            assert.deepStrictEqual(familiesOf(rule(["aws_db_instance"])), ["rds"]);
            assert.deepStrictEqual(familiesOf(rule(["AWS::Logs::LogGroup"])), ["cloudwatch"]);
            assert.deepStrictEqual(familiesOf(rule(["aws_instance"])), []);
            assert.deepStrictEqual(familiesOf(rule(["PodSecurityPolicy"])), []);
        });
    });

    describe("families against the rendered stacks", () => {
        it("has anchor rows for every family", () => {
            const empty = ANCHOR_FAMILIES.filter((f) => !rows.some((r) => r.families.includes(f.key))).map((f) => f.key);
            assert.deepStrictEqual(empty, [], "a family without anchor rules belongs in OUTSIDE_ANCHORS with its reason");
        });

        it("puts every rendered type of the three stacks in a family or explains why no anchor reads it, and every family is used", async () => {
            const types = new Set<string>();
            for (const stack of STACKS) {
                for (const step of (await renderedStack(stack)).steps) {
                    if (step.newState) types.add(step.newState.type);
                }
            }
            const unplaced = [...types].filter(
                (t) => !ANCHOR_FAMILIES.some((f) => f.rendered.test(t)) && !OUTSIDE_ANCHORS.some((o) => o.type.test(t)),
            );
            assert.deepStrictEqual(unplaced.sort(), [], "rendered types in no anchor family (tools/policy/anchors/services.ts)");
            const unused = ANCHOR_FAMILIES.filter((f) => ![...types].some((t) => f.rendered.test(t))).map((f) => f.key);
            assert.deepStrictEqual(unused, [], "families the program does not use");
            const doubly = [...types].filter(
                (t) => OUTSIDE_ANCHORS.some((o) => o.type.test(t)) && ANCHOR_FAMILIES.some((f) => f.rendered.test(t)),
            );
            assert.deepStrictEqual(doubly, [], "types both in a family and declared outside the anchors");
        });
    });

    describe("docs/policy-anchors.md", () => {
        it("is what tools/policy/anchors/matrix.ts prints", () => {
            const committed = fs.readFileSync(ANCHORS_DOC_PATH, "utf8");
            assert.ok(
                committed === renderAnchors(),
                "docs/policy-anchors.md is stale: run `node -r ./tools/ts-loader.cjs tools/policy/anchors/matrix.ts --write`",
            );
        });

        it("is linked from docs/policies.md", () => {
            assert.match(fs.readFileSync(CATALOG_PATH, "utf8"), /\]\(policy-anchors\.md\)/);
            assert.ok(fs.existsSync(path.join(path.dirname(CATALOG_PATH), "policy-anchors.md")));
        });
    });
});
