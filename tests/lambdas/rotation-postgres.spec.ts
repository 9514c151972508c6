/**
 * The postgres-user rotation steps against a real PostgreSQL server started by the test run (SEC-1,
 * DB-3). Secrets Manager is mocked with aws-sdk-client-mock; the database is real: the role's password
 * really changes, the new one logs in, the old one is refused.
 *
 * The shared test server trusts every local login, which would accept any password; this spec rewrites
 * that throw-away server's pg_hba.conf so the test roles must authenticate with SCRAM-SHA-256 while the
 * superuser keeps its trusted access. The server offers no TLS, so the secrets use `sslmode: disable`
 * and the function runs with plaintext explicitly allowed (in AWS it is refused, see kinds/postgres.ts).
 */
import { randomBytes } from "node:crypto";
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import { GetRandomPasswordCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { mockClient } from "aws-sdk-client-mock";
import { Client } from "pg";
import { createHandler, RotationError } from "../../lambdas/rotation/src/index";
import { startPostgres, type TestPostgres } from "../support/postgres";
import {
    CURRENT_VERSION,
    SECRET_ARN,
    SecretState,
    TOKEN,
    assertNoSecretLogged,
    makeDeps,
    type SecretsMock,
} from "./rotation-fixtures";

/** A role name that must be quoted as an identifier (upper case, space, quotes). */
const ROLE = `Bookbuddy App "rw" o'neil`;
// Throw-away values generated per run: no password-like literal lives in the repository (SEC-2).
const OLD_PASSWORD = `old-${randomBytes(16).toString("hex")}`;
const WRONG_PASSWORD = `wrong-${randomBytes(16).toString("hex")}`;

async function login(pg: TestPostgres, user: string, password: string): Promise<string> {
    const client = new Client({
        host: pg.host,
        port: pg.port,
        database: "bookbuddy",
        user,
        password,
        ssl: false,
        connectionTimeoutMillis: 5000,
    });
    await client.connect();
    try {
        return (await client.query<{ user: string }>("SELECT current_user AS user")).rows[0]!.user;
    } finally {
        await client.end();
    }
}

async function loginRefused(pg: TestPostgres, user: string, password: string): Promise<void> {
    await assert.rejects(login(pg, user, password), (error: { code?: string }) => error.code === "28P01");
}

describe("SEC-1 DB-3 postgres-user rotation against a real PostgreSQL", function () {
    this.timeout(120_000);
    let pg: TestPostgres;
    let sm: SecretsMock;

    before(async () => {
        pg = await startPostgres();
        // Make password checks real for every role but the superuser.
        const hbaFile = (await pg.psql("SHOW hba_file")).trim();
        fs.writeFileSync(
            hbaFile,
            [
                "local all all trust",
                `host all ${pg.superuser} 127.0.0.1/32 trust`,
                "host all all 127.0.0.1/32 scram-sha-256",
                "",
            ].join("\n"),
        );
        await pg.psql("SELECT pg_reload_conf()");
        await pg.psql(`
      CREATE DATABASE bookbuddy;
      SET password_encryption = 'scram-sha-256';
      CREATE ROLE "Bookbuddy App ""rw"" o'neil" LOGIN PASSWORD '${OLD_PASSWORD}';
      GRANT CONNECT ON DATABASE bookbuddy TO "Bookbuddy App ""rw"" o'neil";
    `);
        // The reload is asynchronous: wait until a wrong password is refused.
        for (let attempt = 0; ; attempt++) {
            try {
                await login(pg, ROLE, "certainly-wrong");
            } catch (error) {
                if ((error as { code?: string }).code === "28P01") break;
                throw error;
            }
            if (attempt > 50) throw new Error("pg_hba.conf reload did not take effect");
            await new Promise((resolve) => setTimeout(resolve, 100));
        }
        sm = mockClient(SecretsManagerClient);
    });

    after(async () => {
        sm?.restore();
        await pg?.stop();
    });

    beforeEach(async () => {
        sm.reset();
        // Every test starts from the role's original password.
        await pg.psql(
            `SET password_encryption = 'scram-sha-256'; ALTER ROLE "Bookbuddy App ""rw"" o'neil" PASSWORD '${OLD_PASSWORD}';`,
        );
    });

    function secret(password: string): Record<string, unknown> {
        return {
            kind: "postgres-user",
            host: pg.host,
            port: pg.port,
            dbname: "bookbuddy",
            username: ROLE,
            password,
            sslmode: "disable",
        };
    }

    function deps() {
        return makeDeps({ postgres: { allowPlaintext: true, caBundlePath: "/nonexistent", timeoutMs: 5000 } });
    }

    function event(step: string) {
        return { SecretId: SECRET_ARN, ClientRequestToken: TOKEN, Step: step };
    }

    it("logs in with the old password before rotation", async () => {
        assert.equal(await login(pg, ROLE, OLD_PASSWORD), ROLE);
    });

    it("rotates the role's password: the new one logs in, the old one is refused, a retry is harmless", async () => {
        const state = new SecretState(sm, secret(OLD_PASSWORD));
        state.install();
        const { deps: d, lines } = deps();
        const run = createHandler(d);

        await run(event("createSecret"));
        const newPassword = String(state.json(TOKEN).password);
        assert.equal(newPassword.length, 32);
        assert.equal(sm.commandCalls(GetRandomPasswordCommand).length, 1);

        await run(event("setSecret"));
        assert.equal(await login(pg, ROLE, newPassword), ROLE);
        await loginRefused(pg, ROLE, OLD_PASSWORD);

        // The server stores the SCRAM verifier the function sent; the plaintext never crossed in SQL.
        const stored = (await pg.psql(`SELECT rolpassword FROM pg_authid WHERE rolname = '${ROLE.replace(/'/g, "''")}'`)).trim();
        assert.match(stored, /^SCRAM-SHA-256\$4096:[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+:[A-Za-z0-9+/=]+$/);

        // A retried setSecret: the current password is refused, the pending one works, so it is done.
        await run(event("setSecret"));
        assert.equal(await login(pg, ROLE, newPassword), ROLE);

        await run(event("testSecret"));
        await run(event("finishSecret"));
        assert.deepEqual(state.stages.get(TOKEN), ["AWSPENDING", "AWSCURRENT"]);
        assert.deepEqual(state.stages.get(CURRENT_VERSION), ["AWSPREVIOUS"]);
        assertNoSecretLogged(lines, [OLD_PASSWORD, newPassword]);
    });

    it("testSecret passes with the password in effect and fails with a wrong one", async () => {
        const inEffect = new SecretState(sm, secret("unused-current-password-0000"));
        inEffect.values.set(TOKEN, { text: JSON.stringify(secret(OLD_PASSWORD)), created: new Date() });
        inEffect.install();
        await createHandler(deps().deps)(event("testSecret"));

        sm.reset();
        const wrong = new SecretState(sm, secret("unused-current-password-0000"));
        wrong.values.set(TOKEN, { text: JSON.stringify(secret(WRONG_PASSWORD)), created: new Date() });
        wrong.install();
        const { deps: d, lines } = deps();
        await assert.rejects(createHandler(d)(event("testSecret")), (error: RotationError) => {
            assert.ok(error instanceof RotationError);
            assert.equal(error.step, "testSecret");
            assert.equal(error.secretArn, SECRET_ARN);
            assert.equal(error.causeCode, "28P01");
            assert.match(error.message, /login as .* with the AWSPENDING password failed/);
            return true;
        });
        assertNoSecretLogged(lines, [WRONG_PASSWORD]);
    });

    it("setSecret fails, changing nothing, when neither the current nor the pending password is accepted", async () => {
        const state = new SecretState(sm, secret("Stale-Current-Password-000000"));
        state.values.set(TOKEN, { text: JSON.stringify(secret("Stale-Pending-Password-000000")), created: new Date() });
        state.install();
        await assert.rejects(
            createHandler(deps().deps)(event("setSecret")),
            (error: RotationError) =>
                error.step === "setSecret" && /neither the AWSCURRENT nor the AWSPENDING password/.test(error.message),
        );
        assert.equal(await login(pg, ROLE, OLD_PASSWORD), ROLE);
    });

    it("sslmode verify-full fails closed against a server without TLS", async () => {
        // Any readable PEM bundle lets the function get as far as the TLS handshake.
        const bundle = "/etc/ssl/certs/ca-certificates.crt";
        assert.ok(fs.existsSync(bundle), `${bundle} is needed for this test: apt-get install ca-certificates`);
        const state = new SecretState(sm, { ...secret("unused-current-password-0000"), sslmode: "verify-full" });
        state.values.set(TOKEN, {
            text: JSON.stringify({ ...secret(OLD_PASSWORD), sslmode: "verify-full" }),
            created: new Date(),
        });
        state.install();
        const { deps: d } = makeDeps({ postgres: { allowPlaintext: false, caBundlePath: bundle, timeoutMs: 5000 } });
        await assert.rejects(createHandler(d)(event("testSecret")), (error: RotationError) => {
            assert.equal(error.step, "testSecret");
            assert.match(
                error.message,
                /login as .* with the AWSPENDING password failed: The server does not support SSL connections/,
            );
            return true;
        });
    });
});
