/**
 * The one test harness of the policy packs (POL-1, POL-3): builds resources as the preview records them
 * and hands rules the arguments the Pulumi engine would (props behind the unknown-checking proxy,
 * notApplicable, getConfig with schema defaults, stack tags, provider), including values unknown
 * during a preview.
 */
import type { PlanResourceState } from "../../tools/plan/types";
import { reconcile } from "../../policies/lib/config";
import { UnknownValueError, toPolicy, type Rule } from "../../policies/lib/rule";
import { NotApplicableError, makeResourceArgs, makeStackResources } from "../../tools/policy/runner";
import { WIRE } from "../../policies/lib/values";

export { WIRE };
export const STACK = "test";
export const PROJECT = "bookbuddy";

export function urnOf(type: string, name: string): string {
    return `urn:pulumi:${STACK}::${PROJECT}::${type}::${name}`;
}

/** A recorded resource; `deps` become propertyDependencies (property → resources it came from). */
export function resource(
    type: string,
    name: string,
    inputs: Record<string, unknown>,
    extra: {
        deps?: Record<string, PlanResourceState[]>;
        provider?: PlanResourceState;
        outputs?: Record<string, unknown>;
        parent?: string;
        custom?: boolean;
    } = {},
): PlanResourceState {
    const propertyDependencies = Object.fromEntries(Object.entries(extra.deps ?? {}).map(([k, v]) => [k, v.map((r) => r.urn)]));
    return {
        type,
        urn: urnOf(type, name),
        custom: extra.custom ?? true,
        inputs,
        ...(extra.outputs ? { outputs: extra.outputs } : {}),
        ...(extra.parent ? { parent: extra.parent } : {}),
        ...(extra.provider ? { provider: `${extra.provider.urn}::${name}-provider-id` } : {}),
        dependencies: [...new Set(Object.values(propertyDependencies).flat())],
        propertyDependencies,
    };
}

export interface Outcome {
    violations: { message: string; urn?: string }[];
    /** Messages of the "can't judge during preview" path (reported as advisory by the engine). */
    cannotJudge: string[];
    notApplicable?: string;
}

export interface RunArgs {
    config?: Record<string, unknown>;
    stackTags?: Record<string, string>;
    /** Other recorded resources (for provider lookups). */
    others?: PlanResourceState[];
}

/**
 * The rule's config as the CLI would hand it over. Rules fail closed by default (`unknowns: "violation"`,
 * POL-4); the specs that exercise a rule's "cannot judge" path run it the way dev and staging may relax it
 * (`unknowns: "advisory"`) unless they set `unknowns` themselves. The fail-closed default is proven in
 * tests/policies/fail-closed.spec.ts.
 */
function effectiveConfig(rule: Rule, config: Record<string, unknown> | undefined): Record<string, unknown> {
    const policy = toPolicy(rule);
    const given = { unknowns: "advisory", ...(config ?? {}) };
    const reconciled = reconcile([policy], { [rule.name]: given });
    return reconciled.get(rule.name)?.properties ?? {};
}

function record(outcome: Outcome, e: unknown): void {
    if (e instanceof NotApplicableError) {
        outcome.notApplicable = e.reason ?? "";
    } else if (e instanceof UnknownValueError) {
        outcome.cannotJudge.push((e as Error).message);
    } else {
        throw e;
    }
}

/** Runs one resource rule on one resource, as the engine's analyze call would. */
export async function checkResource(rule: Rule, res: PlanResourceState, args: RunArgs = {}): Promise<Outcome> {
    const policy = toPolicy(rule);
    if (!("validateResource" in policy) || !policy.validateResource) {
        throw new Error(`${rule.name} is not a resource rule`);
    }
    const byUrn = new Map([...(args.others ?? []), res].map((r) => [r.urn, r]));
    const outcome: Outcome = { violations: [], cannotJudge: [] };
    const validate = Array.isArray(policy.validateResource) ? policy.validateResource[0] : policy.validateResource;
    try {
        await validate(
            makeResourceArgs(res, byUrn, effectiveConfig(rule, args.config), new Map(Object.entries(args.stackTags ?? {}))),
            (message, urn) => outcome.violations.push({ message, urn }),
        );
    } catch (e) {
        record(outcome, e);
    }
    return outcome;
}

/** Runs one stack rule over recorded resources, as the engine's analyzeStack call would. */
export async function checkStack(rule: Rule, resources: PlanResourceState[], args: RunArgs = {}): Promise<Outcome> {
    const policy = toPolicy(rule);
    if (!("validateStack" in policy)) {
        throw new Error(`${rule.name} is not a stack rule`);
    }
    const outcome: Outcome = { violations: [], cannotJudge: [] };
    try {
        await policy.validateStack(
            {
                resources: makeStackResources(resources),
                getConfig: <T extends object>() => effectiveConfig(rule, args.config) as T,
                stackTags: new Map(Object.entries(args.stackTags ?? {})),
                notApplicable: (reason?: string): never => {
                    throw new NotApplicableError(reason);
                },
            },
            (message, urn) => outcome.violations.push({ message, urn }),
        );
    } catch (e) {
        record(outcome, e);
    }
    return outcome;
}
