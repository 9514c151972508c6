/**
 * MNT-1: the database maintenance tasks (jobs/db/maintenance.sh with sql/*.sql): VACUUM ANALYZE, ANALYZE,
 * REINDEX CONCURRENTLY and the pg_stat_statements slow-query report, run against the shared test PostgreSQL
 * configured as the prod stack deploys it (tests/support/deployed-postgres.ts), each task as the login of
 * the role its rendered CronJob's secret names (migrator for VACUUM/ANALYZE/REINDEX, read-only for the
 * report), never as a superuser. The tasks get a database of their own there (owned by the migrator group,
 * seeded by the migrator's login), so their data changes do not meet the other specs'.
 */
import { strict as assert } from "assert";
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { DeployedPostgres, renderedJob, sharedDeployedPostgres } from "../support/deployed-postgres";
import { startPostgres, TestPostgres } from "../support/postgres";
import { describeRun, JOBS_DIR, runJob } from "./run-job";

const SEED_SQL = fs.readFileSync(path.join(__dirname, "fixtures", "bookbuddy-seed.sql"), "utf8");
const DATABASE = "maintenance_jobs";

/** Parses CSV as psql --csv writes it (quoted fields with doubled quotes). */
function parseCsv(text: string): string[][] {
    const rows: string[][] = [];
    let row: string[] = [];
    let field = "";
    let quoted = false;
    for (let i = 0; i < text.length; i++) {
        const ch = text[i];
        if (quoted) {
            if (ch === '"' && text[i + 1] === '"') {
                field += '"';
                i++;
            } else if (ch === '"') {
                quoted = false;
            } else {
                field += ch;
            }
        } else if (ch === '"') {
            quoted = true;
        } else if (ch === ",") {
            row.push(field);
            field = "";
        } else if (ch === "\n") {
            row.push(field);
            rows.push(row);
            row = [];
            field = "";
        } else {
            field += ch;
        }
    }
    if (field || row.length) rows.push([...row, field]);
    return rows;
}

describe("MNT-1 database maintenance jobs as deployed (real roles, pg_stat_statements preloaded)", function () {
    this.timeout(180_000);
    let db: DeployedPostgres;
    /** The harness superuser: set-up and inspection only, never a job. */
    let pg: TestPostgres;
    const logins: Record<string, { login: string; env: Record<string, string> }> = {};
    const maintenance = (task: string, extra: Record<string, string> = {}, database = DATABASE) => {
        const job = logins[task] ?? logins["vacuum-analyze"];
        return runJob("maintenance.sh", task ? [task] : [], db.envAs(job.login, { ...job.env, PGDATABASE: database, ...extra }));
    };

    before(async () => {
        // the shared server, not its seeded application database: the tasks seed a database of their own (QA-2)
        db = await sharedDeployedPostgres();
        pg = db.pg;
        for (const task of ["vacuum-analyze", "analyze", "reindex", "slow-query-report"]) {
            const job = await renderedJob(task, db.database);
            logins[task] = { login: job.login!, env: job.env };
        }
        // template1 carries pg_stat_statements (bootstrap.sql), as every database of the stack does
        await pg.psql(`CREATE DATABASE ${DATABASE} OWNER ${db.database}_migrator TEMPLATE template1`);
        await db.psqlAs(`${db.database}_migrator_a`, SEED_SQL, DATABASE);
    });

    after(async () => {
        await pg?.psql(`DROP DATABASE IF EXISTS ${DATABASE} WITH (FORCE)`);
    });

    it("runs VACUUM/ANALYZE/REINDEX as the migrator's login and the report as the read-only login (rendered CronJobs)", () => {
        assert.equal(logins["vacuum-analyze"].login, `${db.database}_migrator_a`);
        assert.equal(logins.reindex.login, `${db.database}_migrator_a`);
        assert.equal(logins["slow-query-report"].login, `${db.database}_readonly_a`);
    });

    it("maintenance.sh passes bash -n", () => {
        execFileSync("bash", ["-n", path.join(JOBS_DIR, "maintenance.sh")]);
    });

    it("vacuum-analyze vacuums and analyzes every table and logs start and end lines with a duration", async () => {
        await pg.psql("DELETE FROM loans WHERE id % 10 = 0", DATABASE);
        const result = await maintenance("vacuum-analyze");
        assert.equal(result.code, 0, describeRun(result));
        const [start, end] = result.records;
        assert.equal(start.msg, "start");
        assert.equal(start.task, "vacuum-analyze");
        assert.equal(end.status, "ok");
        assert.match(end.duration_ms, /^\d+$/);
        const stats = await pg.psql(
            "SELECT relname, last_vacuum IS NOT NULL, last_analyze IS NOT NULL, n_dead_tup FROM pg_stat_user_tables ORDER BY relname",
            DATABASE,
        );
        assert.deepEqual(stats.trim().split("\n"), ["books|t|t|0", "loans|t|t|0", "users|t|t|0"]);
    });

    it("analyze refreshes planner statistics", async () => {
        await pg.psql("SELECT pg_stat_reset()", DATABASE);
        const result = await maintenance("analyze");
        assert.equal(result.code, 0, describeRun(result));
        assert.equal(result.status?.status, "ok");
        const analyzed = await pg.psql("SELECT count(*) FROM pg_stat_user_tables WHERE last_analyze IS NOT NULL", DATABASE);
        assert.equal(analyzed.trim(), "3");
        const stats = await pg.psql(
            "SELECT count(*) FROM pg_stats WHERE schemaname = 'public' AND tablename = 'books'",
            DATABASE,
        );
        assert.ok(Number(stats) >= 10, `pg_stats has the columns of books (${stats.trim()})`);
    });

    it("reindex rebuilds every user index concurrently and leaves them all valid", async () => {
        const filenodes = async () =>
            (
                await pg.psql(
                    "SELECT c.relname, pg_relation_filenode(c.oid) FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid " +
                        "JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public' ORDER BY 1",
                    DATABASE,
                )
            )
                .trim()
                .split("\n")
                .map((l) => l.split("|"));
        const before = await filenodes();
        assert.equal(before.length, 10, "the seeded schema has ten indexes");
        const result = await maintenance("reindex");
        assert.equal(result.code, 0, describeRun(result));
        assert.equal(result.status?.status, "ok");
        const after = await filenodes();
        assert.deepEqual(
            after.map(([name]) => name),
            before.map(([name]) => name),
            "no index added or lost",
        );
        after.forEach(([name, node], i) => assert.notEqual(node, before[i][1], `${name} was rebuilt`));
        const invalid = await pg.psql("SELECT count(*) FROM pg_index WHERE NOT indisvalid", DATABASE);
        assert.equal(invalid.trim(), "0");
    });

    it("reindex fails (exit 1, status=failed) when an index cannot be rebuilt", async () => {
        await pg.psql(`CREATE DATABASE broken_index OWNER ${db.database}_migrator`);
        try {
            const migrator = `${db.database}_migrator_a`;
            await db.psqlAs(
                migrator,
                "CREATE TABLE shelf (isbn text); INSERT INTO shelf VALUES ('9780000000001'), ('9780000000001');",
                "broken_index",
            );
            await assert.rejects(
                db.psqlAs(migrator, "CREATE UNIQUE INDEX CONCURRENTLY shelf_isbn_key ON shelf (isbn)", "broken_index"),
            );
            const result = await maintenance("reindex", {}, "broken_index");
            assert.equal(result.code, 1, describeRun(result));
            assert.equal(result.status?.status, "failed");
            assert.match(result.stderr, /shelf_isbn_key|duplicate key/);
        } finally {
            await pg.psql("DROP DATABASE broken_index WITH (FORCE)");
        }
    });

    it("slow-query-report lists the top statements by total_exec_time with calls, mean time and rows", async () => {
        await pg.psql("SELECT pg_stat_statements_reset()", DATABASE);
        const workload = [
            "SELECT b.title, count(*) FROM books b JOIN loans l ON l.book_id = b.id GROUP BY b.title ORDER BY 2 DESC;",
            "SELECT u.city, count(*) FROM users u JOIN loans l ON l.borrower_id = u.id GROUP BY u.city;",
            "SELECT * FROM books WHERE owner_id = 7;",
        ];
        // a workload from a login other than the report's (the app has no grants in this database of the tests)
        for (let i = 0; i < 5; i++) await db.psqlAs(`${db.database}_migrator_b`, workload.join("\n"), DATABASE);
        const result = await maintenance("slow-query-report", { SLOW_QUERY_LIMIT: "5", MAINTENANCE_OUTPUT: "csv" });
        assert.equal(result.code, 0, describeRun(result));
        const csv = result.stdout
            .split("\n")
            .filter((l) => !l.startsWith("ts="))
            .join("\n");
        const [header, ...rows] = parseCsv(csv).filter((r) => r.length > 1);
        assert.deepEqual(header, ["queryid", "calls", "total_exec_ms", "mean_exec_ms", "rows", "cache_hit_pct", "query"]);
        assert.ok(rows.length > 0 && rows.length <= 5, `between 1 and 5 rows, got ${rows.length}`);
        const totals = rows.map((r) => Number(r[2]));
        assert.deepEqual(
            totals,
            [...totals].sort((a, b) => b - a),
            "ordered by total_exec_time, largest first",
        );
        const join = rows.find((r) => r[6].startsWith("SELECT b.title, count(*) FROM books b JOIN loans l"));
        assert.ok(join, `the join of books and loans is reported:\n${csv}`);
        assert.equal(join[1], "5", "calls");
        const perCall = await pg.psql(`SELECT count(*) FROM (${workload[0].replace(/;$/, "")}) AS q`, DATABASE);
        assert.equal(join[4], String(5 * Number(perCall)), "rows returned over five calls");
        assert.ok(Math.abs(Number(join[3]) - Number(join[2]) / 5) < 0.02, "mean = total / calls");
    });

    it("slow-query-report uses a default limit of 20 and prints a table by default", async () => {
        const result = await maintenance("slow-query-report");
        assert.equal(result.code, 0, describeRun(result));
        assert.match(result.stdout, /queryid +\| +calls +\| +total_exec_ms +\| +mean_exec_ms +\| +rows +\|/);
        const count = /\((\d+) rows?\)/.exec(result.stdout);
        assert.ok(count && Number(count[1]) >= 1 && Number(count[1]) <= 20, result.stdout);
    });

    it("slow-query-report fails clearly when the extension is not installed in the database", async () => {
        await pg.psql("CREATE DATABASE without_pgss TEMPLATE template0");
        try {
            const result = await maintenance("slow-query-report", {}, "without_pgss");
            assert.equal(result.code, 1, describeRun(result));
            assert.equal(result.status?.status, "failed");
            assert.match(result.stderr, /pg_stat_statements is not installed in database without_pgss/);
            assert.match(result.stderr, /CREATE EXTENSION pg_stat_statements/);
        } finally {
            await pg.psql("DROP DATABASE without_pgss");
        }
    });

    it("rejects unknown tasks and invalid settings with exit code 2", async () => {
        for (const [task, extra] of [
            ["", {}],
            ["drop-everything", {}],
            ["../analyze", {}],
            ["slow-query-report", { SLOW_QUERY_LIMIT: "1; DROP TABLE users" }],
            ["slow-query-report", { MAINTENANCE_OUTPUT: "html" }],
        ] as [string, Record<string, string>][]) {
            const result = await maintenance(task, extra);
            assert.equal(result.code, 2, `${task} ${JSON.stringify(extra)}: ${describeRun(result)}`);
            assert.equal(result.status?.status, "failed");
        }
        assert.equal((await pg.psql("SELECT count(*) FROM users", DATABASE)).trim(), "200");
    });

    describe("MNT-1 slow-query report on a server without pg_stat_statements preloaded", () => {
        let plain: TestPostgres;
        before(async () => {
            plain = await startPostgres();
            await plain.psql("CREATE EXTENSION pg_stat_statements");
        });
        after(async () => {
            if (plain) await plain.stop();
        });

        it("fails with the server's explanation that the library must be preloaded", async () => {
            const result = await runJob("maintenance.sh", ["slow-query-report"], plain.env({ PGDATABASE: "postgres" }));
            assert.equal(result.code, 1, describeRun(result));
            assert.equal(result.status?.status, "failed");
            assert.match(result.stderr, /pg_stat_statements must be loaded via "?shared_preload_libraries"?/);
        });
    });
});
