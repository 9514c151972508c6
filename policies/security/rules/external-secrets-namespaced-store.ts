import { defineResourceRule } from "../../lib/rule";
import { at, isRecord, isUnknown, list } from "../../lib/values";

const GROUP = "kubernetes:external-secrets.io";
const VERSIONS = ["v1", "v1beta1"];
const typesOf = (kind: string) => VERSIONS.map((v) => `${GROUP}/${v}:${kind}`);

/**
 * SEC-7: a namespace reads only its own secrets. A ClusterSecretStore serves ExternalSecrets of every namespace,
 * so anyone allowed to create an ExternalSecret anywhere reads whatever the store's identity may read; a
 * ClusterExternalSecret writes secrets into many namespaces. Neither may exist, and every ExternalSecret names a
 * SecretStore (of its own namespace: a namespaced reference cannot leave it), in `secretStoreRef` and in every
 * per-entry `sourceRef.storeRef`. An omitted kind is the CRD's default, SecretStore. Fails closed: a reference
 * that cannot be read, or an ExternalSecret naming no store, is a violation; an unknown value cannot be judged.
 */
export const externalSecretsNamespacedStore = defineResourceRule({
    name: "external-secrets-namespaced-store",
    description:
        "No ClusterSecretStore or ClusterExternalSecret; every ExternalSecret reads through a SecretStore of its own namespace.",
    severity: "high",
    enforcementLevel: "mandatory",
    remediation:
        "Give the namespace its own SecretStore (auth.jwt.serviceAccountRef to an IRSA service account of that namespace whose role reads only its secrets) and set secretStoreRef: { kind: SecretStore, name: <store> }.",
    requirements: ["SEC-7", "SEC-4", "K8S-2"],
    resourceTypes: [...typesOf("ClusterSecretStore"), ...typesOf("ClusterExternalSecret"), ...typesOf("ExternalSecret")],
    validate({ type, props }, judge) {
        if (type.endsWith(":ClusterSecretStore")) {
            judge.violation("A ClusterSecretStore serves ExternalSecrets of every namespace; use one SecretStore per namespace.");
            return;
        }
        if (type.endsWith(":ClusterExternalSecret")) {
            judge.violation(
                "A ClusterExternalSecret copies secrets into many namespaces; declare an ExternalSecret in each namespace with its own SecretStore.",
            );
            return;
        }
        const spec = at(props, "spec");
        if (isUnknown(spec)) {
            judge.cannotJudge("spec");
            return;
        }
        const refs: { where: string; ref: unknown }[] = [];
        const storeRef = at(spec, "secretStoreRef");
        if (storeRef !== undefined) refs.push({ where: "spec.secretStoreRef", ref: storeRef });
        let entries = 0;
        for (const field of ["data", "dataFrom"]) {
            const items = at(spec, field);
            if (isUnknown(items)) {
                judge.cannotJudge(`spec.${field}`);
                return;
            }
            list(items).forEach((item, i) => {
                entries++;
                const source = at(item, "sourceRef.storeRef");
                if (source !== undefined) refs.push({ where: `spec.${field}[${i}].sourceRef.storeRef`, ref: source });
            });
        }
        if (storeRef === undefined && (entries === 0 || refs.length < entries)) {
            judge.violation("The ExternalSecret names no SecretStore in spec.secretStoreRef (nor one per entry).");
            return;
        }
        for (const { where, ref } of refs) {
            if (isUnknown(ref)) {
                judge.cannotJudge(where);
                continue;
            }
            if (!isRecord(ref)) {
                judge.violation(`${where} is not a store reference.`);
                continue;
            }
            judge.expect(
                ref["kind"] ?? "SecretStore",
                `${where}.kind`,
                (kind) => kind === "SecretStore",
                `${where} names a ${String(ref["kind"])}; only a SecretStore of the ExternalSecret's own namespace may serve it.`,
            );
        }
    },
});
