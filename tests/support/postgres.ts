/**
 * A real, throw-away PostgreSQL server for the tests (BKP-2, MNT-1).
 *
 * The server is created by the test run itself: a copy, in a fresh temporary directory, of a cluster that
 * `initdb` made once and kept between runs (templateCluster), `pg_ctl start` on a free 127.0.0.1 port with
 * its unix socket inside that directory, and everything is stopped and removed by `stop()` (and, as a last
 * resort, when the Node process exits). Authentication is `trust`
 * for local connections only: the server listens on the loopback address, and nothing persists.
 *
 * When the tests run as root, the server runs as the `postgres` OS user (PostgreSQL refuses to run as
 * root); otherwise it runs as the current user. Client programs (psql, pg_dump, the job scripts) run as
 * the current user and connect over TCP as the database superuser `postgres`.
 */
import { execFile, execFileSync } from "child_process";
import * as crypto from "crypto";
import * as fs from "fs";
import * as net from "net";
import * as os from "os";
import * as path from "path";

export interface TestPostgres {
    host: string;
    port: number;
    superuser: string;
    binDir: string;
    /** libpq URL for a database (default "postgres"). */
    url(database?: string): string;
    /** Environment (PGHOST, PGPORT, PGUSER, PATH with binDir first, ...) for running psql/pg_dump/scripts. */
    env(extra?: Record<string, string>): NodeJS.ProcessEnv;
    /**
     * Run SQL through psql -v ON_ERROR_STOP=1 and return stdout. The SQL is sent on stdin in psql's
     * autocommit mode (so statements such as REINDEX CONCURRENTLY work), output is unaligned and
     * tuples-only (`-A -t`), fields separated by "|".
     */
    psql(sql: string, database?: string): Promise<string>;
    /** The server's log file (stderr of the postmaster): what RDS exports to CloudWatch as the `postgresql` log. */
    logFile: string;
    /** The whole server log so far. */
    readLog(): string;
    stop(): Promise<void>;
}

/** Options of a test server beyond the defaults. */
export interface StartPostgresOptions {
    /** shared_preload_libraries (static on RDS too). */
    sharedPreloadLibraries?: string[];
    /** Further server settings, name → value as PostgreSQL accepts it in postgresql.conf (quoted here). */
    settings?: Record<string, string>;
    /** pg_hba.conf lines replacing the default (`trust` for everyone on local connections). */
    hba?: string[];
}

/** Message of the error thrown when the PostgreSQL server binaries cannot be found. */
export const POSTGRES_MISSING_MESSAGE =
    "PostgreSQL server binaries are needed for the database job tests (initdb, pg_ctl, postgres, psql, " +
    "pg_dump, pg_restore) but initdb was not found. Install Debian's `postgresql` package " +
    "(`apt-get install postgresql`) or put a PostgreSQL bin directory on PATH.";

const SUPERUSER = "postgres";
const SERVER_OS_USER = "postgres";

/** Environment variables of libpq that must not leak from the caller's shell into the tests. */
const LIBPQ_VARIABLES = [
    "PGHOST",
    "PGHOSTADDR",
    "PGPORT",
    "PGDATABASE",
    "PGUSER",
    "PGPASSWORD",
    "PGPASSFILE",
    "PGSERVICE",
    "PGSERVICEFILE",
    "PGOPTIONS",
    "PGAPPNAME",
    "PGSSLMODE",
    "PGSSLROOTCERT",
    "PGSSLCERT",
    "PGSSLKEY",
    "PGREQUIRESSL",
    "PGCONNECT_TIMEOUT",
    "PGTARGETSESSIONATTRS",
    "PGDATA",
];

function isExecutable(file: string): boolean {
    try {
        fs.accessSync(file, fs.constants.X_OK);
        return true;
    } catch {
        return false;
    }
}

/** Where to look for the server binaries; every field defaults to the real machine's value. */
export interface PostgresLookupLocations {
    /** An explicit bin directory (default: the PG_BIN_DIR environment variable). */
    binDir?: string;
    /** The pg_config program asked for --bindir (default "pg_config" on PATH). */
    pgConfig?: string;
    /** Debian's root of versioned installations (default /usr/lib/postgresql). */
    debianRoot?: string;
    /** A PATH-style directory list looked at last (default the PATH environment variable). */
    pathList?: string;
}

/**
 * The bin directory holding initdb and pg_ctl, best first: PG_BIN_DIR, `pg_config --bindir`, the newest
 * /usr/lib/postgresql/<ver>/bin, then PATH. Throws POSTGRES_MISSING_MESSAGE when none has them.
 */
export function findPostgresBinDir(locations: PostgresLookupLocations = {}): string {
    const candidates: string[] = [];
    const explicit = locations.binDir ?? process.env.PG_BIN_DIR;
    if (explicit) candidates.push(explicit);
    try {
        candidates.push(
            execFileSync(locations.pgConfig ?? "pg_config", ["--bindir"], {
                encoding: "utf8",
                stdio: ["ignore", "pipe", "ignore"],
            }).trim(),
        );
    } catch {
        // pg_config is optional (libpq-dev); fall through to the Debian layout.
    }
    const debianRoot = locations.debianRoot ?? "/usr/lib/postgresql";
    if (fs.existsSync(debianRoot)) {
        const versions = fs.readdirSync(debianRoot).filter((v) => /^\d+(\.\d+)?$/.test(v));
        versions.sort((a, b) => parseFloat(b) - parseFloat(a));
        candidates.push(...versions.map((v) => path.join(debianRoot, v, "bin")));
    }
    for (const dir of (locations.pathList ?? process.env.PATH ?? "").split(path.delimiter)) {
        if (dir) candidates.push(dir);
    }
    const found = candidates.find((dir) => isExecutable(path.join(dir, "initdb")) && isExecutable(path.join(dir, "pg_ctl")));
    if (!found) throw new Error(POSTGRES_MISSING_MESSAGE);
    return found;
}

function freePort(): Promise<number> {
    return new Promise((resolve, reject) => {
        const server = net.createServer();
        server.unref();
        server.on("error", reject);
        server.listen(0, "127.0.0.1", () => {
            const address = server.address();
            const port = typeof address === "object" && address ? address.port : 0;
            server.close(() => (port ? resolve(port) : reject(new Error("could not allocate a local port"))));
        });
    });
}

interface RunResult {
    stdout: string;
    stderr: string;
}

function run(
    file: string,
    args: string[],
    options: { env?: NodeJS.ProcessEnv; input?: string; cwd?: string } = {},
): Promise<RunResult> {
    return new Promise((resolve, reject) => {
        const child = execFile(
            file,
            args,
            { env: options.env, cwd: options.cwd, maxBuffer: 64 * 1024 * 1024 },
            (error, stdout, stderr) => {
                if (error) {
                    const err = new Error(`${path.basename(file)} ${args.join(" ")} failed: ${error.message}\n${stderr}`.trim());
                    reject(err);
                } else {
                    resolve({ stdout, stderr });
                }
            },
        );
        if (options.input !== undefined) child.stdin?.end(options.input);
    });
}

function osUserIds(user: string): { uid: number; gid: number } {
    const uid = Number(execFileSync("id", ["-u", user], { encoding: "utf8" }).trim());
    const gid = Number(execFileSync("id", ["-g", user], { encoding: "utf8" }).trim());
    return { uid, gid };
}

function chownRecursive(target: string, uid: number, gid: number): void {
    fs.chownSync(target, uid, gid);
    if (fs.statSync(target).isDirectory()) {
        for (const entry of fs.readdirSync(target)) chownRecursive(path.join(target, entry), uid, gid);
    }
}

/** Runs a server-side program of binDir, as the postgres OS user when the tests run as root. */
function serverCommand(binDir: string, asRoot: boolean, program: string, args: string[]): [string, string[]] {
    return asRoot
        ? ["runuser", ["-u", SERVER_OS_USER, "--", path.join(binDir, program), ...args]]
        : [path.join(binDir, program), args];
}

function serverEnv(binDir: string): NodeJS.ProcessEnv {
    return { PATH: `${binDir}${path.delimiter}${process.env.PATH ?? ""}`, LANG: "C", LC_ALL: "C" };
}

const templates = new Map<string, Promise<string>>();

const INITDB_OPTIONS = ["-U", SUPERUSER, "--auth=trust", "--encoding=UTF8", "--no-locale", "--no-sync"];

/**
 * The data directory of a cluster made by initdb and never started: every test server starts from a copy of it.
 * initdb costs about a second of CPU and system time each; a copy costs a fraction of that (QA-2). The cluster is
 * the same either way (same initdb options, trust for local connections, no locale); each server's settings,
 * port and pg_hba.conf are written into its own copy.
 *
 * The template is kept between test processes and runs, under the temporary directory at a name derived from the
 * PostgreSQL build, the initdb options and the user, so no process has to remove it (mocha stops its parallel
 * workers without waiting for exit handlers, and per-process templates were left behind). It is used only when it
 * is a directory (not a link) owned by the expected user and complete; otherwise a new one is made beside it and
 * moved into place, so concurrent workers never see a half-made template.
 */
function templateCluster(binDir: string, asRoot: boolean): Promise<string> {
    let template = templates.get(binDir);
    if (!template) {
        template = (async () => {
            const owner = asRoot ? osUserIds(SERVER_OS_USER) : { uid: process.getuid?.() ?? -1, gid: process.getgid?.() ?? -1 };
            const version = execFileSync(path.join(binDir, "postgres"), ["--version"], { encoding: "utf8" }).trim();
            const key = crypto
                .createHash("sha256")
                .update([fs.realpathSync(binDir), version, ...INITDB_OPTIONS, String(owner.uid)].join("\0"))
                .digest("hex")
                .slice(0, 16);
            const home = path.join(os.tmpdir(), `bookbuddy-pg-template-${key}`);
            const dataDir = path.join(home, "data");
            if (usableTemplate(home, dataDir, owner.uid)) return dataDir;

            const staging = fs.mkdtempSync(`${home}.new-`);
            try {
                if (asRoot) fs.chownSync(staging, owner.uid, owner.gid);
                fs.chmodSync(staging, 0o700);
                const [initdb, initArgs] = serverCommand(binDir, asRoot, "initdb", [
                    "-D",
                    path.join(staging, "data"),
                    ...INITDB_OPTIONS,
                ]);
                await run(initdb, initArgs, { env: serverEnv(binDir), cwd: staging });
                fs.writeFileSync(path.join(staging, "complete"), `${version}\n`);
                if (asRoot) fs.chownSync(path.join(staging, "complete"), owner.uid, owner.gid);
                if (fs.existsSync(home) && !usableTemplate(home, dataDir, owner.uid))
                    fs.rmSync(home, { recursive: true, force: true });
                try {
                    fs.renameSync(staging, home);
                } catch {
                    // Another worker moved its template into place first; theirs is as good.
                }
            } finally {
                fs.rmSync(staging, { recursive: true, force: true });
            }
            if (!usableTemplate(home, dataDir, owner.uid)) throw new Error(`the template cluster ${home} could not be made`);
            return dataDir;
        })();
        // a failed initdb is reported to every caller, and the next server tries again
        template.catch(() => templates.delete(binDir));
        templates.set(binDir, template);
    }
    return template;
}

/** A finished template: a real directory (no link) owned by `uid`, with its data directory and completion mark. */
export function usableTemplate(home: string, dataDir: string, uid: number): boolean {
    try {
        const st = fs.lstatSync(home);
        return (
            st.isDirectory() &&
            st.uid === uid &&
            (st.mode & 0o077) === 0 &&
            fs.existsSync(path.join(home, "complete")) &&
            fs.existsSync(path.join(dataDir, "PG_VERSION"))
        );
    } catch {
        return false;
    }
}

/**
 * Copies a cluster's data directory with its modes and owner (the postgres OS user when we are root). `cp -a`:
 * Node's fs.cp takes several times longer over a cluster's thousand small files.
 */
async function copyCluster(source: string, target: string): Promise<void> {
    await run("cp", ["-a", source, target]);
}

const OWNER_FILE = "owner.pid";
let abandonedRemoved = false;

/** Whether a process of that id runs (one of another user counts as running). */
function alive(pid: number): boolean {
    if (!Number.isInteger(pid) || pid <= 0) return false;
    try {
        process.kill(pid, 0);
        return true;
    } catch (error) {
        return (error as NodeJS.ErrnoException).code === "EPERM";
    }
}

/**
 * Server directories under `dir` left by test processes that are gone: mocha stops its parallel workers a second
 * after asking them to exit, which can cut a server's cleanup short. A directory counts only when it names its
 * owner process (`owner.pid`), that process has ended and no server runs from it (`postmaster.pid`).
 */
export function abandonedServerDirs(dir: string): string[] {
    const out: string[] = [];
    for (const name of fs.readdirSync(dir)) {
        if (!/^bookbuddy-pg-[A-Za-z0-9]{6}$/.test(name)) continue;
        const base = path.join(dir, name);
        try {
            if (!fs.lstatSync(base).isDirectory()) continue;
            const owner = Number(fs.readFileSync(path.join(base, OWNER_FILE), "utf8").trim());
            if (alive(owner)) continue;
            const postmaster = path.join(base, "data", "postmaster.pid");
            if (fs.existsSync(postmaster) && alive(Number(fs.readFileSync(postmaster, "utf8").split("\n")[0]))) continue;
            out.push(base);
        } catch {
            // No owner file (being made, or not ours) or unreadable: not judged abandoned.
        }
    }
    return out;
}

/** Removes, once per process, the server directories earlier test processes abandoned (QA-2). */
function removeAbandonedServersOnce(): void {
    if (abandonedRemoved) return;
    abandonedRemoved = true;
    for (const base of abandonedServerDirs(os.tmpdir())) fs.rmSync(base, { recursive: true, force: true });
}

/** Starts a fresh PostgreSQL server; the caller must `await stop()` (mocha `after` hook). */
export async function startPostgres(options: StartPostgresOptions = {}): Promise<TestPostgres> {
    const binDir = findPostgresBinDir();
    const asRoot = typeof process.getuid === "function" && process.getuid() === 0;
    removeAbandonedServersOnce();
    const baseDir = fs.mkdtempSync(path.join(os.tmpdir(), "bookbuddy-pg-"));
    fs.writeFileSync(path.join(baseDir, OWNER_FILE), `${process.pid}\n`);
    const dataDir = path.join(baseDir, "data");
    const socketDir = path.join(baseDir, "socket");
    const logFile = path.join(baseDir, "server.log");
    fs.mkdirSync(socketDir);

    // Commands of the server side run as the postgres OS user when we are root.
    const serverProgram = (program: string, args: string[]): [string, string[]] => serverCommand(binDir, asRoot, program, args);
    const serverEnvironment = serverEnv(binDir);

    let started = false;
    const cleanupSync = (): void => {
        if (started) {
            try {
                const [file, args] = serverProgram("pg_ctl", ["stop", "-D", dataDir, "-m", "immediate", "-w"]);
                execFileSync(file, args, { env: serverEnvironment, stdio: "ignore" });
            } catch {
                // already stopped
            }
            started = false;
        }
        fs.rmSync(baseDir, { recursive: true, force: true });
    };
    process.once("exit", cleanupSync);

    try {
        if (asRoot) {
            const { uid, gid } = osUserIds(SERVER_OS_USER);
            chownRecursive(baseDir, uid, gid);
            fs.chmodSync(baseDir, 0o700);
        }
        // A copy of the kept template cluster instead of an initdb per server (QA-2).
        await copyCluster(await templateCluster(binDir, asRoot), dataDir);

        const settings = [
            "listen_addresses = '127.0.0.1'",
            `unix_socket_directories = '${socketDir}'`,
            "max_connections = 30",
            "shared_buffers = '32MB'",
            // Throw-away data: durability is not needed and costs time on a shared machine.
            "fsync = off",
            "synchronous_commit = off",
            "full_page_writes = off",
            "timezone = 'UTC'",
            "log_min_messages = warning",
        ];
        if (options.sharedPreloadLibraries?.length) {
            settings.push(`shared_preload_libraries = '${options.sharedPreloadLibraries.join(",")}'`);
        }
        for (const [name, value] of Object.entries(options.settings ?? {})) {
            if (!/^[a-z_][a-z0-9_.]*$/.test(name)) throw new Error(`test PostgreSQL: invalid setting name ${name}`);
            settings.push(`${name} = '${value.replace(/'/g, "''")}'`);
        }
        if (options.hba) {
            const hbaFile = path.join(dataDir, "pg_hba.conf");
            fs.writeFileSync(hbaFile, options.hba.join("\n") + "\n");
            if (asRoot) {
                const { uid, gid } = osUserIds(SERVER_OS_USER);
                fs.chownSync(hbaFile, uid, gid);
            }
        }
        let port = 0;
        let lastError: unknown;
        for (let attempt = 0; attempt < 3 && !started; attempt++) {
            port = await freePort();
            const conf = [...settings, `port = ${port}`].join("\n") + "\n";
            fs.writeFileSync(path.join(dataDir, "postgresql.auto.conf"), conf);
            if (asRoot) {
                const { uid, gid } = osUserIds(SERVER_OS_USER);
                fs.chownSync(path.join(dataDir, "postgresql.auto.conf"), uid, gid);
            }
            const [pgctl, ctlArgs] = serverProgram("pg_ctl", ["start", "-D", dataDir, "-l", logFile, "-w", "-t", "60"]);
            try {
                await run(pgctl, ctlArgs, { env: serverEnvironment, cwd: baseDir });
                started = true;
            } catch (error) {
                const log = fs.existsSync(logFile) ? fs.readFileSync(logFile, "utf8") : "";
                lastError = new Error(`${(error as Error).message}\n--- server log ---\n${log}`);
            }
        }
        if (!started) throw lastError;
        await run(path.join(binDir, "pg_isready"), ["-h", "127.0.0.1", "-p", String(port), "-t", "30"]);

        const host = "127.0.0.1";
        const env = (extra: Record<string, string> = {}): NodeJS.ProcessEnv => {
            const base: NodeJS.ProcessEnv = { ...process.env };
            for (const name of LIBPQ_VARIABLES) delete base[name];
            return {
                ...base,
                PATH: `${binDir}${path.delimiter}${process.env.PATH ?? ""}`,
                PGHOST: host,
                PGPORT: String(port),
                PGUSER: SUPERUSER,
                PGDATABASE: "postgres",
                PGSSLMODE: "disable",
                PGCONNECT_TIMEOUT: "10",
                PGTZ: "UTC",
                ...extra,
            };
        };
        const instance: TestPostgres = {
            host,
            port,
            superuser: SUPERUSER,
            binDir,
            url: (database = "postgres") =>
                `postgresql://${SUPERUSER}@${host}:${port}/${encodeURIComponent(database)}?sslmode=disable`,
            env,
            psql: async (sql: string, database = "postgres") => {
                const { stdout } = await run(
                    path.join(binDir, "psql"),
                    ["-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-d", database, "-f", "-"],
                    { env: env(), input: sql },
                );
                return stdout;
            },
            logFile,
            readLog: () => (fs.existsSync(logFile) ? fs.readFileSync(logFile, "utf8") : ""),
            stop: async () => {
                if (started) {
                    const [pgctl, stopArgs] = serverProgram("pg_ctl", ["stop", "-D", dataDir, "-m", "fast", "-w", "-t", "60"]);
                    await run(pgctl, stopArgs, { env: serverEnvironment, cwd: baseDir });
                    started = false;
                }
                fs.rmSync(baseDir, { recursive: true, force: true });
                process.removeListener("exit", cleanupSync);
            },
        };
        return instance;
    } catch (error) {
        cleanupSync();
        process.removeListener("exit", cleanupSync);
        throw error;
    }
}
