/**
 * The preview as Markdown for a pull request review (CI-3): the verdict first (policy result per pack,
 * change counts, monthly cost before -> after), then the changes with property paths (replacements first),
 * the policy findings, the cost table grouped by component, and the whole resource tree collapsed in
 * <details>. Rendered from the preview JSON alone, so the trusted comment job can render a pull request's
 * artifact with the default branch's code (tools/plan/comment.ts).
 *
 * Every string taken from the document (names, messages, values) may come from a pull request: it is only
 * ever shown inside code spans or code fences, so it cannot add markup, links, images or mentions.
 */
import { groupCost, isPartial, priceTablesText, stalePriceWarning } from "./cost";
import type { DeployPathResult } from "./deploy-path";
import { PlanDiff, PropertyChange, ResourceRef } from "./diff";
import { urnName } from "./normalise";
import { PlanDocument, PolicyViolation, SECRET_PLACEHOLDER, WIRE } from "./types";
import { formatTree, resourceCount } from "./print";

/** GitHub's limit on the body of an issue or pull request comment (characters). */
export const GITHUB_COMMENT_LIMIT = 65536;
/** What the preview command prints with --format markdown: a job summary step may hold 1 MiB. */
export const JOB_SUMMARY_LIMIT = 900_000;

/** An inline code span that holds any text safely (also inside a table cell). */
export function code(text: string): string {
    const flat = text.replace(/[\r\n]+/g, " ").replace(/\|/g, "\\|");
    const longest = Math.max(0, ...(flat.match(/`+/g) ?? []).map((s) => s.length));
    const fence = "`".repeat(longest + 1);
    const pad = flat.startsWith("`") || flat.endsWith("`") || flat === "" ? " " : "";
    return `${fence}${pad}${flat}${pad}${fence}`;
}

/** A fenced code block that holds any text safely. */
export function fenced(text: string, info = "text"): string {
    const longest = Math.max(2, ...(text.match(/`+/g) ?? []).map((s) => s.length));
    const fence = "`".repeat(longest + 1);
    return `${fence}${info}\n${text}\n${fence}`;
}

function usd(v: number): string {
    const sign = v < 0 ? "-" : "";
    return `${sign}$${Math.abs(v).toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
}

function signedUsd(v: number): string {
    return `${v >= 0 ? "+" : "-"}${usd(Math.abs(v))}`;
}

/** The parts of a stack's review, so a comment for several stacks can trim trees first. */
export interface MarkdownParts {
    /** The heading and verdict: never trimmed. */
    verdict: string;
    /** Changes, findings, cost: trimmed only when even without the tree the text would not fit. */
    body: string;
    /** The tree's summary line and its lines (trimmed first). */
    treeSummary: string;
    treeLines: string[];
}

export interface MarkdownOptions {
    /** Stack name for the heading (default: the document's own). */
    stack?: string;
    /** The preview's exit code, when known (the comment job reads it from the artifact). */
    exitCode?: number;
    /** Heading level of the stack heading (2 for a stand-alone preview, 3 inside the comment). */
    level?: number;
}

function packResults(doc: PlanDocument): { pack: string; mandatory: number; advisory: number }[] {
    const packs = doc.policyPacks ?? [...new Set((doc.policyViolations ?? []).map((v) => v.policyPack))];
    return packs.map((pack) => {
        const name = pack.startsWith("bookbuddy-") ? pack : `bookbuddy-${pack}`;
        const mine = (doc.policyViolations ?? []).filter((v) => v.policyPack === name);
        const mandatory = mine.filter((v) => v.enforcementLevel === "mandatory").length;
        return { pack: name, mandatory, advisory: mine.length - mandatory };
    });
}

function statusOf(doc: PlanDocument, exitCode?: number): string {
    if (exitCode !== undefined && !Number.isSafeInteger(exitCode)) return "failed (unreadable exit code)";
    const mandatory = (doc.policyViolations ?? []).some((v) => v.enforcementLevel === "mandatory");
    const deployPath = doc.deployPath as DeployPathResult | undefined;
    if (exitCode !== undefined && exitCode !== 0 && exitCode !== 3 && exitCode !== 4) return `failed (exit code ${exitCode})`;
    if (mandatory) return "❌ mandatory policy violation";
    return deployPath && !deployPath.ok ? "❌ deploy path not proven" : "✅ passed";
}

/** The verdict block (CI-3): status, policy result per pack, change counts, cost before -> after. */
export function verdict(doc: PlanDocument, options: MarkdownOptions = {}): string {
    const stack = options.stack ?? doc.offline?.stack ?? "stack";
    const h = "#".repeat(options.level ?? 2);
    const lines = [`${h} ${code(stack)}: ${statusOf(doc, options.exitCode)}`, ""];
    const packs = packResults(doc);
    lines.push(
        `**Policies:** ${
            packs.length === 0
                ? "no pack ran"
                : packs
                      .map(
                          (p) =>
                              `${code(p.pack)} ${p.mandatory > 0 ? "❌" : "✅"} ${p.mandatory} mandatory, ${p.advisory} advisory`,
                      )
                      .join(" · ")
        }`,
        "",
    );
    const deployPath = doc.deployPath as DeployPathResult | undefined;
    if (deployPath) {
        const failed = deployPath.checks.filter((c) => !c.ok).map((c) => c.name);
        lines.push(
            `**Deploy path (DEP-1):** ${deployPath.ok ? "✅ proven" : `❌ not proven: ${failed.map(code).join(", ")}`}`,
            "",
        );
    }
    const diff = doc.diff as PlanDiff | undefined;
    if (diff) {
        const counts = [
            `${diff.creates.length} to create`,
            `${diff.updates.length} to update`,
            `${diff.replaces.length} to replace`,
            ...(diff.mayReplace.length > 0 ? [`${diff.mayReplace.length} may replace`] : []),
            `${diff.deletes.length} to delete`,
            `${diff.unchanged} unchanged`,
            ...(diff.notComparable.length > 0 ? [`${diff.notComparable.length} not comparable`] : []),
        ];
        lines.push(`**Changes against the baseline:** ${counts.join(", ")}`, "");
    } else {
        lines.push(`**Changes:** ${resourceCount(doc)} to create (no baseline to compare with)`, "");
    }
    const cost = doc.cost;
    if (cost) {
        const partial = isPartial(cost) ? ` (partial: ${cost.unpriced?.length ?? 0} item(s) not in the price table)` : "";
        if (diff?.cost) {
            lines.push(
                `**Monthly cost:** ${usd(diff.cost.baselineMonthlyUsd)} → ${usd(diff.cost.currentMonthlyUsd)} (${signedUsd(diff.cost.deltaMonthlyUsd)})${partial}`,
            );
        } else {
            lines.push(`**Monthly cost:** ${usd(cost.monthlyUsd)}${partial} (no baseline cost)`);
        }
        // The prices' date and age belong to the verdict: a figure from an old table is a figure to doubt.
        const stale = stalePriceWarning(cost);
        lines.push("", `Prices: ${priceTablesText(cost)}.${stale ? ` **${stale}**` : ""}`);
    }
    return lines.join("\n");
}

function showValue(v: unknown): string {
    if (v === undefined) return "(none)";
    if (v === WIRE.unknown) return "(known after apply)";
    const text = JSON.stringify(v);
    return text.length > 100 ? `${text.slice(0, 97)}...` : text;
}

function changeLine(c: PropertyChange): string {
    const forces = c.forcesReplacement ? " **forces replacement**" : "";
    if (c.secret && c.old === undefined && c.new === undefined) {
        return `  - ${code(c.path)}: ${code(SECRET_PLACEHOLDER)} ${c.kind === "add" ? "added" : c.kind === "delete" ? "removed" : "changed"}${forces}`;
    }
    if (c.kind === "add") return `  - ${code(c.path)}: added ${code(showValue(c.new))}${forces}`;
    if (c.kind === "delete") return `  - ${code(c.path)}: removed (was ${code(showValue(c.old))})${forces}`;
    return `  - ${code(c.path)}: ${code(showValue(c.old))} → ${code(showValue(c.new))}${forces}`;
}

/** Creates and deletes listed by name, at most this many (the tree lists them all). */
const LIST_LIMIT = 50;

/** The changes with their property paths: replacements first, then may-replace, updates, creates, deletes. */
export function changes(diff: PlanDiff, level: number): string {
    const h = "#".repeat(level + 1);
    const out: string[] = [`${h} Changes`, ""];
    const total = diff.creates.length + diff.updates.length + diff.replaces.length + diff.mayReplace.length + diff.deletes.length;
    if (total === 0 && diff.notComparable.length === 0) {
        out.push("No resource changes against the baseline.");
        return out.join("\n");
    }
    const ref = (r: ResourceRef) => `${code(r.type)} ${code(r.name)}`;
    if (diff.replaces.length > 0) {
        out.push(`**Replacements (${diff.replaces.length})**: the provider deletes and recreates these`, "");
        for (const r of diff.replaces) {
            out.push(
                `- ${ref(r)}: replaced because ${r.replaceReasons.map((x) => code(x.property)).join(", ")} changed (source: ${code(r.replaceReasons[0].source)})`,
            );
            out.push(...r.changes.map(changeLine));
        }
        out.push("");
    }
    if (diff.mayReplace.length > 0) {
        out.push(
            `**May replace (${diff.mayReplace.length})**: no replace-forcing data for the type; the real engine preview decides`,
            "",
        );
        for (const r of diff.mayReplace) {
            out.push(`- ${ref(r)}`);
            out.push(...r.changes.map(changeLine));
        }
        out.push("");
    }
    if (diff.updates.length > 0) {
        out.push(`**Updates in place (${diff.updates.length})**`, "");
        for (const r of diff.updates) {
            out.push(`- ${ref(r)}`);
            out.push(...r.changes.map(changeLine));
        }
        out.push("");
    }
    const simple = (title: string, refs: ResourceRef[]) => {
        if (refs.length === 0) return;
        const shown = refs.slice(0, LIST_LIMIT).map((r) => `- ${ref(r)}`);
        if (refs.length > LIST_LIMIT) shown.push(`- ... and ${refs.length - LIST_LIMIT} more (all of them are in the tree)`);
        out.push(`**${title} (${refs.length})**`, "", ...shown, "");
    };
    simple("Creates", diff.creates);
    simple("Deletes", diff.deletes);
    if (diff.notComparable.length > 0) {
        out.push(
            `**Not comparable (${diff.notComparable.length})**`,
            "",
            ...diff.notComparable.map((r) => `- ${ref(r)}: ${code(r.reason)}`),
            "",
        );
    }
    return out.join("\n").trimEnd();
}

/** Policy findings as one table, mandatory first. */
export function findings(violations: PolicyViolation[], level: number): string {
    const h = "#".repeat(level + 1);
    if (violations.length === 0) return `${h} Policy findings\n\nNo policy findings.`;
    const order = ["mandatory", "advisory", "remediate"];
    const sorted = [...violations].sort(
        (a, b) =>
            order.indexOf(a.enforcementLevel) - order.indexOf(b.enforcementLevel) ||
            a.policyPack.localeCompare(b.policyPack) ||
            a.policy.localeCompare(b.policy),
    );
    const rows = sorted.map(
        (v) =>
            `| ${v.enforcementLevel} | ${code(v.policyPack)} | ${code(v.policy)} | ${v.urn ? code(urnName(v.urn)) : "(stack)"} | ${code(v.message)} |`,
    );
    return [
        `${h} Policy findings (${violations.length})`,
        "",
        "| Level | Pack | Policy | Resource | Finding |",
        "|---|---|---|---|---|",
        ...rows,
    ].join("\n");
}

/** The cost table grouped by component and sorted, then the unpriced items, then the usage notes. */
export function costTable(doc: PlanDocument, level: number): string {
    const h = "#".repeat(level + 1);
    const cost = doc.cost;
    if (!cost) return `${h} Monthly cost\n\nNo cost estimate in the document.`;
    const out = [
        `${h} Monthly cost: ${usd(cost.monthlyUsd)}${isPartial(cost) ? " (partial)" : ""}`,
        "",
        `Prices: ${code(priceTablesText(cost))}, 730 hours a month.`,
        "",
    ];
    const stale = stalePriceWarning(cost);
    if (stale) out.push(`> ${stale}`, "");
    out.push("| Component | Resource | What | Region | USD/month |", "|---|---|---|---|---:|");
    for (const group of groupCost(cost)) {
        for (const line of group.lines) {
            out.push(
                `| ${code(group.component)} | ${code(urnName(line.urn))} | ${code(line.description)} | ${code(line.region ?? cost.region)} | ${line.monthlyUsd.toFixed(2)} |`,
            );
        }
        out.push(`| ${code(group.component)} | **subtotal** | | | **${group.monthlyUsd.toFixed(2)}** |`);
    }
    out.push(`| **total** | | | | **${cost.monthlyUsd.toFixed(2)}** |`);
    if ((cost.unpriced ?? []).length > 0) {
        out.push("", `**Not priced (${cost.unpriced!.length})**: missing from the price table, so the total is partial`, "");
        out.push("| Resource | Type | Why |", "|---|---|---|");
        for (const u of cost.unpriced!) out.push(`| ${code(urnName(u.urn))} | ${code(u.type)} | ${code(u.reason)} |`);
    }
    if (cost.notEstimated.length > 0) {
        out.push("", `<details><summary>Usage-based charges not estimated (${cost.notEstimated.length})</summary>`, "");
        out.push("| Resource | Type | Charge |", "|---|---|---|");
        for (const n of cost.notEstimated)
            out.push(`| ${n.urn ? code(urnName(n.urn)) : "(stack)"} | ${code(n.type)} | ${code(n.reason)} |`);
        out.push("", "</details>");
    }
    return out.join("\n");
}

/** All parts of one stack's review. */
export function markdownParts(doc: PlanDocument, options: MarkdownOptions = {}): MarkdownParts {
    const level = options.level ?? 2;
    const diff = doc.diff as PlanDiff | undefined;
    const body = [diff ? changes(diff, level) : "", findings(doc.policyViolations ?? [], level), costTable(doc, level)]
        .filter(Boolean)
        .join("\n\n");
    const tree = formatTree(doc);
    const counted = diff ? `${resourceCount(doc)} resources, changed ones expanded` : `${resourceCount(doc)} resources`;
    return { verdict: verdict(doc, options), body, treeSummary: `Resource tree (${counted})`, treeLines: tree.split("\n") };
}

/** A <details> block with the tree, keeping at most `maxChars` (whole lines; says how many were left out). */
export function treeBlock(parts: MarkdownParts, maxChars: number): string {
    const full = `<details><summary>${parts.treeSummary}</summary>\n\n${fenced(parts.treeLines.join("\n"))}\n\n</details>`;
    if (full.length <= maxChars) return full;
    const note = (n: number) =>
        `... ${n} more lines left out to fit a GitHub comment (the job summary and the JSON artifact have all of them)`;
    const overhead =
        `<details><summary>${parts.treeSummary} (trimmed)</summary>\n\n${fenced("")}\n\n</details>`.length +
        note(parts.treeLines.length).length +
        16;
    const kept: string[] = [];
    let size = overhead;
    for (const line of parts.treeLines) {
        if (size + line.length + 1 > maxChars) break;
        kept.push(line);
        size += line.length + 1;
    }
    if (size > maxChars)
        return `<details><summary>${parts.treeSummary}: left out to fit a GitHub comment</summary>\n\nSee the job summary.\n\n</details>`;
    kept.push(note(parts.treeLines.length - kept.length));
    return `<details><summary>${parts.treeSummary} (trimmed)</summary>\n\n${fenced(kept.join("\n"))}\n\n</details>`;
}

/** The Markdown review of one stack, within `limit` characters: the tree is trimmed first, the verdict never. */
export function renderMarkdown(doc: PlanDocument, options: MarkdownOptions = {}, limit = GITHUB_COMMENT_LIMIT): string {
    return fitStacks([markdownParts(doc, options)], limit);
}

/** Joins several stacks' parts (with an optional header) within `limit`: trees trimmed first, then bodies, never verdicts. */
export function fitStacks(parts: MarkdownParts[], limit: number, header = ""): string {
    const sep = "\n\n";
    const fixed = header.length + parts.reduce((n, p) => n + p.verdict.length + p.body.length + 3 * sep.length, 0);
    let bodies = parts.map((p) => p.body);
    if (fixed > limit) {
        // Even without trees it does not fit: shorten the bodies evenly, keep every verdict.
        const verdicts = header.length + parts.reduce((n, p) => n + p.verdict.length + 3 * sep.length, 0);
        const each = Math.max(0, Math.floor((limit - verdicts) / parts.length) - 200);
        bodies = parts.map((p) =>
            p.body.length <= each
                ? p.body
                : `${p.body.slice(0, Math.max(0, p.body.lastIndexOf("\n", each)))}\n\n... the rest was left out to fit a GitHub comment (see the job summary)`,
        );
    }
    const used = header.length + parts.reduce((n, p, i) => n + p.verdict.length + bodies[i].length + 3 * sep.length, 0);
    const perTree = Math.floor(Math.max(0, limit - used - 16) / parts.length);
    const sections = parts.map((p, i) =>
        [p.verdict, bodies[i], perTree > 200 ? treeBlock(p, perTree) : ""].filter(Boolean).join(sep),
    );
    return [header, ...sections].filter(Boolean).join(sep) + "\n";
}
