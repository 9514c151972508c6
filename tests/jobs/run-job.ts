/**
 * Runs the database job scripts of jobs/db (BKP-2, MNT-1) the way a CronJob container does: a child
 * process with libpq environment variables, capturing its exit code and structured log lines.
 */
import { ChildProcess, spawn } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

/** The OS user the jobs run as when the tests run as root (the CronJobs run as a non-root UID; initdb refuses root). */
export const JOB_OS_USER = "postgres";
export const RUNNING_AS_ROOT = typeof process.getuid === "function" && process.getuid() === 0;

/**
 * Where the job scripts run from. As root, the jobs run as JOB_OS_USER, who may not be able to enter the checkout
 * (a clone inside a 0700 temporary directory, say): they then run from a copy of jobs/db that user can read,
 * removed when the test process exits.
 */
function jobsDir(): string {
    const source = path.resolve(__dirname, "..", "..", "jobs", "db");
    if (!RUNNING_AS_ROOT) return source;
    const copy = fs.mkdtempSync(path.join(os.tmpdir(), "bookbuddy-jobs-"));
    fs.chmodSync(copy, 0o755);
    fs.cpSync(source, copy, { recursive: true });
    process.on("exit", () => fs.rmSync(copy, { recursive: true, force: true }));
    return copy;
}

export const JOBS_DIR = jobsDir();
export const SQL_DIR = path.join(JOBS_DIR, "sql");

export interface JobResult {
    code: number | null;
    stdout: string;
    stderr: string;
    /** Lines of stdout in the `key=value` log format, parsed. */
    records: Record<string, string>[];
    /** The last structured line carrying a `status` key. */
    status?: Record<string, string>;
}

/** Parses one `ts=... level=info job=x key=value key="quoted value"` log line. */
export function parseLogLine(line: string): Record<string, string> | undefined {
    if (!/^ts=\S+ level=\w+ job=/.test(line)) return undefined;
    const record: Record<string, string> = {};
    const pattern = /(\w+)=("((?:[^"\\]|\\.)*)"|\S*)/g;
    for (const match of line.matchAll(pattern)) {
        record[match[1]] = match[3] !== undefined ? match[3] : match[2];
    }
    return record;
}

export function runJob(
    script: string,
    args: string[],
    env: NodeJS.ProcessEnv,
    timeoutMs = 120_000,
    onSpawn?: (child: ChildProcess) => void,
): Promise<JobResult> {
    return new Promise((resolve, reject) => {
        const file = path.join(JOBS_DIR, script);
        // As in the pod: never root. runuser keeps the environment given here.
        const [command, argv] = RUNNING_AS_ROOT ? ["runuser", ["-u", JOB_OS_USER, "--", file, ...args]] : [file, args];
        const child = spawn(command, argv, { env, cwd: JOBS_DIR, stdio: ["ignore", "pipe", "pipe"] });
        onSpawn?.(child);
        let stdout = "";
        let stderr = "";
        child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
        child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
        const timer = setTimeout(() => child.kill("SIGTERM"), timeoutMs);
        child.on("error", (error) => {
            clearTimeout(timer);
            reject(error);
        });
        child.on("close", (code) => {
            clearTimeout(timer);
            const records = stdout
                .split("\n")
                .map(parseLogLine)
                .filter((r): r is Record<string, string> => r !== undefined);
            const status = [...records].reverse().find((r) => r.status !== undefined);
            resolve({ code, stdout, stderr, records, status });
        });
    });
}

/** A readable description of a job run for assertion messages. */
export function describeRun(result: JobResult): string {
    return `exit ${result.code}\n--- stdout ---\n${result.stdout}\n--- stderr ---\n${result.stderr}`;
}
