/**
 * `npm run diagram -- --stack <name> [--input <plan.json>] [--out <file.svg>] [--detail components|summary|full]`
 *
 * Draws the architecture of a stack (DOC-1) from its preview JSON: `out/<stack>.json` written by
 * `npm run plan -- --stack <name>`, or any preview JSON given with `--input` (a real
 * `pulumi preview --json` works too). Writes `docs/architecture-<stack>.svg` unless `--out` says otherwise.
 */
import * as fs from "fs";
import * as path from "path";
import { PlanDocument } from "../plan/types";
import { DiagramOptions, renderDiagram } from "./diagram";

export interface DiagramArgs {
    stack?: string;
    input: string;
    out: string;
    detail: "summary" | "full" | "components";
}

const USAGE = "usage: npm run diagram -- --stack <name> [--input <plan.json>] [--out <file.svg>] [--detail components|summary|full]";

/** Parses the command line; throws an Error with the usage text on a bad argument. */
export function parseArgs(argv: string[]): DiagramArgs {
    const values: Record<string, string> = {};
    for (let i = 0; i < argv.length; i++) {
        const arg = argv[i];
        const m = /^--(stack|input|out|detail)(?:=(.*))?$/.exec(arg);
        if (!m) {
            throw new Error(`unknown argument ${JSON.stringify(arg)}\n${USAGE}`);
        }
        const value = m[2] ?? argv[++i];
        if (value === undefined || value === "") {
            throw new Error(`--${m[1]} needs a value\n${USAGE}`);
        }
        values[m[1]] = value;
    }
    const stack = values.stack;
    if (!stack && !values.input) {
        throw new Error(`give --stack or --input\n${USAGE}`);
    }
    if (stack && !/^[A-Za-z0-9._-]+$/.test(stack)) {
        throw new Error(`--stack ${JSON.stringify(stack)} is not a stack name\n${USAGE}`);
    }
    const detail = values.detail ?? "summary";
    if (detail !== "summary" && detail !== "full" && detail !== "components") {
        throw new Error(`--detail must be components, summary or full, got ${JSON.stringify(detail)}\n${USAGE}`);
    }
    const base = stack ?? path.basename(values.input, ".json");
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
        args = parseArgs(argv);
    } catch (e) {
        error((e as Error).message);
        return 2;
    }
    if (!fs.existsSync(args.input)) {
        const hint = args.stack ? ` (run \`npm run plan -- --stack ${args.stack}\` first)` : "";
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
            console.error(e instanceof Error ? e.stack ?? e.message : String(e));
            process.exitCode = 1;
        },
    );
}
