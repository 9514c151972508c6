/**
 * Baseline diff of the credential-free preview (CI-2): compares two preview documents, an earlier one (the
 * baseline, e.g. the target branch's offline preview, or a real `pulumi preview --json`) and the current one,
 * both normalised first (normalise.ts), so either format can stand on either side. Resources listed on one side
 * only while the other side omits unchanged resources are "not comparable", never creates or deletes.
 *
 * Secrets (SEC-2) never leave their placeholder: a property whose value is `"[secret]"` on either side is
 * reported as changed or unchanged only, never with a value. Two placeholders cannot be compared, so `"[secret]"`
 * on both sides counts as unchanged, unless the current document is a real engine preview whose step for that
 * resource names the property in `detailedDiff` or `diffReasons` (the engine saw the plaintext).
 *
 * Which changes force a replacement is data (replace-rules.ts, CI-3); the printout is in format-diff.ts.
 */
import { isSecret, jsonEqual, normalisePlan, NormalisedResource, redact, urnName } from "./normalise";
import { isRecord } from "../../policies/lib/values";
import { CostEstimate, PlanDocument, WIRE } from "./types";
import { forcesReplacement, REPLACE_ON_CHANGES, replaceVerdict } from "./replace-rules";

export type ChangeKind = "add" | "delete" | "update";

/** One changed property of an updated or replaced resource. */
export interface PropertyChange {
    /** Property path: `tags.environment`, `ingress[0].cidrBlocks[1]`, `metadata.annotations["a.b/c"]`. */
    path: string;
    kind: ChangeKind;
    /** Value in the baseline (absent for `add`, and for secrets). */
    old?: unknown;
    /** Value in the current document (absent for `delete`, and for secrets). */
    new?: unknown;
    /** true when either side is a secret: values are withheld. */
    secret?: boolean;
    /** true when either side is not known until apply. */
    unknown?: boolean;
    /** true when this change forces the resource to be replaced. */
    forcesReplacement?: boolean;
}

export interface ResourceRef {
    urn: string;
    type: string;
    /** The resource's logical name (last URN segment). */
    name: string;
}

export interface ResourceUpdate extends ResourceRef {
    changes: PropertyChange[];
}

export interface ResourceReplacement extends ResourceUpdate {
    /** The replace-forcing properties that changed, with where that rule comes from. */
    replaceReasons: { property: string; source: string }[];
}

/** A changed resource whose type has no replace-forcing data: it may be replaced or updated (CI-3). */
export interface ResourceMayReplace extends ResourceUpdate {
    reason: string;
}

export interface CostDelta {
    baselineMonthlyUsd: number;
    currentMonthlyUsd: number;
    deltaMonthlyUsd: number;
}

/** The result of `diffPlans`; plain data, JSON-serialisable. */
export interface PlanDiff {
    baseline: { format: "offline" | "engine"; complete: boolean; resources: number };
    current: { format: "offline" | "engine"; complete: boolean; resources: number };
    creates: ResourceRef[];
    updates: ResourceUpdate[];
    replaces: ResourceReplacement[];
    /** Changed resources whose type has no replace-forcing data: never reported as a plain update. */
    mayReplace: ResourceMayReplace[];
    deletes: ResourceRef[];
    /** Number of resources present on both sides with equal inputs. */
    unchanged: number;
    /** Resources listed on one side only while the other side is incomplete: no verdict possible. */
    notComparable: (ResourceRef & { reason: string })[];
    /** Monthly cost delta when both documents carry (or can be given) a cost estimate. */
    cost?: CostDelta;
}

const IDENT = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

function childPath(parent: string, key: string): string {
    if (IDENT.test(key)) {
        return parent ? `${parent}.${key}` : key;
    }
    return `${parent}[${JSON.stringify(key)}]`;
}

function isUnknown(v: unknown): boolean {
    return v === WIRE.unknown;
}

/** A value fit for the JSON and the printout: secrets never appear, even nested in an added object. */
function shown(v: unknown): unknown {
    return redact(v);
}

function containsSecret(v: unknown): boolean {
    if (isSecret(v)) {
        return true;
    }
    if (Array.isArray(v)) {
        return v.some(containsSecret);
    }
    if (isRecord(v)) {
        return Object.values(v).some(containsSecret);
    }
    return false;
}

function leafChange(path: string, kind: ChangeKind, oldV: unknown, newV: unknown): PropertyChange {
    const change: PropertyChange = { path, kind };
    if (isSecret(oldV) || isSecret(newV)) {
        change.secret = true;
        return change;
    }
    if (isUnknown(oldV) || isUnknown(newV)) {
        change.unknown = true;
    }
    if (kind !== "add") {
        change.old = shown(oldV);
    }
    if (kind !== "delete") {
        change.new = shown(newV);
    }
    if (containsSecret(oldV) || containsSecret(newV)) {
        change.secret = true;
    }
    return change;
}

function engineNamed(path: string, enginePaths: string[] | undefined): boolean {
    if (!enginePaths) {
        return false;
    }
    return enginePaths.some((p) => p === path || path.startsWith(`${p}.`) || path.startsWith(`${p}[`));
}

/**
 * Deep diff of two input objects: objects by key, arrays by index. Returns leaf changes with paths.
 * `enginePaths` are property paths a real engine preview reported as changed; they decide whether a
 * secret that is a placeholder on both sides changed.
 */
export function diffInputs(
    oldInputs: Record<string, unknown>,
    newInputs: Record<string, unknown>,
    enginePaths?: string[],
): PropertyChange[] {
    const out: PropertyChange[] = [];
    const walk = (path: string, a: unknown, b: unknown): void => {
        if (a === undefined && b === undefined) {
            return;
        }
        if (a === undefined) {
            out.push(leafChange(path, "add", a, b));
            return;
        }
        if (b === undefined) {
            out.push(leafChange(path, "delete", a, b));
            return;
        }
        if (isSecret(a) && isSecret(b)) {
            if (engineNamed(path, enginePaths)) {
                out.push({ path, kind: "update", secret: true });
            }
            return;
        }
        if (isRecord(a) && isRecord(b)) {
            const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
            for (const key of keys) {
                walk(childPath(path, key), a[key], b[key]);
            }
            return;
        }
        if (Array.isArray(a) && Array.isArray(b)) {
            const n = Math.max(a.length, b.length);
            for (let i = 0; i < n; i++) {
                walk(`${path}[${i}]`, i < a.length ? a[i] : undefined, i < b.length ? b[i] : undefined);
            }
            return;
        }
        if (!jsonEqual(a, b)) {
            out.push(leafChange(path, "update", a, b));
        }
    };
    const keys = [...new Set([...Object.keys(oldInputs), ...Object.keys(newInputs)])].sort();
    for (const key of keys) {
        walk(childPath("", key), oldInputs[key], newInputs[key]);
    }
    return out;
}

function ref(res: NormalisedResource): ResourceRef {
    return { urn: res.urn, type: res.type, name: urnName(res.urn) };
}

function roundUsd(v: number): number {
    return Math.round(v * 100) / 100;
}

/** Options of `diffPlans`. */
export interface DiffOptions {
    /**
     * Estimates the cost of a document that carries none (e.g. a real engine preview), so that the
     * cost delta can still be shown. Typically `(doc) => estimateCost(doc, prices)`.
     */
    estimate?: (doc: PlanDocument) => CostEstimate;
    /** Replace-forcing rules per type (default: the data files of tools/plan/replace-data/). */
    table?: typeof REPLACE_ON_CHANGES;
}

/**
 * Compares a baseline preview with the current one (CI-2): creates, updates with their changed
 * property paths, replacements forced by a changed property, deletes, and the monthly cost delta.
 */
export function diffPlans(baseline: PlanDocument, current: PlanDocument, options: DiffOptions = {}): PlanDiff {
    const before = normalisePlan(baseline);
    const after = normalisePlan(current);
    const diff: PlanDiff = {
        baseline: { format: before.format, complete: before.complete, resources: before.resources.size },
        current: { format: after.format, complete: after.complete, resources: after.resources.size },
        creates: [],
        updates: [],
        replaces: [],
        mayReplace: [],
        deletes: [],
        unchanged: 0,
        notComparable: [],
    };
    const urns = [...new Set([...before.resources.keys(), ...after.resources.keys()])].sort();
    for (const urn of urns) {
        const a = before.resources.get(urn);
        const b = after.resources.get(urn);
        if (!a && b) {
            if (before.complete) {
                diff.creates.push(ref(b));
            } else {
                diff.notComparable.push({
                    ...ref(b),
                    reason: "only in the current document; the baseline omits unchanged resources (use --show-sames)",
                });
            }
            continue;
        }
        if (a && !b) {
            if (after.complete) {
                diff.deletes.push(ref(a));
            } else {
                diff.notComparable.push({
                    ...ref(a),
                    reason: "only in the baseline; the current document omits unchanged resources (use --show-sames)",
                });
            }
            continue;
        }
        if (!a || !b) {
            continue;
        }
        const changes = diffInputs(a.inputs, b.inputs, after.format === "engine" ? b.engineChangedPaths : undefined);
        if (changes.length === 0) {
            diff.unchanged++;
            continue;
        }
        const verdict = replaceVerdict(
            b.type,
            b.custom,
            a.inputs,
            b.inputs,
            changes.map((c) => c.path),
            options.table,
        );
        if (verdict.kind === "replace") {
            for (const change of changes) {
                if (forcesReplacement(change.path, verdict.reasons)) {
                    change.forcesReplacement = true;
                }
            }
            diff.replaces.push({ ...ref(b), changes, replaceReasons: verdict.reasons });
        } else if (verdict.kind === "may-replace") {
            diff.mayReplace.push({ ...ref(b), changes, reason: verdict.reason });
        } else {
            diff.updates.push({ ...ref(b), changes });
        }
    }
    const costOf = (doc: PlanDocument): number | undefined =>
        doc.cost?.monthlyUsd ?? (options.estimate ? options.estimate(doc).monthlyUsd : undefined);
    const baselineCost = costOf(baseline);
    const currentCost = costOf(current);
    if (baselineCost !== undefined && currentCost !== undefined) {
        diff.cost = {
            baselineMonthlyUsd: roundUsd(baselineCost),
            currentMonthlyUsd: roundUsd(currentCost),
            deltaMonthlyUsd: roundUsd(currentCost - baselineCost),
        };
    }
    return diff;
}
