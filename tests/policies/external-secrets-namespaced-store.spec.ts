/**
 * `external-secrets-namespaced-store` (SEC-7) beyond the shared cases: the kinds that are violations whatever they
 * hold, fail-closed handling of unknowns, and the rendered stacks, which pass it.
 */
import * as assert from "assert";
import { PlanResourceState } from "../../tools/plan/types";
import { renderedStack, resources, STACKS } from "../support/plan";
import { ruleNamed } from "./cases";
import { checkResource, resource, WIRE } from "./harness";

const rule = ruleNamed("external-secrets-namespaced-store");
const store = { kind: "SecretStore", name: "aws-secrets-manager" };
const data = [{ secretKey: "password", remoteRef: { key: "bookbuddy-prod/database/app", property: "password" } }];

describe("SEC-7: external-secrets-namespaced-store", function () {
    this.timeout(300_000);

    for (const version of ["v1", "v1beta1"]) {
        it(`reports a ClusterSecretStore and a ClusterExternalSecret (${version}), whatever they hold`, async () => {
            const css = await checkResource(
                rule,
                resource(`kubernetes:external-secrets.io/${version}:ClusterSecretStore`, "all", {
                    spec: { provider: { aws: { service: "SecretsManager", region: "us-east-1" } } },
                }),
            );
            assert.match(css.violations[0]?.message ?? "", /ClusterSecretStore serves ExternalSecrets of every namespace/);
            const unknownSpec = await checkResource(
                rule,
                resource(`kubernetes:external-secrets.io/${version}:ClusterSecretStore`, "all", { spec: WIRE.unknown }),
            );
            assert.equal(unknownSpec.violations.length, 1, "an unknown spec does not make a ClusterSecretStore acceptable");
            const ces = await checkResource(
                rule,
                resource(`kubernetes:external-secrets.io/${version}:ClusterExternalSecret`, "everywhere", {
                    spec: { namespaceSelectors: [{}], externalSecretSpec: { secretStoreRef: store, data } },
                }),
            );
            assert.match(ces.violations[0]?.message ?? "", /ClusterExternalSecret copies secrets into many namespaces/);
        });
    }

    it("cannot judge an unknown store reference or entry list, and never passes one silently", async () => {
        const es = (spec: Record<string, unknown>) =>
            resource("kubernetes:external-secrets.io/v1:ExternalSecret", "es", {
                metadata: { name: "x", namespace: "bookbuddy" },
                spec,
            });
        for (const spec of [
            { secretStoreRef: WIRE.unknown, data },
            { secretStoreRef: { kind: WIRE.unknown, name: "s" }, data },
            { data: WIRE.unknown },
            WIRE.unknown,
        ]) {
            const outcome = await checkResource(rule, es(spec as Record<string, unknown>));
            assert.deepStrictEqual(outcome.violations, [], JSON.stringify(spec));
            assert.equal(outcome.cannotJudge.length, 1, JSON.stringify(spec));
        }
        // One entry naming its store does not cover another entry that names none.
        const partial = await checkResource(rule, es({ data: [{ ...data[0], sourceRef: { storeRef: store } }, data[0]] }));
        assert.match(partial.violations[0]?.message ?? "", /names no SecretStore/);
    });

    for (const stack of STACKS) {
        it(`${stack}: every rendered External Secrets object passes`, async () => {
            const doc = await renderedStack(stack);
            const objects = resources(doc).filter((r: PlanResourceState) => r.type.startsWith("kubernetes:external-secrets.io/"));
            assert.ok(objects.some((r) => r.type.endsWith(":ExternalSecret")));
            for (const r of objects) {
                const outcome = await checkResource(
                    rule,
                    resource(r.type, r.urn.split("::").pop()!, r.inputs as Record<string, unknown>),
                );
                assert.deepStrictEqual(outcome.violations, [], r.urn);
            }
        });
    }
});
