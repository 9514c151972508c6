/** The preview-like text printout of a baseline diff (CI-2). */
import { SECRET_PLACEHOLDER, WIRE } from "./types";
import { PlanDiff, PropertyChange, ResourceRef, ResourceUpdate } from "./diff";

function isUnknown(v: unknown): boolean {
    return v === WIRE.unknown;
}

function showValue(v: unknown): string {
    if (v === undefined) {
        return "undefined";
    }
    if (isUnknown(v)) {
        return "(known after apply)";
    }
    const text = JSON.stringify(v);
    return text.length > 120 ? `${text.slice(0, 117)}...` : text;
}

function formatChange(c: PropertyChange): string {
    const suffix = c.forcesReplacement ? "  (forces replacement)" : "";
    if (c.secret && c.old === undefined && c.new === undefined) {
        const what = c.kind === "add" ? "added" : c.kind === "delete" ? "removed" : "changed";
        return `${c.kind === "add" ? "+" : c.kind === "delete" ? "-" : "~"} ${c.path}: ${SECRET_PLACEHOLDER} (${what})${suffix}`;
    }
    switch (c.kind) {
        case "add":
            return `+ ${c.path}: ${showValue(c.new)}${suffix}`;
        case "delete":
            return `- ${c.path}: ${showValue(c.old)}${suffix}`;
        default:
            return `~ ${c.path}: ${showValue(c.old)} => ${showValue(c.new)}${suffix}`;
    }
}

function usd(v: number): string {
    const sign = v < 0 ? "-" : "";
    return `${sign}$${Math.abs(v).toFixed(2)}`;
}

/** The preview-like printout of a `PlanDiff` (CI-2). */
export function formatDiff(diff: PlanDiff): string {
    const lines: string[] = [];
    const side = (s: PlanDiff["baseline"]): string =>
        `${s.format === "engine" ? "engine preview" : "offline preview"}, ${s.resources} resources${s.complete ? "" : ", changed resources only"}`;
    lines.push("Baseline diff");
    lines.push(`  baseline: ${side(diff.baseline)}`);
    lines.push(`  current:  ${side(diff.current)}`);
    lines.push("");
    const counts: [string, number][] = [
        ["+ to create", diff.creates.length],
        ["~ to update", diff.updates.length],
        ["+- to replace", diff.replaces.length],
        ["+-? may replace", diff.mayReplace.length],
        ["- to delete", diff.deletes.length],
    ];
    for (const [label, n] of counts) {
        if (n > 0) {
            const [sym, ...rest] = label.split(" ");
            lines.push(`  ${sym} ${n} ${rest.join(" ")}`);
        }
    }
    lines.push(`  ${diff.unchanged} unchanged`);
    if (diff.notComparable.length > 0) {
        lines.push(`  ? ${diff.notComparable.length} not comparable`);
    }
    const section = (title: string, sym: string, refs: ResourceRef[]): void => {
        if (refs.length === 0) {
            return;
        }
        lines.push("");
        lines.push(`${title}:`);
        for (const r of refs) {
            lines.push(`  ${sym} ${r.type} ${r.name}`);
            const changes = (r as ResourceUpdate).changes;
            for (const c of changes ?? []) {
                lines.push(`      ${formatChange(c)}`);
            }
        }
    };
    section("Creates", "+", diff.creates);
    section("Updates", "~", diff.updates);
    section("Replacements", "+-", diff.replaces);
    section("May replace (no replace-forcing data for the type: the verdict is unknown)", "+-?", diff.mayReplace);
    section("Deletes", "-", diff.deletes);
    if (diff.notComparable.length > 0) {
        lines.push("");
        lines.push("Not comparable:");
        for (const r of diff.notComparable) {
            lines.push(`  ? ${r.type} ${r.name}: ${r.reason}`);
        }
    }
    lines.push("");
    if (diff.cost) {
        const d = diff.cost.deltaMonthlyUsd;
        lines.push(
            `Monthly cost: ${usd(diff.cost.baselineMonthlyUsd)} -> ${usd(diff.cost.currentMonthlyUsd)} (${d >= 0 ? "+" : ""}${usd(d)})`,
        );
    } else {
        lines.push("Monthly cost delta: not available (a document carries no cost estimate)");
    }
    return lines.join("\n");
}
