/**
 * DB-1, DB-2, DB-3, SEC-2: the shared test PostgreSQL is configured as the prod stack declares it
 * (tests/support/deployed-postgres.ts): the rendered parameter group's settings, pg_stat_statements
 * preloaded and installed, the master user without superuser, and the rendered @pulumi/postgresql roles,
 * grants and default privileges applied by the non-superuser provider role. And the server log, which RDS
 * exports to CloudWatch (enabledCloudwatchLogsExports: postgresql), holds no plaintext password.
 */
import { strict as assert } from "assert";
import { ofType, renderedStack } from "../support/plan";
import { DeployedPostgres, parameterGroupSettings, sharedDeployedPostgres } from "../support/deployed-postgres";

const sqlList = (values: string[]): string => values.map((v) => `'${v.replace(/'/g, "''")}'`).join(", ");

describe("DB-1 DB-2 DB-3 test PostgreSQL as deployed (rendered prod parameters, roles and grants)", function () {
    this.timeout(180_000);
    let db: DeployedPostgres;

    before(async () => {
        db = await sharedDeployedPostgres();
    });

    it("runs with every rendered parameter that applies outside RDS; rds.* parameters are skipped with a reason", async () => {
        const doc = await renderedStack("prod");
        const { settings, skipped } = parameterGroupSettings(doc);
        assert.ok(Object.keys(settings).length >= 8, "the parameter group sets the logging and timeout parameters");
        // one query for every parameter instead of two psql runs each (QA-2); each is still compared on its own
        const rows = await db.pg.psql(
            `SELECT name, setting, coalesce(unit, '') FROM pg_settings WHERE name IN (${sqlList(Object.keys(settings))})`,
        );
        const server = new Map(
            rows
                .trim()
                .split("\n")
                // name|setting|unit: a setting (log_line_prefix, say) may hold "|" itself
                .map((row) => [
                    row.slice(0, row.indexOf("|")),
                    { setting: row.slice(row.indexOf("|") + 1, row.lastIndexOf("|")), unit: row.slice(row.lastIndexOf("|") + 1) },
                ]),
        );
        for (const [name, value] of Object.entries(settings)) {
            assert.ok(server.has(name), `${name} is a setting of the server`);
            const { setting: shown, unit } = server.get(name)!;
            const expected = value === "1" && !unit && /^(on|off)$/.test(shown) ? "on" : value;
            assert.equal(shown, expected, `${name} (unit ${unit || "none"})`);
        }
        assert.equal((await db.pg.psql("SHOW idle_in_transaction_session_timeout")).trim(), "10min");
        assert.equal((await db.pg.psql("SHOW log_statement")).trim(), "ddl");
        assert.deepEqual(
            skipped.map((s) => s.name),
            ["rds.force_ssl"],
        );
        assert.ok(skipped.every((s) => s.reason.length > 20));
    });

    it("preloads pg_stat_statements and has it installed in the application database, as on RDS", async () => {
        assert.match((await db.pg.psql("SHOW shared_preload_libraries")).trim(), /\bpg_stat_statements\b/);
        assert.equal(
            (await db.pg.psql("SELECT extname FROM pg_extension WHERE extname = 'pg_stat_statements'", db.database)).trim(),
            "pg_stat_statements",
        );
        // usable: the view answers only when the library is preloaded
        await db.pg.psql("SELECT count(*) FROM pg_stat_statements", db.database);
    });

    it("the master user is not a superuser; the provider role is neither", async () => {
        const rows = await db.pg.psql(
            `SELECT rolname, rolsuper, rolcreaterole, rolcreatedb FROM pg_roles WHERE rolname IN ('${db.master.username}', 'pulumi_admin') ORDER BY 1`,
        );
        assert.deepEqual(rows.trim().split("\n"), [`${db.master.username}|f|t|t`, "pulumi_admin|f|t|t"].sort());
    });

    it("creates every rendered role with its attributes and nobody connects to the application database by default", async () => {
        const doc = await renderedStack("prod");
        const roles = ofType(doc, "postgresql:index/role:Role");
        // one query for every role instead of a psql run each (QA-2); each is still compared on its own
        const rows = await db.pg.psql(
            "SELECT rolname, rolcanlogin, rolsuper, rolcreatedb, rolconnlimit FROM pg_roles " +
                `WHERE rolname IN (${sqlList(roles.map((role) => String(role.inputs.name)))})`,
        );
        const server = new Map(
            rows
                .trim()
                .split("\n")
                .map((row) => [row.slice(0, row.indexOf("|")), row.slice(row.indexOf("|") + 1)]),
        );
        for (const role of roles) {
            assert.equal(
                server.get(String(role.inputs.name)),
                `${role.inputs.login ? "t" : "f"}|f|${role.inputs.createDatabase ? "t" : "f"}|${role.inputs.connectionLimit ?? -1}`,
                String(role.inputs.name),
            );
        }
        const publicConnect = (await db.pg.psql(`SELECT has_database_privilege('public', '${db.database}', 'CONNECT')`)).trim();
        assert.equal(publicConnect, "f", "PUBLIC's CONNECT is revoked");
    });
});

describe("SEC-2 no plaintext password in the exported server log (log_statement=ddl as rendered)", function () {
    this.timeout(180_000);

    it("applying the rendered roles as the provider does writes no login password into the server log", async () => {
        const db = await sharedDeployedPostgres();
        const log = db.pg.readLog();
        // The log really records the provider's DDL (log_statement=ddl), so the check below can fail.
        assert.match(log, /statement: CREATE ROLE "bookbuddy_/);
        const plaintexts = [...Object.values(db.passwords), db.master.password];
        assert.ok(Object.keys(db.passwords).length >= 3, "the login roles got passwords");
        for (const plaintext of plaintexts) {
            assert.ok(!log.includes(plaintext), "a plaintext password appears in the server log");
        }
        for (const [role] of Object.entries(db.passwords)) {
            // The roles still log in with the plaintext the secret carries.
            const client = await db.clientAs(role, "postgres");
            await client.end();
        }
    });
});
