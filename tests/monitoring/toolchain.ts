/**
 * Runs the tools of the Prometheus project for the monitoring specs (MON-2, MON-3): promtool from Debian's
 * `prometheus` package and amtool/alertmanager from `prometheus-alertmanager`. A missing tool fails the test
 * with the command that installs it; nothing is skipped.
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

/** The Prometheus tools the monitoring specs run, with the Debian package that ships each. */
const PACKAGES = {
    promtool: "prometheus",
    amtool: "prometheus-alertmanager",
    alertmanager: "prometheus-alertmanager",
} as const;

export type PromTool = keyof typeof PACKAGES;

/** Result of one tool run. */
export interface ToolResult {
    status: number | null;
    stdout: string;
    stderr: string;
}

function locate(tool: PromTool): string {
    const dirs = (process.env.PATH ?? "").split(path.delimiter).concat(["/usr/bin", "/usr/local/bin"]);
    const names = tool === "alertmanager" ? ["alertmanager", "prometheus-alertmanager"] : [tool];
    for (const name of names) {
        for (const dir of dirs) {
            const candidate = path.join(dir, name);
            try {
                fs.accessSync(candidate, fs.constants.X_OK);
                return candidate;
            } catch {
                // not in this directory
            }
        }
    }
    const pkg = PACKAGES[tool];
    throw new Error(
        `${tool} is not installed. Install Debian's ${pkg} package (sudo apt-get install -y ${pkg}); ` +
            `the monitoring tests need the real ${tool} and do not pass without it.`,
    );
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
