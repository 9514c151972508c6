/**
 * Where the tests find the real programs they drive (QA-1): the project-local cache that `npm run setup` fills
 * (.cache/tools/bin, programs unpacked from Debian packages with wrappers for their libraries) first, then PATH.
 * Every spec asks here (`toolPath("promtool")`) instead of looking on its own; the preflight
 * (tests/support/preflight.ts) checks them all once before the first spec.
 */
import * as fs from "fs";
import * as path from "path";

export const REPO_ROOT = path.resolve(__dirname, "..", "..");
/** The cache `npm run setup` (tools/setup.sh) fills. */
export const TOOL_CACHE = path.join(REPO_ROOT, ".cache", "tools");
export const TOOL_CACHE_BIN = path.join(TOOL_CACHE, "bin");
/** PostgreSQL server programs unpacked by setup when the machine has none (used through PG_BIN_DIR). */
export const POSTGRES_CACHE_BIN = path.join(TOOL_CACHE, "postgresql", "bin");

/** The programs the suite drives, each with the Debian package that ships it and other names it goes by. */
export const TOOLS = {
    promtool: { pkg: "prometheus", names: ["promtool"] },
    amtool: { pkg: "prometheus-alertmanager", names: ["amtool"] },
    alertmanager: { pkg: "prometheus-alertmanager", names: ["alertmanager", "prometheus-alertmanager"] },
    "redis-server": { pkg: "redis-server", names: ["redis-server"] },
    "redis-cli": { pkg: "redis-tools", names: ["redis-cli"] },
    openssl: { pkg: "openssl", names: ["openssl"] },
} as const;

export type ToolName = keyof typeof TOOLS;

function executable(file: string): boolean {
    try {
        fs.accessSync(file, fs.constants.X_OK);
        return fs.statSync(file).isFile();
    } catch {
        return false;
    }
}

/** The path of a tool (cache first, then PATH), or undefined when it is nowhere. */
export function findTool(tool: ToolName, pathList = process.env.PATH ?? ""): string | undefined {
    const dirs = [TOOL_CACHE_BIN, ...pathList.split(path.delimiter).filter(Boolean), "/usr/bin", "/usr/local/bin"];
    for (const name of TOOLS[tool].names) {
        for (const dir of dirs) {
            const candidate = path.join(dir, name);
            if (executable(candidate)) return candidate;
        }
    }
    return undefined;
}

/** Message naming what is missing and the one command that provides it. */
export function missingToolsMessage(missing: string[]): string {
    return (
        `The tests drive real programs that this machine lacks: ${missing.join(", ")}.\n` +
        "Run `npm run setup` (it unpacks them from Debian's packages into .cache/tools, no root needed), " +
        "or install the Debian packages named above."
    );
}

/** Path of a tool; throws one clear message when it is missing. */
export function toolPath(tool: ToolName): string {
    const found = findTool(tool);
    if (!found) throw new Error(missingToolsMessage([`${tool} (Debian package ${TOOLS[tool].pkg})`]));
    return found;
}

/** Puts the cache's programs first on PATH and points PG_BIN_DIR at a cached PostgreSQL, for child processes too. */
export function useToolCache(env: NodeJS.ProcessEnv = process.env): void {
    const dirs = (env.PATH ?? "").split(path.delimiter);
    if (fs.existsSync(TOOL_CACHE_BIN) && !dirs.includes(TOOL_CACHE_BIN))
        env.PATH = [TOOL_CACHE_BIN, ...dirs].join(path.delimiter);
    if (!env.PG_BIN_DIR && executable(path.join(POSTGRES_CACHE_BIN, "initdb"))) env.PG_BIN_DIR = POSTGRES_CACHE_BIN;
}
