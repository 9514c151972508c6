/** The human-readable printout of the offline preview, modelled on `pulumi preview`. */
import { PlanDocument, PlanStep } from "./types";

const OP_SYMBOL: Record<string, string> = { create: "+", update: "~", delete: "-", replace: "+-", same: " " };

function nameOf(urn: string): string {
    return urn.split("::").slice(3).join("::");
}

function typeOf(urn: string): string {
    return urn.split("::")[2].split("$").pop() ?? "";
}

/** The resource tree by parent, like the engine's preview display. */
export function formatTree(doc: PlanDocument): string {
    const children = new Map<string, PlanStep[]>();
    const roots: PlanStep[] = [];
    const known = new Set(doc.steps.map((s) => s.urn));
    for (const step of doc.steps) {
        const parent = step.newState?.parent;
        if (parent && known.has(parent)) {
            if (!children.has(parent)) children.set(parent, []);
            children.get(parent)!.push(step);
        } else {
            roots.push(step);
        }
    }
    const rows: [string, string, string, string][] = [];
    const walk = (step: PlanStep, prefix: string, last: boolean, depth: number) => {
        const branch = depth === 0 ? "" : `${prefix}${last ? "└─ " : "├─ "}`;
        rows.push([OP_SYMBOL[step.op] ?? "?", `${branch}${typeOf(step.urn)}`, nameOf(step.urn), step.op]);
        const kids = children.get(step.urn) ?? [];
        const nextPrefix = depth === 0 ? "" : `${prefix}${last ? "   " : "│  "}`;
        kids.forEach((k, i) => walk(k, nextPrefix, i === kids.length - 1, depth + 1));
    };
    roots.forEach((r, i) => walk(r, "", i === roots.length - 1, 0));
    const typeWidth = Math.max(4, ...rows.map((r) => r[1].length));
    const nameWidth = Math.max(4, ...rows.map((r) => r[2].length));
    const lines = [`     ${"Type".padEnd(typeWidth)}  ${"Name".padEnd(nameWidth)}  Plan`];
    for (const [sym, type, name, op] of rows) lines.push(` ${sym.padEnd(3)} ${type.padEnd(typeWidth)}  ${name.padEnd(nameWidth)}  ${op}`);
    return lines.join("\n");
}

/** Counts per operation and per resource type. */
export function formatSummary(doc: PlanDocument): string {
    const lines = ["Resources:"];
    for (const [op, n] of Object.entries(doc.changeSummary)) lines.push(`    ${OP_SYMBOL[op] ?? " "} ${n} to ${op}`);
    const byType = new Map<string, number>();
    for (const s of doc.steps) {
        const t = s.newState?.type ?? typeOf(s.urn);
        byType.set(t, (byType.get(t) ?? 0) + 1);
    }
    lines.push("", "Resources by type:");
    const width = Math.max(...[...byType.keys()].map((t) => t.length));
    for (const [t, n] of [...byType.entries()].sort((a, b) => a[0].localeCompare(b[0]))) lines.push(`    ${t.padEnd(width)}  ${String(n).padStart(4)}`);
    return lines.join("\n");
}
