/**
 * A test PostgreSQL configured as the prod stack deploys it (DB-1, DB-2, DB-3, BKP-2, MNT-1, SEC-1, SEC-8).
 *
 * Built from the offline render of the prod stack (tests/support/plan.ts), never from a copy of its values:
 * 1. The server starts with the settings of the rendered aws:rds/parameterGroup:ParameterGroup that apply
 *    outside RDS (rds.* parameters exist only on RDS and are skipped with the reason listed in
 *    RDS_ONLY_PARAMETERS; an unlisted rds.* parameter fails the start). shared_preload_libraries comes from
 *    the parameter group too, so pg_stat_statements is preloaded as on RDS.
 * 2. RDS is emulated where it differs from a plain server: the harness superuser stands in for `rdsadmin`
 *    (it only does what RDS does itself: create rds_superuser and rds_iam, create the master user, and
 *    install pg_stat_statements in template1, which RDS lets rds_superuser do). The master user of the
 *    rendered aws:rds/instance:Instance is NOT a superuser: LOGIN CREATEROLE CREATEDB, member of
 *    rds_superuser, exactly its situation on RDS.
 * 3. components/postgres/sql/bootstrap.sql runs as the master user, as the bootstrap Job does.
 * 4. Every rendered `postgresql:*` resource is applied as `pulumi_admin` (not a superuser) with the SQL the
 *    @pulumi/postgresql provider (terraform-provider-postgresql v1.26) sends: CREATE ROLE ... WITH
 *    [ENCRYPTED] PASSWORD '...' VALID UNTIL 'infinity' CONNECTION LIMIT n <flags>, then GRANT <roles>,
 *    ALTER ROLE ... SET statement_timeout / idle_in_transaction_session_timeout / ROLE; CREATE DATABASE
 *    ... OWNER with the owner granted to the provider's user for the statement; CREATE EXTENSION IF NOT
 *    EXISTS; grants as REVOKE ALL then GRANT ... ON DATABASE / SCHEMA / ALL TABLES|SEQUENCES IN SCHEMA,
 *    with the object owners granted for the transaction (getRolesToGrant/withRolesGranted); ALTER DEFAULT
 *    PRIVILEGES FOR ROLE <owner> IN SCHEMA ... GRANT ... ON TABLES|SEQUENCES; GRANT <role> TO <member>.
 *    On RDS pulumi_admin signs in with an IAM token; here it gets a throw-away password instead.
 * 5. pg_hba.conf: only the harness superuser is trusted; every other role must present its password
 *    (scram-sha-256), so a wrong or rotated-away password is refused as on RDS.
 *
 * Every password is generated per run (SEC-2) and set with a SCRAM verifier, never in clear.
 * One server per test process is shared by the specs (sharedDeployedPostgres) to keep the suite fast.
 */
import { randomBytes } from "crypto";
import * as path from "path";
import { Client } from "pg";
import { scramSha256Verifier } from "../../lambdas/rotation/src/scram";
import { PlanDocument, PlanResourceState } from "../../tools/plan/types";
import { nameOf, ofType, renderedStack, resources } from "./plan";
import { startPostgres, TestPostgres } from "./postgres";

/** Parameters of the RDS parameter group that exist only on RDS, and why the test server leaves them out. */
export const RDS_ONLY_PARAMETERS: Record<string, string> = {
    "rds.force_ssl":
        "RDS-only parameter; the test server listens on 127.0.0.1 without a certificate, the rendered clients' " +
        "sslmode=verify-full is checked on the rendered CronJobs, Deployment and rotation secrets instead",
};

/** The role that manages the in-database objects with @pulumi/postgresql (bootstrap.sql creates it). */
export const PROVIDER_ROLE = "pulumi_admin";

export interface DeployedPostgres {
    pg: TestPostgres;
    /** The rendered stack the server was built from. */
    stack: string;
    /** The application database (rendered postgresql Database). */
    database: string;
    /** The RDS master user (not a superuser) and its throw-away password. */
    master: { username: string; password: string };
    /** Throw-away passwords of every login role the provider created with a password, by role name. */
    passwords: Record<string, string>;
    /** Settings applied from the parameter group, and the parameters skipped with their reason. */
    applied: Record<string, string>;
    skipped: { name: string; reason: string }[];
    /** Every SQL statement sent to apply the rendered postgresql resources, in order. */
    providerStatements: string[];
    /** libpq environment for a job running as `role` (PGUSER/PGPASSWORD of that role, no superuser). */
    envAs(role: string, extra?: Record<string, string>): NodeJS.ProcessEnv;
    /** Runs SQL as `role` through psql (ON_ERROR_STOP, -A -t). */
    psqlAs(role: string, sql: string, database?: string): Promise<string>;
    /** A connected pg client as `role` (the caller ends it). */
    clientAs(role: string, database?: string, password?: string): Promise<Client>;
}

/** A throw-away password: letters and digits only, 32 characters (SEC-2: generated per run, never in the repo). */
export function throwAwayPassword(): string {
    return randomBytes(24)
        .toString("base64")
        .replace(/[^A-Za-z0-9]/g, "")
        .padEnd(32, "x")
        .slice(0, 32);
}

const quoteIdent = (name: string): string => `"${name.replace(/"/g, '""')}"`;
const quoteLiteral = (value: string): string => `'${value.replace(/'/g, "''")}'`;

/** The server settings of the rendered parameter group, and the RDS-only parameters left out (with reasons). */
export function parameterGroupSettings(doc: PlanDocument): {
    settings: Record<string, string>;
    skipped: { name: string; reason: string }[];
} {
    const groups = ofType(doc, "aws:rds/parameterGroup:ParameterGroup");
    if (groups.length !== 1) throw new Error(`expected one rendered RDS parameter group, found ${groups.length}`);
    const parameters = (groups[0].inputs.parameters ?? []) as { name: string; value: string }[];
    const settings: Record<string, string> = {};
    const skipped: { name: string; reason: string }[] = [];
    for (const p of parameters) {
        if (p.name.startsWith("rds.")) {
            const reason = RDS_ONLY_PARAMETERS[p.name];
            if (!reason)
                throw new Error(
                    `parameter group sets ${p.name}: an RDS-only parameter without a listed reason in RDS_ONLY_PARAMETERS`,
                );
            skipped.push({ name: p.name, reason });
            continue;
        }
        settings[p.name] = p.value;
    }
    return { settings, skipped };
}

type Inputs = Record<string, any>;

/** Statements of a postgresql:index/role:Role create, in the provider's order. */
function roleStatements(i: Inputs, password: string | undefined): string[] {
    const opts: string[] = [];
    if (password !== undefined)
        opts.push(i.encryptedPassword === false ? "UNENCRYPTED" : "ENCRYPTED", `PASSWORD ${quoteLiteral(password)}`);
    opts.push(`VALID UNTIL ${quoteLiteral(i.validUntil && i.validUntil !== "infinity" ? i.validUntil : "infinity")}`);
    opts.push(`CONNECTION LIMIT ${i.connectionLimit ?? -1}`);
    const flag = (value: unknown, on: string, off: string, fallback = false) => ((value ?? fallback) ? on : off);
    opts.push(
        flag(i.superuser, "SUPERUSER", "NOSUPERUSER"),
        flag(i.createDatabase, "CREATEDB", "NOCREATEDB"),
        flag(i.createRole, "CREATEROLE", "NOCREATEROLE"),
        flag(i.inherit, "INHERIT", "NOINHERIT", true),
        flag(i.login, "LOGIN", "NOLOGIN"),
        flag(i.bypassRowLevelSecurity, "BYPASSRLS", "NOBYPASSRLS"),
        flag(i.replication, "REPLICATION", "NOREPLICATION"),
    );
    const name = quoteIdent(i.name);
    const out = [`CREATE ROLE ${name} WITH ${opts.join(" ")}`];
    for (const member of (i.roles ?? []) as string[]) out.push(`GRANT ${quoteIdent(member)} TO ${name}`);
    if (i.statementTimeout) out.push(`ALTER ROLE ${name} SET statement_timeout TO ${Number(i.statementTimeout)}`);
    if (i.idleInTransactionSessionTimeout)
        out.push(`ALTER ROLE ${name} SET idle_in_transaction_session_timeout TO ${Number(i.idleInTransactionSessionTimeout)}`);
    if (i.assumeRole) out.push(`ALTER ROLE ${name} SET ROLE TO ${quoteIdent(i.assumeRole)}`);
    return out;
}

const GRANT_OBJECTS: Record<string, string> = { table: "TABLE", sequence: "SEQUENCE", function: "FUNCTION" };

/** Statements of a postgresql:index/grant:Grant (REVOKE ALL, then GRANT), without the owner grants. */
function grantStatements(i: Inputs): string[] {
    const role = i.role === "public" ? "PUBLIC" : quoteIdent(i.role);
    const privileges = ((i.privileges ?? []) as string[]).join(",");
    switch (i.objectType) {
        case "database":
            return [
                `REVOKE ALL PRIVILEGES ON DATABASE ${quoteIdent(i.database)} FROM ${role}`,
                ...(privileges ? [`GRANT ${privileges} ON DATABASE ${quoteIdent(i.database)} TO ${role}`] : []),
            ];
        case "schema":
            return [
                `REVOKE ALL PRIVILEGES ON SCHEMA ${quoteIdent(i.schema)} FROM ${role}`,
                ...(privileges ? [`GRANT ${privileges} ON SCHEMA ${quoteIdent(i.schema)} TO ${role}`] : []),
            ];
        default: {
            const kind = GRANT_OBJECTS[i.objectType];
            if (!kind) throw new Error(`grant object type ${i.objectType} is not emulated`);
            if ((i.objects ?? []).length) throw new Error("grants on named objects are not emulated");
            return [
                `REVOKE ALL PRIVILEGES ON ALL ${kind}S IN SCHEMA ${quoteIdent(i.schema)} FROM ${role}`,
                ...(privileges ? [`GRANT ${privileges} ON ALL ${kind}S IN SCHEMA ${quoteIdent(i.schema)} TO ${role}`] : []),
            ];
        }
    }
}

function defaultPrivilegeStatements(i: Inputs): string[] {
    const kind = GRANT_OBJECTS[i.objectType];
    if (!kind) throw new Error(`default privileges on ${i.objectType} are not emulated`);
    const inSchema = i.schema ? ` IN SCHEMA ${quoteIdent(i.schema)}` : "";
    const head = `ALTER DEFAULT PRIVILEGES FOR ROLE ${quoteIdent(i.owner)}${inSchema}`;
    return [
        `${head} REVOKE ALL ON ${kind}S FROM ${quoteIdent(i.role)}`,
        `${head} GRANT ${(i.privileges as string[]).join(",")} ON ${kind}S TO ${quoteIdent(i.role)}`,
    ];
}

/** Login roles first need the roles they are members of: order roles so that members come after groups. */
function orderRoles<T extends PlanResourceState & { inputs: Inputs }>(roles: T[]): T[] {
    const byName = new Map(roles.map((r) => [r.inputs.name as string, r]));
    const done = new Set<string>();
    const out: T[] = [];
    const visit = (r: T, depth = 0): void => {
        const name = r.inputs.name as string;
        if (done.has(name)) return;
        if (depth > roles.length) throw new Error("cyclic role membership in the rendered roles");
        for (const g of (r.inputs.roles ?? []) as string[]) {
            const group = byName.get(g);
            if (group) visit(group, depth + 1);
        }
        done.add(name);
        out.push(r);
    };
    roles.forEach((r) => visit(r));
    return out;
}

/**
 * The password value the component hands to the provider for a login role, given the throw-away password
 * the harness drew for the role's RandomPassword. Set by the component module (see `providerPasswordOf`).
 */
export type ProviderPassword = (plaintext: string, roleName: string) => string;

/** Starts a server as the stack deploys it (see the file comment). */
export async function startDeployedPostgres(
    options: { stack?: string; settings?: Record<string, string>; providerPassword?: ProviderPassword } = {},
): Promise<DeployedPostgres> {
    const stack = options.stack ?? "prod";
    const doc = await renderedStack(stack);
    const { settings, skipped } = parameterGroupSettings(doc);
    const { shared_preload_libraries: preload, ...rest } = { ...settings, ...(options.settings ?? {}) };
    const instance = one(doc, "aws:rds/instance:Instance");
    const masterName = String(instance.inputs.username ?? "");
    if (!masterName) throw new Error("the rendered RDS instance has no master user name");

    const pg = await startPostgres({
        sharedPreloadLibraries: preload ? preload.split(",").map((s) => s.trim()) : [],
        settings: { ...rest, password_encryption: "scram-sha-256" },
        hba: ["local all postgres trust", "host all postgres 127.0.0.1/32 trust", "host all all 127.0.0.1/32 scram-sha-256"],
    });
    // The provider keeps a pool of connections per database and runs each resource's transaction on one of
    // them: one session per database here too, instead of a sign-in per resource (QA-2). All end below,
    // whether the provider's work succeeds or not.
    const providerSessions = new Map<string, Promise<Client>>();
    const endProviderSessions = async (): Promise<void> => {
        for (const session of providerSessions.values()) await session.then((c) => c.end()).catch(() => undefined);
        providerSessions.clear();
    };
    try {
        const master = { username: masterName, password: throwAwayPassword() };
        const adminPassword = throwAwayPassword();
        // What RDS itself does (the harness superuser plays rdsadmin).
        await pg.psql(`
            CREATE ROLE rds_superuser NOLOGIN;
            CREATE ROLE rds_iam NOLOGIN;
            GRANT pg_monitor, pg_signal_backend, pg_read_all_stats, pg_stat_scan_tables, pg_checkpoint TO rds_superuser WITH ADMIN OPTION;
            CREATE ROLE ${quoteIdent(masterName)} WITH LOGIN CREATEROLE CREATEDB NOSUPERUSER PASSWORD ${quoteLiteral(scramSha256Verifier(master.password))} IN ROLE rds_superuser;
            GRANT rds_iam TO ${quoteIdent(masterName)} WITH ADMIN OPTION;
        `);
        await pg.psql("CREATE EXTENSION IF NOT EXISTS pg_stat_statements", "template1");

        const passwords: Record<string, string> = {};
        const providerStatements: string[] = [];
        const envAs = (role: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv => {
            const password = role === masterName ? master.password : role === PROVIDER_ROLE ? adminPassword : passwords[role];
            if (password === undefined) throw new Error(`no password known for role ${role}`);
            return pg.env({ PGUSER: role, PGPASSWORD: password, ...extra });
        };
        const clientAs = async (role: string, database = "postgres", password?: string): Promise<Client> => {
            const pw = password ?? String(envAs(role).PGPASSWORD);
            const client = new Client({
                host: pg.host,
                port: pg.port,
                user: role,
                password: pw,
                database,
                ssl: false,
                connectionTimeoutMillis: 10_000,
            });
            client.on("error", () => undefined);
            await client.connect();
            return client;
        };
        const psqlAs = async (role: string, sql: string, database = "postgres"): Promise<string> => {
            const { execFile } = await import("child_process");
            return new Promise((resolve, reject) => {
                const child = execFile(
                    `${pg.binDir}/psql`,
                    ["-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-d", database, "-f", "-"],
                    { env: envAs(role), maxBuffer: 64 * 1024 * 1024 },
                    (error, stdout, stderr) =>
                        error ? reject(new Error(`psql as ${role} failed: ${stderr || error.message}`)) : resolve(stdout),
                );
                child.stdin?.end(sql);
            });
        };

        // The bootstrap Job: components/postgres/sql/bootstrap.sql as the master user.
        const { BOOTSTRAP_SQL_PATH } = await import("../../components/postgres/roles");
        const fs = await import("fs");
        await psqlAs(masterName, fs.readFileSync(BOOTSTRAP_SQL_PATH, "utf8"));
        // On RDS pulumi_admin signs in with an IAM token; the harness gives it a throw-away password.
        await pg.psql(`ALTER ROLE ${PROVIDER_ROLE} PASSWORD ${quoteLiteral(scramSha256Verifier(adminPassword))}`);

        // The provider's work, as pulumi_admin.
        const exec = async (client: Client, statements: string[]): Promise<void> => {
            for (const sql of statements) {
                providerStatements.push(sql);
                await client.query(sql);
            }
        };
        const providerSession = (database: string): Promise<Client> => {
            let session = providerSessions.get(database);
            if (!session) {
                session = clientAs(PROVIDER_ROLE, database, adminPassword);
                providerSessions.set(database, session);
            }
            return session;
        };
        const inTransaction = async (database: string, owners: string[], statements: string[]): Promise<void> => {
            const client = await providerSession(database);
            try {
                await client.query("BEGIN");
                // withRolesGranted: the provider makes itself a member of the owners for the transaction.
                const granted: string[] = [];
                for (const owner of owners) {
                    const member = await client.query("SELECT pg_has_role(current_user, $1, 'MEMBER') AS m", [owner]);
                    if (!member.rows[0].m) {
                        await exec(client, [`GRANT ${quoteIdent(owner)} TO ${quoteIdent(PROVIDER_ROLE)}`]);
                        granted.push(owner);
                    }
                }
                await exec(client, statements);
                for (const owner of granted)
                    await exec(client, [`REVOKE ${quoteIdent(owner)} FROM ${quoteIdent(PROVIDER_ROLE)}`]);
                await client.query("COMMIT");
            } catch (error) {
                await client.query("ROLLBACK").catch(() => undefined);
                throw error;
            }
        };

        const provided = (type: string) =>
            resources(doc).filter((r) => r.type === `postgresql:index/${type}`) as (PlanResourceState & { inputs: Inputs })[];
        // What the component hands the provider for a password (components/postgres/roles.ts).
        const { providerPassword: componentPassword } = await import("../../components/postgres/roles");
        const providerPassword =
            options.providerPassword ?? ((plaintext: string) => componentPassword(plaintext, randomBytes(16)));
        // One throw-away plaintext per RandomPassword the role's password comes from (its property dependency).
        const drawn = new Map<string, string>();
        for (const role of orderRoles(provided("role:Role"))) {
            let password: string | undefined;
            if (role.inputs.password !== undefined) {
                const source = (role.propertyDependencies?.password ?? []).join(",") || nameOf(role);
                if (!drawn.has(source)) drawn.set(source, throwAwayPassword());
                password = drawn.get(source)!;
                passwords[role.inputs.name] = password;
            }
            await inTransaction(
                "postgres",
                [],
                roleStatements(role.inputs, password === undefined ? undefined : providerPassword(password, role.inputs.name)),
            );
        }
        for (const g of provided("grantRole:GrantRole")) {
            await inTransaction(
                "postgres",
                [],
                [
                    `GRANT ${quoteIdent(g.inputs.grantRole)} TO ${quoteIdent(g.inputs.role)}${g.inputs.withAdminOption ? " WITH ADMIN OPTION" : ""}`,
                ],
            );
        }
        const databases = provided("database:Database");
        if (databases.length !== 1) throw new Error(`expected one rendered postgresql Database, found ${databases.length}`);
        const db = databases[0].inputs;
        {
            // CREATE DATABASE cannot run in a transaction: the provider grants the owner around it.
            const client = await providerSession("postgres");
            const opts = [
                `OWNER ${quoteIdent(db.owner)}`,
                `TEMPLATE ${quoteIdent(db.template ?? "template0")}`,
                `ENCODING ${quoteLiteral(db.encoding ?? "UTF8")}`,
                `ALLOW_CONNECTIONS ${db.allowConnections === false ? "false" : "true"}`,
                `CONNECTION LIMIT ${db.connectionLimit ?? -1}`,
            ];
            // grantRoleMembership: only when not already a member, and revoked afterwards only then.
            const member = (await client.query("SELECT pg_has_role(current_user, $1, 'MEMBER') AS m", [db.owner])).rows[0]
                .m as boolean;
            if (!member) await exec(client, [`GRANT ${quoteIdent(db.owner)} TO ${quoteIdent(PROVIDER_ROLE)}`]);
            await exec(client, [`CREATE DATABASE ${quoteIdent(db.name)} ${opts.join(" ")}`]);
            if (!member) await exec(client, [`REVOKE ${quoteIdent(db.owner)} FROM ${quoteIdent(PROVIDER_ROLE)}`]);
        }
        for (const e of provided("extension:Extension")) {
            await inTransaction(
                e.inputs.database,
                [],
                [
                    `CREATE EXTENSION IF NOT EXISTS ${quoteIdent(e.inputs.name)}${e.inputs.schema ? ` SCHEMA ${quoteIdent(e.inputs.schema)}` : ""}`,
                ],
            );
        }
        const grants = provided("grant:Grant");
        const order = (g: { inputs: Inputs }) =>
            g.inputs.objectType === "database" ? 0 : g.inputs.objectType === "schema" ? 1 : 2;
        for (const g of [...grants].sort((a, b) => order(a) - order(b))) {
            // The schema (public: pg_database_owner, i.e. the database owner) and its tables' owners.
            const owners = g.inputs.objectType === "database" ? [] : [db.owner];
            await inTransaction(g.inputs.database, owners, grantStatements(g.inputs));
        }
        for (const d of provided("defaultPrivileges:DefaultPrivileges")) {
            await inTransaction(d.inputs.database, [d.inputs.owner], defaultPrivilegeStatements(d.inputs));
        }
        await endProviderSessions();

        return {
            pg,
            stack,
            database: db.name,
            master,
            passwords,
            applied: settings,
            skipped,
            providerStatements,
            envAs,
            psqlAs,
            clientAs,
        };
    } catch (error) {
        await endProviderSessions();
        await pg.stop().catch(() => undefined);
        throw error;
    }
}

function one(doc: PlanDocument, type: string): PlanResourceState {
    const found = ofType(doc, type);
    if (found.length !== 1) throw new Error(`expected one ${type} in the render, found ${found.length}`);
    return found[0];
}

let shared: Promise<DeployedPostgres> | undefined;

/**
 * The one deployed-configuration server of this test process, started on first use and stopped when the
 * process exits. Specs must leave it as they found it (their own tables and roles dropped).
 */
export function sharedDeployedPostgres(): Promise<DeployedPostgres> {
    shared ??= startDeployedPostgres();
    return shared;
}

/** The small Bookbuddy schema with data of the job tests (tests/jobs/fixtures/bookbuddy-seed.sql). */
export const SEED_SQL_PATH = path.join(__dirname, "..", "jobs", "fixtures", "bookbuddy-seed.sql");

let seeded: Promise<DeployedPostgres> | undefined;

/**
 * The shared server with the seed schema created by the migration role's first login, as the migration Job
 * does (so the tables belong to the migrator group and the default privileges apply), once per process.
 */
export function seededDeployedPostgres(): Promise<DeployedPostgres> {
    seeded ??= (async () => {
        const db = await sharedDeployedPostgres();
        const fs = await import("fs");
        await db.psqlAs(`${db.database}_migrator_a`, fs.readFileSync(SEED_SQL_PATH, "utf8"), db.database);
        return db;
    })();
    return seeded;
}

/** What a rendered database CronJob runs as: its plain env values that apply locally and its login role. */
export interface RenderedJob {
    /** PGOPTIONS, PGAPPNAME and the job's own settings, as rendered. */
    env: Record<string, string>;
    /** The login the job signs in with (`<group>_a` of the role its secret belongs to), or undefined. */
    login?: string;
    /** The Secrets Manager secret behind its credentials, or undefined when it has none. */
    secret?: string;
}

const LOCAL_ENV = new Set(["PGOPTIONS", "PGAPPNAME", "SLOW_QUERY_LIMIT", "RESTORE_CHECK_MAX_AGE_HOURS", "RESTORE_CHECK_JOBS"]);

/** Reads a rendered database CronJob of the prod stack (components/maintenance/jobs.ts). */
export async function renderedJob(job: string, database: string): Promise<RenderedJob> {
    const doc = await renderedStack("prod");
    const cron = ofType(doc, "kubernetes:batch/v1:CronJob").find((c) => (c.inputs as any).metadata?.name === job);
    if (!cron) throw new Error(`no rendered CronJob ${job}`);
    const container = (cron.inputs as any).spec.jobTemplate.spec.template.spec.containers[0];
    const env: Record<string, string> = {};
    for (const e of container.env ?? []) if (LOCAL_ENV.has(e.name) && typeof e.value === "string") env[e.name] = e.value;
    const secretName = (container.envFrom ?? []).map((e: any) => e.secretRef?.name).find(Boolean);
    if (!secretName) return { env };
    const external = ofType(doc, "kubernetes:external-secrets.io/v1:ExternalSecret").find(
        (e) =>
            (e.inputs as any).metadata?.namespace === (cron.inputs as any).metadata.namespace &&
            (e.inputs as any).spec.target.name === secretName,
    );
    if (!external) throw new Error(`CronJob ${job}: no ExternalSecret fills ${secretName}`);
    const spec = (external.inputs as any).spec;
    const remote: string = spec.dataFrom?.[0]?.extract?.key ?? spec.data?.[0]?.remoteRef?.key;
    const role = remote.split("/").pop()!;
    return { env, login: `${database}_${role}_a`, secret: remote };
}
