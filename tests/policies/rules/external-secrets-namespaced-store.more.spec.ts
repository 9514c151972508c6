import { WIRE, cannotJudge, pinResource } from "./pin";

const RULE = "external-secrets-namespaced-store";
const TYPE = "kubernetes:external-secrets.io/v1beta1:ExternalSecret";
const STORE = { kind: "SecretStore", name: "api" };
const NO_STORE = "The ExternalSecret names no SecretStore in spec.secretStoreRef (nor one per entry).";
const entry = (over: Record<string, unknown> = {}) => ({
    secretKey: "password",
    remoteRef: { key: "bookbuddy/api/db" },
    ...over,
});
const pin = (spec: unknown, verdict: Parameters<typeof pinResource>[3]) =>
    pinResource(
        RULE,
        TYPE,
        { apiVersion: "external-secrets.io/v1beta1", kind: "ExternalSecret", metadata: { name: "db", namespace: "api" }, spec },
        verdict,
    );

describe(`${RULE}: the store an ExternalSecret reads through (SEC-7, SEC-4)`, () => {
    it("reports an ExternalSecret without entries or a store reference", async () => {
        await pin({ target: { name: "db" } }, { violations: [NO_STORE] });
        await pin({ data: [entry({ sourceRef: { storeRef: STORE } }), entry()] }, { violations: [NO_STORE] });
    });

    it("accepts a store per entry, in data and in dataFrom", async () => {
        await pin(
            {
                data: [entry({ sourceRef: { storeRef: STORE } })],
                dataFrom: [{ extract: { key: "k" }, sourceRef: { storeRef: STORE } }],
            },
            {},
        );
    });

    it("names the reference that points at a ClusterSecretStore", async () => {
        await pin(
            { secretStoreRef: { kind: "ClusterSecretStore", name: "shared" }, data: [entry()] },
            {
                violations: [
                    "spec.secretStoreRef names a ClusterSecretStore; only a SecretStore of the ExternalSecret's own namespace may serve it.",
                ],
            },
        );
    });

    it("cannot judge an unknown spec, unknown entries or an unknown store kind", async () => {
        await pin(WIRE.unknown, { cannotJudge: [cannotJudge(RULE, "spec")] });
        await pin({ secretStoreRef: STORE, data: WIRE.unknown }, { cannotJudge: [cannotJudge(RULE, "spec.data")] });
        await pin(
            { secretStoreRef: { kind: "ClusterSecretStore" }, dataFrom: WIRE.unknown },
            { cannotJudge: [cannotJudge(RULE, "spec.dataFrom")] },
        );
        await pin(
            { secretStoreRef: { kind: WIRE.unknown, name: "api" }, data: [entry()] },
            {
                cannotJudge: [cannotJudge(RULE, "spec.secretStoreRef.kind")],
            },
        );
    });
});
