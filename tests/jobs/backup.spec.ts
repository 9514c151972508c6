/**
 * BKP-2: the daily logical backup (jobs/db/pg-dump.sh) and the daily restore check (jobs/db/restore-check.sh),
 * run as the rendered prod CronJobs run them against the shared test PostgreSQL configured as the prod stack
 * deploys it (tests/support/deployed-postgres.ts): the dump signs in as the login of the role its rendered
 * ExternalSecret names (read-only), never as a superuser; the restore check gets no database login at all and
 * restores into a throw-away server of its own, as a non-superuser role.
 */
import { strict as assert } from "assert";
import { ChildProcess, execFileSync, spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { Client } from "pg";
import { DeployedPostgres, RenderedJob, renderedJob, seededDeployedPostgres } from "../support/deployed-postgres";
import { startPostgres } from "../support/postgres";
import { describeRun, JOB_OS_USER, JOBS_DIR, JobResult, runJob, RUNNING_AS_ROOT, SQL_DIR } from "./run-job";

const FAKE_AWS = path.join(__dirname, "fixtures", "fake-aws");
const DUMP_NAME = /^bookbuddy-\d{8}T\d{6}Z\.dump$/;

describe("BKP-2 logical backup and restore check as deployed (real roles, throw-away restore server)", function () {
    this.timeout(180_000);
    let db: DeployedPostgres;
    let dumpJob: RenderedJob;
    let checkJob: RenderedJob;
    const tempDirs: string[] = [];

    const tempDir = (prefix: string): string => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), `bookbuddy-${prefix}-`));
        if (RUNNING_AS_ROOT) execFileSync("chown", [JOB_OS_USER, dir]);
        tempDirs.push(dir);
        return dir;
    };
    /** The dump's environment: the rendered CronJob's settings and the login of its secret's role. */
    const dumpEnv = (target: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv =>
        db.envAs(dumpJob.login!, { ...dumpJob.env, PGDATABASE: db.database, BACKUP_TARGET: target, ...extra });
    /** The restore check's environment: no database login, only the database's name and the target. */
    const checkEnv = (target: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv => {
        const env = db.pg.env({
            ...checkJob.env,
            PGDATABASE: db.database,
            BACKUP_TARGET: target,
            TMPDIR: tempDir("check-tmp"),
            ...extra,
        });
        for (const name of ["PGHOST", "PGPORT", "PGUSER", "PGPASSWORD"]) delete env[name];
        return env;
    };
    const dump = async (target: string, extra: Record<string, string> = {}): Promise<JobResult> => {
        const result = await runJob("pg-dump.sh", [], dumpEnv(target, extra));
        assert.equal(result.code, 0, describeRun(result));
        return result;
    };
    const restoreCheck = (target: string, extra: Record<string, string> = {}): Promise<JobResult> =>
        runJob("restore-check.sh", [], checkEnv(target, extra));
    const dumpsIn = (dir: string): string[] =>
        fs
            .readdirSync(dir)
            .filter((f) => f.endsWith(".dump"))
            .sort();
    /** PostgreSQL servers still running out of a directory (a leftover throw-away server). */
    const serversUnder = (dir: string): string =>
        spawnSync("pgrep", ["-a", "-f", `postgres -D ${dir}`], { encoding: "utf8" }).stdout.trim();
    /** Renames a dump and its manifest as if written at `date` (the manifest keeps naming the old archive). */
    const backdate = (dir: string, dumpFile: string, date: Date): string => {
        const stamp = date
            .toISOString()
            .replace(/[-:]/g, "")
            .replace(/\.\d{3}/, "");
        const stem = `${db.database}-${stamp}`;
        const oldStem = dumpFile.replace(/\.dump$/, "");
        fs.renameSync(path.join(dir, `${oldStem}.dump`), path.join(dir, `${stem}.dump`));
        fs.renameSync(path.join(dir, `${oldStem}.manifest`), path.join(dir, `${stem}.manifest`));
        return `${stem}.dump`;
    };
    let pristine: Promise<{ dir: string; result: JobResult }> | undefined;
    /**
     * One dump of the seeded database by the job, made on first use and never changed. The restore-check cases
     * that start from a good dump (and damage, backdate or remove parts of it) get copies of it: another run of
     * the same dump proved nothing more and cost a second each (QA-2).
     */
    const pristineDump = (): Promise<{ dir: string; result: JobResult }> =>
        (pristine ??= (async () => {
            const dir = tempDir("backups");
            return { dir, result: await dump(dir) };
        })());
    /** Copies the pristine dump and its manifest into `dir`, as if written at `date` (default: when it was). */
    const copyDump = async (dir: string, date?: Date): Promise<string> => {
        const { dir: source, result } = await pristineDump();
        const file = result.status!.file;
        for (const name of [file, file.replace(/\.dump$/, ".manifest")]) {
            const from = path.join(source, name);
            const to = path.join(dir, name);
            fs.copyFileSync(from, to);
            const { uid, gid } = fs.statSync(from);
            fs.chownSync(to, uid, gid);
        }
        return date ? backdate(dir, file, date) : file;
    };

    before(async () => {
        db = await seededDeployedPostgres();
        dumpJob = await renderedJob("pg-dump", db.database);
        checkJob = await renderedJob("restore-check", db.database);
    });

    after(() => {
        for (const dir of tempDirs) fs.rmSync(dir, { recursive: true, force: true });
    });

    it("scripts pass bash -n", () => {
        for (const script of ["pg-dump.sh", "restore-check.sh", "maintenance.sh"])
            execFileSync("bash", ["-n", path.join(JOBS_DIR, script)]);
    });

    it("the rendered jobs: the dump signs in as the read-only role's login, the restore check has no database login", () => {
        assert.equal(dumpJob.login, `${db.database}_readonly_a`);
        assert.match(dumpJob.env.PGOPTIONS, /idle_in_transaction_session_timeout=0/);
        assert.equal(checkJob.login, undefined);
        assert.equal(checkJob.secret, undefined);
    });

    it("round trip: a verified dump as the read-only login, restored completely as a non-superuser on a throw-away server, pg_stat_statements included", async () => {
        const { dir: target, result } = await pristineDump();
        const dumps = dumpsIn(target);
        assert.equal(dumps.length, 1);
        assert.match(dumps[0], DUMP_NAME);
        assert.equal(result.status?.status, "ok");
        const archive = path.join(target, dumps[0]);
        assert.equal(fs.statSync(archive).mode & 0o077, 0, "the archive is readable by its owner only");
        const toc = execFileSync(path.join(db.pg.binDir, "pg_restore"), ["--list", archive], { encoding: "utf8" });
        for (const table of ["users", "books", "loans"]) assert.match(toc, new RegExp(`TABLE DATA public ${table} `));
        assert.match(toc, / EXTENSION - pg_stat_statements /, "the archive creates the extension the stack installs");

        const logBefore = db.pg.readLog().length;
        const check = await restoreCheck(target);
        assert.equal(check.code, 0, describeRun(check));
        assert.equal(check.status?.status, "ok");
        assert.equal(check.status?.dump, dumps[0]);
        assert.equal(check.status?.tables, "3");
        assert.equal(check.status?.rows, "2300");
        assert.equal(check.status?.sequences, "3");
        assert.ok(check.records.some((r) => r.msg === "throw-away server started" && r.restore_role === "restore_check"));
        assert.ok(check.records.some((r) => r.msg === "throw-away server stopped"));
        // never the production server: not one connection from the restore check reached it
        assert.doesNotMatch(db.pg.readLog().slice(logBefore), /restore.check/);
    });

    it("reproduces the finding: pg_restore --exit-on-error as a non-superuser stops at CREATE EXTENSION pg_stat_statements", async () => {
        const { dir: target, result } = await pristineDump();
        const archive = path.join(target, result.status!.file);
        const scratch = await startPostgres();
        try {
            await scratch.psql(
                "CREATE ROLE plain_restore LOGIN; CREATE DATABASE plain_target OWNER plain_restore TEMPLATE template0",
            );
            const run = spawnSync(
                path.join(db.pg.binDir, "pg_restore"),
                [
                    "--username=plain_restore",
                    "--dbname=plain_target",
                    "--no-owner",
                    "--no-privileges",
                    "--exit-on-error",
                    archive,
                ],
                { env: scratch.env(), encoding: "utf8" },
            );
            assert.notEqual(run.status, 0);
            assert.match(run.stderr, /permission denied to create extension "pg_stat_statements"|must be superuser/);
        } finally {
            await scratch.stop();
        }
    });

    it("verifies against the source as of the dump's snapshot: rows written after the dump do not fail the check", async () => {
        const target = tempDir("live");
        await copyDump(target);
        await db.psqlAs(
            `${db.database}_app_b`,
            "INSERT INTO users (email, display_name) VALUES ('late@example.org', 'Late Reader')",
            db.database,
        );
        try {
            const check = await restoreCheck(target);
            assert.equal(check.code, 0, describeRun(check));
            assert.equal(check.status?.rows, "2300", "the restore holds the dump-time data, not the live data");
        } finally {
            await db.psqlAs(`${db.database}_app_b`, "DELETE FROM users WHERE email = 'late@example.org'", db.database);
        }
    });

    it("picks the newest dump and fails with status=failed when it is truncated (checksum mismatch)", async () => {
        const target = tempDir("truncated");
        await copyDump(target, new Date(Date.now() - 3 * 3600_000));
        await copyDump(target);
        const [older, newest] = dumpsIn(target);
        assert.ok(older < newest);
        const newestPath = path.join(target, newest);
        fs.truncateSync(newestPath, Math.floor(fs.statSync(newestPath).size / 2));
        const check = await restoreCheck(target);
        assert.equal(check.code, 3, describeRun(check));
        assert.equal(check.status?.reason, "checksum_mismatch");
        assert.equal(check.status?.dump, newest, "the newest dump is the one checked, never an older good one");
    });

    it("fails when pg_restore cannot restore a damaged archive whose checksum was recorded damaged, and stops its server", async () => {
        const target = tempDir("damaged");
        const archive = path.join(target, await copyDump(target));
        const manifestPath = archive.replace(/\.dump$/, ".manifest");
        fs.truncateSync(archive, Math.floor(fs.statSync(archive).size * 0.6));
        const sha = execFileSync("sha256sum", [archive], { encoding: "utf8" }).split(" ")[0];
        fs.writeFileSync(manifestPath, fs.readFileSync(manifestPath, "utf8").replace(/sha256=[0-9a-f]{64}/, `sha256=${sha}`));
        const check = await restoreCheck(target);
        assert.equal(check.code, 1, describeRun(check));
        assert.equal(check.status?.reason, "restore_failed");
        assert.ok(
            check.records.some((r) => r.msg === "throw-away server stopped"),
            describeRun(check),
        );
    });

    it("fails with status=failed when the restored data differs from the source at the dump's snapshot", async () => {
        const target = tempDir("differs");
        await dump(target, { PG_DUMP_EXTRA_ARGS: "--exclude-table-data=public.loans" });
        const check = await restoreCheck(target);
        assert.equal(check.code, 3, describeRun(check));
        assert.equal(check.status?.reason, "mismatch");
        const mismatches = check.records.filter((r) => r.msg === "mismatch");
        assert.deepEqual(
            mismatches.map((r) => [r.table, r.problem, r.expected_rows, r.restored_rows]),
            [["public.loans", "row_count", "1500", "0"]],
        );
    });

    it("fails on a content difference with equal row counts (checksum of the rows)", async () => {
        const target = tempDir("content");
        const manifestPath = path.join(target, (await copyDump(target)).replace(/\.dump$/, ".manifest"));
        const lines = fs.readFileSync(manifestPath, "utf8").split("\n");
        const index = lines.findIndex((l) => l.startsWith("public.books|"));
        const [table, rows, checksum] = lines[index].split("|");
        lines[index] = [table, rows, String(BigInt(checksum) + 1n)].join("|");
        fs.writeFileSync(manifestPath, lines.join("\n"));
        const check = await restoreCheck(target);
        assert.equal(check.code, 3, describeRun(check));
        assert.deepEqual(
            check.records.filter((r) => r.msg === "mismatch").map((r) => [r.table, r.problem]),
            [["public.books", "checksum"]],
        );
    });

    it("fails on an empty restore: a dump of a database without tables is no backup", async () => {
        const target = tempDir("empty");
        // the stack's `postgres` database holds no table; PUBLIC may connect to it
        const result = await runJob("pg-dump.sh", [], dumpEnv(target, { PGDATABASE: "postgres" }));
        assert.equal(result.code, 0, describeRun(result));
        const check = await restoreCheck(target, { PGDATABASE: "postgres" });
        assert.equal(check.code, 3, describeRun(check));
        assert.equal(check.status?.reason, "empty_restore");
    });

    it("sequence-check.sql reports a sequence behind the values of its column", async () => {
        const migrator = `${db.database}_migrator_a`;
        const ok = await db.psqlAs(migrator, fs.readFileSync(path.join(SQL_DIR, "sequence-check.sql"), "utf8"), db.database);
        assert.deepEqual(ok.trim().split("\n").sort(), [
            "public.books_id_seq|ok",
            "public.loans_id_seq|ok",
            "public.users_id_seq|ok",
        ]);
        const last = (await db.psqlAs(migrator, "SELECT last_value FROM users_id_seq", db.database)).trim();
        await db.psqlAs(migrator, "SELECT setval('users_id_seq', 5)", db.database);
        try {
            const behind = await db.psqlAs(
                migrator,
                fs.readFileSync(path.join(SQL_DIR, "sequence-check.sql"), "utf8"),
                db.database,
            );
            assert.match(behind, /^public\.users_id_seq\|behind last_value=5 max=200$/m);
        } finally {
            await db.psqlAs(migrator, `SELECT setval('users_id_seq', ${last})`, db.database);
        }
    });

    it("fails when the newest dump has no manifest, when there is no dump, and when the newest dump is too old", async () => {
        const noDump = await restoreCheck(tempDir("nothing"));
        assert.equal(noDump.code, 4, describeRun(noDump));
        assert.equal(noDump.status?.reason, "no_backup");

        const target = tempDir("stale");
        await copyDump(target, new Date(Date.now() - 30 * 3600_000));
        const stale = await restoreCheck(target);
        assert.equal(stale.code, 4, describeRun(stale));
        assert.equal(stale.status?.reason, "stale_backup");

        const noManifest = tempDir("no-manifest");
        const fresh = await copyDump(noManifest);
        fs.rmSync(path.join(noManifest, fresh.replace(/\.dump$/, ".manifest")));
        const missing = await restoreCheck(noManifest);
        assert.equal(missing.code, 3, describeRun(missing));
        assert.equal(missing.status?.reason, "manifest_missing");
    });

    it("stops its throw-away server when the job is terminated (SIGTERM at the deadline) during the restore", async () => {
        const target = tempDir("terminated");
        await copyDump(target);
        const binDir = tempDir("slow-bin");
        fs.writeFileSync(
            path.join(binDir, "pg_restore"),
            `#!/bin/sh\ncase "$*" in *--dbname=*) exec sleep 60 ;; esac\nexec "${path.join(db.pg.binDir, "pg_restore")}" "$@"\n`,
            { mode: 0o755 },
        );
        const workTmp = tempDir("terminated-tmp");
        const base = checkEnv(target, { TMPDIR: workTmp });
        const env = { ...base, PATH: `${binDir}${path.delimiter}${base.PATH}` };
        let job: ChildProcess | undefined;
        const running = runJob("restore-check.sh", [], env, 60_000, (child) => (job = child));
        const pause = () => new Promise((resolve) => setTimeout(resolve, 25));
        // until pg_restore is about to run: the use-list is written just before it starts (files only, no process)
        const useList = () => fs.readdirSync(workTmp).some((d) => fs.existsSync(path.join(workTmp, d, "use-list")));
        for (let i = 0; i < 2400 && !useList(); i++) await pause();
        // The script itself, to which the kubelet sends SIGTERM as the container's process (runuser, used when the
        // tests run as root, would SIGKILL its child 2 s later).
        const script = RUNNING_AS_ROOT
            ? Number(
                  spawnSync("pgrep", ["-P", String(job!.pid)], { encoding: "utf8" })
                      .stdout.trim()
                      .split("\n")[0],
              )
            : job!.pid!;
        // Then until the script waits for pg_restore: its child is the test double's sleep, and the script sleeps
        // (in `wait`: after forking pg_restore it blocks nowhere else). This replaces a fixed 0.5 s wait (QA-2).
        const waiting = (): boolean => {
            if (!spawnSync("pgrep", ["-P", String(script), "-x", "sleep"], { encoding: "utf8" }).stdout.trim()) return false;
            const stat = fs.readFileSync(`/proc/${script}/stat`, "utf8");
            return stat.slice(stat.lastIndexOf(")") + 2).startsWith("S");
        };
        for (let i = 0; i < 400 && !waiting(); i++) await pause();
        assert.ok(waiting(), "the script waits for pg_restore");
        assert.ok(serversUnder(workTmp), "the throw-away server runs during the restore");
        const started = Date.now();
        process.kill(script, "SIGTERM");
        const check = await running;
        assert.ok(Date.now() - started < 15_000, "the job stops at once instead of waiting for pg_restore");
        assert.equal(check.code, 143, describeRun(check));
        assert.equal(check.status?.reason, "terminated", describeRun(check));
        assert.equal(serversUnder(workTmp), "", "no server is left running");
        assert.deepEqual(fs.readdirSync(workTmp), [], "the work directory is removed");
    });

    it("uploads to s3:// with SSE-KMS and restores from there (aws CLI test double)", async () => {
        const binDir = tempDir("fake-bin");
        const s3Root = tempDir("fake-s3");
        const logDir = tempDir("fake-log");
        const awsLog = path.join(logDir, "aws.log");
        // A copy, not a link: the job user may not be able to enter the checkout (see run-job.ts).
        fs.copyFileSync(FAKE_AWS, path.join(binDir, "aws"));
        fs.chmodSync(path.join(binDir, "aws"), 0o755);
        const withFake = (env: NodeJS.ProcessEnv): NodeJS.ProcessEnv => ({
            ...env,
            FAKE_S3_ROOT: s3Root,
            FAKE_AWS_LOG: awsLog,
            PATH: `${binDir}${path.delimiter}${env.PATH}`,
        });
        const url = "s3://bookbuddy-backups-test/postgres/daily/";
        const upload = await runJob("pg-dump.sh", [], withFake(dumpEnv(url, { BACKUP_KMS_KEY_ID: "alias/bookbuddy-backup" })));
        assert.equal(upload.code, 0, describeRun(upload));
        const stored = fs.readdirSync(path.join(s3Root, "bookbuddy-backups-test", "postgres", "daily")).sort();
        assert.equal(stored.length, 2);
        const uploads = fs.readFileSync(awsLog, "utf8").trim().split("\n");
        for (const call of uploads) {
            assert.match(
                call,
                /^s3 cp --only-show-errors --sse aws:kms --sse-kms-key-id alias\/bookbuddy-backup \S+ s3:\/\/bookbuddy-backups-test\/postgres\/daily\/bookbuddy-\d{8}T\d{6}Z\.(dump|manifest)$/,
            );
        }
        assert.match(uploads[0], /\.manifest$/, "the manifest is uploaded before the archive");
        const check = await runJob("restore-check.sh", [], withFake(checkEnv(url)));
        assert.equal(check.code, 0, describeRun(check));
        assert.equal(check.status?.dump, stored[0]);
    });

    it("reports status=failed with the documented exit codes on configuration and dump errors", async () => {
        const target = tempDir("errors");
        const noTarget = await runJob("pg-dump.sh", [], db.envAs(dumpJob.login!, { PGDATABASE: db.database }));
        assert.equal(noTarget.code, 2, describeRun(noTarget));
        assert.equal(noTarget.status?.stage, "config");
        const badName = await restoreCheck(target, { PGDATABASE: "Robert'); DROP TABLE users;--" });
        assert.equal(badName.code, 2, describeRun(badName));
        assert.equal(badName.status?.reason, "config");
        const missingDb = await runJob("pg-dump.sh", [], dumpEnv(target, { PGDATABASE: "no_such_database" }));
        assert.equal(missingDb.code, 1, describeRun(missingDb));
        assert.deepEqual(fs.readdirSync(target), [], "nothing is uploaded after a failure");
    });
});

/**
 * The server's idle_in_transaction_session_timeout for these cases, and how long the lock is held after the dump
 * is seen waiting for it: four times the timeout, so a snapshot session left exposed to the timeout is terminated
 * long before the lock goes. Shortened from 1 s and 4 s from the start (QA-2); the lock is now released only
 * after the dump waits, so a slow start of the job cannot shorten the wait.
 */
const IDLE_TIMEOUT_MS = 300;
const LOCK_HELD_MS = 4 * IDLE_TIMEOUT_MS;

describe("BKP-2 dumps that outlive the stack's idle_in_transaction_session_timeout", function () {
    this.timeout(180_000);
    let db: DeployedPostgres;
    let dumpJob: RenderedJob;
    let target: string;
    let configured: string;

    before(async () => {
        db = await seededDeployedPostgres();
        dumpJob = await renderedJob("pg-dump", db.database);
        target = fs.mkdtempSync(path.join(os.tmpdir(), "bookbuddy-slow-dump-"));
        if (RUNNING_AS_ROOT) execFileSync("chown", [JOB_OS_USER, target]);
        // The stack's parameter (10 minutes in prod), shortened so a dump slowed by a lock outlives it.
        configured = (
            await db.pg.psql("SELECT setting FROM pg_settings WHERE name = 'idle_in_transaction_session_timeout'")
        ).trim();
        await db.pg.psql(
            `ALTER SYSTEM SET idle_in_transaction_session_timeout = '${IDLE_TIMEOUT_MS}ms'; SELECT pg_reload_conf();`,
        );
    });
    after(async () => {
        // back to the rendered value (the harness keeps its settings in postgresql.auto.conf, so no RESET)
        await db.pg.psql(`ALTER SYSTEM SET idle_in_transaction_session_timeout = '${configured}'; SELECT pg_reload_conf();`);
        fs.rmSync(target, { recursive: true, force: true });
    });

    // The rendered PGOPTIONS switch the timeout off for the job's sessions; the script alone must also survive
    // it (the CronJob of the previous release set only statement_timeout=0).
    for (const [label, pgoptions] of [
        ["with the rendered CronJob's PGOPTIONS", undefined],
        [
            "with only statement_timeout=0 in PGOPTIONS (the script itself keeps its snapshot session alive)",
            "-c statement_timeout=0",
        ],
    ] as const) {
        it(`a dump waiting ${LOCK_HELD_MS / 1000} s for a lock under a ${IDLE_TIMEOUT_MS / 1000} s timeout still succeeds, exit 0, ${label}`, async () => {
            assert.equal((await db.pg.psql("SHOW idle_in_transaction_session_timeout")).trim(), `${IDLE_TIMEOUT_MS}ms`);
            // Another session (the migrator, e.g. a migration) holds an exclusive lock on one table.
            const locker = await db.clientAs(`${db.database}_migrator_b`, db.database);
            await locker.query("SET idle_in_transaction_session_timeout = 0");
            await locker.query("BEGIN");
            await locker.query("LOCK TABLE loans IN ACCESS EXCLUSIVE MODE");
            const lockerPid = Number((await locker.query("SELECT pg_backend_pid() AS pid")).rows[0].pid);
            // The harness superuser watches the dump's sessions.
            const watcher = new Client({
                host: db.pg.host,
                port: db.pg.port,
                user: db.pg.superuser,
                database: db.database,
                ssl: false,
            });
            await watcher.connect();
            try {
                const env = {
                    ...dumpJob.env,
                    ...(pgoptions ? { PGOPTIONS: pgoptions } : {}),
                    PGDATABASE: db.database,
                    BACKUP_TARGET: target,
                };
                let finished = false;
                const running = runJob("pg-dump.sh", [], db.envAs(dumpJob.login!, env)).finally(() => (finished = true));
                // pg_dump waits for the lock while the script's snapshot session sits idle in its transaction
                const sessions = async () =>
                    (
                        await watcher.query(
                            `SELECT count(*) FILTER (WHERE wait_event_type = 'Lock') AS waiting,
                                    count(*) FILTER (WHERE state = 'idle in transaction') AS idle
                               FROM pg_stat_activity WHERE datname = current_database() AND pid NOT IN ($1, pg_backend_pid())`,
                            [lockerPid],
                        )
                    ).rows[0] as { waiting: string; idle: string };
                let seen = await sessions();
                for (let i = 0; i < 1200 && !finished && seen.waiting === "0"; i++) {
                    await new Promise((resolve) => setTimeout(resolve, 25));
                    seen = await sessions();
                }
                assert.equal(seen.waiting, "1", "pg_dump waits for the lock");
                assert.equal(seen.idle, "1", "the snapshot session is idle in its transaction meanwhile");
                await new Promise((resolve) => setTimeout(resolve, LOCK_HELD_MS));
                await locker.query("COMMIT");
                const result = await running;
                assert.equal(result.code, 0, describeRun(result));
                assert.equal(result.status?.status, "ok");
                assert.equal(result.status?.rows, "2300");
            } finally {
                await locker.query("COMMIT").catch(() => undefined);
                await locker.end().catch(() => undefined);
                await watcher.end().catch(() => undefined);
            }
        });
    }
});
