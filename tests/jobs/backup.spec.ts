/**
 * BKP-2: the daily logical backup (jobs/db/pg-dump.sh) and the daily restore check
 * (jobs/db/restore-check.sh), exercised against a real PostgreSQL server started by the test run.
 */
import { strict as assert } from "assert";
import { ChildProcess, execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { startPostgres, TestPostgres } from "../support/postgres";
import { describeRun, JOBS_DIR, JobResult, runJob } from "./run-job";

const SEED_SQL = fs.readFileSync(path.join(__dirname, "fixtures", "bookbuddy-seed.sql"), "utf8");
const FAKE_AWS = path.join(__dirname, "fixtures", "fake-aws");
const DATABASE = "bookbuddy";
const DUMP_NAME = /^bookbuddy-\d{8}T\d{6}Z\.dump$/;

describe("BKP-2 logical backup and restore check on a real PostgreSQL", function () {
    this.timeout(120_000);
    let pg: TestPostgres;
    const tempDirs: string[] = [];

    const tempDir = (prefix: string): string => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), `bookbuddy-${prefix}-`));
        tempDirs.push(dir);
        return dir;
    };
    const jobEnv = (target: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv =>
        pg.env({ PGDATABASE: DATABASE, BACKUP_TARGET: target, ...extra });
    const dump = async (target: string, extra: Record<string, string> = {}): Promise<JobResult> => {
        const result = await runJob("pg-dump.sh", [], jobEnv(target, extra));
        assert.equal(result.code, 0, describeRun(result));
        return result;
    };
    const restoreCheck = (target: string, extra: Record<string, string> = {}): Promise<JobResult> =>
        runJob("restore-check.sh", [], jobEnv(target, extra));
    const dumpsIn = (dir: string): string[] => fs.readdirSync(dir).filter((f) => f.endsWith(".dump")).sort();
    const scratchDatabases = async (): Promise<string[]> =>
        (await pg.psql("SELECT datname FROM pg_database WHERE datname LIKE 'restore\\_check%' ORDER BY 1"))
            .split("\n")
            .filter(Boolean);
    const countRows = async (table: string): Promise<number> =>
        Number((await pg.psql(`SELECT count(*) FROM ${table}`, DATABASE)).trim());
    /** Renames a dump and its manifest as if written at `date` (the manifest keeps naming the old archive). */
    const backdate = (dir: string, dumpFile: string, date: Date): string => {
        const stamp = date.toISOString().replace(/[-:]/g, "").replace(/\.\d{3}/, "");
        const stem = `${DATABASE}-${stamp}`;
        const oldStem = dumpFile.replace(/\.dump$/, "");
        fs.renameSync(path.join(dir, `${oldStem}.dump`), path.join(dir, `${stem}.dump`));
        fs.renameSync(path.join(dir, `${oldStem}.manifest`), path.join(dir, `${stem}.manifest`));
        return `${stem}.dump`;
    };

    before(async () => {
        pg = await startPostgres();
        await pg.psql(`CREATE DATABASE ${DATABASE}`);
        await pg.psql(SEED_SQL, DATABASE);
    });

    after(async () => {
        for (const dir of tempDirs) fs.rmSync(dir, { recursive: true, force: true });
        if (pg) await pg.stop();
    });

    it("scripts pass bash -n", () => {
        for (const script of ["pg-dump.sh", "restore-check.sh", "maintenance.sh"]) {
            execFileSync("bash", ["-n", path.join(JOBS_DIR, script)]);
        }
    });

    it("round trip: pg-dump writes a verified custom-format archive and its manifest, the restore check passes and drops its scratch database", async () => {
        const target = tempDir("backups");
        const result = await dump(target);
        const dumps = dumpsIn(target);
        assert.equal(dumps.length, 1);
        assert.match(dumps[0], DUMP_NAME);
        assert.deepEqual(fs.readdirSync(target).filter((f) => f.includes("partial")), [], "no partial upload left behind");

        const status = result.status!;
        assert.equal(status.job, "pg-dump");
        assert.equal(status.status, "ok");
        assert.equal(status.level, "info");
        const archive = path.join(target, dumps[0]);
        assert.equal(Number(status.bytes), fs.statSync(archive).size);
        assert.equal(fs.statSync(archive).mode & 0o077, 0, "the archive is readable by its owner only");
        assert.match(result.stdout.trim().split("\n").pop()!, /level=info job=pg-dump status=ok bytes=\d+ /);
        // the archive is a real custom-format archive: pg_restore lists the tables' data
        const toc = execFileSync(path.join(pg.binDir, "pg_restore"), ["--list", archive], { encoding: "utf8" });
        for (const table of ["users", "books", "loans"]) assert.match(toc, new RegExp(`TABLE DATA public ${table} `));

        const manifest = fs.readFileSync(archive.replace(/\.dump$/, ".manifest"), "utf8").split("\n");
        assert.match(manifest[1], new RegExp(`^# archive=${dumps[0]} sha256=[0-9a-f]{64} `));
        const counts = Object.fromEntries(manifest.filter((l) => l && !l.startsWith("#")).map((l) => l.split("|").slice(0, 2)));
        assert.deepEqual(counts, { "public.books": "600", "public.loans": "1500", "public.users": "200" });

        const check = await restoreCheck(target, { RESTORE_CHECK_DATABASE: "restore_check_roundtrip" });
        assert.equal(check.code, 0, describeRun(check));
        assert.equal(check.status?.job, "restore-check");
        assert.equal(check.status?.status, "ok");
        assert.equal(check.status?.dump, dumps[0]);
        assert.equal(check.status?.tables, "3");
        assert.equal(check.status?.rows, "2300");
        assert.ok(check.records.some((r) => r.msg === "scratch database dropped" && r.scratch === "restore_check_roundtrip"));
        assert.deepEqual(await scratchDatabases(), []);
    });

    it("verifies against the source as of the dump's snapshot: rows written after the dump do not fail the check", async () => {
        const target = tempDir("live");
        await dump(target);
        await pg.psql("INSERT INTO users (email, display_name) VALUES ('late@example.org', 'Late Reader')", DATABASE);
        try {
            const check = await restoreCheck(target);
            assert.equal(check.code, 0, describeRun(check));
            assert.equal(check.status?.status, "ok");
            assert.equal(check.status?.rows, "2300", "the restore holds the dump-time data, not the live data");
            assert.equal(await countRows("users"), 201);
        } finally {
            await pg.psql("DELETE FROM users WHERE email = 'late@example.org'", DATABASE);
        }
        assert.deepEqual(await scratchDatabases(), []);
    });

    it("picks the newest dump and fails with status=failed when it is truncated (checksum mismatch)", async () => {
        const target = tempDir("truncated");
        const first = await dump(target);
        backdate(target, first.status!.file, new Date(Date.now() - 3 * 3600_000));
        await dump(target);
        const [older, newest] = dumpsIn(target);
        assert.ok(older < newest);
        const newestPath = path.join(target, newest);
        fs.truncateSync(newestPath, Math.floor(fs.statSync(newestPath).size / 2));

        const check = await restoreCheck(target);
        assert.equal(check.code, 3, describeRun(check));
        assert.equal(check.status?.status, "failed");
        assert.equal(check.status?.reason, "checksum_mismatch");
        assert.equal(check.status?.dump, newest, "the newest dump is the one checked, never an older good one");
        assert.match(check.stdout.trim().split("\n").pop()!, /level=error job=restore-check status=failed /);
        assert.deepEqual(await scratchDatabases(), []);
    });

    it("fails when pg_restore cannot restore a damaged archive whose checksum was recorded damaged, and still drops the scratch database", async () => {
        const target = tempDir("damaged");
        const result = await dump(target);
        const archive = path.join(target, result.status!.file);
        const manifestPath = archive.replace(/\.dump$/, ".manifest");
        // A damaged archive whose manifest agrees with it: only the restore itself can notice.
        fs.truncateSync(archive, Math.floor(fs.statSync(archive).size * 0.6));
        const sha = execFileSync("sha256sum", [archive], { encoding: "utf8" }).split(" ")[0];
        const manifest = fs.readFileSync(manifestPath, "utf8").replace(/sha256=[0-9a-f]{64}/, `sha256=${sha}`);
        fs.writeFileSync(manifestPath, manifest);

        const check = await restoreCheck(target, { RESTORE_CHECK_DATABASE: "restore_check_damaged" });
        assert.equal(check.code, 1, describeRun(check));
        assert.equal(check.status?.status, "failed");
        assert.equal(check.status?.reason, "restore_failed");
        assert.ok(check.records.some((r) => r.msg === "scratch database dropped" && r.scratch === "restore_check_damaged"), describeRun(check));
        assert.deepEqual(await scratchDatabases(), []);
    });

    it("fails with status=failed when the restored data differs from the source at the dump's snapshot", async () => {
        const target = tempDir("differs");
        // A dump that silently lost a table's rows (misconfigured dump options) restores cleanly but wrong.
        await dump(target, { PG_DUMP_EXTRA_ARGS: "--exclude-table-data=public.loans" });
        const check = await restoreCheck(target, { RESTORE_CHECK_DATABASE: "restore_check_differs" });
        assert.equal(check.code, 3, describeRun(check));
        assert.equal(check.status?.status, "failed");
        assert.equal(check.status?.reason, "mismatch");
        const mismatches = check.records.filter((r) => r.msg === "mismatch");
        assert.deepEqual(
            mismatches.map((r) => [r.table, r.problem, r.expected_rows, r.restored_rows]),
            [["public.loans", "row_count", "1500", "0"]],
        );
        assert.deepEqual(await scratchDatabases(), []);
    });

    it("fails on a content difference with equal row counts (checksum of the rows)", async () => {
        const target = tempDir("content");
        const result = await dump(target);
        const manifestPath = path.join(target, result.status!.file.replace(/\.dump$/, ".manifest"));
        // The manifest records the source's rows; alter one table's recorded checksum as if a row differed.
        const lines = fs.readFileSync(manifestPath, "utf8").split("\n");
        const index = lines.findIndex((l) => l.startsWith("public.books|"));
        const [table, rows, checksum] = lines[index].split("|");
        lines[index] = [table, rows, String(BigInt(checksum) + 1n)].join("|");
        fs.writeFileSync(manifestPath, lines.join("\n"));

        const check = await restoreCheck(target);
        assert.equal(check.code, 3, describeRun(check));
        const mismatches = check.records.filter((r) => r.msg === "mismatch");
        assert.deepEqual(mismatches.map((r) => [r.table, r.problem]), [["public.books", "checksum"]]);
        assert.deepEqual(await scratchDatabases(), []);
    });

    it("fails when the newest dump has no manifest, when there is no dump, and when the newest dump is too old", async () => {
        const target = tempDir("missing");
        const none = await restoreCheck(target);
        assert.equal(none.code, 4, describeRun(none));
        assert.equal(none.status?.reason, "no_backup");

        const result = await dump(target);
        const stale = backdate(target, result.status!.file, new Date(Date.now() - 3 * 24 * 3600_000));
        const old = await restoreCheck(target);
        assert.equal(old.code, 4, describeRun(old));
        assert.equal(old.status?.reason, "stale_backup");
        assert.equal(old.status?.dump, stale);

        fs.rmSync(path.join(target, stale.replace(/\.dump$/, ".manifest")));
        const orphan = await restoreCheck(target, { RESTORE_CHECK_MAX_AGE_HOURS: "0" });
        assert.equal(orphan.code, 3, describeRun(orphan));
        assert.equal(orphan.status?.reason, "manifest_missing");
        assert.deepEqual(await scratchDatabases(), []);
    });

    it("never drops a database it did not create when the scratch name is taken", async () => {
        const target = tempDir("taken");
        await dump(target);
        await pg.psql("CREATE DATABASE restore_check_taken");
        try {
            const check = await restoreCheck(target, { RESTORE_CHECK_DATABASE: "restore_check_taken" });
            assert.equal(check.code, 1, describeRun(check));
            assert.equal(check.status?.reason, "create_failed");
            assert.deepEqual(await scratchDatabases(), ["restore_check_taken"]);
        } finally {
            await pg.psql("DROP DATABASE restore_check_taken");
        }
    });

    it("drops the scratch database when the job is terminated (SIGTERM at the deadline) during the restore", async () => {
        const target = tempDir("terminated");
        await dump(target);
        // pg_restore that hangs when restoring into a database, so the job is caught mid-restore
        const binDir = tempDir("slow-bin");
        fs.writeFileSync(
            path.join(binDir, "pg_restore"),
            `#!/bin/sh\ncase "$*" in *--dbname=*) exec sleep 60 ;; esac\nexec "${path.join(pg.binDir, "pg_restore")}" "$@"\n`,
            { mode: 0o755 },
        );
        const base = jobEnv(target, { RESTORE_CHECK_DATABASE: "restore_check_terminated" });
        const env = { ...base, PATH: `${binDir}${path.delimiter}${base.PATH}` };
        let job: ChildProcess | undefined;
        const running = runJob("restore-check.sh", [], env, 60_000, (child) => (job = child));
        for (let i = 0; i < 200 && !(await scratchDatabases()).includes("restore_check_terminated"); i++) {
            await new Promise((resolve) => setTimeout(resolve, 50));
        }
        assert.deepEqual(await scratchDatabases(), ["restore_check_terminated"], "the scratch database exists during the restore");
        const started = Date.now();
        job!.kill("SIGTERM");
        const check = await running;
        assert.ok(Date.now() - started < 10_000, "the job stops at once instead of waiting for pg_restore");
        assert.equal(check.code, 143, describeRun(check));
        assert.equal(check.status?.status, "failed");
        assert.equal(check.status?.reason, "terminated");
        assert.deepEqual(await scratchDatabases(), []);
    });

    it("uploads to s3:// with SSE-KMS and restores from there (aws CLI test double)", async () => {
        const binDir = tempDir("fake-bin");
        const s3Root = tempDir("fake-s3");
        const awsLog = path.join(tempDir("fake-log"), "aws.log");
        fs.symlinkSync(FAKE_AWS, path.join(binDir, "aws"));
        const env = (extra: Record<string, string>): NodeJS.ProcessEnv => {
            const base = jobEnv("s3://bookbuddy-backups-test/postgres/daily/", { FAKE_S3_ROOT: s3Root, FAKE_AWS_LOG: awsLog, ...extra });
            return { ...base, PATH: `${binDir}${path.delimiter}${base.PATH}` };
        };
        const upload = await runJob("pg-dump.sh", [], env({ BACKUP_KMS_KEY_ID: "alias/bookbuddy-backup" }));
        assert.equal(upload.code, 0, describeRun(upload));
        const stored = fs.readdirSync(path.join(s3Root, "bookbuddy-backups-test", "postgres", "daily")).sort();
        assert.equal(stored.length, 2);
        assert.match(stored[0], DUMP_NAME);

        const uploads = fs.readFileSync(awsLog, "utf8").trim().split("\n");
        assert.equal(uploads.length, 2);
        for (const call of uploads) {
            assert.match(call, /^s3 cp --only-show-errors --sse aws:kms --sse-kms-key-id alias\/bookbuddy-backup \S+ s3:\/\/bookbuddy-backups-test\/postgres\/daily\/bookbuddy-\d{8}T\d{6}Z\.(dump|manifest)$/);
        }
        assert.match(uploads[0], /\.manifest$/, "the manifest is uploaded before the archive");

        const check = await runJob("restore-check.sh", [], env({}));
        assert.equal(check.code, 0, describeRun(check));
        assert.equal(check.status?.dump, stored[0]);
        const calls = fs.readFileSync(awsLog, "utf8").trim().split("\n").slice(2);
        assert.equal(calls[0], "s3 ls s3://bookbuddy-backups-test/postgres/daily/");
        assert.deepEqual(await scratchDatabases(), []);
    });

    it("reports status=failed with the documented exit codes on configuration and dump errors", async () => {
        const target = tempDir("errors");
        const noTarget = await runJob("pg-dump.sh", [], pg.env({ PGDATABASE: DATABASE }));
        assert.equal(noTarget.code, 2, describeRun(noTarget));
        assert.equal(noTarget.status?.status, "failed");
        assert.equal(noTarget.status?.stage, "config");

        const badScratch = await restoreCheck(target, { RESTORE_CHECK_DATABASE: "Robert'); DROP TABLE users;--" });
        assert.equal(badScratch.code, 2, describeRun(badScratch));
        assert.equal(badScratch.status?.reason, "config");

        const missingDb = await runJob("pg-dump.sh", [], jobEnv(target, { PGDATABASE: "no_such_database" }));
        assert.equal(missingDb.code, 1, describeRun(missingDb));
        assert.equal(missingDb.status?.status, "failed");
        assert.deepEqual(fs.readdirSync(target), [], "nothing is uploaded after a failure");
    });
});
