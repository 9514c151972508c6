/**
 * Runs the tools of the Prometheus project for the monitoring specs (MON-2, MON-3): promtool from Debian's
 * `prometheus` package and amtool/alertmanager from `prometheus-alertmanager`. A missing tool fails the test
 * with the command that installs it; nothing is skipped.
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { toolPath as findToolPath } from "../support/tools";

/** The Prometheus tools the monitoring specs run (found through tests/support/tools.ts: the tool cache, then PATH). */
export type PromTool = "promtool" | "amtool" | "alertmanager";

/** Result of one tool run. */
export interface ToolResult {
    status: number | null;
    stdout: string;
    stderr: string;
}

function locate(tool: PromTool): string {
    return findToolPath(tool);
}

/** Path of a tool; throws with installation instructions when it is missing. */
export function toolPath(tool: PromTool): string {
    return locate(tool);
}

/** Runs a tool with arguments in a directory and returns its exit status and output. */
export function runTool(tool: PromTool, args: string[], cwd?: string): ToolResult {
    const result = spawnSync(locate(tool), args, { cwd, encoding: "utf8", timeout: 120_000 });
    if (result.error) {
        throw result.error;
    }
    return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** A fresh temporary directory, removed by the returned cleanup function. */
export function tempDir(prefix: string): { dir: string; cleanup: () => void } {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), `${prefix}-`));
    return { dir, cleanup: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

/** Formats a tool run for an assertion message. */
export function describeRun(what: string, result: ToolResult): string {
    return `${what} exited ${result.status}\n--- stdout\n${result.stdout}\n--- stderr\n${result.stderr}`;
}
