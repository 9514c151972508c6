/**
 * One way to read command-line flags for every tool of the repository (CI-2, DOC-1): node:util parseArgs in
 * strict mode, so `--flag value` and `--flag=value` both work, `--help` prints the usage text, and an unknown
 * flag, a missing value or a stray argument is one message naming the flag (the caller exits 2).
 */
import { parseArgs } from "node:util";

/** One flag: its value type, a short alias, whether it repeats, and one line of help. */
export interface FlagSpec {
    type: "string" | "boolean";
    short?: string;
    multiple?: boolean;
    /** Placeholder of the value in the usage text, e.g. `<name>`. */
    value?: string;
    description: string;
}

export type FlagSpecs = Record<string, FlagSpec>;

/** A mistake on the command line: the message names the flag; the usage text is a `--help` away. */
export class CliUsageError extends Error {
    constructor(message: string) {
        super(message);
        this.name = "CliUsageError";
    }
}

/** The usage text: the command line, then one line per flag. */
export function usageText(command: string, intro: string, flags: FlagSpecs): string {
    const rows = Object.entries(flags).map(([name, f]) => {
        const left = `${f.short ? `-${f.short}, ` : "    "}--${name}${f.type === "string" ? ` ${f.value ?? "<value>"}` : ""}`;
        return [left, `${f.description}${f.multiple ? " (repeatable)" : ""}`];
    });
    rows.push(["    --help", "print this help and exit"]);
    const width = Math.max(...rows.map((r) => r[0].length));
    return [`usage: ${command}`, "", intro, "", "flags:", ...rows.map(([l, r]) => `  ${l.padEnd(width)}  ${r}`)].join("\n");
}

export type ParsedFlags = { help: true } | { help: false; values: Record<string, string | boolean | string[] | undefined> };

/** Parses `argv` against `flags`; `--help` wins over everything else. Throws CliUsageError on a mistake. */
export function parseFlags(argv: string[], flags: FlagSpecs): ParsedFlags {
    if (argv.includes("--help") || argv.includes("-h")) {
        return { help: true };
    }
    const options: Record<string, { type: "string" | "boolean"; short?: string; multiple?: boolean }> = {};
    for (const [name, f] of Object.entries(flags)) {
        options[name] = { type: f.type, ...(f.short ? { short: f.short } : {}), ...(f.multiple ? { multiple: true } : {}) };
    }
    let parsed: { values: Record<string, string | boolean | (string | boolean)[] | undefined> };
    try {
        parsed = parseArgs({ args: argv, options, strict: true, allowPositionals: false });
    } catch (e) {
        throw new CliUsageError(explain(e as Error & { code?: string }, argv, flags));
    }
    const values: Record<string, string | boolean | string[] | undefined> = {};
    for (const [name, v] of Object.entries(parsed.values)) {
        if (flags[name].type === "string") {
            const list = (Array.isArray(v) ? v : [v]) as string[];
            if (list.some((x) => x === "")) {
                throw new CliUsageError(`--${name} needs a value (see --help)`);
            }
            values[name] = flags[name].multiple ? list : list[list.length - 1];
        } else {
            values[name] = v as boolean;
        }
    }
    return { help: false, values };
}

/** One line for a parseArgs error, naming the flag or argument. */
function explain(e: Error & { code?: string }, argv: string[], flags: FlagSpecs): string {
    const quoted = /'(-{1,2}[^' ]+)/.exec(e.message)?.[1];
    switch (e.code) {
        case "ERR_PARSE_ARGS_UNKNOWN_OPTION":
            return `unknown flag ${quoted ?? "(unreadable)"} (see --help)`;
        case "ERR_PARSE_ARGS_INVALID_OPTION_VALUE": {
            const name = /--([A-Za-z0-9-]+)/.exec(e.message)?.[1] ?? quoted?.replace(/^-+/, "") ?? "";
            const flag = flags[name] ? name : Object.entries(flags).find(([, f]) => f.short === name)?.[0];
            if (flag && flags[flag].type === "boolean") {
                return `--${flag} takes no value (see --help)`;
            }
            return `--${flag ?? name} needs a value (see --help)`;
        }
        case "ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL": {
            const stray = /'([^']*)'/.exec(e.message)?.[1] ?? argv.find((a) => !a.startsWith("-")) ?? "";
            return `unexpected argument ${JSON.stringify(stray)}: every value follows its flag (see --help)`;
        }
        default:
            return `${e.message.split("\n")[0]} (see --help)`;
    }
}
