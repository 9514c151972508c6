/**
 * #14 item 4, LOG-1: Elasticsearch snapshots to S3 get credentials in a way the pinned repository-s3 supports.
 * The facts (which method from which version, where the token must be) are data with their sources
 * (tests/upstream/elasticsearch/repository-s3.yaml); the rendered stacks are checked against them: the
 * method the program wires must be supported by the pinned stack version, the token must land where the module
 * may read it, and the role's trust must accept exactly that token (evaluated by the IAM simulator).
 */
import { strict as assert } from "assert";
import * as path from "path";
import { PlanDocument } from "../../tools/plan/types";
import { nameOf, ofType, renderedStack, STACKS } from "../support/plan";
import { readData, Source, stackConfig } from "./support";

interface Facts {
    source: Source;
    configDir: string;
    methods: Record<"irsa" | "podIdentity", { since: string; tokenFile: string; environment: string[]; tokenAudience?: string }>;
}
const FACTS = readData<Facts>("elasticsearch", "repository-s3.yaml");

const atLeast = (version: string, min: string) => {
    const a = version.split(".").map(Number);
    const b = min.split(".").map(Number);
    for (let i = 0; i < 3; i++) if ((a[i] ?? 0) !== (b[i] ?? 0)) return (a[i] ?? 0) > (b[i] ?? 0);
    return true;
};

/** Problems of the snapshot credentials of one rendered stack, given the pinned stack version. */
export async function snapshotCredentialProblems(doc: PlanDocument, stackVersion: string): Promise<string[]> {
    const problems: string[] = [];
    const es = ofType(doc, "kubernetes:elasticsearch.k8s.elastic.co/v1:Elasticsearch")[0];
    if (!es) return ["no Elasticsearch resource"];
    const spec = es.inputs.spec as any;
    const podSpec = spec.nodeSets[0].podTemplate.spec;
    const namespace = (es.inputs.metadata as any).namespace;
    const account = podSpec.serviceAccountName;
    const container = podSpec.containers.find((c: any) => c.name === "elasticsearch");
    const env = Object.fromEntries((container.env ?? []).map((e: any) => [e.name, e.value]));
    const podIdentity = ofType(doc, "aws:eks/podIdentityAssociation:PodIdentityAssociation").some(
        (a) => a.inputs.namespace === namespace && a.inputs.serviceAccount === account,
    );
    const method = podIdentity ? "podIdentity" : env.AWS_ROLE_ARN ? "irsa" : undefined;
    if (!method)
        return [
            `${namespace}/${account}: neither a Pod Identity association nor AWS_ROLE_ARN (IRSA): repository-s3 gets no credentials`,
        ];
    const facts = FACTS.methods[method];
    if (!atLeast(stackVersion, facts.since))
        problems.push(`${method} needs Elasticsearch ${facts.since} or later; the stack pins ${stackVersion}`);
    const tokenPath = path.posix.join(FACTS.configDir, facts.tokenFile);
    // The token file must exist at tokenPath: a projected token mounted there, or a symlink an init container makes.
    const mounted = (container.volumeMounts ?? []).some((m: any) => {
        const vol = (podSpec.volumes ?? []).find((v: any) => v.name === m.name);
        const tokens = (vol?.projected?.sources ?? []).filter((s: any) => s.serviceAccountToken);
        return tokens.some(
            (t: any) =>
                path.posix.join(m.mountPath, t.serviceAccountToken.path) === tokenPath &&
                (!facts.tokenAudience || t.serviceAccountToken.audience === facts.tokenAudience),
        );
    });
    const linked = (podSpec.initContainers ?? []).some((c: any) => JSON.stringify(c.command ?? []).includes(tokenPath));
    if (!mounted && !linked) problems.push(`no ${method} token at ${tokenPath}, the only place repository-s3 may read it`);
    for (const name of facts.environment)
        if (!(container.env ?? []).some((e: any) => e.name === name)) problems.push(`container env lacks ${name}`);
    if (method === "irsa") {
        const role = ofType(doc, "aws:iam/role:Role").find((r) => r.outputs?.arn === env.AWS_ROLE_ARN);
        if (!role) return [...problems, `AWS_ROLE_ARN ${env.AWS_ROLE_ARN} is no role of the stack`];
        const provider = ofType(doc, "aws:iam/openIdConnectProvider:OpenIdConnectProvider")[0];
        if (!provider) return [...problems, "no IAM OIDC provider for the cluster issuer"];
        const issuer = String(provider.inputs.url).replace(/^https:\/\//, "");
        const trust = JSON.parse(String(role.inputs.assumeRolePolicy));
        // The trust is read, not simulated: the simulator's key catalogue accepts OIDC keys only for issuers without a
        // path (EKS issuers have /id/<id>) and would ignore them. The exact document is required here; the secret
        // stores' trusts are evaluated key by key (tests/security/secret-stores.spec.ts, tests/support/iam.ts).
        const statements = (Array.isArray(trust.Statement) ? trust.Statement : [trust.Statement]) as any[];
        const expected = {
            [`${issuer}:sub`]: `system:serviceaccount:${namespace}:${account}`,
            [`${issuer}:aud`]: facts.tokenAudience,
        };
        const ok =
            statements.length === 1 &&
            statements[0].Effect === "Allow" &&
            statements[0].Principal?.Federated === provider.outputs?.arn &&
            [statements[0].Action].flat().join() === "sts:AssumeRoleWithWebIdentity" &&
            JSON.stringify(statements[0].Condition) === JSON.stringify({ StringEquals: expected });
        if (!ok)
            problems.push(
                `${nameOf(role)}: trust must be exactly the cluster's OIDC provider with ${JSON.stringify(expected)}; is ${JSON.stringify(statements)}`,
            );
    }
    return problems;
}

describe("UP-1, LOG-1: Elasticsearch snapshot credentials the pinned repository-s3 supports", function () {
    this.timeout(300_000);

    for (const stack of STACKS) {
        it(`${stack}: the snapshot identity works with the pinned stack version`, async () => {
            const doc = await renderedStack(stack);
            const version = stackConfig(stack).logging.stackVersion;
            assert.deepEqual(await snapshotCredentialProblems(doc, version), []);
        });
    }

    it("the check fails on Pod Identity before 9.6 and on a token outside the module's config directory", async () => {
        const doc = await renderedStack("dev");
        const moved = JSON.parse(JSON.stringify(doc)) as PlanDocument;
        const es = ofType(moved, "kubernetes:elasticsearch.k8s.elastic.co/v1:Elasticsearch")[0];
        const c = (es.inputs.spec as any).nodeSets[0].podTemplate.spec.containers[0];
        c.volumeMounts = [{ name: "aws-web-identity-token", mountPath: "/var/run/secrets/eks.amazonaws.com/serviceaccount" }];
        assert.match(
            (await snapshotCredentialProblems(moved, "9.1.3")).join("\n"),
            /no irsa token at \/usr\/share\/elasticsearch\/config\/repository-s3\/aws-web-identity-token-file/,
        );
        const pia = JSON.parse(JSON.stringify(doc)) as PlanDocument;
        const es2 = ofType(pia, "kubernetes:elasticsearch.k8s.elastic.co/v1:Elasticsearch")[0];
        const spec2 = (es2.inputs.spec as any).nodeSets[0].podTemplate.spec;
        pia.steps.push({
            op: "create",
            urn: "urn:x",
            newState: {
                type: "aws:eks/podIdentityAssociation:PodIdentityAssociation",
                urn: "urn:pulumi:dev::bookbuddy::aws:eks/podIdentityAssociation:PodIdentityAssociation::x",
                custom: true,
                inputs: { namespace: (es2.inputs.metadata as any).namespace, serviceAccount: spec2.serviceAccountName },
            },
        } as any);
        assert.match(
            (await snapshotCredentialProblems(pia, "9.1.3")).join("\n"),
            /podIdentity needs Elasticsearch 9\.6\.0 or later/,
        );
    });
});
