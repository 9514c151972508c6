/**
 * TLS to the database verifies the server (SEC-7, DB-1, #13 item 6), against a real PostgreSQL with TLS:
 * the test PostgreSQL configured as the prod stack deploys it, serving a certificate for the rendered RDS address
 * signed by a throw-away CA made by this run (openssl). Two clients, each configured exactly as rendered:
 * - the bootstrap Job: its script (components/postgres/bootstrap.sh, the ConfigMap's content) with the Job's
 *   environment, reading the master secret from a stand-in of `aws secretsmanager get-secret-value` that answers
 *   only for the rendered master secret ARN (the Job's role may read nothing else: tests/upstream/iam-calls);
 * - the postgres-exporter: the connection URI the chart builds from the rendered values
 *   (`<host>:<port>/<db>?sslmode=<sslmode>&<extraParams>`) as the read-only login.
 * Each connects with the throw-away CA as its bundle, and fails with a bundle of another CA or a server name the
 * certificate does not carry. Only the bundle's path is mapped to the local file; the host name is kept and
 * resolved to 127.0.0.1 (PGHOSTADDR), so libpq checks the rendered name against the certificate.
 */
import { strict as assert } from "assert";
import { execFileSync, spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { BOOTSTRAP_SCRIPT_PATH, BOOTSTRAP_SQL_PATH } from "../../components/postgres/roles";
import { PlanDocument } from "../../tools/plan/types";
import { DeployedPostgres, startDeployedPostgres } from "../support/deployed-postgres";
import { ofType, renderedStack } from "../support/plan";

/** A CA and a server certificate for `serverName` signed by it, made with openssl in `dir`. */
function makeCa(dir: string, label: string, serverName?: string): { ca: string; cert?: string; key?: string } {
    const f = (n: string) => path.join(dir, `${label}-${n}`);
    const ssl = (...args: string[]) => execFileSync("openssl", args, { stdio: "pipe" });
    ssl(
        "req",
        "-x509",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-days",
        "2",
        "-subj",
        `/CN=Throw-away test CA ${label}`,
        "-keyout",
        f("ca.key"),
        "-out",
        f("ca.pem"),
    );
    if (!serverName) return { ca: f("ca.pem") };
    ssl(
        "req",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-subj",
        `/CN=${serverName}`,
        "-keyout",
        f("server.key"),
        "-out",
        f("server.csr"),
    );
    fs.writeFileSync(
        f("ext.cnf"),
        `subjectAltName=DNS:${serverName}\nbasicConstraints=CA:FALSE\nkeyUsage=digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\n`,
    );
    ssl(
        "x509",
        "-req",
        "-in",
        f("server.csr"),
        "-CA",
        f("ca.pem"),
        "-CAkey",
        f("ca.key"),
        "-CAcreateserial",
        "-days",
        "2",
        "-extfile",
        f("ext.cnf"),
        "-out",
        f("server.pem"),
    );
    return { ca: f("ca.pem"), cert: f("server.pem"), key: f("server.key") };
}

/** The server's files must belong to the user the test server runs as (postgres when the tests run as root). */
function serverOwned(file: string): void {
    fs.chmodSync(file, 0o600);
    if (process.getuid?.() === 0) {
        const uid = Number(execFileSync("id", ["-u", "postgres"]).toString().trim());
        const gid = Number(execFileSync("id", ["-g", "postgres"]).toString().trim());
        fs.chownSync(file, uid, gid);
    }
}

const containerEnv = (c: { env: { name: string; value?: string }[] }) =>
    Object.fromEntries(c.env.filter((e) => typeof e.value === "string").map((e) => [e.name, e.value!]));

describe("SEC-7, DB-1: verify-full TLS of the bootstrap Job and the postgres-exporter against a real PostgreSQL", function () {
    this.timeout(300_000);
    let dir: string;
    let doc: PlanDocument;
    let host: string;
    let db: DeployedPostgres;
    let good: string;
    let other: string;

    before(async () => {
        doc = await renderedStack("prod");
        host = String(ofType(doc, "aws:rds/instance:Instance")[0].outputs?.address);
        assert.match(host, /\.rds\.amazonaws\.com$/, "the rendered RDS address");
        dir = fs.mkdtempSync(path.join(os.tmpdir(), "bookbuddy-tls-"));
        fs.chmodSync(dir, 0o755);
        const server = makeCa(dir, "a", host);
        good = server.ca;
        other = makeCa(dir, "b").ca;
        for (const f of [server.cert!, server.key!]) serverOwned(f);
        db = await startDeployedPostgres({
            settings: { ssl: "on", ssl_cert_file: server.cert!, ssl_key_file: server.key!, ssl_min_protocol_version: "TLSv1.2" },
        });
    });

    after(async () => {
        await db?.pg.stop();
        if (dir) fs.rmSync(dir, { recursive: true, force: true });
    });

    describe("the bootstrap Job, as rendered, reading the master secret at run time", () => {
        let job: { env: Record<string, string>; command: string[] };
        let bin: string;
        let calls: string;
        before(() => {
            const rendered = ofType(doc, "kubernetes:batch/v1:Job").find(
                (j) => (j.inputs as any).metadata.namespace === "database-admin",
            )!;
            const container = (rendered.inputs as any).spec.template.spec.containers[0];
            job = { env: containerEnv(container), command: container.command };
            assert.deepEqual(job.command, ["bash", "/sql/bootstrap.sh"]);
            assert.equal(job.env.PGSSLMODE, "verify-full");
            assert.equal(job.env.PGHOST, host);
            // A stand-in for the AWS CLI: answers get-secret-value for the rendered master secret ARN only.
            bin = path.join(dir, "bin");
            fs.mkdirSync(bin);
            calls = path.join(dir, "aws-calls");
            fs.writeFileSync(
                path.join(bin, "aws"),
                [
                    "#!/usr/bin/env bash",
                    'printf "%s\\n" "$*" >> "$AWS_CALLS"',
                    'if [[ "$*" == "secretsmanager get-secret-value --secret-id $EXPECTED_ARN --query SecretString --output text" ]]; then cat "$SECRET_FILE"; exit 0; fi',
                    'echo "An error occurred (AccessDeniedException) when calling the GetSecretValue operation" >&2; exit 254',
                    "",
                ].join("\n"),
                { mode: 0o755 },
            );
        });

        const runJob = (secretJson: string, overrides: Record<string, string> = {}) => {
            const secretFile = path.join(dir, "secret.json");
            fs.writeFileSync(secretFile, secretJson, { mode: 0o600 });
            fs.writeFileSync(calls, "");
            const env = {
                PATH: `${bin}:${db.pg.binDir}:${process.env.PATH}`,
                ...job.env,
                // The paths of the image and the ConfigMap mount, mapped to this machine; the rest as rendered.
                PGSSLROOTCERT: good,
                BOOTSTRAP_SQL: BOOTSTRAP_SQL_PATH,
                PGHOSTADDR: "127.0.0.1",
                PGPORT: String(db.pg.port),
                HOME: dir,
                AWS_CALLS: calls,
                SECRET_FILE: secretFile,
                EXPECTED_ARN: job.env.MASTER_SECRET_ARN,
                ...overrides,
            };
            return spawnSync("bash", [BOOTSTRAP_SCRIPT_PATH], { env, encoding: "utf8", timeout: 60_000 });
        };
        const secretOf = (username: string, password: string) => JSON.stringify({ username, password });

        it("connects with verify-full to the server whose certificate the bundle's CA signed, and runs the bootstrap", async () => {
            const result = runJob(secretOf(db.master.username, db.master.password));
            assert.equal(result.status, 0, result.stderr);
            assert.equal(
                fs.readFileSync(calls, "utf8").trim(),
                `secretsmanager get-secret-value --secret-id ${job.env.MASTER_SECRET_ARN} --query SecretString --output text`,
            );
            assert.equal((await db.pg.psql("SELECT rolcanlogin FROM pg_roles WHERE rolname = 'pulumi_admin'")).trim(), "t");
            assert.ok(!`${result.stdout}${result.stderr}`.includes(db.master.password), "the password is never printed");
        });

        it("decodes the secret's JSON escapes (\\uXXXX, \\/) before signing in", () => {
            const escaped = [...db.master.password].map((c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`).join("");
            const json = `{ "username" : "${db.master.username}", "engine": "postgres", "password":"${escaped}" }`;
            const result = runJob(json);
            assert.equal(result.status, 0, result.stderr);
        });

        it("fails against a certificate from another CA, and against a server name the certificate does not carry", () => {
            const otherCa = runJob(secretOf(db.master.username, db.master.password), { PGSSLROOTCERT: other });
            assert.notEqual(otherCa.status, 0);
            assert.match(otherCa.stderr, /certificate verify failed/);
            const otherName = runJob(secretOf(db.master.username, db.master.password), {
                PGHOST: "another-db.cabc.us-east-1.rds.amazonaws.com",
            });
            assert.notEqual(otherName.status, 0);
            assert.match(otherName.stderr, /does not match host name/);
        });

        it("refuses anything but verify-full, and stops when the secret cannot be read or lacks a field", () => {
            const require = runJob(secretOf(db.master.username, db.master.password), { PGSSLMODE: "require" });
            assert.equal(require.status, 2);
            assert.match(require.stderr, /PGSSLMODE must be verify-full/);
            const denied = runJob(secretOf(db.master.username, db.master.password), {
                EXPECTED_ARN: "arn:aws:secretsmanager:us-east-1:123456789012:secret:other",
            });
            assert.equal(denied.status, 3);
            assert.match(denied.stderr, /could not read the master secret/);
            const noPassword = runJob(JSON.stringify({ username: db.master.username }));
            assert.equal(noPassword.status, 3);
            assert.match(noPassword.stderr, /has no password/);
        });
    });

    describe("the postgres-exporter, with the data source the chart builds from the rendered values", () => {
        let uri: string;
        let caPath: string;
        let login: string;
        before(() => {
            const release = ofType(doc, "kubernetes:helm.sh/v3:Release").find(
                (r) => r.inputs.chart === "prometheus-postgres-exporter",
            )!;
            const ds = (release.inputs.values as any).config.datasource;
            assert.equal(ds.sslmode, "verify-full");
            // The chart's data_source_uri: "<host>:<port>/<database>?sslmode=<sslmode>&<extraParams>" (trailing & trimmed).
            uri = `${ds.host}:${ds.port}/${ds.database}?sslmode=${ds.sslmode}&${ds.extraParams}`.replace(/&$/, "");
            caPath = /sslrootcert=([^&]+)/.exec(ds.extraParams)![1];
            const mount = (release.inputs.values as any).extraVolumeMounts[0];
            assert.ok(caPath.startsWith(`${mount.mountPath}/`), "the bundle is read from the mounted ConfigMap");
            login = Object.keys(db.passwords).find((r) => /_readonly_a$/.test(r))!;
            assert.ok(login, "the read-only login");
        });

        const connect = (bundle: string, hostName = host) => {
            const local = `postgresql://${encodeURIComponent(login)}@${uri.replace(host, hostName).replace(":5432/", `:${db.pg.port}/`).replace(caPath, bundle)}&hostaddr=127.0.0.1`;
            return spawnSync(
                path.join(db.pg.binDir, "psql"),
                ["-X", "-A", "-t", "-c", "SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()", local],
                {
                    env: { PATH: process.env.PATH, PGPASSWORD: db.passwords[login], HOME: dir },
                    encoding: "utf8",
                    timeout: 30_000,
                },
            );
        };

        it("connects over TLS with verify-full when the bundle holds the server's CA", () => {
            const result = connect(good);
            assert.equal(result.status, 0, result.stderr);
            assert.equal(result.stdout.trim(), "t", "the session is encrypted");
        });

        it("fails with another CA's bundle or another server name", () => {
            const otherCa = connect(other);
            assert.notEqual(otherCa.status, 0);
            assert.match(otherCa.stderr, /certificate verify failed/);
            const otherName = connect(good, "another-db.cabc.us-east-1.rds.amazonaws.com");
            assert.notEqual(otherName.status, 0);
            assert.match(otherName.stderr, /does not match host name/);
        });
    });
});
