/**
 * Mocha's global setup (required from .mocharc.json, QA-1): puts the project's tool cache on PATH, then checks
 * once, before any spec runs, that every real program the suite drives is here. When something is missing the
 * run stops with one message naming all of it and the command that provides it, instead of a failure per test.
 */
import { findPostgresBinDir } from "./postgres";
import { TOOLS, findTool, missingToolsMessage, useToolCache, type ToolName } from "./tools";

// Loaded in the main process and in every parallel worker: both see the cache first.
useToolCache();

/** What is missing, each with the Debian package that provides it. */
export function missingTools(): string[] {
    const missing = (Object.keys(TOOLS) as ToolName[])
        .filter((t) => !findTool(t))
        .map((t) => `${t} (Debian package ${TOOLS[t].pkg})`);
    try {
        findPostgresBinDir();
    } catch {
        missing.push("PostgreSQL server programs initdb/pg_ctl (Debian package postgresql)");
    }
    return missing;
}

export function mochaGlobalSetup(): void {
    const missing = missingTools();
    if (missing.length > 0) {
        // One message, no stack trace, and not a single spec run: mocha exits non-zero.
        process.stderr.write(`\n${missingToolsMessage(missing)}\n\n`);
        process.exit(1);
    }
}
