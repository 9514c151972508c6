/**
 * The release CLI's logic (REL-2), callable in-process: `main(argv, io)` reads the arguments, writes through `io`
 * and returns the exit status. tools/release/cli.ts, the bin of `npm run release-manifest`, only hands it the
 * process's arguments, streams and working directory, so the tests drive every case without starting node (QA-2).
 */
import { parseArgs } from "node:util";
import type * as Commands from "./commands";

export const USAGE =
    "usage: npm run release-manifest -- <smoke|load-test> --stack <dev|staging|prod> --run <github run id>\n" +
    "       npm run release-manifest -- set-versions --stack <dev|staging|prod> --image-tag <tag> --web-release <release>";

/** What main reads and writes besides its arguments: the working directory (the stack files') and two streams. */
export interface CliIo {
    cwd: string;
    stdout(text: string): void;
    stderr(text: string): void;
}

/**
 * The commands load the stack configuration's schema and with it @pulumi/pulumi, over a second of start-up; they
 * are loaded only once the arguments name a command, so a usage error or --help answers at once (QA-2).
 */
function commands(): typeof Commands {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require("./commands") as typeof Commands;
}

/** Runs one command line; bad input ends with one message on stderr and exit status 2, never a stack trace. */
export function main(argv: string[], io: CliIo): number {
    let parsed;
    try {
        parsed = parseArgs({
            args: argv,
            allowPositionals: true,
            options: {
                stack: { type: "string" },
                run: { type: "string" },
                "image-tag": { type: "string" },
                "web-release": { type: "string" },
                help: { type: "boolean" },
            },
        });
    } catch (err) {
        io.stderr(`${(err as Error).message}\n${USAGE}\n`);
        return 2;
    }
    if (parsed.values.help) {
        io.stdout(`${USAGE}\n`);
        return 0;
    }
    const [kind, ...extra] = parsed.positionals;
    const { stack, run } = parsed.values;
    if (kind === "set-versions" && extra.length === 0 && stack && parsed.values["image-tag"] && parsed.values["web-release"]) {
        const { setVersions } = commands();
        try {
            setVersions(io.cwd, stack, { imageTag: parsed.values["image-tag"], webRelease: parsed.values["web-release"] });
            return 0;
        } catch (err) {
            io.stderr(`${(err as Error).message}\n`);
            return 2;
        }
    }
    if ((kind !== "smoke" && kind !== "load-test") || extra.length > 0 || !stack || !run) {
        io.stderr(`${USAGE}\n`);
        return 2;
    }
    const { releaseList } = commands();
    try {
        io.stdout(`${JSON.stringify(releaseList(io.cwd, kind, stack, run), null, 2)}\n`);
        return 0;
    } catch (err) {
        io.stderr(`${(err as Error).message}\n`);
        return 2;
    }
}
