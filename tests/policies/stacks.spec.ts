/**
 * Both policy packs over the three rendered stacks (POL-2, POL-3): each stack, with its own
 * policies/config/<stack>.json, has zero mandatory violations, and every advisory that remains is
 * explained in the "Remaining advisories" section of docs/policies.md (and every row there still occurs),
 * so a new advisory cannot appear unexplained.
 */
import * as assert from "assert";
import * as fs from "fs";
import { CATALOG_PATH, parseAdvisories, type ExplainedAdvisory } from "../../tools/policy/catalog";
import { STACKS as CONFIG_STACKS, loadStackConfig } from "../../policies/lib/config";
import { runPolicyPacks } from "../../tools/policy/runner";
import type { PolicyViolation } from "../../tools/plan/types";
import { STACKS, renderedStack, resources } from "../support/plan";

/** The resource a violation names: its Pulumi name, or `(stack)` when a stack rule named none. */
function resourceOf(v: PolicyViolation): string {
    return v.urn === "" ? "(stack)" : v.urn.slice(v.urn.lastIndexOf("::") + 2);
}

function describeViolation(v: PolicyViolation): string {
    return `  [${v.policyPack}] ${v.policy} (${v.enforcementLevel})\n    ${v.urn || "(stack)"}\n    ${v.message.replace(/\n/g, "\n    ")}`;
}

const key = (stack: string, rule: string, resource: string) => `${stack} | ${rule} | ${resource}`;

describe("policy packs over the rendered stacks: zero mandatory violations, every advisory explained (POL-2, POL-3)", function () {
    // Rendering a whole stack under the mocks takes a while on a shared machine.
    this.timeout(240_000);

    const explained: ExplainedAdvisory[] = parseAdvisories(fs.readFileSync(CATALOG_PATH, "utf8"));
    const seen = new Set<string>();
    let judged = 0;

    it("has a policy config for every stack it renders", () => {
        assert.deepStrictEqual([...STACKS], [...CONFIG_STACKS]);
    });

    it("explains every listed advisory with a stack it renders and a requirement ID", () => {
        for (const row of explained) {
            assert.ok(
                (STACKS as readonly string[]).includes(row.stack),
                `unknown stack in ${key(row.stack, row.rule, row.resource)}`,
            );
            assert.match(
                row.reason,
                /\b[A-Z]{2,5}-\d+\b/,
                `the reason of ${key(row.stack, row.rule, row.resource)} cites no requirement ID`,
            );
        }
        const keys = explained.map((r) => key(r.stack, r.rule, r.resource));
        assert.deepStrictEqual(
            keys.filter((k, i) => keys.indexOf(k) !== i),
            [],
            "rows listed twice",
        );
    });

    for (const stack of STACKS) {
        describe(`${stack}, with policies/config/${stack}.json`, () => {
            let violations: PolicyViolation[] = [];

            before(async () => {
                const doc = await renderedStack(stack);
                violations = await runPolicyPacks(resources(doc), {
                    packs: ["security", "maintenance"],
                    stack,
                    config: loadStackConfig(stack),
                });
                judged++;
            });

            it("has no mandatory violation", () => {
                const mandatory = violations.filter((v) => v.enforcementLevel === "mandatory");
                assert.ok(
                    mandatory.length === 0,
                    `${mandatory.length} mandatory violation(s) in ${stack}:\n${mandatory.map(describeViolation).join("\n")}`,
                );
            });

            it("lists every advisory with its reason in docs/policies.md (Remaining advisories)", () => {
                const advisories = violations.filter((v) => v.enforcementLevel === "advisory");
                const unexplained = advisories.filter((v) => {
                    const k = key(stack, v.policy, resourceOf(v));
                    seen.add(k);
                    return !explained.some((r) => key(r.stack, r.rule, r.resource) === k);
                });
                assert.ok(
                    unexplained.length === 0,
                    `${unexplained.length} advisory violation(s) in ${stack} are not explained in docs/policies.md; add a row ` +
                        `| ${stack} | rule | resource | reason | or fix the program:\n${unexplained.map(describeViolation).join("\n")}`,
                );
            });
        });
    }

    // A suite's own tests run before its child suites, so this check is a suite of its own, after the stacks.
    describe("docs/policies.md, Remaining advisories", () => {
        it("lists no advisory that the stacks no longer produce", () => {
            if (judged !== STACKS.length) {
                // A stack failed to render or to be judged: its own failure above says why.
                assert.fail(`only ${judged} of ${STACKS.length} stacks were judged`);
            }
            const stale = explained.map((r) => key(r.stack, r.rule, r.resource)).filter((k) => !seen.has(k));
            assert.deepStrictEqual(
                stale,
                [],
                "rows of Remaining advisories in docs/policies.md that no stack produces any more: remove them",
            );
        });
    });
});
