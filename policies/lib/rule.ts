/**
 * The rule descriptor every policy of both packs is written in (POL-1), and its conversion to the
 * CrossGuard policy objects of @pulumi/policy.
 *
 * A rule is a small typed value: name, description, severity, default enforcement level, remediation
 * text, the requirement IDs it enforces, its configurable thresholds, and one validate function. The
 * conversion adds what every rule shares: per-resource exemptions with a mandatory reason, schema
 * defaults, and the "cannot judge" path for values unknown during a preview (POL-3).
 */
import * as sdk from "@pulumi/policy";
import type { PolicyConfigJSONSchema } from "@pulumi/policy/schema";
import { WIRE, isRecord, isUnknown, nameFromUrn, unwrap, type Props } from "./values";

export type Severity = "critical" | "high" | "medium" | "low";
export type EnforcementLevel = "advisory" | "mandatory" | "remediate" | "disabled";
export type PackName = "security" | "maintenance";

/** One configurable threshold or switch of a rule. */
export interface ConfigProperty {
    /** JSON schema of the value; `default` is required so a rule always has a value to use. */
    schema: PolicyConfigJSONSchema & { default: unknown };
    /** For numbers: which direction is stricter (used to check that prod is the strictest stack). */
    stricter?: "higher" | "lower";
}

/** An exemption of one resource (by its Pulumi name) from one rule; the reason is mandatory. */
export interface Exemption {
    resource: string;
    reason: string;
}

interface RuleInfo {
    /** Unique across both packs, kebab-case (a policy-pack-config key). */
    name: string;
    description: string;
    severity: Severity;
    /** The level when no config says otherwise. Security rules are mandatory. */
    enforcementLevel: EnforcementLevel;
    /** What to change in the program to comply. */
    remediation: string;
    /** Requirement IDs from docs/requirements.md. */
    requirements: string[];
    /**
     * True when the rule only guards a feature that costs money (Multi-AZ, failover, cross-region copies,
     * vault lock, WAF): the dev stack may relax it to advisory. Never set on data or secret protection.
     */
    costOnly?: boolean;
    config?: Record<string, ConfigProperty>;
}

export interface ProviderView {
    type: string;
    urn: string;
    name: string;
    props: Props;
}

/** One resource as a resource rule sees it; `props` are the plain inputs, unknowns as sentinels. */
export interface ResourceView {
    type: string;
    urn: string;
    name: string;
    props: Props;
    provider?: ProviderView;
    stackTags: ReadonlyMap<string, string>;
}

/** One resource as a stack rule sees it, with dependencies as URNs. */
export interface StackResourceView {
    type: string;
    urn: string;
    name: string;
    props: Props;
    parent?: string;
    provider?: ProviderView;
    dependencies: string[];
    propertyDependencies: Record<string, string[]>;
}

/** What a rule's validate function reports into. */
export interface Judge {
    /** Reports a violation; stack rules pass the offending resource's URN. */
    violation(message: string, urn?: string): void;
    /** Records that a value needed for the verdict is unknown (preview); reported as advisory. */
    cannotJudge(what: string, urn?: string): void;
    /**
     * Checks one value: unknown → cannot judge; otherwise `ok(value)` false → violation.
     * Returns true only when the value is known and acceptable.
     */
    expect(value: unknown, what: string, ok: (value: unknown) => boolean, message: string, urn?: string): boolean;
    number(key: string): number;
    string(key: string): string;
    numbers(key: string): number[];
    boolean(key: string): boolean;
    strings(key: string): string[];
    record(key: string): Record<string, unknown>;
}

export interface ResourceRule extends RuleInfo {
    kind: "resource";
    /** Type tokens the rule applies to; other types are not applicable. */
    resourceTypes: string[];
    validate(resource: ResourceView, judge: Judge): void;
}

export interface StackRule extends RuleInfo {
    kind: "stack";
    validate(resources: StackResourceView[], judge: Judge, stackTags: ReadonlyMap<string, string>): void;
}

export type Rule = ResourceRule | StackRule;

export function defineResourceRule(rule: Omit<ResourceRule, "kind">): ResourceRule {
    return { kind: "resource", ...rule };
}

export function defineStackRule(rule: Omit<StackRule, "kind">): StackRule {
    return { kind: "stack", ...rule };
}

/** The config property every rule accepts: exemptions by resource name, each with a reason. */
export const EXEMPTIONS_SCHEMA: PolicyConfigJSONSchema & { default: unknown } = {
    type: "array",
    description: "Resources (by Pulumi name) exempted from this rule, each with the reason.",
    items: {
        type: "object",
        properties: {
            resource: { type: "string", minLength: 1 },
            reason: { type: "string", minLength: 10 },
        },
        required: ["resource", "reason"],
        additionalProperties: false,
    },
    default: [],
};

/**
 * The config property every rule accepts: what a value that stays unknown in the preview makes of the verdict
 * (POL-4). Rules fail closed: "violation" (the default, and always in prod) reports it at the rule's level;
 * "advisory" (dev and staging may choose it) reports the engine's "can't run during preview" advisory. A
 * resource a rule cannot judge for a known reason is exempted by name with that reason instead.
 */
export const UNKNOWNS_SCHEMA: PolicyConfigJSONSchema & { default: unknown } = {
    type: "string",
    enum: ["violation", "advisory"],
    description: "What a value unknown in the preview makes of the verdict: a violation (fail closed) or an advisory.",
    default: "violation",
};

/** The JSON schema of a rule's config, as the Pulumi CLI validates it. */
export function configSchemaOf(rule: Rule): sdk.PolicyConfigSchema {
    const properties: Record<string, PolicyConfigJSONSchema> = { exemptions: EXEMPTIONS_SCHEMA, unknowns: UNKNOWNS_SCHEMA };
    for (const [key, property] of Object.entries(rule.config ?? {})) {
        properties[key] = property.schema;
    }
    return { properties };
}

/** Schema defaults overlaid with the given config (the CLI does the same before calling the pack). */
export function resolveConfig(rule: Rule, given: Record<string, unknown>): Record<string, unknown> {
    const result: Record<string, unknown> = { exemptions: [], unknowns: UNKNOWNS_SCHEMA.default };
    for (const [key, property] of Object.entries(rule.config ?? {})) {
        result[key] = property.schema.default;
    }
    for (const [key, value] of Object.entries(given)) {
        if (key !== "enforcementLevel" && value !== undefined) {
            result[key] = value;
        }
    }
    return result;
}

function exemptionFor(config: Record<string, unknown>, resourceName: string): Exemption | undefined {
    const exemptions = Array.isArray(config["exemptions"]) ? (config["exemptions"] as Exemption[]) : [];
    return exemptions.find((e) => e.resource === resourceName && typeof e.reason === "string" && e.reason.trim() !== "");
}

const sdkInternals = sdk as unknown as {
    UnknownValueError: new (sentinel: string, path: string[]) => Error;
};

/** The SDK's error for unknown values: the engine turns it into an advisory "can't run during preview". */
export const UnknownValueError = sdkInternals.UnknownValueError;

/** The violation a value that stays unknown makes when the rule fails closed (POL-4). */
export function unknownViolation(ruleName: string, item: { what: string; urn?: string }): string {
    return (
        `${ruleName} cannot judge ${item.what}: the value stays unknown in the preview, and rules fail closed (POL-4). ` +
        "Make the value known, or exempt the resource with a reason in policies/config/<stack>.json."
    );
}

/** True when the rule's resolved config reports unknown values as violations (the default). */
function failsClosed(config: Record<string, unknown>): boolean {
    return config["unknowns"] !== "advisory";
}

/** Thrown after a rule has reported what it could judge, to report what it could not as advisory. */
export function cannotJudgeError(ruleName: string, items: { what: string; urn?: string }[]): Error {
    const error = new UnknownValueError(WIRE.unknown, []);
    const lines = items.map((i) => (i.urn ? `${i.what} (${i.urn})` : i.what));
    error.message = `${ruleName} cannot judge until the values are known: ${lines.join("; ")}`;
    (error as Error & { urns?: string[] }).urns = items.map((i) => i.urn).filter((u): u is string => !!u);
    return error;
}

function makeJudge(
    config: Record<string, unknown>,
    report: (message: string, urn?: string) => void,
    unknowns: { what: string; urn?: string }[],
    exempted: (urn: string | undefined) => boolean,
): Judge {
    const judge: Judge = {
        violation(message, urn) {
            if (!exempted(urn)) {
                report(message, urn);
            }
        },
        cannotJudge(what, urn) {
            if (!exempted(urn)) {
                unknowns.push({ what, urn });
            }
        },
        expect(value, what, ok, message, urn) {
            if (isUnknown(value)) {
                judge.cannotJudge(what, urn);
                return false;
            }
            if (!ok(value)) {
                judge.violation(message, urn);
                return false;
            }
            return true;
        },
        number: (key) => configValue(config, key, "a number", (v): v is number => typeof v === "number"),
        string: (key) => configValue(config, key, "a string", (v): v is string => typeof v === "string"),
        boolean: (key) => configValue(config, key, "a boolean", (v): v is boolean => typeof v === "boolean"),
        numbers: (key) =>
            configValue(
                config,
                key,
                "a list of numbers",
                (v): v is number[] => Array.isArray(v) && v.every((n) => typeof n === "number"),
            ),
        strings: (key) =>
            configValue(
                config,
                key,
                "a list of strings",
                (v): v is string[] => Array.isArray(v) && v.every((x) => typeof x === "string"),
            ),
        record: (key) => configValue(config, key, "an object", isRecord),
    };
    return judge;
}

/** One typed value of a rule's resolved configuration; a wrong type is a broken config file, not a violation. */
function configValue<T>(config: Record<string, unknown>, key: string, expected: string, is: (v: unknown) => v is T): T {
    const v = config[key];
    if (!is(v)) {
        throw new Error(`policy config '${key}' must be ${expected}, got ${JSON.stringify(v)}`);
    }
    return v;
}

function providerView(provider: sdk.PolicyProviderResource | undefined): ProviderView | undefined {
    if (!provider) {
        return undefined;
    }
    return { type: provider.type, urn: provider.urn, name: provider.name, props: unwrap(provider.props) };
}

function baseInfo(rule: Rule): sdk.Policy {
    return {
        name: rule.name,
        description: rule.description,
        enforcementLevel: rule.enforcementLevel,
        severity: rule.severity,
        remediationSteps: rule.remediation,
        tags: [...rule.requirements],
        configSchema: configSchemaOf(rule),
    };
}

/**
 * The resource types a converted resource policy applies to, for runners that can skip the others without
 * calling it (the engine calls every policy for every resource; the outcome is the same).
 */
export const RESOURCE_TYPES = Symbol("resourceTypes");

/** Converts a rule to the CrossGuard policy that `new PolicyPack` and the offline runner execute. */
export function toPolicy(rule: Rule): sdk.ResourceValidationPolicy | sdk.StackValidationPolicy {
    if (rule.kind === "resource") {
        const policy: sdk.ResourceValidationPolicy & { [RESOURCE_TYPES]?: string[] } = {
            ...baseInfo(rule),
            validateResource: (args, reportViolation) => {
                if (!rule.resourceTypes.includes(args.type)) {
                    args.notApplicable(`applies only to ${rule.resourceTypes.join(", ")}`);
                }
                const config = resolveConfig(rule, args.getConfig<Record<string, unknown>>());
                const exemption = exemptionFor(config, args.name);
                if (exemption) {
                    args.notApplicable(`exempted: ${exemption.reason}`);
                }
                const unknowns: { what: string; urn?: string }[] = [];
                const judge = makeJudge(
                    config,
                    (message) => reportViolation(message),
                    unknowns,
                    () => false,
                );
                rule.validate(
                    {
                        type: args.type,
                        urn: args.urn,
                        name: args.name,
                        props: unwrap(args.props),
                        provider: providerView(args.provider),
                        stackTags: args.stackTags,
                    },
                    judge,
                );
                if (unknowns.length > 0) {
                    if (failsClosed(config)) {
                        unknowns.forEach((u) => reportViolation(unknownViolation(rule.name, u)));
                        return;
                    }
                    throw cannotJudgeError(rule.name, unknowns);
                }
            },
        };
        policy[RESOURCE_TYPES] = rule.resourceTypes;
        return policy;
    }
    return {
        ...baseInfo(rule),
        validateStack: (args, reportViolation) => {
            const config = resolveConfig(rule, args.getConfig<Record<string, unknown>>());
            const views: StackResourceView[] = args.resources.map((r) => ({
                type: r.type,
                urn: r.urn,
                name: r.name,
                props: unwrap(r.props),
                parent: r.parent?.urn ?? r.opts?.parent,
                provider: providerView(r.provider),
                dependencies: r.dependencies.map((d) => d.urn),
                propertyDependencies: Object.fromEntries(
                    Object.entries(r.propertyDependencies).map(([k, v]) => [k, v.map((d) => d.urn)]),
                ),
            }));
            const unknowns: { what: string; urn?: string }[] = [];
            const exempted = (urn: string | undefined) => !!urn && !!exemptionFor(config, nameFromUrn(urn));
            const judge = makeJudge(config, (message, urn) => reportViolation(message, urn), unknowns, exempted);
            rule.validate(views, judge, args.stackTags);
            if (unknowns.length > 0) {
                if (failsClosed(config)) {
                    unknowns.forEach((u) => reportViolation(unknownViolation(rule.name, u), u.urn));
                    return;
                }
                throw cannotJudgeError(rule.name, unknowns);
            }
        },
    };
}

const LEVEL_RANK: Record<EnforcementLevel, number> = { disabled: 0, advisory: 1, remediate: 2, mandatory: 2 };

/** Orders levels by strictness: disabled < advisory < mandatory (= remediate). */
export function levelRank(level: EnforcementLevel): number {
    return LEVEL_RANK[level];
}
