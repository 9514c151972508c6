/**
 * Redis AUTH token rotation (SEC-1, CACHE-1) against a real redis-server (tests/support/redis.ts: TLS only,
 * the AUTH token as the `default` user's ACL passwords). ElastiCache's control plane is a stateful fake of
 * DescribeReplicationGroups / ModifyReplicationGroup that drives that server's ACL the way ElastiCache
 * applies an AUTH change: ROTATE keeps the newest existing token and adds the new one, SET keeps only the
 * new one; the group is `modifying` until the change is applied. Secrets Manager is the stateful fake of
 * rotation-fixtures.ts. A client (node-redis, an implementation independent of the function's) takes its
 * token the way the API does: the `token` key of the Kubernetes Secret that the rendered ExternalSecret
 * `bookbuddy-redis` extracts from AWSCURRENT, and keeps opening connections throughout two rotations.
 */
import * as assert from "node:assert/strict";
import {
    DescribeReplicationGroupsCommand,
    ElastiCacheClient,
    InvalidReplicationGroupStateFault,
    ModifyReplicationGroupCommand,
    ReplicationGroupNotFoundFault,
    type ModifyReplicationGroupCommandInput,
    type ReplicationGroup,
} from "@aws-sdk/client-elasticache";
import { GetRandomPasswordCommand, GetSecretValueCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { mockClient } from "aws-sdk-client-mock";
import { createClient } from "redis";
import { REDIS_EXCLUDED_CHARACTERS } from "../../lambdas/rotation/src/kinds/redis";
import { createHandler } from "../../lambdas/rotation/src/index";
import { REDACTED } from "../../lambdas/rotation/src/log";
import type { RotationDeps } from "../../lambdas/rotation/src/context";
import {
    CURRENT_VERSION,
    SECRET_ARN,
    SecretState,
    TOKEN,
    assertNoSecretLogged,
    event,
    expectFailure,
    makeDeps,
    type SecretsMock,
} from "./rotation-fixtures";
import { nameOf, ofType, one, renderedStack } from "../support/plan";
import { startRedis, throwAwayToken, type TestRedis } from "../support/redis";

const STEPS = ["createSecret", "setSecret", "testSecret", "finishSecret"] as const;
const GROUP_ID = "bookbuddy-prod-cache";

let sm: SecretsMock;
let ec: ReturnType<typeof mockClient>;
let redis: TestRedis;
let initialToken: string;

/**
 * ElastiCache's control plane for one replication group, as far as AUTH rotation sees it: an AUTH change
 * is accepted only when the group is `available`, turns it `modifying` with AuthTokenStatus pending, and is
 * applied to the real server after `describesUntilApplied` further DescribeReplicationGroups calls.
 */
class FakeReplicationGroup {
    status = "available";
    lastModified = new Date("2026-01-01T00:00:00Z");
    modifies: ModifyReplicationGroupCommandInput[] = [];
    private change?: { strategy: "ROTATE" | "SET"; token: string; describesLeft: number };

    constructor(
        private readonly server: TestRedis,
        public describesUntilApplied = 1,
    ) {}

    private async progress(): Promise<void> {
        if (!this.change) return;
        if (this.change.describesLeft > 0) {
            this.change.describesLeft--;
            return;
        }
        const { strategy, token } = this.change;
        const existing = this.server.tokens();
        await this.server.setTokens(strategy === "ROTATE" ? [...existing.slice(-1), token] : [token]);
        this.lastModified = new Date();
        this.change = undefined;
        this.status = "available";
    }

    view(): ReplicationGroup {
        return {
            ReplicationGroupId: GROUP_ID,
            Status: this.status,
            TransitEncryptionEnabled: true,
            AuthTokenEnabled: true,
            AuthTokenLastModifiedDate: this.lastModified,
            NodeGroups: [{ NodeGroupId: "0001", PrimaryEndpoint: { Address: this.server.host, Port: this.server.port } }],
            ...(this.change
                ? { PendingModifiedValues: { AuthTokenStatus: this.change.strategy === "ROTATE" ? "ROTATING" : "SETTING" } }
                : {}),
        };
    }

    install(): void {
        ec.on(DescribeReplicationGroupsCommand).callsFake(async (input: { ReplicationGroupId?: string }) => {
            if (input.ReplicationGroupId !== GROUP_ID)
                throw new ReplicationGroupNotFoundFault({ message: "ReplicationGroup not found", $metadata: {} });
            await this.progress();
            return { ReplicationGroups: [this.view()] };
        });
        ec.on(ModifyReplicationGroupCommand).callsFake(async (input: ModifyReplicationGroupCommandInput) => {
            this.modifies.push(input);
            if (input.ReplicationGroupId !== GROUP_ID)
                throw new ReplicationGroupNotFoundFault({ message: "ReplicationGroup not found", $metadata: {} });
            if (this.status !== "available")
                throw new InvalidReplicationGroupStateFault({
                    message: `Replication group ${GROUP_ID} is not in available state`,
                    $metadata: {},
                });
            const strategy = input.AuthTokenUpdateStrategy;
            if ((strategy !== "ROTATE" && strategy !== "SET") || !input.AuthToken)
                throw new Error("the fake models AUTH token changes only");
            this.change = { strategy, token: input.AuthToken, describesLeft: this.describesUntilApplied };
            this.status = "modifying";
            return { ReplicationGroup: this.view() };
        });
    }
}

/** Dependencies that reach the test server's TLS port with its CA and wait 20 ms between checks. */
function deps(): { deps: RotationDeps; lines: string[] } {
    const made = makeDeps({
        redisWait: { attempts: 20, intervalMs: 20 },
        redis: { caBundlePath: redis.caFile, timeoutMs: 3000 },
        sleep: (ms) => new Promise((r) => setTimeout(r, ms)),
    });
    return { deps: made.deps, lines: made.lines };
}

/** Does the real server accept this token (a fresh node-redis connection)? */
async function accepts(token: string): Promise<boolean> {
    const client = createClient({
        socket: { host: redis.host, port: redis.port, tls: true, ca: redis.caPem, reconnectStrategy: false },
        password: token,
    });
    client.on("error", () => undefined);
    try {
        await client.connect();
        await client.ping();
        return true;
    } catch {
        return false;
    } finally {
        if (client.isOpen) await client.quit().catch(() => undefined);
    }
}

function secretWith(token: string): Record<string, unknown> {
    return { kind: "redis-auth", replicationGroupId: GROUP_ID, token, length: 64 };
}

describe("SEC-1 CACHE-1 Redis AUTH rotation against a real redis-server", function () {
    this.timeout(120_000);

    before(async () => {
        sm = mockClient(SecretsManagerClient);
        ec = mockClient(ElastiCacheClient);
        initialToken = throwAwayToken(64);
        redis = await startRedis(initialToken);
    });

    after(async () => {
        sm.restore();
        ec.restore();
        await redis?.stop();
    });

    beforeEach(async () => {
        sm.reset();
        ec.reset();
        await redis.setTokens([initialToken]);
    });

    it("createSecret draws a token within ElastiCache's rules", async () => {
        const state = new SecretState(sm, secretWith(initialToken));
        state.install();
        await createHandler(deps().deps)(event("createSecret"));
        assert.deepEqual(
            sm.commandCalls(GetRandomPasswordCommand).map((c) => c.args[0].input),
            [
                {
                    IncludeSpace: false,
                    PasswordLength: 64,
                    ExcludeCharacters: REDIS_EXCLUDED_CHARACTERS,
                    RequireEachIncludedType: true,
                },
            ],
        );
        for (const forbidden of ['"', "@", "/", "#", "&", "%", ":"])
            assert.ok(REDIS_EXCLUDED_CHARACTERS.includes(forbidden), forbidden);
        assert.match(String(state.json(TOKEN).token), /^[A-Za-z0-9!$^<>-]{64}$/);
    });

    it("the full sequence leaves the server accepting the new AWSCURRENT and, with ROTATE, the old token too", async () => {
        const state = new SecretState(sm, secretWith(initialToken));
        state.install();
        const group = new FakeReplicationGroup(redis, 2);
        group.install();
        const { deps: d, lines } = deps();
        const run = createHandler(d);
        for (const step of STEPS) await run(event(step));
        const newToken = String(state.json(TOKEN).token);
        assert.deepEqual(
            state.stages.get(TOKEN),
            ["AWSPENDING", "AWSCURRENT"].filter((l) => state.stages.get(TOKEN)!.includes(l)),
        );
        assert.ok(state.stages.get(TOKEN)!.includes("AWSCURRENT"));
        assert.deepEqual(
            group.modifies.map((m) => [m.AuthTokenUpdateStrategy, m.ApplyImmediately]),
            [["ROTATE", true]],
        );
        assert.equal(await accepts(newToken), true, "the new AWSCURRENT token is accepted");
        assert.equal(await accepts(initialToken), true, "ROTATE keeps the old token until the next rotation");
        assertNoSecretLogged(lines, [initialToken, newToken]);
    });

    it("testSecret authenticates with the pending token: a change ElastiCache never applied fails the rotation", async () => {
        // Found in review: testSecret only waited for `available`, so a token the server never accepted passed.
        const state = new SecretState(sm, secretWith(initialToken));
        state.values.set(TOKEN, { text: JSON.stringify(secretWith(throwAwayToken(64))), created: new Date() });
        state.install();
        new FakeReplicationGroup(redis).install();
        await expectFailure(createHandler(deps().deps)(event("testSecret")), "testSecret", "rejects the AWSPENDING token");
    });

    it("idempotence compares tokens, not timestamps: a token changed after AWSPENDING was created is not taken as applied", async () => {
        // Found in review: setSecret skipped ModifyReplicationGroup whenever the group's AUTH token had changed after
        // the pending version was created (e.g. an operator's emergency SET), and finishSecret then published a
        // token the server rejects.
        const state = new SecretState(sm, secretWith(initialToken));
        const pendingToken = throwAwayToken(64);
        state.values.set(TOKEN, { text: JSON.stringify(secretWith(pendingToken)), created: new Date(Date.now() - 60_000) });
        state.install();
        const group = new FakeReplicationGroup(redis);
        group.lastModified = new Date();
        group.install();
        const run = createHandler(deps().deps);
        for (const step of ["setSecret", "testSecret", "finishSecret"]) await run(event(step));
        assert.equal(group.modifies.length, 1);
        assert.equal(await accepts(pendingToken), true);
    });

    it("a retried setSecret whose first attempt was applied does not rotate again (the old token stays valid)", async () => {
        const state = new SecretState(sm, secretWith(initialToken));
        state.install();
        const group = new FakeReplicationGroup(redis, 1);
        group.install();
        const run = createHandler(deps().deps);
        await run(event("createSecret"));
        await run(event("setSecret"));
        // Secrets Manager retries the step (e.g. after a timeout): the change has been applied meanwhile.
        await expectFailure(run(event("setSecret")), "setSecret", "is modifying");
        await run(event("setSecret"));
        assert.equal(group.modifies.length, 1, "one ModifyReplicationGroup only");
        assert.equal(await accepts(initialToken), true, "a second ROTATE would have pushed the old token out");
        assert.equal(await accepts(String(state.json(TOKEN).token)), true);
    });

    it("refuses a group without in-transit encryption or AUTH and a pending secret naming another group", async () => {
        const state = new SecretState(sm, secretWith(initialToken));
        state.values.set(TOKEN, { text: JSON.stringify(secretWith(throwAwayToken(64))), created: new Date() });
        state.install();
        const group = new FakeReplicationGroup(redis);
        group.install();
        ec.on(DescribeReplicationGroupsCommand).resolves({ ReplicationGroups: [{ ...group.view(), AuthTokenEnabled: false }] });
        await expectFailure(
            createHandler(deps().deps)(event("setSecret")),
            "setSecret",
            "must have in-transit encryption and an AUTH token enabled",
        );

        sm.reset();
        ec.reset();
        const other = new SecretState(sm, secretWith(initialToken));
        other.values.set(TOKEN, {
            text: JSON.stringify({ ...secretWith(throwAwayToken(64)), replicationGroupId: "attacker-group" }),
            created: new Date(),
        });
        other.install();
        await expectFailure(createHandler(deps().deps)(event("setSecret")), "setSecret", "different replication group");
        assert.equal(ec.calls().length, 0);
    });

    it("a failing ModifyReplicationGroup surfaces with its error name and without the token", async () => {
        const pendingToken = throwAwayToken(64);
        const state = new SecretState(sm, secretWith(initialToken));
        state.values.set(TOKEN, { text: JSON.stringify(secretWith(pendingToken)), created: new Date() });
        state.install();
        new FakeReplicationGroup(redis).install();
        ec.on(ModifyReplicationGroupCommand).rejects(
            new InvalidReplicationGroupStateFault({ message: `cannot apply token ${pendingToken} now`, $metadata: {} }),
        );
        const { deps: d, lines } = deps();
        const error = await expectFailure(
            createHandler(d)(event("setSecret")),
            "setSecret",
            `ModifyReplicationGroup on ${GROUP_ID} failed`,
        );
        assert.equal(error.causeName, "InvalidReplicationGroupStateFault");
        assert.ok(!error.message.includes(pendingToken));
        assert.ok(error.message.includes(REDACTED));
        assertNoSecretLogged(lines, [pendingToken, initialToken]);
    });

    it("testSecret fails when the group stays busy, and on a token ElastiCache would refuse", async () => {
        const state = new SecretState(sm, secretWith(initialToken));
        state.values.set(TOKEN, { text: JSON.stringify(secretWith(throwAwayToken(64))), created: new Date() });
        state.install();
        const group = new FakeReplicationGroup(redis, 1000);
        group.install();
        await createHandler(deps().deps)(event("setSecret"));
        await expectFailure(createHandler(deps().deps)(event("testSecret")), "testSecret", "is still modifying after 20 checks");

        sm.reset();
        const bad = new SecretState(sm, secretWith(initialToken));
        bad.values.set(TOKEN, { text: JSON.stringify(secretWith('has/slash@and"quote-0123456789')), created: new Date() });
        bad.install();
        await expectFailure(
            createHandler(deps().deps)(event("testSecret")),
            "testSecret",
            "characters ElastiCache does not accept",
        );
    });

    it("an unreachable cache is a clear failure naming the endpoint, not a hang", async () => {
        const state = new SecretState(sm, secretWith(initialToken));
        state.values.set(TOKEN, { text: JSON.stringify(secretWith(throwAwayToken(64))), created: new Date() });
        state.install();
        const group = new FakeReplicationGroup(redis);
        group.install();
        ec.on(DescribeReplicationGroupsCommand).resolves({
            ReplicationGroups: [{ ...group.view(), NodeGroups: [{ PrimaryEndpoint: { Address: "127.0.0.1", Port: 1 } }] }],
        });
        await expectFailure(
            createHandler(deps().deps)(event("testSecret")),
            "testSecret",
            "cannot reach the cache at 127.0.0.1:1",
        );
    });

    it("a client taking its token the way the API does keeps working through two full rotations", async () => {
        // How the API gets the token: the rendered ExternalSecret extracts every key of the AUTH secret's
        // AWSCURRENT into the Kubernetes Secret that the Deployment reads with envFrom.
        const prod = await renderedStack("prod");
        const es = ofType(prod, "kubernetes:external-secrets.io/v1:ExternalSecret").find(
            (r) => (r.inputs.metadata as { name?: string })?.name === "bookbuddy-redis",
        );
        assert.ok(es, "the prod stack renders the ExternalSecret bookbuddy-redis");
        const spec = es.inputs.spec as { dataFrom?: { extract?: { key?: string; version?: string } }[] };
        assert.equal(spec.dataFrom?.[0]?.extract?.key, "bookbuddy-prod/cache/auth");
        const stage = spec.dataFrom?.[0]?.extract?.version ?? "AWSCURRENT";
        const deployment = one(prod, "kubernetes:apps/v1:Deployment", /-app-api$/);
        const envFrom = (deployment.inputs.spec as any).template.spec.containers[0].envFrom as { secretRef?: { name: string } }[];
        assert.ok(envFrom.some((e) => e.secretRef?.name === "bookbuddy-redis"));

        const state = new SecretState(sm, secretWith(initialToken));
        state.install();
        const group = new FakeReplicationGroup(redis, 2);
        group.install();
        // The Kubernetes Secret as External Secrets last synced it (refreshed after each step here, hourly in the stack).
        let synced: Record<string, string> = {};
        const sync = async () => {
            const out = await new SecretsManagerClient({ region: "eu-west-1" }).send(
                new GetSecretValueCommand({ SecretId: SECRET_ARN, VersionStage: stage }),
            );
            synced = Object.fromEntries(
                Object.entries(JSON.parse(out.SecretString!) as Record<string, unknown>).map(([k, v]) => [k, String(v)]),
            );
        };
        await sync();

        // A connection opened before the rotations stays authenticated; new connections use the synced token.
        const longLived = createClient({
            socket: { host: redis.host, port: redis.port, tls: true, ca: redis.caPem, reconnectStrategy: false },
            password: synced.token,
        });
        longLived.on("error", () => undefined);
        await longLived.connect();
        const failures: string[] = [];
        let connections = 0;
        let running = true;
        const clientLoop = (async () => {
            while (running) {
                const c = createClient({
                    socket: { host: redis.host, port: redis.port, tls: true, ca: redis.caPem, reconnectStrategy: false },
                    password: synced.token,
                });
                c.on("error", () => undefined);
                try {
                    await c.connect();
                    await c.set("bookbuddy:probe", String(connections));
                    assert.equal(await c.get("bookbuddy:probe"), String(connections));
                    assert.equal(await longLived.ping(), "PONG");
                    connections++;
                } catch (error) {
                    failures.push((error as Error).message.split(" ")[0] ?? "error");
                } finally {
                    if (c.isOpen) await c.quit().catch(() => undefined);
                }
                await new Promise((r) => setTimeout(r, 5));
            }
        })();

        const tokens = [initialToken];
        const run = createHandler(deps().deps);
        for (const version of [TOKEN, "33333333-3333-4333-8333-333333333333"]) {
            // RotateSecret labels a new version AWSPENDING, then invokes the four steps.
            for (const [id, labels] of state.stages)
                state.stages.set(
                    id,
                    labels.filter((l) => l !== "AWSPENDING"),
                );
            state.stages.set(version, ["AWSPENDING"]);
            for (const step of STEPS) {
                await run(event(step, version));
                await sync();
                // The client opens at least two new connections between steps.
                const before = connections;
                const deadline = Date.now() + 10_000;
                while (connections < before + 2 && failures.length === 0 && Date.now() < deadline)
                    await new Promise((r) => setTimeout(r, 5));
                assert.ok(connections >= before + 2, `the client connected after ${step} (${failures.join(", ")})`);
            }
            tokens.push(String(state.json(version).token));
            assert.equal(synced.token, tokens.at(-1));
        }
        running = false;
        await clientLoop;
        await longLived.quit();

        assert.deepEqual(failures, [], "no connection of the client failed");
        assert.equal(group.modifies.length, 2);
        // ElastiCache keeps two tokens: the first is gone after the second rotation, so a pod must have picked up
        // the first rotation's token before the next one (docs/secret-rotation.md).
        assert.equal(await accepts(tokens[0]!), false);
        assert.equal(await accepts(tokens[1]!), true);
        assert.equal(await accepts(tokens[2]!), true);
        assert.ok(state.stages.get(TOKEN)!.includes("AWSPREVIOUS"));
        assert.ok(!state.stages.get(CURRENT_VERSION)!.includes("AWSPREVIOUS"));
    });
});

describe("SEC-1 SEC-6 CACHE-1 the rotation function reaches the cache on 6379 (rendered stacks)", function () {
    this.timeout(300_000);
    for (const stack of ["dev", "staging", "prod"]) {
        it(`${stack}: an egress rule to the cache's group on 6379, and the cache admits the function's group`, async () => {
            const doc = await renderedStack(stack);
            const rotationSg = one(doc, "aws:ec2/securityGroup:SecurityGroup", `bookbuddy-${stack}-secret-rotation`);
            const cacheSg = one(doc, "aws:ec2/securityGroup:SecurityGroup", `bookbuddy-${stack}-cache`);
            const egress = ofType(doc, "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule").filter(
                (r) =>
                    (r.propertyDependencies.securityGroupId ?? []).includes(rotationSg.urn) &&
                    (r.propertyDependencies.referencedSecurityGroupId ?? []).includes(cacheSg.urn),
            );
            assert.equal(
                egress.length,
                1,
                `one egress rule from the rotation function to the cache: ${egress.map(nameOf).join(", ")}`,
            );
            assert.deepEqual(
                [egress[0]!.inputs.ipProtocol, egress[0]!.inputs.fromPort, egress[0]!.inputs.toPort],
                ["tcp", 6379, 6379],
            );
            const ingress = (cacheSg.inputs.ingress as { fromPort: number; toPort: number; securityGroups?: string[] }[]) ?? [];
            assert.ok(
                (cacheSg.propertyDependencies.ingress ?? []).includes(rotationSg.urn),
                "the cache's ingress refers to the rotation function's group",
            );
            assert.equal(
                ingress.filter((r) => r.fromPort === 6379 && r.toPort === 6379 && (r.securityGroups ?? []).length === 1).length,
                2,
                "6379 from the cluster and from the rotation function, nothing else",
            );
            assert.equal(ingress.length, 2);
        });
    }
});
