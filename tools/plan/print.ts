/** The human-readable printout of the offline preview, modelled on `pulumi preview`. */
import { PlanDiff } from "./diff";
import { PlanDocument, PlanStep } from "./types";

const OP_SYMBOL: Record<string, string> = {
    create: "+",
    update: "~",
    delete: "-",
    replace: "+-",
    "may-replace": "+-?",
    "not-comparable": "?",
    same: " ",
};

function nameOf(urn: string): string {
    return urn.split("::").slice(3).join("::");
}

function typeOf(urn: string): string {
    return urn.split("::")[2].split("$").pop() ?? "";
}

const ROOT_STACK = "pulumi:pulumi:Stack";

/**
 * The number of resources of a preview: every resource that exists after it except the root stack resource,
 * the one count the tree, the summary, the diff and the README all use (CI-3).
 */
export function resourceCount(doc: PlanDocument): number {
    return doc.steps.filter((s) => (s.newState?.type ?? typeOf(s.urn)) !== ROOT_STACK && s.newState && !s.op.startsWith("delete"))
        .length;
}

/** The operation per URN: from the baseline diff when there is one, else the step's own op. */
function opsOf(doc: PlanDocument): Map<string, string> | undefined {
    const diff = doc.diff as PlanDiff | undefined;
    if (!diff) {
        return undefined;
    }
    const ops = new Map<string, string>();
    for (const r of diff.creates) ops.set(r.urn, "create");
    for (const r of diff.updates) ops.set(r.urn, "update");
    for (const r of diff.replaces) ops.set(r.urn, "replace");
    for (const r of diff.mayReplace ?? []) ops.set(r.urn, "may-replace");
    for (const r of diff.notComparable) ops.set(r.urn, "not-comparable");
    return ops;
}

/**
 * The resource tree by parent, like the engine's preview display. With a baseline diff, changed resources are
 * shown with their op and their ancestors; unchanged ones are counted ("12 unchanged") instead of listed, and
 * deleted ones follow the tree (CI-3).
 */
export function formatTree(doc: PlanDocument): string {
    const ops = opsOf(doc);
    const opOf = (step: PlanStep): string =>
        ops ? (ops.get(step.urn) ?? (step.newState?.type === ROOT_STACK ? "same" : "same")) : step.op;
    const children = new Map<string, PlanStep[]>();
    const roots: PlanStep[] = [];
    const known = new Set(doc.steps.map((s) => s.urn));
    for (const step of doc.steps) {
        if (!step.newState) continue;
        const parent = step.newState.parent;
        if (parent && known.has(parent)) {
            if (!children.has(parent)) children.set(parent, []);
            children.get(parent)!.push(step);
        } else {
            roots.push(step);
        }
    }
    // Which subtrees hold a change, and how many resources each holds.
    const changed = new Map<string, boolean>();
    const size = new Map<string, number>();
    const visit = (step: PlanStep): void => {
        let any = opOf(step) !== "same";
        let n = 1;
        for (const k of children.get(step.urn) ?? []) {
            visit(k);
            any = any || changed.get(k.urn)!;
            n += size.get(k.urn)!;
        }
        changed.set(step.urn, any);
        size.set(step.urn, n);
    };
    roots.forEach(visit);
    const rows: [string, string, string, string][] = [];
    const walk = (step: PlanStep, prefix: string, last: boolean, depth: number) => {
        const branch = depth === 0 ? "" : `${prefix}${last ? "└─ " : "├─ "}`;
        const op = opOf(step);
        rows.push([OP_SYMBOL[op] ?? " ", `${branch}${typeOf(step.urn)}`, nameOf(step.urn), op === "same" && ops ? "" : op]);
        const kids = children.get(step.urn) ?? [];
        const shown = ops ? kids.filter((k) => changed.get(k.urn)) : kids;
        const hidden = kids.length - shown.length;
        const hiddenCount = kids.filter((k) => !shown.includes(k)).reduce((n, k) => n + size.get(k.urn)!, 0);
        const nextPrefix = depth === 0 ? "" : `${prefix}${last ? "   " : "│  "}`;
        shown.forEach((k, i) => walk(k, nextPrefix, i === shown.length - 1 && hidden === 0, depth + 1));
        if (hidden > 0) {
            rows.push([" ", `${nextPrefix}└─ ...`, `${hiddenCount} unchanged`, ""]);
        }
    };
    roots.forEach((r, i) => walk(r, "", i === roots.length - 1, 0));
    const diff = doc.diff as PlanDiff | undefined;
    for (const d of diff?.deletes ?? []) {
        rows.push([OP_SYMBOL.delete, d.type.split(":").pop() ?? d.type, d.name, "delete"]);
    }
    const typeWidth = Math.max(4, ...rows.map((r) => r[1].length));
    const nameWidth = Math.max(4, ...rows.map((r) => r[2].length));
    const lines = [`     ${"Type".padEnd(typeWidth)}  ${"Name".padEnd(nameWidth)}  Plan`];
    for (const [sym, type, name, op] of rows)
        lines.push(` ${sym.padEnd(3)} ${type.padEnd(typeWidth)}  ${name.padEnd(nameWidth)}  ${op}`.trimEnd());
    return lines.join("\n");
}

/** Counts per operation and per resource type; the root stack resource is not counted (one count everywhere). */
export function formatSummary(doc: PlanDocument): string {
    const steps = doc.steps.filter((s) => (s.newState?.type ?? typeOf(s.urn)) !== ROOT_STACK);
    const lines = [`Resources: ${resourceCount(doc)} (the root stack resource not counted)`];
    const diff = doc.diff as PlanDiff | undefined;
    const perOp = new Map<string, number>();
    if (diff) {
        perOp.set("create", diff.creates.length);
        perOp.set("update", diff.updates.length);
        perOp.set("replace", diff.replaces.length);
        if (diff.mayReplace.length > 0) perOp.set("may-replace", diff.mayReplace.length);
        perOp.set("delete", diff.deletes.length);
        perOp.set("same", diff.unchanged);
    } else {
        for (const st of steps) perOp.set(st.op, (perOp.get(st.op) ?? 0) + 1);
    }
    for (const [op, n] of perOp)
        lines.push(
            `    ${OP_SYMBOL[op] ?? " "} ${n} ${op === "same" ? "unchanged" : op === "may-replace" ? "may replace" : `to ${op}`}`,
        );
    const byType = new Map<string, number>();
    for (const st of steps) {
        if (!st.newState) continue;
        const t = st.newState.type;
        byType.set(t, (byType.get(t) ?? 0) + 1);
    }
    lines.push("", "Resources by type:");
    const width = Math.max(...[...byType.keys()].map((t) => t.length));
    for (const [t, n] of [...byType.entries()].sort((a, b) => a[0].localeCompare(b[0])))
        lines.push(`    ${t.padEnd(width)}  ${String(n).padStart(4)}`);
    return lines.join("\n");
}
