/**
 * Policy configuration as the Pulumi CLI applies it (POL-3): schema defaults, then `all`, then the
 * per-policy entries of the `--policy-pack-config` file; the result is validated against each
 * policy's JSON schema. The per-stack files live in policies/config/<stack>.json.
 */
import * as fs from "fs";
import * as path from "path";
import type * as sdk from "@pulumi/policy";
import type { PolicyConfigJSONSchema, PolicyConfigJSONSchemaDefinition } from "@pulumi/policy/schema";
import type { EnforcementLevel } from "./rule";
import { isRecord } from "./values";

/** A parsed policy-pack-config file: policy name (or `all`) → level or { enforcementLevel, ...properties }. */
export type PolicyPackConfigFile = Record<string, unknown>;

export interface EffectivePolicyConfig {
    enforcementLevel: EnforcementLevel;
    properties: Record<string, unknown>;
}

const LEVELS: readonly string[] = ["advisory", "mandatory", "remediate", "disabled"];

export const CONFIG_DIR = path.resolve(__dirname, "..", "config");
export const STACKS = ["dev", "staging", "prod"] as const;

/** Reads policies/config/<stack>.json. */
export function loadStackConfig(stack: string): PolicyPackConfigFile {
    const file = path.join(CONFIG_DIR, `${stack}.json`);
    const parsed: unknown = JSON.parse(fs.readFileSync(file, "utf8"));
    if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
        throw new Error(`${file}: a policy pack config must be a JSON object`);
    }
    return parsed as PolicyPackConfigFile;
}

/** Splits one config entry into level and properties, rejecting what the CLI rejects. */
export function parseEntry(
    key: string,
    value: unknown,
): { enforcementLevel?: EnforcementLevel; properties: Record<string, unknown> } {
    if (typeof value === "string") {
        if (!LEVELS.includes(value)) {
            throw new Error(`parsing enforcement level for "${key}": "${value}" is not a valid enforcement level`);
        }
        return { enforcementLevel: value as EnforcementLevel, properties: {} };
    }
    if (typeof value !== "object" || value === null || Array.isArray(value)) {
        throw new Error(`parsing "${key}": ${JSON.stringify(value)} is not a valid value; must be a string or object`);
    }
    const { enforcementLevel, ...properties } = value as Record<string, unknown>;
    if (enforcementLevel !== undefined && (typeof enforcementLevel !== "string" || !LEVELS.includes(enforcementLevel))) {
        throw new Error(
            `parsing enforcement level for "${key}": ${JSON.stringify(enforcementLevel)} is not a valid enforcement level`,
        );
    }
    return { enforcementLevel: enforcementLevel as EnforcementLevel | undefined, properties };
}

/**
 * The effective config of every policy of one pack: defaults from the schema, the pack default level,
 * `all`, then the policy's own entry. Throws when a value does not match the policy's schema.
 */
export function reconcile(
    policies: sdk.Policy[],
    file: PolicyPackConfigFile | undefined,
    packDefault: EnforcementLevel = "advisory",
): Map<string, EffectivePolicyConfig> {
    const result = new Map<string, EffectivePolicyConfig>();
    for (const p of policies) {
        const properties: Record<string, unknown> = {};
        for (const [k, schema] of Object.entries(p.configSchema?.properties ?? {})) {
            if (schema.default !== undefined) {
                properties[k] = structuredClone(schema.default);
            }
        }
        result.set(p.name, { enforcementLevel: (p.enforcementLevel ?? packDefault) as EnforcementLevel, properties });
    }
    if (file) {
        const all = file["all"] === undefined ? undefined : parseEntry("all", file["all"]);
        if (all?.enforcementLevel) {
            for (const entry of result.values()) {
                entry.enforcementLevel = all.enforcementLevel;
            }
        }
        for (const [key, value] of Object.entries(file)) {
            const entry = result.get(key);
            const parsed = parseEntry(key, value);
            if (!entry) {
                continue; // the CLI passes config of other packs' policies through untouched
            }
            if (parsed.enforcementLevel) {
                entry.enforcementLevel = parsed.enforcementLevel;
            }
            Object.assign(entry.properties, parsed.properties);
        }
    }
    const errors: string[] = [];
    for (const p of policies) {
        const entry = result.get(p.name);
        if (p.configSchema && entry) {
            const schema: PolicyConfigJSONSchema = {
                type: "object",
                properties: p.configSchema.properties,
                required: p.configSchema.required,
            };
            for (const e of validateSchema(schema, entry.properties, "")) {
                errors.push(`${p.name}: ${e}`);
            }
        }
    }
    if (errors.length > 0) {
        throw new Error(`policy pack configuration is invalid:\n  ${errors.join("\n  ")}`);
    }
    return result;
}

function typeOf(value: unknown): string {
    if (value === null) {
        return "null";
    }
    if (Array.isArray(value)) {
        return "array";
    }
    if (typeof value === "number") {
        return Number.isInteger(value) ? "integer" : "number";
    }
    return typeof value;
}

/** Validates the subset of JSON schema the rules use (type, enum, bounds, items, properties). */
export function validateSchema(schema: PolicyConfigJSONSchemaDefinition, value: unknown, where: string): string[] {
    if (schema === true) {
        return [];
    }
    if (schema === false) {
        return [`${where || "(root)"}: no value is allowed here`];
    }
    const errors: string[] = [];
    const at = where || "(root)";
    if (schema.type !== undefined) {
        const types = Array.isArray(schema.type) ? schema.type : [schema.type];
        const actual = typeOf(value);
        const ok = types.some((t) => t === actual || (t === "number" && actual === "integer"));
        if (!ok) {
            return [`${at}: expected ${types.join(" or ")}, got ${actual}`];
        }
    }
    if (schema.enum && !schema.enum.some((e) => JSON.stringify(e) === JSON.stringify(value))) {
        errors.push(`${at}: must be one of ${JSON.stringify(schema.enum)}`);
    }
    if (typeof value === "number") {
        if (schema.minimum !== undefined && value < schema.minimum) {
            errors.push(`${at}: must be >= ${schema.minimum}`);
        }
        if (schema.maximum !== undefined && value > schema.maximum) {
            errors.push(`${at}: must be <= ${schema.maximum}`);
        }
    }
    if (typeof value === "string") {
        if (schema.minLength !== undefined && value.length < schema.minLength) {
            errors.push(`${at}: must be at least ${schema.minLength} characters`);
        }
        if (schema.pattern !== undefined && !new RegExp(schema.pattern).test(value)) {
            errors.push(`${at}: must match ${schema.pattern}`);
        }
    }
    if (Array.isArray(value)) {
        if (schema.minItems !== undefined && value.length < schema.minItems) {
            errors.push(`${at}: needs at least ${schema.minItems} items`);
        }
        if (schema.items !== undefined && !Array.isArray(schema.items)) {
            const itemSchema = schema.items;
            value.forEach((item, i) => errors.push(...validateSchema(itemSchema, item, `${where}[${i}]`)));
        }
    }
    if (isRecord(value)) {
        const record = value as Record<string, unknown>;
        for (const required of schema.required ?? []) {
            if (record[required] === undefined) {
                errors.push(`${at}: ${required} is required`);
            }
        }
        for (const [k, v] of Object.entries(record)) {
            const child = schema.properties?.[k];
            const path = where ? `${where}.${k}` : k;
            if (child !== undefined) {
                errors.push(...validateSchema(child, v, path));
            } else if (schema.additionalProperties !== undefined) {
                errors.push(...validateSchema(schema.additionalProperties, v, path));
            }
        }
    }
    return errors;
}
