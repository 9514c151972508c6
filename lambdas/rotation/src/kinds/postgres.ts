/**
 * Rotation of a PostgreSQL login role's password (SEC-1, SEC-8, DB-3). Every login role changes only its
 * own password, so the function never needs the master credentials.
 *
 * Strategy `alternating` (the roles the stack declares): two login roles `users` belong to one NOLOGIN
 * group role. createSecret names the login that AWSCURRENT does not name, with a new password. setSecret
 * signs in as that inactive login with its last password (the AWSPREVIOUS version; before the first
 * rotation both logins share the initial password of AWSCURRENT), leaves the group role its session
 * assumed (SET ROLE NONE) and sets the new password. The login in use is untouched, so clients holding
 * AWSCURRENT keep connecting until the rotation after next.
 * Strategy `single`: setSecret connects as the one role with the AWSCURRENT password and changes it;
 * clients still holding the old password are refused from then on.
 * In both, when the pending password is already accepted, an earlier attempt finished the change.
 * testSecret logs in with the AWSPENDING password, checks the session user and, with a groupRole, that
 * the session runs as the group role (so what it creates belongs to the group).
 *
 * Connections use TLS by default (`sslmode` verify-full against the RDS CA bundle; `require` encrypts
 * without checking the certificate); `disable` is refused unless the function runs with
 * ROTATION_ALLOW_PLAINTEXT_DB=true, which only the test suite sets.
 */
import { readFileSync } from "node:fs";
import type { ConnectionOptions } from "node:tls";
import { Client, escapeIdentifier, escapeLiteral } from "pg";
import { randomPassword, type StepContext } from "../context";
import { StepFailure, describeCause } from "../errors";
import { scramSha256Verifier } from "../scram";
import type { PostgresUserSecret } from "../secret";

/**
 * Characters left out of generated passwords: quotes, backslash and the delimiters of libpq URIs and
 * keyword strings (/ @ : ? # [ ] % & = + , ; and braces), plus shell metacharacters, so a password can
 * be pasted into a DSN or an environment variable unchanged.
 */
export const PG_EXCLUDED_CHARACTERS = "\"'`\\/@:;?#[]%&=+,{}|<>()^~$!* ";

/** SQLSTATEs of a refused login: invalid_password, invalid_authorization_specification. */
const AUTH_FAILURES = new Set(["28P01", "28000"]);

/** The TLS options for a connection, from the secret's sslmode and the function's settings. */
export function tlsOptions(ctx: StepContext, secret: PostgresUserSecret): false | ConnectionOptions {
    switch (secret.sslmode) {
        case "disable":
            if (!ctx.deps.postgres.allowPlaintext) {
                throw new StepFailure("sslmode disable is refused: passwords would cross the network in clear text");
            }
            return false;
        case "require":
            return { rejectUnauthorized: false };
        case "verify-full": {
            let ca: string;
            try {
                ca = readFileSync(ctx.deps.postgres.caBundlePath, "utf8");
            } catch {
                throw new StepFailure(`sslmode verify-full needs the CA bundle at ${ctx.deps.postgres.caBundlePath}`);
            }
            return { rejectUnauthorized: true, ca, servername: secret.host };
        }
    }
}

/** Opens a connection as the secret's role; the caller ends it. */
async function connect(ctx: StepContext, secret: PostgresUserSecret): Promise<Client> {
    const client = new Client({
        host: secret.host,
        port: secret.port,
        database: secret.dbname,
        user: secret.username,
        password: secret.password,
        ssl: tlsOptions(ctx, secret),
        connectionTimeoutMillis: ctx.deps.postgres.timeoutMs,
        query_timeout: ctx.deps.postgres.timeoutMs,
        statement_timeout: ctx.deps.postgres.timeoutMs,
        application_name: "bookbuddy-secret-rotation",
    });
    // An idle-connection error after the step has finished must not crash the process.
    client.on("error", (error) => ctx.log.warn("connection error", { errorName: error.name }));
    await client.connect();
    return client;
}

/** Whether `error` is PostgreSQL refusing the credentials. */
function isAuthFailure(error: unknown): boolean {
    const code = (error as { code?: unknown } | undefined)?.code;
    return typeof code === "string" && AUTH_FAILURES.has(code);
}

/** Runs `work` on a connection as the secret's role and always closes it. */
async function withConnection<T>(ctx: StepContext, secret: PostgresUserSecret, work: (client: Client) => Promise<T>): Promise<T> {
    const client = await connect(ctx, secret);
    try {
        return await work(client);
    } finally {
        await client.end().catch(() => undefined);
    }
}

/**
 * The fields that say which server and role; AWSPENDING may differ from AWSCURRENT only in the password,
 * and with alternating users in the username, which must then be the other of the two logins.
 */
function sameTarget(a: PostgresUserSecret, b: PostgresUserSecret): boolean {
    const server =
        a.host === b.host && a.port === b.port && a.dbname === b.dbname && a.sslmode === b.sslmode && a.strategy === b.strategy;
    if (!server) return false;
    if (a.strategy !== "alternating") return a.username === b.username;
    return a.groupRole === b.groupRole && b.username === otherUser(a) && JSON.stringify(a.users) === JSON.stringify(b.users);
}

/** The login of an alternating pair that `secret` does not name. */
function otherUser(secret: PostgresUserSecret): string {
    const users = secret.users;
    if (!users) throw new StepFailure("the alternating strategy needs the two login roles in field users");
    return users[0] === secret.username ? users[1] : users[0];
}

/** createSecret: the current connection details with a new password (alternating: for the other login). */
export async function createPostgres(
    ctx: StepContext,
    current: PostgresUserSecret,
    raw: Record<string, unknown>,
): Promise<Record<string, unknown>> {
    const password = await randomPassword(ctx, {
        PasswordLength: current.passwordLength,
        ExcludeCharacters: PG_EXCLUDED_CHARACTERS,
        RequireEachIncludedType: true,
    });
    return current.strategy === "alternating" ? { ...raw, username: otherUser(current), password } : { ...raw, password };
}

/** Tries to connect with each candidate in turn; returns the first connection, or the last refusal. */
async function connectFirst(ctx: StepContext, candidates: PostgresUserSecret[]): Promise<{ client?: Client; refused?: unknown }> {
    let refused: unknown;
    for (const candidate of candidates) {
        try {
            return { client: await connect(ctx, candidate) };
        } catch (error) {
            if (!isAuthFailure(error)) {
                const cause = describeCause(error);
                throw new StepFailure(
                    `cannot connect as ${candidate.username} to ${candidate.host}:${candidate.port}/${candidate.dbname}: ${cause.message}`,
                    cause.name,
                    cause.code,
                );
            }
            refused = error;
        }
    }
    return { refused };
}

/**
 * setSecret: ALTER ROLE as the role itself. Single: signs in with the AWSCURRENT password. Alternating:
 * signs in as the pending (inactive) login with AWSPREVIOUS's password when that version names it, else
 * with AWSCURRENT's (both logins start with the same password).
 */
export async function setPostgres(
    ctx: StepContext,
    current: PostgresUserSecret,
    pending: PostgresUserSecret,
    previous?: PostgresUserSecret,
): Promise<void> {
    if (!sameTarget(current, pending)) {
        throw new StepFailure(
            current.strategy === "alternating"
                ? "AWSPENDING must name the other login of users on the same server, database, group role and sslmode as AWSCURRENT"
                : "AWSPENDING names a different server, database, role or sslmode than AWSCURRENT",
        );
    }
    // PostgreSQL takes no bind parameters in ALTER ROLE: the role is quoted as an identifier and the
    // SCRAM verifier (never the plaintext password) as a literal.
    const statement = `ALTER ROLE ${escapeIdentifier(pending.username)} WITH PASSWORD ${escapeLiteral(scramSha256Verifier(pending.password))}`;
    const candidates: PostgresUserSecret[] = [];
    if (current.strategy === "alternating") {
        if (previous && previous.username === pending.username) candidates.push({ ...pending, password: previous.password });
        candidates.push({ ...pending, password: current.password });
    } else {
        candidates.push(current);
    }
    const { client, refused } = await connectFirst(ctx, candidates);
    if (!client) {
        // Every known old password is refused: if the pending one works, an earlier attempt already set it.
        try {
            await withConnection(ctx, pending, (c) => c.query("SELECT 1"));
        } catch (pendingError) {
            const cause = describeCause(pendingError ?? refused);
            throw new StepFailure(
                `neither the ${current.strategy === "alternating" ? "previous" : "AWSCURRENT"} nor the AWSPENDING password of ${pending.username} is accepted by ${current.host}:${current.port}`,
                cause.name,
                cause.code,
            );
        }
        ctx.log.info("the pending password is already in effect", { role: pending.username });
        return;
    }
    try {
        // A login that assumes its group role at sign-in (ALTER ROLE ... SET ROLE) must be itself again to
        // change its own password. SET ROLE NONE, not RESET ROLE: RESET returns to the role's own default,
        // which is that very group role.
        await client.query("SET ROLE NONE");
        await client.query(statement);
    } catch (error) {
        const cause = describeCause(error);
        throw new StepFailure(`ALTER ROLE ${pending.username} failed: ${cause.message}`, cause.name, cause.code);
    } finally {
        await client.end().catch(() => undefined);
    }
    ctx.log.info("password changed in PostgreSQL", {
        role: pending.username,
        host: current.host,
        dbname: current.dbname,
        strategy: current.strategy,
    });
}

/** testSecret: log in with the pending password and run a query as the role. */
export async function testPostgres(ctx: StepContext, pending: PostgresUserSecret): Promise<void> {
    let row: { session: string; effective: string } | undefined;
    try {
        row = await withConnection(
            ctx,
            pending,
            async (c) =>
                (
                    await c.query<{ session: string; effective: string }>(
                        "SELECT session_user AS session, current_user AS effective",
                    )
                ).rows[0],
        );
    } catch (error) {
        const cause = describeCause(error);
        throw new StepFailure(
            `login as ${pending.username} with the AWSPENDING password failed: ${cause.message}`,
            cause.name,
            cause.code,
        );
    }
    if (row?.session !== pending.username) {
        throw new StepFailure(`the pending login runs as ${String(row?.session)}, expected ${pending.username}`);
    }
    const expected = pending.groupRole ?? pending.username;
    if (row.effective !== expected) {
        throw new StepFailure(
            `the pending login's sessions run as ${String(row.effective)}, expected ${expected} (ALTER ROLE ... SET ROLE)`,
        );
    }
    ctx.log.info("pending password accepted", { role: pending.username });
}
