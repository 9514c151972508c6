/**
 * Normalisation of preview documents (CI-2): either format (the offline preview's, or `pulumi preview --json`)
 * becomes "URN -> resource state after the preview", the one view that the diff, the cost estimate and the
 * diagram read.
 *
 * - our offline preview: every step is a `create` whose `newState` is the rendered resource;
 * - a real engine preview (the engine's PreviewDigest): steps with op `same`/`create`/`update`/`replace`/`delete`
 *   (and, with `--show-replacement-steps`, `create-replacement`/`delete-replaced`), each with
 *   `oldState`/`newState`, `diffReasons`, `replaceReasons` and `detailedDiff`. The engine hides `same` steps unless
 *   `--show-sames` is given; such a document is *incomplete* (`NormalisedPlan.complete` false).
 *
 * Secrets (SEC-2): engine secret envelopes become the same placeholder the offline preview writes.
 */
import { isRecord } from "../../policies/lib/values";
import { PlanDocument, PlanResourceState, PlanStep, SECRET_PLACEHOLDER, WIRE } from "./types";

/** The signature key of a serialised secret in engine state (`{"4dabf...": "1b47...", ...}`). */
const SECRET_SIGNATURE_KEY = WIRE.signatureKey;

/** The state of one resource after a preview, as both formats can express it. */
export interface NormalisedResource {
    urn: string;
    type: string;
    custom: boolean;
    parent?: string;
    protect?: boolean;
    /** Explicit provider reference `<provider urn>::<id>`, when one was given. */
    provider?: string;
    inputs: Record<string, unknown>;
    dependencies: string[];
    propertyDependencies: Record<string, string[]>;
    /** For real engine previews: property paths the engine reported as changed (detailedDiff keys and diffReasons). */
    engineChangedPaths?: string[];
}

export interface NormalisedPlan {
    /** `offline` for documents of the credential-free preview, `engine` for `pulumi preview --json`. */
    format: "offline" | "engine";
    /** false when the document omits unchanged resources (engine preview without `--show-sames`). */
    complete: boolean;
    /** Resources keyed by URN, sorted by URN. */
    resources: Map<string, NormalisedResource>;
}

/** Ops after which the resource no longer exists. */
const GONE_OPS = new Set(["delete", "delete-replaced", "discard", "discard-replaced", "remove-pending-replace"]);

/** The logical name of a resource: the last `::` segment of its URN. */
export function urnName(urn: string): string {
    const i = urn.lastIndexOf("::");
    return i >= 0 ? urn.slice(i + 2) : urn;
}

/** The type token of a resource from its URN (`urn:pulumi:stack::project::parent$type::name`). */
export function urnType(urn: string): string {
    const parts = urn.split("::");
    if (parts.length < 4) {
        return "";
    }
    const qualified = parts[2];
    const i = qualified.lastIndexOf("$");
    return i >= 0 ? qualified.slice(i + 1) : qualified;
}

/** Default providers are an engine detail that the offline preview does not record. */
function isDefaultProvider(urn: string, type: string): boolean {
    return type.startsWith("pulumi:providers:") && urnName(urn).startsWith("default");
}

/** Replaces engine secret envelopes with the placeholder so both formats redact alike (SEC-2). */
export function redact(value: unknown): unknown {
    if (Array.isArray(value)) {
        return value.map(redact);
    }
    if (value !== null && typeof value === "object") {
        const obj = value as Record<string, unknown>;
        if (SECRET_SIGNATURE_KEY in obj) {
            return SECRET_PLACEHOLDER;
        }
        const out: Record<string, unknown> = {};
        for (const key of Object.keys(obj)) {
            out[key] = redact(obj[key]);
        }
        return out;
    }
    return value;
}

function toResource(state: PlanResourceState, step: PlanStep, engine: boolean): NormalisedResource {
    const res: NormalisedResource = {
        urn: state.urn || step.urn,
        type: state.type || urnType(step.urn),
        custom: state.custom !== false,
        inputs: (redact(state.inputs ?? {}) as Record<string, unknown>) ?? {},
        dependencies: [...(state.dependencies ?? [])],
        propertyDependencies: { ...(state.propertyDependencies ?? {}) },
    };
    if (state.parent) {
        res.parent = state.parent;
    }
    if (state.protect !== undefined) {
        res.protect = state.protect;
    }
    if (state.provider) {
        res.provider = state.provider;
    }
    if (engine) {
        const paths = [...Object.keys(step.detailedDiff ?? {}), ...(step.diffReasons ?? [])];
        if (paths.length > 0) {
            res.engineChangedPaths = [...new Set(paths)].sort();
        }
    }
    return res;
}

/**
 * Normalises a preview document of either format to "URN -> resource state after the preview" (CI-2).
 * The root stack resource and the engine's default providers are left out: they carry no inputs of the
 * program and only one of the two formats records them.
 */
export function normalisePlan(doc: PlanDocument): NormalisedPlan {
    const engine = !doc.offline;
    const byUrn = new Map<string, NormalisedResource>();
    let sameSteps = 0;
    for (const step of doc.steps ?? []) {
        if (step.op === "same") {
            sameSteps++;
        }
        const type = step.newState?.type ?? step.oldState?.type ?? urnType(step.urn);
        if (type === "pulumi:pulumi:Stack" || isDefaultProvider(step.urn, type)) {
            continue;
        }
        if (GONE_OPS.has(step.op) || !step.newState) {
            continue;
        }
        const existing = byUrn.get(step.urn);
        const res = toResource(step.newState, step, engine);
        if (existing?.engineChangedPaths) {
            res.engineChangedPaths = [...new Set([...existing.engineChangedPaths, ...(res.engineChangedPaths ?? [])])].sort();
        }
        byUrn.set(step.urn, res);
    }
    const declaredSame = Number(doc.changeSummary?.same ?? 0);
    const complete = !engine || sameSteps >= declaredSame;
    const resources = new Map<string, NormalisedResource>();
    for (const urn of [...byUrn.keys()].sort()) {
        resources.set(urn, byUrn.get(urn)!);
    }
    return { format: engine ? "engine" : "offline", complete, resources };
}

/** true for the secret placeholder (SEC-2). */
export function isSecret(v: unknown): boolean {
    return v === SECRET_PLACEHOLDER;
}

/** Deep equality of JSON values (object key order ignored, undefined keys ignored). */
export function jsonEqual(a: unknown, b: unknown): boolean {
    if (a === b) {
        return true;
    }
    if (Array.isArray(a) && Array.isArray(b)) {
        return a.length === b.length && a.every((v, i) => jsonEqual(v, b[i]));
    }
    if (isRecord(a) && isRecord(b)) {
        const ka = Object.keys(a)
            .filter((k) => a[k] !== undefined)
            .sort();
        const kb = Object.keys(b)
            .filter((k) => b[k] !== undefined)
            .sort();
        return jsonEqual(ka, kb) && ka.every((k) => jsonEqual(a[k], b[k]));
    }
    return false;
}
