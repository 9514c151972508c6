/**
 * `npm run diagram -- --stack <name> [--input <plan.json>] [--out <file.svg>] [--detail components|summary|full]`
 *
 * Draws the architecture of a stack (DOC-1) from its preview JSON: `out/<stack>.json` written by
 * `npm run plan -- --stack <name> --json out/<name>.json`, or any preview JSON given with `--input` (a real
 * `pulumi preview --json` works too). Writes `docs/architecture-<stack>.svg` unless `--out` says otherwise.
 */
import * as fs from "fs";
import * as path from "path";
import { PlanDocument } from "../plan/types";
import { CliUsageError, FlagSpecs, parseFlags, usageText } from "../cli-args";
import { DiagramOptions, renderDiagram } from "./diagram";

export interface DiagramArgs {
    stack?: string;
    input: string;
    out: string;
    detail: "summary" | "full" | "components";
}

export const DIAGRAM_FLAGS: FlagSpecs = {
    stack: { type: "string", short: "s", value: "<name>", description: "stack whose preview JSON to draw (out/<name>.json)" },
    input: { type: "string", value: "<plan.json>", description: "preview JSON to draw (ours or pulumi preview --json)" },
    out: { type: "string", value: "<file.svg>", description: "where to write the SVG (default: docs/architecture-<stack>.svg)" },
    detail: { type: "string", value: "components|summary|full", description: "level of detail (default: summary)" },
};

export const DIAGRAM_USAGE = usageText(
    "npm run diagram -- --stack <name> [flags]",
    "Draws the architecture of a stack (DOC-1) from its preview JSON, written by\n" +
        "`npm run plan -- --stack <name> --json out/<name>.json`. Exit codes: 0 ok, 1 unreadable input, 2 usage error.",
    DIAGRAM_FLAGS,
);

/** Parses the command line; `undefined` means `--help`. Throws CliUsageError naming the flag on a mistake. */
export function parseArgs(argv: string[]): DiagramArgs | undefined {
    const parsed = parseFlags(argv, DIAGRAM_FLAGS);
    if (parsed.help) {
        return undefined;
    }
    const values = parsed.values as Record<string, string | undefined>;
    const stack = values.stack;
    if (!stack && !values.input) {
        throw new CliUsageError("give --stack or --input (see --help)");
    }
    if (stack && !/^[A-Za-z0-9._-]+$/.test(stack)) {
        throw new CliUsageError(`--stack ${JSON.stringify(stack)} is not a stack name (see --help)`);
    }
    const detail = values.detail ?? "summary";
    if (detail !== "summary" && detail !== "full" && detail !== "components") {
        throw new CliUsageError(`--detail must be components, summary or full, got ${JSON.stringify(detail)} (see --help)`);
    }
    const base = stack ?? path.basename(values.input!, ".json");
    return {
        stack,
        input: values.input ?? path.join("out", `${stack}.json`),
        out: values.out ?? path.join("docs", `architecture-${base}.svg`),
        detail,
    };
}

/** Runs the command; returns the process exit code. Messages go to `log`/`error`. */
export async function main(
    argv: string[],
    log: (msg: string) => void = console.log,
    error: (msg: string) => void = console.error,
): Promise<number> {
    let args: DiagramArgs;
    try {
        const parsed = parseArgs(argv);
        if (!parsed) {
            log(DIAGRAM_USAGE);
            return 0;
        }
        args = parsed;
    } catch (e) {
        error(`error: ${(e as Error).message}`);
        return 2;
    }
    if (!fs.existsSync(args.input)) {
        const hint = args.stack ? ` (run \`npm run plan -- --stack ${args.stack} --json ${args.input}\` first)` : "";
        error(`preview JSON not found: ${args.input}${hint}`);
        return 1;
    }
    let doc: PlanDocument;
    try {
        doc = JSON.parse(fs.readFileSync(args.input, "utf8")) as PlanDocument;
    } catch (e) {
        error(`cannot read ${args.input}: ${(e as Error).message}`);
        return 1;
    }
    if (!doc || !Array.isArray(doc.steps)) {
        error(`${args.input} is not a preview document (no "steps" array)`);
        return 1;
    }
    const options: DiagramOptions = { detail: args.detail };
    if (args.stack && !doc.offline) {
        options.title = `${args.stack}`;
    }
    const svg = await renderDiagram(doc, options);
    fs.mkdirSync(path.dirname(args.out) || ".", { recursive: true });
    fs.writeFileSync(args.out, svg);
    log(`wrote ${args.out} (${svg.length} bytes) from ${args.input}`);
    return 0;
}

if (require.main === module) {
    main(process.argv.slice(2)).then(
        (code) => {
            process.exitCode = code;
        },
        (e: unknown) => {
            console.error(e instanceof Error ? (e.stack ?? e.message) : String(e));
            process.exitCode = 1;
        },
    );
}
