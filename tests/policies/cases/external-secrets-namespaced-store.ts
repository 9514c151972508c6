/**
 * Cases of `external-secrets-namespaced-store` (SEC-7): the ExternalSecret forms that decide which store serves a
 * namespace (secretStoreRef and per-entry sourceRef.storeRef), in both served API versions. The kinds that are
 * violations whatever they hold (ClusterSecretStore, ClusterExternalSecret) have no compliant form, so they are
 * proven in tests/policies/external-secrets-namespaced-store.spec.ts, with the rendered stacks.
 */
import type { ResourceCase } from "../cases";

const ES = "kubernetes:external-secrets.io/v1:ExternalSecret";
const store = { kind: "SecretStore", name: "aws-secrets-manager" };
const externalSecret = (spec: Record<string, unknown>) => ({
    apiVersion: "external-secrets.io/v1",
    kind: "ExternalSecret",
    metadata: { name: "bookbuddy-database", namespace: "bookbuddy" },
    spec: { refreshInterval: "1h", target: { name: "bookbuddy-database" }, ...spec },
});
const data = [{ secretKey: "password", remoteRef: { key: "bookbuddy-prod/database/app", property: "password" } }];
const okSpec = { secretStoreRef: store, data };

export const externalSecretsNamespacedStoreCases: ResourceCase[] = [
    {
        rule: "external-secrets-namespaced-store",
        type: ES,
        ok: externalSecret(okSpec),
        bad: [
            {
                why: "a ClusterSecretStore reference",
                props: externalSecret({ ...okSpec, secretStoreRef: { kind: "ClusterSecretStore", name: "aws-secrets-manager" } }),
                expect: /names a ClusterSecretStore/,
            },
            {
                why: "an entry read from a ClusterSecretStore",
                props: externalSecret({
                    ...okSpec,
                    dataFrom: [{ extract: { key: "x" }, sourceRef: { storeRef: { kind: "ClusterSecretStore", name: "all" } } }],
                }),
                expect: /dataFrom\[0\]\.sourceRef\.storeRef names a ClusterSecretStore/,
            },
            {
                why: "an unexpected store kind (fail closed)",
                props: externalSecret({ ...okSpec, secretStoreRef: { kind: "Secretstore", name: "typo" } }),
                expect: /names a Secretstore/,
            },
            { why: "no store at all", props: externalSecret({ data }), expect: /names no SecretStore/ },
            {
                why: "a store reference that is not an object",
                props: externalSecret({ ...okSpec, secretStoreRef: "aws-secrets-manager" }),
                expect: /not a store reference/,
            },
        ],
    },
    {
        rule: "external-secrets-namespaced-store",
        type: "kubernetes:external-secrets.io/v1beta1:ExternalSecret",
        // Every entry names its own (namespaced, kind defaulted) store: no spec-level reference needed.
        ok: externalSecret({ data: [{ ...data[0], sourceRef: { storeRef: { name: "aws-secrets-manager" } } }] }),
        bad: [
            {
                why: "the v1beta1 form naming a ClusterSecretStore",
                props: externalSecret({ ...okSpec, secretStoreRef: { kind: "ClusterSecretStore", name: "s" } }),
                expect: /names a ClusterSecretStore/,
            },
        ],
    },
];
