/**
 * Single-user rotation of a PostgreSQL login role's password (SEC-1, DB-3): the app read-write,
 * read-only and migration roles each rotate themselves, so the function never needs the master
 * credentials.
 *
 * createSecret draws a password without characters that break connection strings. setSecret connects
 * as the role with the AWSCURRENT password and sets the new one with ALTER ROLE; when the current
 * password is refused but the pending one is accepted, an earlier attempt already finished the change.
 * testSecret logs in with the AWSPENDING password and runs a query.
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

/** The fields that say which role on which server; AWSPENDING may differ from AWSCURRENT only in the password. */
function sameTarget(a: PostgresUserSecret, b: PostgresUserSecret): boolean {
  return a.host === b.host && a.port === b.port && a.dbname === b.dbname && a.username === b.username && a.sslmode === b.sslmode;
}

/** createSecret: the current connection details with a new password. */
export async function createPostgres(ctx: StepContext, current: PostgresUserSecret, raw: Record<string, unknown>): Promise<Record<string, unknown>> {
  const password = await randomPassword(ctx, {
    PasswordLength: current.passwordLength,
    ExcludeCharacters: PG_EXCLUDED_CHARACTERS,
    RequireEachIncludedType: true,
  });
  return { ...raw, password };
}

/** setSecret: ALTER ROLE as the role itself, with the current password. */
export async function setPostgres(ctx: StepContext, current: PostgresUserSecret, pending: PostgresUserSecret): Promise<void> {
  if (!sameTarget(current, pending)) {
    throw new StepFailure("AWSPENDING names a different server, database, role or sslmode than AWSCURRENT");
  }
  // PostgreSQL takes no bind parameters in ALTER ROLE: the role is quoted as an identifier and the
  // SCRAM verifier (never the plaintext password) as a literal.
  const statement = `ALTER ROLE ${escapeIdentifier(pending.username)} WITH PASSWORD ${escapeLiteral(scramSha256Verifier(pending.password))}`;
  let client: Client;
  try {
    client = await connect(ctx, current);
  } catch (error) {
    if (!isAuthFailure(error)) {
      const cause = describeCause(error);
      throw new StepFailure(`cannot connect as ${current.username} to ${current.host}:${current.port}/${current.dbname}: ${cause.message}`, cause.name, cause.code);
    }
    // The current password is refused: if the pending one works, an earlier attempt already set it.
    try {
      await withConnection(ctx, pending, (c) => c.query("SELECT 1"));
    } catch (pendingError) {
      const cause = describeCause(pendingError);
      throw new StepFailure(
        `neither the AWSCURRENT nor the AWSPENDING password of ${current.username} is accepted by ${current.host}:${current.port}`,
        cause.name,
        cause.code,
      );
    }
    ctx.log.info("the pending password is already in effect", { role: current.username });
    return;
  }
  try {
    await client.query(statement);
  } catch (error) {
    const cause = describeCause(error);
    throw new StepFailure(`ALTER ROLE ${current.username} failed: ${cause.message}`, cause.name, cause.code);
  } finally {
    await client.end().catch(() => undefined);
  }
  ctx.log.info("password changed in PostgreSQL", { role: current.username, host: current.host, dbname: current.dbname });
}

/** testSecret: log in with the pending password and run a query as the role. */
export async function testPostgres(ctx: StepContext, pending: PostgresUserSecret): Promise<void> {
  let user: unknown;
  try {
    user = await withConnection(ctx, pending, async (c) => (await c.query<{ user: string }>("SELECT current_user AS user")).rows[0]?.user);
  } catch (error) {
    const cause = describeCause(error);
    throw new StepFailure(`login as ${pending.username} with the AWSPENDING password failed: ${cause.message}`, cause.name, cause.code);
  }
  if (user !== pending.username) {
    throw new StepFailure(`the pending login runs as ${String(user)}, expected ${pending.username}`);
  }
  ctx.log.info("pending password accepted", { role: pending.username });
}
