/**
 * How the Pulumi CLI starts a nodejs project's program (DEP-2): the working directory, node arguments,
 * environment and `cmd/run` arguments the engine and the nodejs language host derive from Pulumi.yaml. The
 * rules are the upstream facts in tests/upstream/pulumi-language-host/source.json (with the tag they were read
 * at); the language-host specs start their child from this, so the program is run, loaded and compiled exactly
 * as `pulumi preview` and `pulumi up` run it.
 */
import * as fs from "fs";
import * as path from "path";
import * as YAML from "yaml";

export const CONTRACT_FILE = path.join(__dirname, "..", "upstream", "pulumi-language-host", "source.json");

export interface CliLaunch {
    /** The project directory (`--root-directory`). */
    rootDirectory: string;
    /** The program directory: the child's working directory and `--pwd`. */
    programDirectory: string;
    /** The entry point, the last argument of `cmd/run`. */
    entryPoint: string;
    /** `runtime.options.nodeargs`, split as the language host splits it; they come before the run entry. */
    nodeArgs: string[];
    /** What the language host adds to the CLI's environment besides the configuration. */
    env: Record<string, string>;
}

/** Thrown for a Pulumi.yaml the language host would reject, naming the file and key. */
export class LaunchError extends Error {}

/**
 * Splits a string into words as a POSIX shell does, without expansions (google/shlex, which the language host
 * uses for `nodeargs`): blanks separate words; single quotes keep everything literally; a backslash escapes the
 * next character, inside double quotes too (google/shlex drops the backslash before any character there); a `#`
 * where a word would start comments out the rest. No variables, globs or other expansions.
 */
export function splitLikeShell(text: string): string[] {
    const words: string[] = [];
    let word: string | undefined;
    let i = 0;
    const fail = (what: string) => {
        throw new LaunchError(`${what} in ${JSON.stringify(text)}`);
    };
    while (i < text.length) {
        const c = text[i];
        if (/\s/.test(c)) {
            if (word !== undefined) words.push(word);
            word = undefined;
            i++;
        } else if (c === "#" && word === undefined) {
            break;
        } else if (c === "'") {
            const end = text.indexOf("'", i + 1);
            if (end < 0) fail("unclosed single quote");
            word = (word ?? "") + text.slice(i + 1, end);
            i = end + 1;
        } else if (c === '"') {
            let value = "";
            i++;
            for (;;) {
                if (i >= text.length) fail("unclosed double quote");
                const d = text[i];
                if (d === '"') break;
                if (d === "\\" && i + 1 < text.length) {
                    value += text[i + 1];
                    i += 2;
                } else {
                    value += d;
                    i++;
                }
            }
            word = (word ?? "") + value;
            i++;
        } else if (c === "\\") {
            if (i + 1 >= text.length) fail("trailing backslash");
            word = (word ?? "") + text[i + 1];
            i += 2;
        } else {
            word = (word ?? "") + c;
            i++;
        }
    }
    if (word !== undefined) words.push(word);
    return words;
}

/** The launch of the program of the project in `projectDir`, by the rules of the upstream facts. */
export function cliLaunch(projectDir: string): CliLaunch {
    const file = path.join(projectDir, "Pulumi.yaml");
    const doc = (YAML.parse(fs.readFileSync(file, "utf8")) ?? {}) as Record<string, unknown>;
    const runtime = doc.runtime as string | { name?: string; options?: Record<string, unknown> } | undefined;
    const options = (typeof runtime === "object" && runtime?.options) || {};

    const typescript = options.typescript ?? true;
    if (typeof typescript !== "boolean") throw new LaunchError(`${file}: runtime.options.typescript must be a boolean`);
    const nodeargs = options.nodeargs ?? "";
    if (typeof nodeargs !== "string") throw new LaunchError(`${file}: runtime.options.nodeargs must be a string`);
    const tsconfig = options.tsconfig ?? "";
    if (typeof tsconfig !== "string") throw new LaunchError(`${file}: runtime.options.tsconfig must be a string`);

    let programDirectory = projectDir;
    let entryPoint = ".";
    if (typeof doc.main === "string" && doc.main !== "") {
        const main = path.resolve(projectDir, doc.main);
        if (!fs.existsSync(main)) throw new LaunchError(`${file}: main: ${main} could not be read`);
        if (fs.statSync(main).isDirectory()) {
            programDirectory = main;
        } else {
            programDirectory = path.dirname(main);
            entryPoint = path.basename(main);
        }
    }
    const env: Record<string, string> = {};
    if (typescript) env.PULUMI_NODEJS_TYPESCRIPT = "true";
    if (tsconfig) env.PULUMI_NODEJS_TSCONFIG_PATH = tsconfig;
    return { rootDirectory: projectDir, programDirectory, entryPoint, nodeArgs: splitLikeShell(nodeargs), env };
}
