/**
 * `npm run plan-comment -- --dir <artifacts> [--out <file>] [--limit <chars>]`: the pull request comment of the
 * offline previews (CI-3), rendered from the JSON artifacts of the "PR checks" run with this repository's own
 * code. The trusted comment job (.github/workflows/pr-comment.yml) runs it on the default branch, so nothing of
 * the pull request runs there: its JSON is only data, and every string from it is shown inside code spans.
 *
 * Reads `<dir>/offline-preview-<stack>/<stack>.json` and `exit-code` for dev, staging and prod; writes one
 * comment body that starts with the hidden marker the job finds its previous comment by, and fits `--limit`
 * (trees trimmed first, verdicts never).
 */
import * as fs from "fs";
import * as path from "path";
import { CliUsageError, FlagSpecs, parseFlags, usageText } from "../cli-args";
import { code, fitStacks, GITHUB_COMMENT_LIMIT, MarkdownParts, markdownParts } from "./markdown";
import { PlanDocument } from "./types";

/** The hidden marker that identifies the preview comment on a pull request. */
export const COMMENT_MARKER = "<!-- bookbuddy-offline-preview -->";
export const STACKS = ["dev", "staging", "prod"] as const;

const FLAGS: FlagSpecs = {
    dir: {
        type: "string",
        value: "<dir>",
        description: "where the offline-preview-<stack> artifacts were downloaded (default: previews)",
    },
    out: { type: "string", value: "<file>", description: "write the comment body here (default: standard output)" },
    limit: {
        type: "string",
        value: "<chars>",
        description: `size limit of the body (default: ${GITHUB_COMMENT_LIMIT - 2000}, room for the job's header)`,
    },
};
export const COMMENT_USAGE = usageText(
    "npm run plan-comment -- --dir <artifacts> [flags]",
    "Renders the pull request comment of the offline previews from their JSON artifacts (CI-3).",
    FLAGS,
);

/** One stack's part: its review, or a short note when its artifact has no usable JSON. */
function stackPart(dir: string, stack: string): MarkdownParts {
    const base = path.join(dir, `offline-preview-${stack}`);
    const exitText = fs.existsSync(path.join(base, "exit-code"))
        ? fs.readFileSync(path.join(base, "exit-code"), "utf8").trim()
        : "";
    const exitCode = /^\d{1,3}$/.test(exitText) ? Number(exitText) : undefined;
    const file = path.join(base, `${stack}.json`);
    let doc: PlanDocument | undefined;
    try {
        const parsed = JSON.parse(fs.readFileSync(file, "utf8"));
        if (parsed && Array.isArray(parsed.steps)) doc = parsed as PlanDocument;
    } catch {
        doc = undefined;
    }
    if (!doc) {
        const status = exitText === "" ? "no output" : `failed (exit code ${exitCode ?? "unreadable"})`;
        return {
            verdict: `### ${code(stack)}: ${status}\n\nNo preview JSON was produced; see the run log.`,
            body: "",
            treeSummary: "",
            treeLines: [],
        };
    }
    return markdownParts(doc, { stack, exitCode, level: 3 });
}

/** The comment body for the three stacks. */
export function renderComment(dir: string, limit: number = GITHUB_COMMENT_LIMIT - 2000): string {
    const parts = STACKS.map((stack) => stackPart(dir, stack));
    const header = `${COMMENT_MARKER}\n## Offline preview (dev, staging, prod)`;
    return fitStacks(parts, limit, header);
}

export function main(argv: string[], out: (s: string) => void, err: (s: string) => void): number {
    try {
        const parsed = parseFlags(argv, FLAGS);
        if (parsed.help) {
            out(COMMENT_USAGE + "\n");
            return 0;
        }
        const v = parsed.values as Record<string, string | undefined>;
        const limit = v.limit === undefined ? undefined : Number(v.limit);
        if (limit !== undefined && (!Number.isSafeInteger(limit) || limit < 1000))
            throw new CliUsageError(`--limit ${v.limit}: expected a number of characters, at least 1000`);
        const body = renderComment(v.dir ?? "previews", limit);
        if (v.out) fs.writeFileSync(v.out, body);
        else out(body);
        return 0;
    } catch (e) {
        err(`error: ${(e as Error).message}\n`);
        return 2;
    }
}

if (require.main === module) {
    process.exitCode = main(
        process.argv.slice(2),
        (s) => process.stdout.write(s),
        (s) => process.stderr.write(s),
    );
}
