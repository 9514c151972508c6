/**
 * Unit tests of the secret-rotation function (SEC-1, SEC-2) with the AWS SDK v3 clients mocked by
 * aws-sdk-client-mock: the exact commands and inputs of each step, idempotency, the error paths, and
 * that no secret value reaches the log.
 */
import { randomBytes } from "node:crypto";
import * as assert from "node:assert/strict";
import { ElastiCacheClient } from "@aws-sdk/client-elasticache";
import {
    DescribeSecretCommand,
    GetRandomPasswordCommand,
    GetSecretValueCommand,
    PutSecretValueCommand,
    SecretsManagerClient,
    UpdateSecretVersionStageCommand,
} from "@aws-sdk/client-secrets-manager";
import { mockClient } from "aws-sdk-client-mock";
import { PG_EXCLUDED_CHARACTERS } from "../../lambdas/rotation/src/kinds/postgres";
import { createHandler, depsFromEnvironment, handler, RotationError } from "../../lambdas/rotation/src/index";
import { Logger, REDACTED } from "../../lambdas/rotation/src/log";
import { scramSha256Verifier } from "../../lambdas/rotation/src/scram";
import {
    CURRENT_VERSION,
    SECRET_ARN,
    SecretState,
    TOKEN,
    assertNoSecretLogged,
    event,
    expectFailure,
    makeDeps,
    parseLines,
    type SecretsMock,
} from "./rotation-fixtures";

// Throw-away values generated per run: no password-like literal lives in the repository (SEC-2).
const fakePassword = (label: string) => `${label}-${randomBytes(12).toString("hex")}`;
const CURRENT_PASSWORD = fakePassword("current");
const PENDING_PASSWORD = fakePassword("pending");
const LEAKY_PASSWORD = fakePassword("leaky");

const STEPS = ["createSecret", "setSecret", "testSecret", "finishSecret"] as const;

let sm: SecretsMock;
let ec: ReturnType<typeof mockElastiCache>;

function mockElastiCache() {
    return mockClient(ElastiCacheClient);
}

const JWT = {
    kind: "random",
    value: "ZXhpc3Rpbmctand0LXNpZ25pbmctc2VjcmV0LXZhbHVlLTAwMDAwMDAwMDAwMA",
    length: 64,
    encoding: "base64url",
};

describe("SEC-1 secret rotation function (mocked AWS SDK v3 clients)", () => {
    before(() => {
        sm = mockClient(SecretsManagerClient);
        ec = mockElastiCache();
    });

    after(() => {
        sm.restore();
        ec.restore();
    });

    beforeEach(() => {
        sm.reset();
        ec.reset();
    });

    describe("SEC-1 rotation function: the four-step Secrets Manager contract", () => {
        it("rotates a random secret end to end: AWSPENDING stored with the token, AWSCURRENT moved, old version AWSPREVIOUS", async () => {
            const state = new SecretState(sm, JWT);
            state.install();
            const { deps, lines } = makeDeps();
            const run = createHandler(deps);
            for (const step of STEPS) await run(event(step));

            const puts = sm.commandCalls(PutSecretValueCommand);
            assert.equal(puts.length, 1);
            const put = puts[0]!.args[0].input;
            assert.equal(put.SecretId, SECRET_ARN);
            assert.equal(put.ClientRequestToken, TOKEN);
            assert.deepEqual(put.VersionStages, ["AWSPENDING"]);
            const pending = JSON.parse(put.SecretString!) as typeof JWT;
            assert.equal(pending.kind, "random");
            assert.equal(pending.length, 64);
            assert.equal(pending.encoding, "base64url");
            assert.match(pending.value, /^[A-Za-z0-9_-]{64}$/);
            assert.notEqual(pending.value, JWT.value);

            const moves = sm.commandCalls(UpdateSecretVersionStageCommand);
            assert.equal(moves.length, 1);
            assert.deepEqual(moves[0]!.args[0].input, {
                SecretId: SECRET_ARN,
                VersionStage: "AWSCURRENT",
                MoveToVersionId: TOKEN,
                RemoveFromVersionId: CURRENT_VERSION,
            });
            assert.deepEqual(state.stages.get(TOKEN), ["AWSPENDING", "AWSCURRENT"]);
            assert.deepEqual(state.stages.get(CURRENT_VERSION), ["AWSPREVIOUS"]);
            // Each step checks the version's staging first.
            assert.equal(sm.commandCalls(DescribeSecretCommand, { SecretId: SECRET_ARN }).length, 4);
            assertNoSecretLogged(lines, [JWT.value, pending.value]);
        });

        it("reads AWSCURRENT by stage and AWSPENDING by token and stage", async () => {
            const state = new SecretState(sm, JWT);
            state.install();
            const run = createHandler(makeDeps().deps);
            await run(event("createSecret"));
            await run(event("testSecret"));
            assert.ok(
                sm.commandCalls(GetSecretValueCommand, { SecretId: SECRET_ARN, VersionStage: "AWSCURRENT" }, true).length >= 2,
            );
            assert.ok(
                sm.commandCalls(
                    GetSecretValueCommand,
                    { SecretId: SECRET_ARN, VersionId: TOKEN, VersionStage: "AWSPENDING" },
                    true,
                ).length >= 2,
            );
        });

        it("createSecret is idempotent: an AWSPENDING value for the token is kept and nothing new is drawn", async () => {
            const state = new SecretState(sm, JWT);
            const existing = { ...JWT, value: "cHJldmlvdXNseS1jcmVhdGVkLXBlbmRpbmctdmFsdWUtMDAwMDAwMDAwMDAwMDAw" };
            state.values.set(TOKEN, { text: JSON.stringify(existing), created: new Date() });
            state.install();
            await createHandler(makeDeps().deps)(event("createSecret"));
            assert.equal(sm.commandCalls(PutSecretValueCommand).length, 0);
            assert.equal(sm.commandCalls(GetRandomPasswordCommand).length, 0);
            assert.deepEqual(state.json(TOKEN), existing);
        });

        it("running createSecret twice stores one version", async () => {
            const state = new SecretState(sm, JWT);
            state.install();
            const run = createHandler(makeDeps().deps);
            await run(event("createSecret"));
            const first = state.json(TOKEN);
            await run(event("createSecret"));
            assert.equal(sm.commandCalls(PutSecretValueCommand).length, 1);
            assert.deepEqual(state.json(TOKEN), first);
        });

        it("finishSecret is a no-op when the token is already AWSCURRENT", async () => {
            const state = new SecretState(sm, JWT);
            state.stages.set(TOKEN, ["AWSCURRENT", "AWSPENDING"]);
            state.stages.set(CURRENT_VERSION, ["AWSPREVIOUS"]);
            state.install();
            await createHandler(makeDeps().deps)(event("finishSecret"));
            assert.equal(sm.commandCalls(UpdateSecretVersionStageCommand).length, 0);
        });

        it("every step does nothing once the token is AWSCURRENT (a retried, finished rotation)", async () => {
            const state = new SecretState(sm, JWT);
            state.stages.set(TOKEN, ["AWSCURRENT"]);
            state.stages.set(CURRENT_VERSION, ["AWSPREVIOUS"]);
            state.install();
            const run = createHandler(makeDeps().deps);
            for (const step of STEPS) await run(event(step));
            assert.deepEqual(
                sm.calls().map((c) => (c.args[0] as { constructor: { name: string } }).constructor.name),
                ["DescribeSecretCommand", "DescribeSecretCommand", "DescribeSecretCommand", "DescribeSecretCommand"],
            );
        });

        it("fails when rotation is not enabled on the secret", async () => {
            const state = new SecretState(sm, JWT);
            state.rotationEnabled = false;
            state.install();
            await expectFailure(createHandler(makeDeps().deps)(event("createSecret")), "createSecret", "rotation is not enabled");
            assert.equal(sm.commandCalls(PutSecretValueCommand).length, 0);
        });

        it("fails when the token is not a version of the secret", async () => {
            new SecretState(sm, JWT).install();
            await expectFailure(
                createHandler(makeDeps().deps)(event("setSecret", "33333333-3333-4333-8333-333333333333")),
                "setSecret",
                "has no staging label for rotation",
            );
        });

        it("fails when the token's version is staged, but not AWSPENDING", async () => {
            const state = new SecretState(sm, JWT);
            state.stages.set(TOKEN, ["AWSPREVIOUS"]);
            state.install();
            await expectFailure(
                createHandler(makeDeps().deps)(event("finishSecret")),
                "finishSecret",
                "is not staged AWSPENDING",
            );
            assert.equal(sm.commandCalls(UpdateSecretVersionStageCommand).length, 0);
        });

        it("fails setSecret and testSecret when createSecret has not stored a value", async () => {
            new SecretState(sm, JWT).install();
            const run = createHandler(makeDeps().deps);
            await expectFailure(run(event("setSecret")), "setSecret", "createSecret has not run");
            await expectFailure(run(event("testSecret")), "testSecret", "createSecret has not run");
        });

        it("rejects a malformed event before any call, naming the step and the secret", async () => {
            const { deps, lines } = makeDeps();
            const run = createHandler(deps);
            await expectFailure(
                run({ SecretId: SECRET_ARN, ClientRequestToken: TOKEN, Step: "rotateEverything" }),
                "rotateEverything",
                "unknown step",
            );
            await expectFailure(
                run({ SecretId: SECRET_ARN, ClientRequestToken: "", Step: "setSecret" }),
                "setSecret",
                "no ClientRequestToken",
            );
            await assert.rejects(
                run({} as never),
                (e: RotationError) => e.secretArn === "unknown" && e.message.includes("no SecretId"),
            );
            assert.equal(sm.calls().length, 0);
            const logged = parseLines(lines);
            assert.equal(logged.length, 3);
            assert.ok(logged.every((l) => l.level === "error" && l.message === "rotation event rejected"));
        });

        it("takes the kind from the rotation-kind tag when the JSON has no kind field", async () => {
            const state = new SecretState(sm, { value: JWT.value, length: 64, encoding: "base64url" });
            state.tags = [{ Key: "rotation-kind", Value: "random" }];
            state.install();
            await createHandler(makeDeps().deps)(event("createSecret"));
            assert.match(String(state.json(TOKEN).value), /^[A-Za-z0-9_-]{64}$/);
        });

        it("fails when the kind is missing, unknown, or the tag disagrees with the field", async () => {
            const cases: [Record<string, unknown>, { Key: string; Value: string }[], string][] = [
                [{ value: JWT.value }, [], 'neither a "kind" field nor a "rotation-kind" tag'],
                [{ ...JWT, kind: "ldap" }, [], 'unknown kind "ldap"'],
                [JWT, [{ Key: "rotation-kind", Value: "redis-auth" }], "disagree"],
            ];
            for (const [secret, tags, fragment] of cases) {
                sm.reset();
                const state = new SecretState(sm, secret);
                state.tags = tags;
                state.install();
                await expectFailure(createHandler(makeDeps().deps)(event("createSecret")), "createSecret", fragment);
            }
        });

        it("reports a SecretString that is not JSON without quoting it", async () => {
            const state = new SecretState(sm, JWT);
            state.values.set(CURRENT_VERSION, { text: "hunter2-not-json-at-all", created: new Date() });
            state.install();
            const { deps, lines } = makeDeps();
            const error = await expectFailure(
                createHandler(deps)(event("createSecret")),
                "createSecret",
                "AWSCURRENT SecretString is not valid JSON",
            );
            assert.ok(!error.message.includes("hunter2"));
            assertNoSecretLogged(lines, ["hunter2-not-json-at-all", "hunter2"]);
        });

        it("refuses binary secrets and JSON that is not an object", async () => {
            for (const [text, fragment] of [
                [undefined, "AWSCURRENT has no SecretString (binary secrets are not supported)"],
                ['["a","list"]', "AWSCURRENT SecretString must be a JSON object"],
                ["null", "AWSCURRENT SecretString must be a JSON object"],
            ] as const) {
                sm.reset();
                const state = new SecretState(sm, JWT);
                state.install();
                sm.on(GetSecretValueCommand, { VersionStage: "AWSCURRENT" }).resolves({
                    ARN: SECRET_ARN,
                    VersionId: CURRENT_VERSION,
                    SecretString: text,
                });
                await expectFailure(createHandler(makeDeps().deps)(event("createSecret")), "createSecret", fragment);
            }
        });

        it("builds PostgreSQL SCRAM verifiers only from printable ASCII passwords", () => {
            assert.match(
                scramSha256Verifier("Abc-123_xyz"),
                /^SCRAM-SHA-256\$4096:[A-Za-z0-9+/=]{24}\$[A-Za-z0-9+/=]{44}:[A-Za-z0-9+/=]{44}$/,
            );
            assert.notEqual(scramSha256Verifier("same-password"), scramSha256Verifier("same-password"), "a fresh salt each time");
            assert.throws(() => scramSha256Verifier("pässword-1234"), /printable ASCII/);
            assert.throws(() => scramSha256Verifier("with space 1234"), /printable ASCII/);
        });

        it("refuses an AWSPENDING version of another kind than AWSCURRENT", async () => {
            const state = new SecretState(sm, JWT);
            state.values.set(TOKEN, {
                text: JSON.stringify({ kind: "redis-auth", replicationGroupId: "x", token: "a".repeat(40) }),
                created: new Date(),
            });
            state.install();
            await expectFailure(
                createHandler(makeDeps().deps)(event("testSecret")),
                "testSecret",
                'AWSPENDING has kind "redis-auth"',
            );
        });

        it("logs one JSON object per line with step, secret ARN and token, and an error line on failure", async () => {
            const state = new SecretState(sm, JWT);
            state.rotationEnabled = false;
            state.install();
            const { deps, lines } = makeDeps();
            await expectFailure(createHandler(deps)(event("createSecret")), "createSecret", "rotation is not enabled");
            const logged = parseLines(lines);
            assert.ok(logged.length >= 2);
            for (const line of logged) {
                assert.equal(line.step, "createSecret");
                assert.equal(line.secretArn, SECRET_ARN);
                assert.equal(line.token, TOKEN);
                assert.match(String(line.timestamp), /^\d{4}-\d\d-\d\dT/);
            }
            const failure = logged.find((l) => l.level === "error");
            assert.equal(failure?.message, "rotation step failed");
            assert.match(String(failure?.error), /rotation is not enabled/);
        });
    });

    describe("SEC-1 rotation function: random values (JWT signing secret, API keys)", () => {
        const shapes: [string, number, RegExp][] = [
            ["base64url", 64, /^[A-Za-z0-9_-]{64}$/],
            ["base64", 88, /^[A-Za-z0-9+/]{88}$/],
            ["hex", 65, /^[0-9a-f]{65}$/],
            ["alphanumeric", 40, /^[A-Za-z0-9]{40}$/],
        ];
        for (const [encoding, length, pattern] of shapes) {
            it(`createSecret draws ${length} characters of ${encoding} and testSecret accepts them`, async () => {
                const state = new SecretState(sm, {
                    kind: "random",
                    value: "x".repeat(length),
                    length,
                    encoding,
                    purpose: "api-key:partner",
                });
                state.install();
                const { deps, lines } = makeDeps();
                const run = createHandler(deps);
                await run(event("createSecret"));
                await run(event("setSecret"));
                await run(event("testSecret"));
                const pending = state.json(TOKEN);
                assert.match(String(pending.value), pattern);
                assert.equal(pending.purpose, "api-key:partner", "fields other than the value are kept");
                const draws = sm.commandCalls(GetRandomPasswordCommand);
                if (encoding === "alphanumeric") {
                    assert.deepEqual(
                        draws.map((c) => c.args[0].input),
                        [
                            {
                                IncludeSpace: false,
                                PasswordLength: length,
                                ExcludePunctuation: true,
                                RequireEachIncludedType: true,
                            },
                        ],
                    );
                } else {
                    assert.equal(draws.length, 0, "hex and base64 values come from the CSPRNG directly");
                }
                assertNoSecretLogged(lines, [String(pending.value)]);
            });
        }

        it("setSecret changes nothing outside Secrets Manager", async () => {
            const state = new SecretState(sm, JWT);
            state.install();
            const run = createHandler(makeDeps().deps);
            await run(event("createSecret"));
            sm.resetHistory();
            await run(event("setSecret"));
            const names = sm.calls().map((c) => (c.args[0] as { constructor: { name: string } }).constructor.name);
            assert.deepEqual([...new Set(names)].sort(), ["DescribeSecretCommand", "GetSecretValueCommand"]);
            assert.equal(ec.calls().length, 0);
        });

        it("testSecret fails on a pending value of the wrong length or alphabet", async () => {
            for (const [value, fragment] of [
                ["A".repeat(63), "has 63 characters, expected 64"],
                ["A".repeat(62) + "+/", "is not base64url"],
            ]) {
                sm.reset();
                const state = new SecretState(sm, JWT);
                state.values.set(TOKEN, { text: JSON.stringify({ ...JWT, value }), created: new Date() });
                state.install();
                const { deps, lines } = makeDeps();
                await expectFailure(createHandler(deps)(event("testSecret")), "testSecret", fragment!);
                assertNoSecretLogged(lines, [value!]);
            }
        });

        it("rejects lengths below 32 characters and base64 lengths that would need padding", async () => {
            for (const [secret, fragment] of [
                [{ ...JWT, length: 16 }, 'field "length" must be an integer from 32 to 4096'],
                [{ ...JWT, encoding: "base64", length: 66 }, "must be a multiple of 4 for base64"],
                [{ ...JWT, encoding: "base32" }, 'field "encoding" must be one of'],
            ] as const) {
                sm.reset();
                new SecretState(sm, secret).install();
                await expectFailure(createHandler(makeDeps().deps)(event("createSecret")), "createSecret", fragment);
            }
        });
    });

    // The redis-auth kind runs against a real redis-server: tests/lambdas/rotation-redis.spec.ts.

    const DB = {
        kind: "postgres-user",
        host: "bookbuddy-prod.abcdefgh.eu-west-1.rds.amazonaws.com",
        port: 5432,
        dbname: "bookbuddy",
        username: "bookbuddy_app",
        password: CURRENT_PASSWORD,
        sslmode: "verify-full",
    };

    describe("SEC-1 rotation function: PostgreSQL role passwords (checks before any connection)", () => {
        it("createSecret keeps the connection details and draws a password without connection-string delimiters", async () => {
            const state = new SecretState(sm, DB);
            state.install();
            const { deps, lines } = makeDeps();
            await createHandler(deps)(event("createSecret"));
            assert.deepEqual(
                sm.commandCalls(GetRandomPasswordCommand).map((c) => c.args[0].input),
                [
                    {
                        IncludeSpace: false,
                        PasswordLength: 32,
                        ExcludeCharacters: PG_EXCLUDED_CHARACTERS,
                        RequireEachIncludedType: true,
                    },
                ],
            );
            const pending = state.json(TOKEN);
            assert.deepEqual({ ...pending, password: undefined }, { ...DB, password: undefined });
            const password = String(pending.password);
            assert.equal(password.length, 32);
            for (const c of ["'", '"', "\\", "/", "@", ":", "?", "#", "%", "&", "=", " "]) assert.ok(!password.includes(c), c);
            assertNoSecretLogged(lines, [DB.password, password]);
        });

        it("setSecret refuses sslmode disable unless plaintext is explicitly allowed", async () => {
            const state = new SecretState(sm, { ...DB, sslmode: "disable" });
            state.values.set(TOKEN, {
                text: JSON.stringify({ ...DB, sslmode: "disable", password: PENDING_PASSWORD }),
                created: new Date(),
            });
            state.install();
            await expectFailure(createHandler(makeDeps().deps)(event("setSecret")), "setSecret", "sslmode disable is refused");
            await expectFailure(createHandler(makeDeps().deps)(event("testSecret")), "testSecret", "sslmode disable is refused");
        });

        it("verify-full needs the CA bundle and says where it looked", async () => {
            const state = new SecretState(sm, DB);
            state.values.set(TOKEN, { text: JSON.stringify({ ...DB, password: PENDING_PASSWORD }), created: new Date() });
            state.install();
            await expectFailure(
                createHandler(makeDeps().deps)(event("testSecret")),
                "testSecret",
                "needs the CA bundle at /nonexistent/rds-ca.pem",
            );
        });

        it("setSecret refuses an AWSPENDING version that points at another server, role or sslmode", async () => {
            for (const change of [
                { host: "evil.example.com" },
                { username: "postgres" },
                { dbname: "other" },
                { sslmode: "require" },
                { port: 6543 },
            ]) {
                sm.reset();
                const state = new SecretState(sm, DB);
                state.values.set(TOKEN, {
                    text: JSON.stringify({ ...DB, ...change, password: PENDING_PASSWORD }),
                    created: new Date(),
                });
                state.install();
                await expectFailure(
                    createHandler(makeDeps().deps)(event("setSecret")),
                    "setSecret",
                    "different server, database, role or sslmode",
                );
            }
        });

        it("validates the secret's fields by name without echoing values", async () => {
            const state = new SecretState(sm, { ...DB, port: "not-a-port", password: LEAKY_PASSWORD });
            state.install();
            const { deps, lines } = makeDeps();
            const error = await expectFailure(
                createHandler(deps)(event("createSecret")),
                "createSecret",
                'AWSCURRENT: field "port" must be an integer',
            );
            assert.ok(!error.message.includes("Leaky-Password"));
            assertNoSecretLogged(lines, [LEAKY_PASSWORD]);
        });
    });

    describe("SEC-1 rotation function: logging never reveals a secret", () => {
        it("masks protected values, also in their JSON-escaped spelling", () => {
            const lines: string[] = [];
            const logger = Logger.create((line) => lines.push(line));
            const secret = 'pa"ss\\word-0123';
            logger.protect(secret);
            logger.child({ step: "setSecret" }).info(`echo ${secret}`, { detail: secret });
            assert.equal(lines.length, 1);
            assert.ok(!lines[0]!.includes(JSON.stringify(secret).slice(1, -1)));
            const parsed = JSON.parse(lines[0]!) as Record<string, string>;
            assert.equal(parsed.message, `echo ${REDACTED}`);
            assert.equal(parsed.detail, REDACTED);
            assert.equal(parsed.step, "setSecret");
            assert.equal(logger.redact(`x${secret}x`), `x${REDACTED}x`);
        });

        it("a full rotation of a random secret logs neither the old nor the new value (redis-auth: rotation-redis.spec.ts)", async () => {
            for (const current of [JWT]) {
                sm.reset();
                ec.reset();
                const state = new SecretState(sm, current);
                state.install();
                const { deps, lines } = makeDeps();
                const run = createHandler(deps);
                for (const step of STEPS) await run(event(step));
                const field = current.kind === "random" ? "value" : "token";
                assert.ok(lines.length >= 8);
                assertNoSecretLogged(lines, [String(state.json(CURRENT_VERSION)[field]), String(state.json(TOKEN)[field])]);
            }
        });
    });

    describe("SEC-1 rotation function: deployed handler", () => {
        it("reads its settings from the environment with safe defaults", () => {
            const defaults = depsFromEnvironment(
                {},
                Logger.create(() => undefined),
            );
            assert.equal(defaults.postgres.allowPlaintext, false);
            assert.equal(defaults.postgres.caBundlePath, "/var/runtime/ca-cert.pem");
            assert.deepEqual(defaults.redisWait, { attempts: 40, intervalMs: 15000 });
            assert.deepEqual(defaults.redis, { caBundlePath: undefined, timeoutMs: 5000 });
            assert.deepEqual(
                depsFromEnvironment(
                    { REDIS_CA_BUNDLE: "/opt/ca.pem", REDIS_TIMEOUT_MS: "800" },
                    Logger.create(() => undefined),
                ).redis,
                { caBundlePath: "/opt/ca.pem", timeoutMs: 800 },
            );
            const custom = depsFromEnvironment(
                {
                    ROTATION_ALLOW_PLAINTEXT_DB: "true",
                    PG_CA_BUNDLE: "/opt/rds.pem",
                    PG_TIMEOUT_MS: "2500",
                    REDIS_WAIT_ATTEMPTS: "4",
                    REDIS_WAIT_INTERVAL_SECONDS: "2",
                },
                Logger.create(() => undefined),
            );
            assert.equal(custom.postgres.allowPlaintext, true);
            assert.equal(custom.postgres.caBundlePath, "/opt/rds.pem");
            assert.equal(custom.postgres.timeoutMs, 2500);
            assert.deepEqual(custom.redisWait, { attempts: 4, intervalMs: 2000 });
            assert.throws(
                () => depsFromEnvironment({ REDIS_WAIT_ATTEMPTS: "-1" }),
                /REDIS_WAIT_ATTEMPTS must be a positive integer/,
            );
        });

        it("the exported handler runs a step with real SDK clients (mocked) and logs JSON to standard output", async () => {
            const state = new SecretState(sm, JWT);
            state.install();
            const written: string[] = [];
            const original = process.stdout.write.bind(process.stdout);
            process.stdout.write = ((chunk: string | Uint8Array) => {
                written.push(String(chunk));
                return true;
            }) as typeof process.stdout.write;
            try {
                await handler(event("createSecret"));
            } finally {
                process.stdout.write = original;
            }
            const lines = written.join("").trim().split("\n");
            const logged = parseLines(lines);
            assert.ok(logged.some((l) => l.message === "stored new AWSPENDING version" && l.kind === "random"));
            assertNoSecretLogged(lines, [JWT.value, String(state.json(TOKEN).value)]);
        });
    });
});
