/**
 * JWT signing secret overlap (SEC-1): tokens signed before a rotation verify after it.
 *
 * The API's inputs are taken from the rendered prod stack: the ExternalSecret `bookbuddy-jwt` (which
 * entries, which version stage, which JSON property) and the Deployment's envFrom. External Secrets is
 * emulated by reading exactly those references from a stateful fake of Secrets Manager, the rotation runs
 * through the project's rotation function (the four steps), and tokens are signed and verified by a real
 * JWT library (jsonwebtoken, HS256): sign with JWT_SECRET, verify with JWT_SECRET and JWT_SECRET_PREVIOUS.
 */
import * as assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { ElastiCacheClient } from "@aws-sdk/client-elasticache";
import { GetSecretValueCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { mockClient } from "aws-sdk-client-mock";
import jwt from "jsonwebtoken";
import { createHandler } from "../../lambdas/rotation/src/index";
import { JWT_ENV, RANDOM_VALUE_LENGTH, randomSecretJson } from "../../components/secrets";
import {
    CURRENT_VERSION,
    SECRET_ARN,
    SecretState,
    TOKEN,
    assertNoSecretLogged,
    makeDeps,
    type SecretsMock,
} from "./rotation-fixtures";
import { one, ofType, renderedStack } from "../support/plan";

const STEPS = ["createSecret", "setSecret", "testSecret", "finishSecret"] as const;
const SECOND = "44444444-4444-4444-8444-444444444444";

interface RemoteRef {
    key: string;
    property?: string;
    version?: string;
}
interface ExternalSecretSpec {
    data?: { secretKey: string; remoteRef: RemoteRef }[];
    dataFrom?: { extract?: RemoteRef }[];
}

/** What External Secrets writes into the Kubernetes Secret for a spec (AWS provider: version = staging label). */
async function syncExternalSecret(spec: ExternalSecretSpec): Promise<Record<string, string>> {
    const client = new SecretsManagerClient({ region: "eu-west-1" });
    const read = async (ref: RemoteRef) => {
        const out = await client.send(
            new GetSecretValueCommand({ SecretId: SECRET_ARN, VersionStage: ref.version ?? "AWSCURRENT" }),
        );
        return JSON.parse(out.SecretString!) as Record<string, unknown>;
    };
    const env: Record<string, string> = {};
    for (const e of spec.dataFrom ?? []) {
        if (e.extract) for (const [k, v] of Object.entries(await read(e.extract))) env[k] = String(v);
    }
    for (const d of spec.data ?? []) {
        const value = (await read(d.remoteRef))[d.remoteRef.property ?? ""];
        if (typeof value !== "string")
            throw new Error(
                `External Secrets would fail the sync: property ${d.remoteRef.property} of ${d.remoteRef.key} is missing`,
            );
        env[d.secretKey] = value;
    }
    return env;
}

/** The API's verifier: HS256 with the current key or the previous one. */
function verifies(env: Record<string, string>, token: string): boolean {
    for (const key of [env[JWT_ENV.current], env[JWT_ENV.previous]]) {
        if (!key) continue;
        try {
            jwt.verify(token, key, { algorithms: ["HS256"] });
            return true;
        } catch {
            // try the next key
        }
    }
    return false;
}

function sign(env: Record<string, string>, subject: string): string {
    const key = env[JWT_ENV.current];
    assert.ok(key, `the API gets ${JWT_ENV.current}`);
    return jwt.sign({ sub: subject }, key, { algorithm: "HS256", expiresIn: "15m" });
}

describe("SEC-1 JWT verification accepts AWSCURRENT and AWSPREVIOUS during the overlap", function () {
    this.timeout(300_000);
    let sm: SecretsMock;
    let ec: ReturnType<typeof mockClient>;
    before(() => {
        sm = mockClient(SecretsManagerClient);
        ec = mockClient(ElastiCacheClient);
    });
    after(() => {
        sm.restore();
        ec.restore();
    });

    it("tokens signed before a rotation verify after it; after the next one they do not", async () => {
        const prod = await renderedStack("prod");
        const es = ofType(prod, "kubernetes:external-secrets.io/v1:ExternalSecret").find(
            (r) => (r.inputs.metadata as { name?: string })?.name === "bookbuddy-jwt",
        );
        assert.ok(es, "the prod stack renders the ExternalSecret bookbuddy-jwt");
        const spec = es.inputs.spec as ExternalSecretSpec;
        const deployment = one(prod, "kubernetes:apps/v1:Deployment", /-app-api$/);
        const envFrom = (deployment.inputs.spec as any).template.spec.containers[0].envFrom as { secretRef?: { name: string } }[];
        assert.ok(
            envFrom.some((e) => e.secretRef?.name === "bookbuddy-jwt"),
            "the API reads bookbuddy-jwt",
        );
        const refs = [...(spec.data ?? []).map((d) => d.remoteRef.key), ...(spec.dataFrom ?? []).map((d) => d.extract?.key)];
        assert.ok(
            refs.length > 0 && refs.every((k) => k === "bookbuddy-prod/app/jwt"),
            `every entry reads the JWT secret: ${refs.join(", ")}`,
        );

        // The first value in the shape the stack writes it (ApplicationSecrets), with a throw-away value.
        const initial = randomBytes(48).toString("base64url").slice(0, RANDOM_VALUE_LENGTH);
        const state = new SecretState(
            sm,
            JSON.parse(randomSecretJson(initial, RANDOM_VALUE_LENGTH, "base64url", { previous: initial })) as Record<
                string,
                unknown
            >,
        );
        state.install();
        const { deps, lines } = makeDeps();
        const run = createHandler(deps);

        const before = await syncExternalSecret(spec);
        const signedBefore = sign(before, "reader-1");
        assert.equal(verifies(before, signedBefore), true);

        for (const step of STEPS) await run({ SecretId: SECRET_ARN, ClientRequestToken: TOKEN, Step: step });
        const after = await syncExternalSecret(spec);
        assert.notEqual(after[JWT_ENV.current], before[JWT_ENV.current], "the signing key changed");
        // What reaches the API as the previous key is the value Secrets Manager labels AWSPREVIOUS.
        assert.ok(state.stages.get(CURRENT_VERSION)!.includes("AWSPREVIOUS"));
        assert.equal(after[JWT_ENV.previous], state.json(CURRENT_VERSION).value);
        const signedAfter = sign(after, "reader-2");
        assert.equal(verifies(after, signedBefore), true, "a token signed before the rotation verifies during the overlap");
        assert.equal(verifies(after, signedAfter), true, "a token signed with the new key verifies");
        assert.equal(
            verifies(after, jwt.sign({ sub: "forger" }, randomBytes(48).toString("base64url"), { algorithm: "HS256" })),
            false,
            "a foreign key does not",
        );

        // The next rotation ends the overlap of the first key.
        for (const [id, labels] of state.stages)
            state.stages.set(
                id,
                labels.filter((l) => l !== "AWSPENDING"),
            );
        state.stages.set(SECOND, ["AWSPENDING"]);
        for (const step of STEPS) await run({ SecretId: SECRET_ARN, ClientRequestToken: SECOND, Step: step });
        const later = await syncExternalSecret(spec);
        assert.equal(verifies(later, signedAfter), true);
        assert.equal(verifies(later, signedBefore), false, "two rotations later the first key is gone");
        assertNoSecretLogged(lines, [initial, after[JWT_ENV.current]!, later[JWT_ENV.current]!]);
    });
});
