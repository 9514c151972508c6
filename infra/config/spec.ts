/**
 * A small typed schema language for stack configuration (ENV-6).
 *
 * Each field knows its type, default, limits, documentation and the requirement IDs it serves, and can
 * parse a raw value into a typed one while collecting problems with their key path. The schema itself lives
 * in ./schema.ts; this file holds only the building blocks.
 */
import * as net from "net";

/** One problem found in a stack file. */
export interface ConfigProblem {
    /** Full key path, e.g. `bookbuddy:network.azCount`. */
    key: string;
    /** The value given (already redacted when the key is secret), or undefined when missing. */
    given?: unknown;
    /** What was expected, in words. */
    expected: string;
}

/** Where a value came from, so problems can name it. */
export interface ParseContext {
    problems: ConfigProblem[];
    /** Keys whose values are Pulumi secrets (`secure:` in the stack file). */
    isSecret(key: string): boolean;
}

/** A secret string: the value never leaves a Pulumi secret Output. */
export interface SecretValue {
    readonly kind: "secret";
    readonly value: string;
}

export interface Field<T> {
    readonly kind: string;
    /** One-line documentation (rendered into docs/configuration.md). */
    readonly doc: string;
    /** Requirement IDs this key serves. */
    readonly ids: readonly string[];
    /** True when the key has no default and must be given. */
    readonly required: boolean;
    /** The default, when there is one (used when the key is absent). */
    readonly defaultValue?: T;
    /** Human words for the accepted values, used in error messages. */
    readonly expected: string;
    /** Parses a present value; returns undefined and records a problem when it is invalid. */
    parse(value: unknown, key: string, ctx: ParseContext): T | undefined;
}

export type Infer<F> = F extends Field<infer T> ? T : never;

interface Common<T> {
    doc: string;
    ids?: readonly string[];
    default?: T;
}

function field<T>(kind: string, expected: string, opts: Common<T>, parse: Field<T>["parse"], required?: boolean): Field<T> {
    return {
        kind,
        doc: opts.doc,
        ids: opts.ids ?? [],
        required: required ?? opts.default === undefined,
        defaultValue: opts.default,
        expected,
        parse,
    };
}

function problem(ctx: ParseContext, key: string, given: unknown, expected: string): undefined {
    ctx.problems.push({ key, given: ctx.isSecret(key) ? "[secret]" : given, expected });
    return undefined;
}

/** Stack files give top-level scalars as strings; nested values keep their YAML types. */
function asNumber(value: unknown): number | undefined {
    if (typeof value === "number") return value;
    if (typeof value === "string" && /^-?\d+(\.\d+)?$/.test(value.trim())) return Number(value);
    return undefined;
}

export function integer(opts: Common<number> & { min?: number; max?: number }): Field<number> {
    const range =
        opts.min !== undefined && opts.max !== undefined
            ? ` from ${opts.min} to ${opts.max}`
            : opts.min !== undefined
              ? ` of at least ${opts.min}`
              : opts.max !== undefined
                ? ` of at most ${opts.max}`
                : "";
    const expected = `an integer${range}`;
    return field("integer", expected, opts, (value, key, ctx) => {
        const n = asNumber(value);
        if (n === undefined || !Number.isInteger(n)) return problem(ctx, key, value, expected);
        if ((opts.min !== undefined && n < opts.min) || (opts.max !== undefined && n > opts.max)) {
            return problem(ctx, key, value, expected);
        }
        return n;
    });
}

export function boolean(opts: Common<boolean>): Field<boolean> {
    const expected = "true or false";
    return field("boolean", expected, opts, (value, key, ctx) => {
        if (typeof value === "boolean") return value;
        if (value === "true") return true;
        if (value === "false") return false;
        return problem(ctx, key, value, expected);
    });
}

export function string<const T extends string = string>(
    opts: Common<T> & { pattern?: RegExp; patternText?: string; oneOf?: readonly T[]; minLength?: number },
): Field<T> {
    const expected = opts.oneOf
        ? `one of ${opts.oneOf.map((v) => JSON.stringify(v)).join(", ")}`
        : (opts.patternText ?? (opts.minLength ? `a string of at least ${opts.minLength} characters` : "a string"));
    return field("string", expected, opts, (value, key, ctx) => {
        if (typeof value !== "string") return problem(ctx, key, value, expected);
        if (opts.oneOf && !opts.oneOf.includes(value as T)) return problem(ctx, key, value, expected);
        if (opts.pattern && !opts.pattern.test(value)) return problem(ctx, key, value, expected);
        if (opts.minLength !== undefined && value.length < opts.minLength) return problem(ctx, key, value, expected);
        return value as T;
    });
}

/** An IPv4 CIDR block, checked with Node's own address parser. */
export function cidr(opts: Common<string> & { minPrefix?: number; maxPrefix?: number }): Field<string> {
    const lo = opts.minPrefix ?? 0;
    const hi = opts.maxPrefix ?? 32;
    const expected = `an IPv4 CIDR block with a prefix from /${lo} to /${hi}, e.g. "10.0.0.0/16"`;
    return field("cidr", expected, opts, (value, key, ctx) => {
        if (typeof value !== "string") return problem(ctx, key, value, expected);
        const [addr, bits, extra] = value.split("/");
        const prefix = Number(bits);
        if (extra !== undefined || !net.isIPv4(addr ?? "") || !/^\d{1,2}$/.test(bits ?? "") || prefix < lo || prefix > hi) {
            return problem(ctx, key, value, expected);
        }
        const ip = ipv4ToInt(addr);
        const mask = prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
        if ((ip & ~mask) >>> 0 !== 0) return problem(ctx, key, value, `${expected} (host bits must be zero)`);
        return value;
    });
}

export function ipv4ToInt(addr: string): number {
    return addr.split(".").reduce((acc, octet) => ((acc << 8) | Number(octet)) >>> 0, 0);
}

/** A value that must be set with `pulumi config set --secret` (a `secure:` entry). */
export function secret(opts: { doc: string; ids?: readonly string[]; optional?: boolean }): Field<SecretValue> {
    const expected = "a secret string set with `pulumi config set --secret`";
    return field<SecretValue>(
        "secret",
        expected,
        { doc: opts.doc, ids: opts.ids },
        (value, key, ctx) => {
            if (!ctx.isSecret(key)) {
                // Never echo what would be a plaintext secret.
                ctx.problems.push({ key, given: "[plaintext value withheld]", expected });
                return undefined;
            }
            if (typeof value !== "string" || value.length === 0) return problem(ctx, key, value, expected);
            return { kind: "secret", value };
        },
        !opts.optional,
    );
}

/** Structured values may arrive as JSON text (top-level keys); anything else stays as it is. */
function fromJsonText(value: unknown): { ok: boolean; value: unknown } {
    if (typeof value !== "string") return { ok: true, value };
    try {
        return { ok: true, value: JSON.parse(value) };
    } catch {
        return { ok: false, value };
    }
}

/**
 * What a reader without the stack's decryption key sees of a `secure:` value: the credential-free preview
 * (tools/plan, SECRET_PLACEHOLDER) hands this text over instead of the plaintext.
 */
export const UNREADABLE_SECRET = "[secret]";

export function list<T>(
    item: Field<T>,
    opts: Common<T[]> & { minItems?: number; maxItems?: number },
): Field<T[]> & { item: Field<T> } {
    const bounds = opts.minItems ? ` (at least ${opts.minItems})` : "";
    const expected = `a list of ${item.expected}${bounds}`;
    const f = field<T[]>("list", expected, opts, (value, key, ctx) => {
        // A list of secrets given as one `secure:` JSON list: without the key, its length and items are unknown;
        // it stands for one opaque secret item (the engine hands over the decrypted JSON text, parsed below).
        if (item.kind === "secret" && value === UNREADABLE_SECRET && ctx.isSecret(key)) {
            const opaque = item.parse(UNREADABLE_SECRET, `${key}[0]`, ctx);
            return opaque === undefined ? undefined : [opaque];
        }
        const parsedText = fromJsonText(value);
        const items = parsedText.value;
        if (!parsedText.ok || !Array.isArray(items)) return problem(ctx, key, value, expected);
        if (
            (opts.minItems !== undefined && items.length < opts.minItems) ||
            (opts.maxItems !== undefined && items.length > opts.maxItems)
        ) {
            return problem(ctx, key, value, expected);
        }
        const out: T[] = [];
        let ok = true;
        items.forEach((v, i) => {
            const parsed = item.parse(v, `${key}[${i}]`, ctx);
            if (parsed === undefined) ok = false;
            else out.push(parsed);
        });
        return ok ? out : undefined;
    });
    return { ...f, item };
}

/** A map of string to string (e.g. extra tags). */
export function stringMap(opts: Common<Record<string, string>>): Field<Record<string, string>> {
    const expected = "a map of string keys to string values";
    return field("map", expected, opts, (value, key, ctx) => {
        const parsedText = fromJsonText(value);
        const obj = parsedText.value;
        if (!parsedText.ok || obj === null || typeof obj !== "object" || Array.isArray(obj))
            return problem(ctx, key, value, expected);
        const out: Record<string, string> = {};
        for (const [k, v] of Object.entries(obj as Record<string, unknown>)) {
            if (typeof v !== "string") return problem(ctx, `${key}.${k}`, v, "a string");
            out[k] = v;
        }
        return out;
    });
}

export type Fields = Record<string, Field<unknown>>;
export type InferFields<F extends Fields> = { [K in keyof F]: Infer<F[K]> };

/**
 * A nested object with its own fields. Missing fields take their defaults; unknown fields are errors.
 * The object's own default is built from its fields' defaults, so a stack file may omit the whole group
 * when every field has one.
 */
export function object<F extends Fields>(
    fields: F,
    opts: { doc: string; ids?: readonly string[] },
): Field<InferFields<F>> & { fields: F } {
    const expected = `an object with keys ${Object.keys(fields).join(", ")}`;
    const required = Object.values(fields).some((f) => f.required);
    const parse = (value: unknown, key: string, ctx: ParseContext): InferFields<F> | undefined => {
        const parsedText = fromJsonText(value);
        const obj = parsedText.value;
        if (!parsedText.ok || obj === null || typeof obj !== "object" || Array.isArray(obj))
            return problem(ctx, key, value, expected);
        const given = obj as Record<string, unknown>;
        const out: Record<string, unknown> = {};
        let ok = true;
        for (const k of Object.keys(given)) {
            if (!(k in fields)) {
                const hint = closest(k, Object.keys(fields));
                ctx.problems.push({
                    key: `${key}.${k}`,
                    expected: `no such key (known keys: ${Object.keys(fields).join(", ")})${hint ? `; did you mean "${hint}"?` : ""}`,
                });
                ok = false;
            }
        }
        for (const [k, f] of Object.entries(fields)) {
            const sub = `${key}.${k}`;
            if (given[k] === undefined || given[k] === null) {
                if (f.required) {
                    ctx.problems.push({ key: sub, expected: `a value (required): ${f.expected}` });
                    ok = false;
                } else {
                    out[k] = f.defaultValue;
                }
                continue;
            }
            const parsed = f.parse(given[k], sub, ctx);
            if (parsed === undefined) ok = false;
            else out[k] = parsed;
        }
        return ok ? (out as InferFields<F>) : undefined;
    };
    const defaults = required
        ? undefined
        : (Object.fromEntries(Object.entries(fields).map(([k, f]) => [k, f.defaultValue])) as InferFields<F>);
    return { kind: "object", doc: opts.doc, ids: opts.ids ?? [], required, defaultValue: defaults, expected, parse, fields };
}

/** The closest known key by edit distance, for "did you mean" hints on typos. */
export function closest(word: string, candidates: string[]): string | undefined {
    let best: string | undefined;
    let bestDistance = Infinity;
    for (const c of candidates) {
        const d = editDistance(word.toLowerCase(), c.toLowerCase());
        if (d < bestDistance) {
            bestDistance = d;
            best = c;
        }
    }
    return bestDistance <= Math.max(2, Math.floor(word.length / 3)) ? best : undefined;
}

function editDistance(a: string, b: string): number {
    const row = Array.from({ length: b.length + 1 }, (_, i) => i);
    for (let i = 1; i <= a.length; i++) {
        let prev = row[0];
        row[0] = i;
        for (let j = 1; j <= b.length; j++) {
            const tmp = row[j];
            row[j] = Math.min(row[j] + 1, row[j - 1] + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
            prev = tmp;
        }
    }
    return row[b.length];
}
