/**
 * Reading the project's Markdown for the documentation checks (DOC-1): links, heading anchors as GitHub
 * renders them, tables and lists, all outside fenced code blocks.
 */
import * as fs from "fs";
import * as path from "path";

export const REPO_ROOT = path.resolve(__dirname, "..", "..");

export interface Line {
    /** 1-based line number in the file. */
    n: number;
    text: string;
}

/** The lines outside fenced code blocks (``` or ~~~, any length of three or more). */
export function proseLines(text: string): Line[] {
    const out: Line[] = [];
    let fence: string | undefined;
    text.split("\n").forEach((raw, i) => {
        const m = /^\s{0,3}(`{3,}|~{3,})/.exec(raw);
        if (fence) {
            if (m && m[1][0] === fence[0] && m[1].length >= fence.length && raw.trim() === m[1]) fence = undefined;
            return;
        }
        if (m) {
            fence = m[1];
            return;
        }
        out.push({ n: i + 1, text: raw });
    });
    return out;
}

/** A line without its inline code spans (a link inside backticks is not a link). */
function withoutCodeSpans(line: string): string {
    return line.replace(/(`+)[\s\S]*?\1/g, (s) => " ".repeat(s.length));
}

export interface Link {
    line: number;
    target: string;
}

/** Inline links and images `[text](target "title")`, `<...>` targets, and reference definitions `[x]: target`. */
export function links(text: string): Link[] {
    const out: Link[] = [];
    for (const { n, text: raw } of proseLines(text)) {
        const line = withoutCodeSpans(raw);
        for (const m of line.matchAll(
            /!?\[(?:[^\][]|\[[^\]]*\])*\]\((?:<([^>]*)>|([^()\s]*(?:\([^()\s]*\)[^()\s]*)*))(?:\s+"[^"]*")?\)/g,
        )) {
            out.push({ line: n, target: m[1] ?? m[2] });
        }
        const def = /^\s{0,3}\[[^\]]+\]:\s*<?([^\s>]+)>?/.exec(line);
        if (def) out.push({ line: n, target: def[1] });
    }
    return out;
}

/** Whether a link target leaves the repository (a URL with a scheme, or protocol-relative). */
export function isExternal(target: string): boolean {
    return /^[a-z][a-z0-9+.-]*:/i.test(target) || target.startsWith("//");
}

/** GitHub's heading slug: lower case, punctuation other than `-` and `_` removed, spaces to dashes. */
export function slug(heading: string): string {
    return heading
        .trim()
        .replace(/`/g, "")
        .replace(/\[([^\]]*)\]\([^)]*\)/g, "$1")
        .toLowerCase()
        .replace(/[^\p{L}\p{N}\s_-]/gu, "")
        .replace(/ /g, "-");
}

/** The anchors of a document's headings, with GitHub's `-1`, `-2` suffixes for repeated headings. */
export function anchors(text: string): Set<string> {
    const seen = new Map<string, number>();
    const out = new Set<string>();
    for (const { text: line } of proseLines(text)) {
        const m = /^\s{0,3}#{1,6}\s+(.*?)\s*#*\s*$/.exec(line);
        if (!m) continue;
        const base = slug(m[1]);
        const count = seen.get(base) ?? 0;
        seen.set(base, count + 1);
        out.add(count === 0 ? base : `${base}-${count}`);
    }
    for (const m of text.matchAll(/<a\s+(?:name|id)="([^"]+)"/g)) out.add(m[1]);
    return out;
}

/** Cells of a Markdown table row, or undefined for a line that is not a row. Escaped pipes stay in cells. */
export function cells(line: string): string[] | undefined {
    const t = line.trim();
    if (!t.startsWith("|") || !t.endsWith("|")) return undefined;
    const parts = withoutCodeSpans(t)
        .slice(1, -1)
        .split(/(?<!\\)\|/);
    const out: string[] = [];
    let pos = 1;
    for (const p of parts) {
        out.push(t.slice(pos, pos + p.length).trim());
        pos += p.length + 1;
    }
    return out;
}

export interface Table {
    /** The heading texts above the table, outermost first. */
    headings: string[];
    header: string[];
    rows: { line: number; cells: string[] }[];
}

/** Every table of a document with the headings it sits under. */
export function tables(text: string): Table[] {
    const out: Table[] = [];
    const headings: string[] = [];
    let current: Table | undefined;
    const lines = proseLines(text);
    lines.forEach(({ n, text: line }, i) => {
        const h = /^\s{0,3}(#{1,6})\s+(.*?)\s*#*\s*$/.exec(line);
        if (h) {
            headings.length = h[1].length - 1;
            headings[h[1].length - 1] = h[2];
            current = undefined;
            return;
        }
        const row = cells(line);
        if (!row) {
            current = undefined;
            return;
        }
        if (!current) {
            const next = lines[i + 1] && cells(lines[i + 1].text);
            if (next && next.every((c) => /^:?-{3,}:?$/.test(c))) {
                current = { headings: headings.filter((x) => x !== undefined), header: row, rows: [] };
                out.push(current);
            }
            return;
        }
        if (row.every((c) => /^:?-{3,}:?$/.test(c))) return;
        current.rows.push({ line: n, cells: row });
    });
    return out;
}

/** All Markdown files the link check covers: README.md and everything under docs/. */
export function documentationFiles(root: string = REPO_ROOT): string[] {
    const out = ["README.md"];
    const walk = (rel: string) => {
        for (const entry of fs.readdirSync(path.join(root, rel), { withFileTypes: true })) {
            const child = `${rel}/${entry.name}`;
            if (entry.isDirectory()) walk(child);
            else if (entry.name.endsWith(".md")) out.push(child);
        }
    };
    walk("docs");
    return out.sort();
}

/** Every relative link of a document that does not resolve: a missing file or directory, or a missing heading anchor. */
export function brokenLinks(root: string, rel: string): string[] {
    const text = fs.readFileSync(path.join(root, rel), "utf8");
    const problems: string[] = [];
    const anchorCache = new Map<string, Set<string>>();
    const anchorsOf = (file: string) => {
        if (!anchorCache.has(file)) anchorCache.set(file, anchors(fs.readFileSync(file, "utf8")));
        return anchorCache.get(file)!;
    };
    for (const { line, target } of links(text)) {
        if (target === "" || isExternal(target)) continue;
        const hash = target.indexOf("#");
        const filePart = hash >= 0 ? target.slice(0, hash) : target;
        const anchor = hash >= 0 ? decodeURIComponent(target.slice(hash + 1)) : undefined;
        const resolved =
            filePart === ""
                ? path.join(root, rel)
                : path.resolve(path.dirname(path.join(root, rel)), decodeURIComponent(filePart));
        const where = `${rel}:${line}: ${target}`;
        if (!resolved.startsWith(root + path.sep) && resolved !== root) {
            problems.push(`${where} points outside the repository`);
            continue;
        }
        if (!fs.existsSync(resolved)) {
            problems.push(`${where} -> ${path.relative(root, resolved)} does not exist`);
            continue;
        }
        if (anchor !== undefined && resolved.endsWith(".md") && !anchorsOf(resolved).has(anchor)) {
            problems.push(`${where} -> no heading with the anchor #${anchor} in ${path.relative(root, resolved)}`);
        }
    }
    return problems;
}
