/**
 * The offline policy runner (POL-3, CI-2): runs the packs over the resources recorded by the
 * credential-free preview, building the same arguments the Pulumi engine's analyzer gives a policy
 * (type, urn, name, props behind the unknown-checking proxy, opts, provider, notApplicable, getConfig,
 * stackTags, isType/asType) and collecting reported violations with their effective enforcement level.
 */
import * as fs from "fs";
import * as path from "path";
import * as sdk from "@pulumi/policy";
import type { PlanResourceState, PolicyViolation } from "../plan/types";
import { CONFIG_DIR, loadStackConfig, reconcile, type PolicyPackConfigFile } from "../../policies/lib/config";
import { RESOURCE_TYPES, UnknownValueError, toPolicy, type EnforcementLevel } from "../../policies/lib/rule";
import { securityRules } from "../../policies/security/rules";
import { maintenanceRules } from "../../policies/maintenance/rules";

/** A pack as the runner sees it: its name, version and CrossGuard policies. */
export interface PackModule {
    name: string;
    version: string;
    /** Level for policies that declare none (the PolicyPack argument of the same name). */
    enforcementLevel?: EnforcementLevel;
    policies: sdk.Policies;
}

export interface RunOptions {
    packs: ("security" | "maintenance")[] | PackModule[];
    /** A parsed policy-pack-config file; when absent, policies/config/<stack>.json is used if it exists. */
    config?: Record<string, unknown>;
    stack: string;
    stackTags?: Record<string, string>;
}

function packVersion(dir: string): string {
    const manifest = JSON.parse(
        fs.readFileSync(path.resolve(__dirname, "..", "..", "policies", dir, "package.json"), "utf8"),
    ) as { version: string };
    return manifest.version;
}

/** The two packs of this repository, built from the rule modules (never from the entry files). */
export function builtinPack(name: "security" | "maintenance"): PackModule {
    const rules = name === "security" ? securityRules : maintenanceRules;
    return {
        name: `bookbuddy-${name}`,
        version: packVersion(name),
        enforcementLevel: name === "security" ? "mandatory" : "advisory",
        policies: rules.map(toPolicy),
    };
}

const sdkInternals = sdk as unknown as { unknownCheckingProxy<T>(value: T): T };

/** Thrown by notApplicable(), as the engine does; the verdict is "not applicable", not a violation. */
export class NotApplicableError extends Error {
    constructor(readonly reason?: string) {
        super(reason ?? "not applicable");
    }
}

function throwNotApplicable(reason?: string): never {
    throw new NotApplicableError(reason);
}

function isTypeOf(type: string, resourceClass: unknown): boolean {
    const token = (resourceClass as { __pulumiType?: string }).__pulumiType;
    if (typeof token === "string") {
        return token === type;
    }
    const isInstance = (resourceClass as { isInstance?: (o: unknown) => boolean }).isInstance;
    return typeof isInstance === "function" && isInstance({ __pulumiType: type }) === true;
}

function nameOf(urn: string): string {
    return urn.slice(urn.lastIndexOf("::") + 2);
}

function optionsOf(r: PlanResourceState): sdk.PolicyResourceOptions {
    return {
        protect: r.protect === true,
        ignoreChanges: [],
        aliases: [],
        customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 },
        additionalSecretOutputs: [],
        ...(r.parent ? { parent: r.parent } : {}),
    };
}

/** The provider a resource was registered with (`<provider urn>::<id>`), as the engine describes it. */
export function providerOf(r: PlanResourceState, byUrn: Map<string, PlanResourceState>): sdk.PolicyProviderResource | undefined {
    if (!r.provider) {
        return undefined;
    }
    const urn = r.provider.slice(0, r.provider.lastIndexOf("::"));
    const provider = byUrn.get(urn);
    const type = urn.split("::")[2]?.split("$").pop() ?? "";
    return {
        type: provider?.type ?? type,
        urn,
        name: nameOf(urn),
        props: sdkInternals.unknownCheckingProxy({ ...(provider?.inputs ?? {}) }),
    };
}

/** Engine-like arguments for a resource policy. */
export function makeResourceArgs(
    r: PlanResourceState,
    byUrn: Map<string, PlanResourceState>,
    config: Record<string, unknown>,
    stackTags: ReadonlyMap<string, string>,
): sdk.ResourceValidationArgs {
    const props = sdkInternals.unknownCheckingProxy(structuredClone(r.inputs));
    const args: sdk.ResourceValidationArgs = {
        type: r.type,
        props,
        urn: r.urn,
        name: nameOf(r.urn),
        opts: optionsOf(r),
        stackTags,
        isType: (resourceClass) => isTypeOf(r.type, resourceClass),
        asType: ((resourceClass: unknown) =>
            isTypeOf(r.type, resourceClass) ? props : undefined) as sdk.ResourceValidationArgs["asType"],
        getConfig: <T extends object>() => structuredClone(config) as T,
        notApplicable: throwNotApplicable,
    };
    const provider = providerOf(r, byUrn);
    if (provider) {
        args.provider = provider;
    }
    return args;
}

/** Engine-like resources for a stack policy: props are the recorded state (outputs overlaid by inputs). */
export function makeStackResources(resources: PlanResourceState[]): sdk.PolicyResource[] {
    const byUrn = new Map(resources.map((r) => [r.urn, r]));
    const result = resources.map((r): sdk.PolicyResource => {
        const props = sdkInternals.unknownCheckingProxy({ ...structuredClone(r.outputs ?? {}), ...structuredClone(r.inputs) });
        const provider = providerOf(r, byUrn);
        return {
            type: r.type,
            props,
            urn: r.urn,
            name: nameOf(r.urn),
            opts: optionsOf(r),
            dependencies: [],
            propertyDependencies: {},
            isType: (resourceClass) => isTypeOf(r.type, resourceClass),
            asType: ((resourceClass: unknown) =>
                isTypeOf(r.type, resourceClass) ? props : undefined) as sdk.PolicyResource["asType"],
            ...(provider ? { provider } : {}),
        };
    });
    const objects = new Map(result.map((p) => [p.urn, p]));
    resources.forEach((r, i) => {
        const p = result[i];
        const parent = r.parent ? objects.get(r.parent) : undefined;
        if (parent) {
            p.parent = parent;
        }
        p.dependencies = r.dependencies.map((d) => objects.get(d)).filter((d): d is sdk.PolicyResource => !!d);
        for (const [key, urns] of Object.entries(r.propertyDependencies)) {
            p.propertyDependencies[key] = urns.map((d) => objects.get(d)).filter((d): d is sdk.PolicyResource => !!d);
        }
    });
    return result;
}

function defaultConfig(stack: string): PolicyPackConfigFile | undefined {
    return fs.existsSync(path.join(CONFIG_DIR, `${stack}.json`)) ? loadStackConfig(stack) : undefined;
}

/** Runs the packs over recorded resources; see the module comment. */
export async function runPolicyPacks(resources: PlanResourceState[], options: RunOptions): Promise<PolicyViolation[]> {
    const packs = (options.packs as (string | PackModule)[]).map((p) =>
        typeof p === "string" ? builtinPack(p as "security" | "maintenance") : p,
    );
    const file = (options.config as PolicyPackConfigFile | undefined) ?? defaultConfig(options.stack);
    const stackTags: ReadonlyMap<string, string> = new Map(Object.entries(options.stackTags ?? {}));
    const byUrn = new Map(resources.map((r) => [r.urn, r]));
    const violations: PolicyViolation[] = [];
    // Stack rules only read their view of the resources: build it once for all of them.
    let stackResources: sdk.PolicyResource[] | undefined;

    for (const pack of packs) {
        const effective = reconcile(pack.policies, file, pack.enforcementLevel ?? "advisory");
        const levelOf = (p: sdk.Policy): EnforcementLevel => {
            const level = effective.get(p.name)?.enforcementLevel ?? "advisory";
            return level === "remediate" ? "mandatory" : level;
        };
        const report = (p: sdk.Policy, level: string) => (message: string, urn?: string) => {
            violations.push({
                policyPack: pack.name,
                policy: p.name,
                enforcementLevel: level,
                urn: urn ?? "",
                message: message ? `${p.description}\n${message}` : p.description,
                ...(p.severity ? { severity: p.severity } : {}),
            });
        };
        const unknown = (p: sdk.Policy, error: Error, fallbackUrn: string) => {
            const urns = (error as Error & { urns?: string[] }).urns;
            const text = `can't run policy '${p.name}' from policy pack '${pack.name}@v${pack.version}' during preview: ${error.message}`;
            for (const urn of urns && urns.length > 0 ? [...new Set(urns)] : [fallbackUrn]) {
                violations.push({
                    policyPack: pack.name,
                    policy: p.name,
                    enforcementLevel: "advisory",
                    urn,
                    message: text,
                    ...(p.severity ? { severity: p.severity } : {}),
                });
            }
        };
        const fail = (p: sdk.Policy, error: unknown): never => {
            throw new Error(
                `Error validating with policy '${p.name}' from policy pack '${pack.name}@v${pack.version}': ${(error as Error).message ?? String(error)}`,
            );
        };

        for (const r of resources) {
            for (const p of pack.policies) {
                const level = levelOf(p);
                if (level === "disabled" || !("validateResource" in p) || !p.validateResource) {
                    continue;
                }
                // Our rules declare their types: skip the others without building arguments (same outcome
                // as calling them, which answers notApplicable; measured as the runner's main cost).
                const types = (p as { [RESOURCE_TYPES]?: string[] })[RESOURCE_TYPES];
                if (types && !types.includes(r.type)) {
                    continue;
                }
                const validations = Array.isArray(p.validateResource) ? p.validateResource : [p.validateResource];
                for (const validate of validations) {
                    try {
                        await validate(
                            makeResourceArgs(r, byUrn, effective.get(p.name)?.properties ?? {}, stackTags),
                            (message) => report(p, level)(message, r.urn),
                        );
                    } catch (e) {
                        if (e instanceof NotApplicableError) {
                            continue;
                        }
                        if (e instanceof UnknownValueError) {
                            unknown(p, e as Error, r.urn);
                            continue;
                        }
                        fail(p, e);
                    }
                }
            }
        }
        for (const p of pack.policies) {
            const level = levelOf(p);
            if (level === "disabled" || !("validateStack" in p)) {
                continue;
            }
            try {
                await p.validateStack(
                    {
                        resources: (stackResources ??= makeStackResources(resources)),
                        getConfig: <T extends object>() => structuredClone(effective.get(p.name)?.properties ?? {}) as T,
                        stackTags,
                        notApplicable: throwNotApplicable,
                    },
                    report(p, level),
                );
            } catch (e) {
                if (e instanceof NotApplicableError) {
                    continue;
                }
                if (e instanceof UnknownValueError) {
                    unknown(p, e as Error, "");
                    continue;
                }
                fail(p, e);
            }
        }
    }
    return violations;
}
