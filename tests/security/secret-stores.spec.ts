/**
 * Secret access scoped per namespace (SEC-7, #13 item 6), on the rendered stacks:
 * - no ClusterSecretStore exists, and every ExternalSecret names a SecretStore of its own namespace;
 * - every SecretStore authenticates as a ServiceAccount of its own namespace, annotated with a role whose trust
 *   (evaluated by an IAM policy evaluator, pbac, which knows web-identity keys the other evaluator ignores) admits exactly that namespace/service account's token from the
 *   cluster's OIDC provider for STS, and whose policy names exactly the secrets that namespace's ExternalSecrets
 *   read (what each role may and may not read is simulated call by call in tests/upstream/iam-calls);
 * - the RDS master secret is read by no ExternalSecret and held by no Secret: the bootstrap Job reads it itself.
 */
import { strict as assert } from "assert";
import { SECRET_STORE_SERVICE_ACCOUNT } from "../../components/cluster/secret-store";
import { PlanDocument, PlanResourceState } from "../../tools/plan/types";
import { json, nameOf, ofType, renderedStack, resources, STACKS } from "../support/plan";
import { asList, evaluator, PolicyDocument, Statement } from "../support/iam";

/** Whether a web-identity assumption is admitted by the trust (tests/support/iam.ts: every condition key evaluated). */
function admitsWebIdentity(
    trust: PolicyDocument,
    federated: string,
    issuer: string,
    claims: { sub: string; aud: string },
): boolean {
    const statement = asList(trust.Statement)[0] as Statement | undefined;
    const keys = Object.values((statement?.Condition ?? {}) as Record<string, Record<string, unknown>>).flatMap(Object.keys);
    assert.ok(keys.length >= 2, "the trust is conditioned on subject and audience");
    return evaluator([trust]).evaluate({
        action: "sts:AssumeRoleWithWebIdentity",
        principal: { Federated: [federated] },
        context: { [issuer]: claims },
    });
}

const meta = (r: PlanResourceState) =>
    (r.inputs as { metadata: { name: string; namespace?: string; annotations?: Record<string, string> } }).metadata;
const spec = (r: PlanResourceState) => (r.inputs as { spec: any }).spec;

/** The Secrets Manager names an ExternalSecret reads (data[].remoteRef.key and dataFrom[].extract.key). */
function remoteKeys(es: PlanResourceState): string[] {
    const s = spec(es);
    return [
        ...(s.data ?? []).map((d: any) => d.remoteRef.key),
        ...(s.dataFrom ?? []).map((d: any) => d.extract?.key ?? d.find?.name?.regexp),
    ].map(String);
}

/** Whether an IAM resource pattern (`*` and `?` wildcards) matches an ARN. */
function matches(pattern: string, arn: string): boolean {
    const re = new RegExp(
        `^${pattern
            .replace(/[.+^${}()|[\]\\]/g, "\\$&")
            .replace(/\*/g, ".*")
            .replace(/\?/g, ".")}$`,
    );
    return re.test(arn);
}

/** The rendered stack's RDS master secret ARN. */
function masterSecretArn(doc: PlanDocument): string {
    const instance = ofType(doc, "aws:rds/instance:Instance")[0];
    const arn = (instance.outputs?.masterUserSecrets as { secretArn: string }[] | undefined)?.[0]?.secretArn;
    assert.ok(arn, "the rendered instance has a managed master secret");
    return arn;
}

describe("SEC-7: a namespace reads only its own secrets; the master secret stays out of the cluster", function () {
    this.timeout(300_000);
    for (const stack of STACKS) {
        describe(stack, () => {
            let doc: PlanDocument;
            before(async () => {
                doc = await renderedStack(stack);
            });

            it("declares no ClusterSecretStore, and every ExternalSecret names a SecretStore of its own namespace", () => {
                assert.deepEqual(
                    resources(doc)
                        .filter(
                            (r) =>
                                r.type.endsWith(":ClusterSecretStore") ||
                                (r.inputs as { kind?: string }).kind === "ClusterSecretStore",
                        )
                        .map(nameOf),
                    [],
                );
                const stores = ofType(doc, "kubernetes:external-secrets.io/v1:SecretStore");
                const externalSecrets = ofType(doc, "kubernetes:external-secrets.io/v1:ExternalSecret");
                assert.ok(externalSecrets.length >= 8, `${stack}: ${externalSecrets.length} ExternalSecrets`);
                for (const es of externalSecrets) {
                    const ref = spec(es).secretStoreRef;
                    assert.equal(ref.kind, "SecretStore", `${nameOf(es)}: store kind`);
                    const store = stores.find((s) => meta(s).name === ref.name && meta(s).namespace === meta(es).namespace);
                    assert.ok(store, `${nameOf(es)}: no SecretStore ${ref.name} in namespace ${meta(es).namespace}`);
                }
            });

            it("each SecretStore's role admits only its namespace's service account token and reads exactly that namespace's secrets", async () => {
                const stores = ofType(doc, "kubernetes:external-secrets.io/v1:SecretStore");
                const namespaces = stores.map((s) => meta(s).namespace!).sort();
                assert.deepEqual(namespaces, ["bookbuddy", "database-jobs", "monitoring"]);
                const oidc = ofType(doc, "aws:iam/openIdConnectProvider:OpenIdConnectProvider");
                assert.equal(oidc.length, 1, "one IRSA provider, shared with the Elasticsearch snapshots");
                const provider = String(oidc[0].outputs?.arn);
                const issuer = String(oidc[0].inputs.url).replace(/^https:\/\//, "");
                const roles = ofType(doc, "aws:iam/role:Role");
                for (const store of stores) {
                    const ns = meta(store).namespace!;
                    const saName = spec(store).provider.aws.auth.jwt.serviceAccountRef.name;
                    assert.equal(saName, SECRET_STORE_SERVICE_ACCOUNT);
                    assert.equal(
                        spec(store).provider.aws.auth.jwt.serviceAccountRef.namespace,
                        undefined,
                        "a namespaced store uses its own namespace's account",
                    );
                    const sa = ofType(doc, "kubernetes:core/v1:ServiceAccount").find(
                        (a) => meta(a).name === saName && meta(a).namespace === ns,
                    );
                    assert.ok(sa, `${ns}: no ServiceAccount ${saName}`);
                    const role = roles.find((r) => r.outputs?.arn === meta(sa).annotations?.["eks.amazonaws.com/role-arn"]);
                    assert.ok(role, `${ns}: the service account names no role of the stack`);

                    const trust = json<PolicyDocument>(role.inputs.assumeRolePolicy);
                    const admits = (sub: string, aud = "sts.amazonaws.com", federated = provider) =>
                        admitsWebIdentity(trust, federated, issuer, { sub, aud });
                    assert.equal(admits(`system:serviceaccount:${ns}:${saName}`), true, `${ns}: its own account`);
                    for (const other of namespaces.filter((n) => n !== ns))
                        assert.equal(admits(`system:serviceaccount:${other}:${saName}`), false, `${ns}: admits ${other}`);
                    assert.equal(admits(`system:serviceaccount:${ns}:default`), false, `${ns}: another account of the namespace`);
                    assert.equal(
                        admits(`system:serviceaccount:${ns}:${saName}`, "kubernetes.default.svc"),
                        false,
                        `${ns}: a token for another audience`,
                    );
                    assert.equal(
                        admits(
                            `system:serviceaccount:${ns}:${saName}`,
                            "sts.amazonaws.com",
                            provider.replace(/id\/.*/, "id/OTHERCLUSTER"),
                        ),
                        false,
                        `${ns}: another cluster's provider`,
                    );

                    // The policy names exactly the secrets the namespace's ExternalSecrets read.
                    const policies = ofType(doc, "aws:iam/rolePolicy:RolePolicy").filter(
                        (p) => p.inputs.role === role.outputs?.id || p.inputs.role === role.outputs?.name,
                    );
                    const read = policies
                        .flatMap((p) => json<{ Statement: Statement[] }>(p.inputs.policy).Statement)
                        .filter((s) => asList(s.Action).includes("secretsmanager:GetSecretValue"));
                    const patterns = read.flatMap((s) => asList(s.Resource).map(String));
                    const wanted = [
                        ...new Set(
                            ofType(doc, "kubernetes:external-secrets.io/v1:ExternalSecret")
                                .filter((e) => meta(e).namespace === ns)
                                .flatMap(remoteKeys),
                        ),
                    ];
                    const arnOf = (name: string) =>
                        `arn:aws:secretsmanager:us-east-1:${String(role.outputs?.arn).split(":")[4]}:secret:${name}-AbCdEf`;
                    for (const name of wanted)
                        assert.ok(
                            patterns.some((p) => matches(p, arnOf(name))),
                            `${ns}: may not read ${name}, which its ExternalSecrets need`,
                        );
                    for (const p of patterns)
                        assert.ok(
                            wanted.some((name) => matches(p, arnOf(name))),
                            `${ns}: ${p} is read by none of its ExternalSecrets`,
                        );
                    assert.ok(!patterns.some((p) => p.endsWith("*")), `${ns}: no wildcard secret ARN`);
                }
            });

            it("no ExternalSecret, Secret or ConfigMap carries the RDS master secret; only the bootstrap Job's role may read it", () => {
                const master = masterSecretArn(doc);
                for (const es of ofType(doc, "kubernetes:external-secrets.io/v1:ExternalSecret")) {
                    assert.ok(
                        !JSON.stringify(es.inputs).includes(master) && !remoteKeys(es).some((k) => k.startsWith("rds!")),
                        `${nameOf(es)} reads the master secret`,
                    );
                }
                assert.deepEqual(
                    ofType(doc, "kubernetes:core/v1:Secret")
                        .filter((s) => /master/i.test(JSON.stringify(s.inputs)))
                        .map(nameOf),
                    [],
                );
                assert.deepEqual(
                    ofType(doc, "kubernetes:core/v1:ConfigMap")
                        .filter((c) => JSON.stringify(c.inputs).includes(master))
                        .map(nameOf),
                    [],
                );
                const readers = ofType(doc, "aws:iam/rolePolicy:RolePolicy").filter((p) =>
                    String(p.inputs.policy).includes(master),
                );
                assert.deepEqual(readers.map(nameOf), [`bookbuddy-${stack}-postgres-bootstrap`]);
                const job = ofType(doc, "kubernetes:batch/v1:Job").find((j) => meta(j).namespace === "database-admin");
                assert.ok(job, "the bootstrap Job");
                const container = spec(job).template.spec.containers[0];
                const env = Object.fromEntries(container.env.map((e: { name: string; value?: string }) => [e.name, e.value]));
                assert.equal(env.MASTER_SECRET_ARN, master);
                assert.equal(env.PGSSLMODE, "verify-full");
                assert.ok(
                    !container.env.some((e: { valueFrom?: unknown }) => e.valueFrom) && !container.envFrom,
                    "the Job's environment comes from no Secret",
                );
            });
        });
    }
});
