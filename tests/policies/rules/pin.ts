/**
 * Exact verdicts for the per-rule specs of this folder (POL-1, POL-3): each spec pins one rule's behaviour on
 * both sides of its conditions, at its boundaries and on its "cannot judge" paths, with the exact messages, so
 * that mutation testing (npm run mutation, docs/mutation.md) finds every changed condition or message.
 */
import * as assert from "assert";
import type { PlanResourceState } from "../../../tools/plan/types";
import { ruleNamed } from "../cases";
import { checkResource, checkStack, resource, type Outcome, type RunArgs } from "../harness";

export { resource, ruleNamed };
export { WIRE } from "../harness";

/** The message the engine gets when a rule cannot judge: the items it names, in order. */
export function cannotJudge(rule: string, ...items: (string | [string, PlanResourceState])[]): string {
    const lines = items.map((i) => (typeof i === "string" ? i : `${i[0]} (${i[1].urn})`));
    return `${rule} cannot judge until the values are known: ${lines.join("; ")}`;
}

export interface Verdict {
    /** Exact messages; for stack rules, [resource, message] pairs naming the offending resource. */
    violations?: (string | [PlanResourceState, string])[];
    cannotJudge?: string[];
}

function expected(verdict: Verdict): Outcome {
    return {
        violations: (verdict.violations ?? []).map((v) =>
            typeof v === "string" ? { message: v, urn: undefined } : { message: v[1], urn: v[0].urn },
        ),
        cannotJudge: verdict.cannotJudge ?? [],
    };
}

/** Runs a resource rule on props of `type` and compares the whole outcome. */
export async function pinResource(
    rule: string,
    type: string,
    props: Record<string, unknown>,
    verdict: Verdict,
    args?: RunArgs,
): Promise<void> {
    const outcome = await checkResource(ruleNamed(rule), resource(type, "subject", props), args);
    assert.deepStrictEqual(outcome, expected(verdict));
}

/** Runs a stack rule over resources and compares the whole outcome. */
export async function pinStack(rule: string, resources: PlanResourceState[], verdict: Verdict, args?: RunArgs): Promise<void> {
    const outcome = await checkStack(ruleNamed(rule), resources, args);
    assert.deepStrictEqual(outcome, expected(verdict));
}
