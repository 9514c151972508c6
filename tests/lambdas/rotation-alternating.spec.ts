/**
 * SEC-8, SEC-1, DB-3: database password rotation that running API pods survive.
 *
 * The server is the shared test PostgreSQL configured as the prod stack deploys it (rendered parameters,
 * roles, grants, default privileges; tests/support/deployed-postgres.ts). The API's credentials come the
 * way the rendered prod Deployment gives them: the Secret volume it mounts (its items and mount path), filled
 * by the rendered ExternalSecret (the Secrets Manager secret it extracts), re-read for every new connection
 * (DATABASE_CREDENTIALS_DIR of the rendered ConfigMap). Secrets Manager is a stateful fake (versions, staging
 * labels AWSCURRENT / AWSPENDING / AWSPREVIOUS as the service moves them); the rotation code is the project's
 * Lambda handler, running all four steps twice against the real server while a client keeps connecting.
 */
import { strict as assert } from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { mockClient } from "aws-sdk-client-mock";
import { Client } from "pg";
import { createHandler } from "../../lambdas/rotation/src/index";
import { postgresUserSecret } from "../../components/postgres/roles";
import { DeployedPostgres, sharedDeployedPostgres } from "../support/deployed-postgres";
import { nameOf, ofType, renderedStack } from "../support/plan";
import {
    CURRENT_VERSION,
    SECRET_ARN,
    SecretState,
    TOKEN,
    assertNoSecretLogged,
    makeDeps,
    type SecretsMock,
} from "./rotation-fixtures";

const STEPS = ["createSecret", "setSecret", "testSecret", "finishSecret"] as const;

/** How the rendered prod Deployment hands the API its database login. */
interface Delivery {
    /** Secrets Manager secret the ExternalSecret extracts (dataFrom.extract.key). */
    remoteKey: string;
    /** Files of the Secret volume: file name → secret key. */
    files: Record<string, string>;
    /** Where the volume is mounted, and the env variable telling the API so. */
    mountPath: string;
    credentialsDirEnv: string;
    /** ExternalSecret refreshInterval. */
    refresh: string;
}

async function renderedDelivery(): Promise<Delivery> {
    const doc = await renderedStack("prod");
    const deployment = ofType(doc, "kubernetes:apps/v1:Deployment").find((d) => nameOf(d).endsWith("-api"));
    assert.ok(deployment, "the rendered API Deployment");
    const podSpec = (deployment.inputs as any).spec.template.spec;
    const api = podSpec.containers.find((c: any) => c.name === "api");
    // No database secret as environment: env variables are frozen at pod start.
    for (const e of api.envFrom ?? [])
        assert.notEqual(e.secretRef?.name, "bookbuddy-database", "the database login must not be an env variable");
    const volume = podSpec.volumes.find((v: any) => v.secret?.secretName === "bookbuddy-database");
    assert.ok(volume, "the database Secret is mounted as a volume");
    const mount = api.volumeMounts.find((m: any) => m.name === volume.name);
    assert.ok(mount && !mount.subPath, "mounted whole (a subPath mount is never updated)");
    const configMap = ofType(doc, "kubernetes:core/v1:ConfigMap").find(
        (c) => (c.inputs as any).metadata?.name === "bookbuddy-api-config",
    );
    const data = (configMap!.inputs as any).data as Record<string, string>;
    const credentialsDirEnv = Object.keys(data).find((k) => data[k] === mount.mountPath);
    assert.ok(credentialsDirEnv, "the API is told where the credentials are mounted");
    const externalSecret = ofType(doc, "kubernetes:external-secrets.io/v1:ExternalSecret").find(
        (e) => (e.inputs as any).spec.target.name === "bookbuddy-database",
    );
    assert.ok(externalSecret, "an ExternalSecret fills bookbuddy-database");
    const spec = (externalSecret.inputs as any).spec;
    return {
        remoteKey: spec.dataFrom[0].extract.key,
        files: Object.fromEntries(volume.secret.items.map((i: any) => [i.path, i.key])),
        mountPath: mount.mountPath,
        credentialsDirEnv,
        refresh: spec.refreshInterval,
    };
}

/**
 * External Secrets plus the kubelet: the AWSCURRENT JSON's properties become the Secret's keys (extract),
 * projected into files and swapped atomically (the kubelet's ..data symlink swap).
 */
function syncMountedSecret(state: SecretState, delivery: Delivery, dir: string): void {
    const current = [...state.stages].find(([, labels]) => labels.includes("AWSCURRENT"))![0];
    const json = state.json(current);
    const staging = fs.mkdtempSync(path.join(dir, ".staging-"));
    for (const [file, key] of Object.entries(delivery.files)) {
        const value = json[key];
        fs.writeFileSync(path.join(staging, file), typeof value === "string" ? value : JSON.stringify(value), { mode: 0o440 });
    }
    for (const file of Object.keys(delivery.files)) fs.renameSync(path.join(staging, file), path.join(dir, file));
    fs.rmSync(staging, { recursive: true, force: true });
}

interface LoopResult {
    attempts: number;
    refused: { user: string; code?: string; message: string }[];
    users: Set<string>;
}

/**
 * The API: opens a new connection with the mounted files every few milliseconds until stopped. `attempts(n)`
 * resolves once n more connections have been tried, so a step is followed by connections that started after it
 * (instead of a fixed pause).
 */
function connectionLoop(
    db: DeployedPostgres,
    dir: string,
    delivery: Delivery,
): { attempts: (n: number) => Promise<void>; stop: () => Promise<LoopResult> } {
    const result: LoopResult = { attempts: 0, refused: [], users: new Set() };
    let running = true;
    let waiters: { target: number; resolve: () => void }[] = [];
    const wake = () => {
        const ready = waiters.filter((w) => !running || result.attempts >= w.target);
        waiters = waiters.filter((w) => !ready.includes(w));
        for (const w of ready) w.resolve();
    };
    const done = (async () => {
        while (running) {
            const user = fs.readFileSync(
                path.join(
                    dir,
                    Object.keys(delivery.files).find((f) => delivery.files[f] === "username")!,
                ),
                "utf8",
            );
            const password = fs.readFileSync(
                path.join(
                    dir,
                    Object.keys(delivery.files).find((f) => delivery.files[f] === "password")!,
                ),
                "utf8",
            );
            result.attempts++;
            const client = new Client({
                host: db.pg.host,
                port: db.pg.port,
                database: db.database,
                user,
                password,
                ssl: false,
                connectionTimeoutMillis: 5000,
            });
            client.on("error", () => undefined);
            try {
                await client.connect();
                await client.query("SELECT 1");
                result.users.add(user);
            } catch (error) {
                result.refused.push({ user, code: (error as { code?: string }).code, message: (error as Error).message });
            } finally {
                await client.end().catch(() => undefined);
            }
            wake();
            await new Promise((resolve) => setTimeout(resolve, 5));
        }
    })();
    return {
        attempts: (n) =>
            new Promise<void>((resolve) => {
                waiters.push({ target: result.attempts + n, resolve });
                wake();
            }),
        stop: async () => {
            running = false;
            wake();
            await done;
            return result;
        },
    };
}

describe("SEC-8 database rotation that running API pods survive (alternating users, real PostgreSQL as deployed)", function () {
    this.timeout(240_000);
    let db: DeployedPostgres;
    let sm: SecretsMock;
    let delivery: Delivery;
    const dirs: string[] = [];

    before(async () => {
        db = await sharedDeployedPostgres();
        delivery = await renderedDelivery();
        sm = mockClient(SecretsManagerClient);
    });
    after(() => {
        sm?.restore();
        for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
    });

    /** The API secret's first version as the component writes it, pointed at the test server. */
    function initialSecret(group: string, strategy: "alternating" | "single"): Record<string, unknown> {
        const secret = postgresUserSecret({
            host: db.pg.host,
            port: db.pg.port,
            dbname: db.database,
            groupRole: group,
            password: db.passwords[`${group}_a`],
        });
        // The test server has no certificate; the function runs with plaintext explicitly allowed.
        const base: Record<string, unknown> = { ...secret, sslmode: "disable" };
        if (strategy === "alternating") return base;
        const { users: _users, ...single } = base;
        return { ...single, strategy: "single" };
    }

    /** Runs `count` full rotations with the project's handler while the API loop connects; syncs after each. */
    async function rotateWhileConnecting(
        state: SecretState,
        count: number,
        lagSteps: boolean,
    ): Promise<{ loop: LoopResult; lines: string[]; passwords: string[] }> {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bookbuddy-mounted-db-"));
        dirs.push(dir);
        syncMountedSecret(state, delivery, dir);
        const { deps, lines } = makeDeps({ postgres: { allowPlaintext: true, caBundlePath: "/nonexistent", timeoutMs: 5000 } });
        const run = createHandler(deps);
        const loop = connectionLoop(db, dir, delivery);
        // Two completed connections after a change: at least one of them started after it.
        const pause = () => loop.attempts(2);
        const passwords: string[] = [];
        for (let i = 0; i < count; i++) {
            const token = i === 0 ? TOKEN : `3333333${i}-3333-4333-8333-333333333333`;
            // RotateSecret: a new version id staged AWSPENDING, then the four steps.
            if (i > 0) state.stages.set(token, ["AWSPENDING"]);
            for (const step of STEPS) {
                await run({ SecretId: SECRET_ARN, ClientRequestToken: token, Step: step });
                // the API keeps connecting between steps, with the files it has
                if (lagSteps) await pause();
            }
            passwords.push(String(state.json(token).password));
            await pause();
            // External Secrets' refresh, then the kubelet's update of the mounted files.
            syncMountedSecret(state, delivery, dir);
            await pause();
        }
        return { loop: await loop.stop(), lines, passwords };
    }

    it("the rendered Deployment mounts the login as files re-read per connection, refreshed every few minutes", () => {
        assert.deepEqual(Object.values(delivery.files).sort(), ["password", "username"]);
        assert.match(delivery.remoteKey, /\/database\/app$/);
        assert.equal(delivery.refresh, "5m");
    });

    it("reproduces the finding: with one login role (single strategy) the API's new connections are refused after setSecret", async () => {
        sm.reset();
        // the read-only group, so the app logins keep their shared initial password for the next test
        const group = `${db.database}_readonly`;
        const state = new SecretState(sm, initialSecret(group, "single"));
        state.install();
        const { loop, passwords } = await rotateWhileConnecting(state, 1, true);
        assert.ok(
            loop.refused.length > 0,
            `a single login rotated under a running client refuses it (${loop.attempts} attempts)`,
        );
        assert.ok(loop.refused.every((r) => r.code === "28P01"));
        // put the shared server back: the _a login gets the password the other specs know
        db.passwords[`${group}_a`] = passwords[0];
    });

    it("two full rotations: no new connection of the API is refused; AWSCURRENT alternates between the two logins", async () => {
        sm.reset();
        const group = `${db.database}_app`;
        const state = new SecretState(sm, initialSecret(group, "alternating"));
        state.install();
        const { loop, lines, passwords } = await rotateWhileConnecting(state, 2, true);
        assert.deepEqual(loop.refused, [], `refused connections during rotation (${loop.attempts} attempts)`);
        assert.ok(loop.attempts > 10, `the API kept connecting (${loop.attempts} attempts)`);
        assert.deepEqual([...loop.users].sort(), [`${group}_a`, `${group}_b`], "the API moved to the other login and back");
        // after two rotations: AWSCURRENT names _a with the second password, AWSPREVIOUS _b with the first
        const labelled = (label: string) => state.json([...state.stages].find(([, l]) => l.includes(label))![0]);
        assert.equal(labelled("AWSCURRENT").username, `${group}_a`);
        assert.equal(labelled("AWSPREVIOUS").username, `${group}_b`);
        assert.notEqual(state.json(CURRENT_VERSION).password, labelled("AWSCURRENT").password);
        // both logins work with their latest passwords; the initial shared password is gone from both
        for (const [user, password] of [
            [`${group}_b`, passwords[0]],
            [`${group}_a`, passwords[1]],
        ]) {
            const client = await db.clientAs(user, db.database, password);
            const row = (await client.query("SELECT session_user AS s, current_user AS c")).rows[0];
            await client.end();
            assert.deepEqual(row, { s: user, c: group }, "sessions run as the group role");
        }
        await assert.rejects(
            db.clientAs(`${group}_a`, db.database, String(state.json(CURRENT_VERSION).password)),
            (e: { code?: string }) => e.code === "28P01",
        );
        assertNoSecretLogged(lines, passwords);
        // what the server logged of the rotation carries verifiers only
        const log = db.pg.readLog();
        for (const p of passwords) assert.ok(!log.includes(p), "a rotated password appears in the server log");
        db.passwords[`${group}_b`] = passwords[0];
        db.passwords[`${group}_a`] = passwords[1];
    });

    it("objects created by either login belong to the group role and stay usable by the other login and by the app", async () => {
        const migrator = `${db.database}_migrator`;
        const app = `${db.database}_app`;
        const asA = await db.clientAs(`${migrator}_a`, db.database);
        const asB = await db.clientAs(`${migrator}_b`, db.database);
        const appA = await db.clientAs(`${app}_a`, db.database);
        const appB = await db.clientAs(`${app}_b`, db.database);
        try {
            await asA.query("CREATE TABLE rotation_made_by_a (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, note text)");
            await asB.query("CREATE TABLE rotation_made_by_b (id bigserial PRIMARY KEY, note text)");
            const owners = await asA.query(
                "SELECT relname, pg_get_userbyid(relowner) AS owner FROM pg_class WHERE relname LIKE 'rotation_made_by_%' AND relkind = 'r' ORDER BY 1",
            );
            assert.deepEqual(owners.rows, [
                { relname: "rotation_made_by_a", owner: migrator },
                { relname: "rotation_made_by_b", owner: migrator },
            ]);
            // the other login alters what the first created (ownership via the group)
            await asB.query("ALTER TABLE rotation_made_by_a ADD COLUMN added_by_b int");
            await asA.query("CREATE INDEX ON rotation_made_by_b (note)");
            // the app logins write to both through the default privileges FOR ROLE <migrator group>
            await appA.query("INSERT INTO rotation_made_by_a (note) VALUES ('a')");
            await appB.query("INSERT INTO rotation_made_by_b (note) VALUES ('b')");
            await appB.query("UPDATE rotation_made_by_a SET note = 'b' WHERE note = 'a'");
            assert.equal((await appA.query("SELECT count(*)::int AS n FROM rotation_made_by_b")).rows[0].n, 1);
        } finally {
            await asA.query("DROP TABLE IF EXISTS rotation_made_by_a, rotation_made_by_b").catch(() => undefined);
            for (const c of [asA, asB, appA, appB]) await c.end();
        }
    });
});
