/**
 * Pod Identity trust conditions (SEC-4, K8S-1), evaluated by a real IAM policy simulator
 * (@cloud-copilot/iam-simulate): for every role of every rendered stack that EKS Pod Identity may assume,
 * sts:AssumeRole and sts:TagSession by pods.eks.amazonaws.com are allowed exactly for the namespace and
 * service account its association names, on this stack's cluster in this account, and denied for another
 * namespace, service account, cluster or account.
 */
import { strict as assert } from "assert";
import { runSimulation, type Simulation } from "@cloud-copilot/iam-simulate";
import { json, nameOf, ofType, renderedStack, STACKS } from "../support/plan";
import type { PlanResourceState } from "../../tools/plan/types";

const POD_IDENTITY = "pods.eks.amazonaws.com";

interface Binding {
    role: PlanResourceState;
    namespace: string;
    serviceAccount: string;
}

async function decide(
    trust: unknown,
    account: string,
    roleArn: string,
    action: string,
    ctx: Record<string, string>,
): Promise<string> {
    const simulation: Simulation = {
        request: { principal: POD_IDENTITY, action, resource: { resource: roleArn, accountId: account }, contextVariables: ctx },
        identityPolicies: [],
        serviceControlPolicies: [],
        resourceControlPolicies: [],
        resourcePolicy: trust,
    } as Simulation;
    const result = (await runSimulation(simulation, {})) as {
        errors?: unknown;
        overallResult?: string;
        result?: { ignoredContextKeys?: string[] };
    };
    if (result.errors) throw new Error(`the simulator refused the request: ${JSON.stringify(result.errors)}`);
    // Every context key must reach the evaluation; an ignored key would make a denial meaningless.
    assert.deepEqual(result.result?.ignoredContextKeys ?? [], [], "the simulator ignored context keys");
    return result.overallResult ?? "unknown";
}

describe("SEC-4 K8S-1 Pod Identity trust: one service account of one namespace on this cluster (IAM simulator)", function () {
    this.timeout(600_000);
    for (const stack of STACKS) {
        it(`${stack}: every Pod Identity role admits its association only`, async () => {
            const doc = await renderedStack(stack);
            const cluster = `bookbuddy-${stack}`;
            const roles = ofType(doc, "aws:iam/role:Role").filter((r) =>
                String(r.inputs.assumeRolePolicy ?? "").includes(POD_IDENTITY),
            );
            assert.ok(roles.length >= 5, `${stack} has Pod Identity roles (${roles.length})`);
            const bindings: Binding[] = [];
            for (const a of ofType(doc, "aws:eks/podIdentityAssociation:PodIdentityAssociation")) {
                const role = roles.find((r) => (a.propertyDependencies.roleArn ?? []).includes(r.urn));
                if (role)
                    bindings.push({
                        role,
                        namespace: String(a.inputs.namespace),
                        serviceAccount: String(a.inputs.serviceAccount),
                    });
            }
            for (const addon of ofType(doc, "aws:eks/addon:Addon")) {
                for (const p of (addon.inputs.podIdentityAssociations as { serviceAccount: string }[] | undefined) ?? []) {
                    const role = roles.find((r) => (addon.propertyDependencies.podIdentityAssociations ?? []).includes(r.urn));
                    if (role) bindings.push({ role, namespace: "kube-system", serviceAccount: p.serviceAccount });
                }
            }
            assert.deepEqual(
                roles.filter((r) => !bindings.some((b) => b.role === r)).map(nameOf),
                [],
                "every Pod Identity role has an association",
            );

            for (const b of bindings) {
                const trust = json<{ Statement: { Condition?: Record<string, Record<string, string>> }[] }>(
                    b.role.inputs.assumeRolePolicy,
                );
                const account = trust.Statement[0]?.Condition?.StringEquals?.["aws:SourceAccount"];
                assert.match(String(account), /^\d{12}$/, `${nameOf(b.role)} names its account`);
                const clusterArn = `arn:aws:eks:us-east-1:${account}:cluster/${cluster}`;
                const roleArn = `arn:aws:iam::${account}:role/${nameOf(b.role)}`;
                const good = {
                    "aws:SourceAccount": account!,
                    "aws:SourceArn": clusterArn,
                    "aws:RequestTag/eks-cluster-arn": clusterArn,
                    "aws:RequestTag/kubernetes-namespace": b.namespace,
                    "aws:RequestTag/kubernetes-service-account": b.serviceAccount,
                };
                for (const action of ["sts:AssumeRole", "sts:TagSession"]) {
                    assert.equal(
                        await decide(trust, account!, roleArn, action, good),
                        "Allowed",
                        `${nameOf(b.role)}: ${action} for ${b.namespace}/${b.serviceAccount}`,
                    );
                }
                const otherCluster = `arn:aws:eks:us-east-1:${account}:cluster/other`;
                const variants: [string, Record<string, string>][] = [
                    ["another namespace", { ...good, "aws:RequestTag/kubernetes-namespace": "attacker" }],
                    ["another service account", { ...good, "aws:RequestTag/kubernetes-service-account": "default" }],
                    [
                        "another cluster",
                        { ...good, "aws:SourceArn": otherCluster, "aws:RequestTag/eks-cluster-arn": otherCluster },
                    ],
                    ["another account", { ...good, "aws:SourceAccount": "999999999999" }],
                    ["no session tags", { "aws:SourceAccount": account!, "aws:SourceArn": clusterArn }],
                ];
                for (const [why, ctx] of variants) {
                    assert.notEqual(
                        await decide(trust, account!, roleArn, "sts:AssumeRole", ctx),
                        "Allowed",
                        `${nameOf(b.role)} must refuse ${why}`,
                    );
                }
            }
        });
    }
});
