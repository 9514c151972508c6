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

/** Outcome of one unit-test file of a `promtool test rules` run. */
export interface RuleTestOutcome {
    passed: boolean;
    /** The file's own report: its SUCCESS, or its FAILED block with the errors promtool gave for it. */
    report: string;
}

/**
 * Runs `promtool test rules` once over files of which some are meant to fail, and judges each file from that run
 * (QA-2: one promtool start instead of one per file, and no second run for a failure that is the expected outcome).
 * promtool takes the files in turn and prints `Unit Testing:  <file>` and then `  SUCCESS` on stdout for each, but
 * writes `  FAILED:` and the errors of a failing file to stderr; the n-th FAILED block therefore belongs to the n-th
 * file without SUCCESS. When the output cannot be paired that way (a file missing from stdout, other text on stderr,
 * more or fewer blocks, an exit status that disagrees), each file without its SUCCESS is run alone instead.
 */
export function testRulesEach(files: string[], cwd: string): Map<string, RuleTestOutcome> {
    const outcomes = new Map<string, RuleTestOutcome>();
    if (files.length === 0) return outcomes;
    const batch = runTool("promtool", ["test", "rules", ...files], cwd);
    const sections = new Map<string, string>();
    let current: string | undefined;
    for (const line of batch.stdout.split("\n")) {
        const started = /^Unit Testing:\s+(.+?)\s*$/.exec(line);
        if (started) sections.set((current = started[1]), "");
        else if (current !== undefined) sections.set(current, `${sections.get(current)}${line}\n`);
    }
    const [preamble, ...blocks] = batch.stderr.split(/^ {2}FAILED:$/m);
    const failing = [...sections].filter(([, section]) => !/^ {2}SUCCESS$/m.test(section)).map(([file]) => file);
    const paired =
        files.every((file) => sections.has(file)) &&
        preamble.trim() === "" &&
        blocks.length === failing.length &&
        (batch.status === 0) === (failing.length === 0);
    for (const file of files) {
        const section = sections.get(file);
        if (section !== undefined && !failing.includes(file)) {
            outcomes.set(file, { passed: true, report: `Unit Testing: ${file}\n${section}` });
        } else if (paired) {
            outcomes.set(file, { passed: false, report: `Unit Testing: ${file}\n  FAILED:${blocks[failing.indexOf(file)]}` });
        } else {
            const alone = runTool("promtool", ["test", "rules", file], cwd);
            outcomes.set(file, {
                passed: alone.status === 0 && /SUCCESS/.test(alone.stdout),
                report: describeRun(`promtool test rules ${file}`, alone),
            });
        }
    }
    return outcomes;
}
