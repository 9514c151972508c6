import { strict as assert } from "assert";
import { CONTROL_PLANE_LOG_TYPES, KubernetesCluster, KubernetesClusterArgs } from "../../components/cluster";
import { ClusterServices } from "../../components/cluster/services";
import { NamespaceSecretStore, SECRET_STORE_NAME, SECRET_STORE_SERVICE_ACCOUNT } from "../../components/cluster/secret-store";
import { ContainerRegistry } from "../../components/registry";
import { json, nameOf, one, ofType, renderComponent, renderedStack } from "../support/plan";

const context = { accountId: "123456789012", region: "us-east-1", partition: "aws" };
const KEY = (p: string) => `arn:aws:kms:us-east-1:123456789012:key/${p}`;

function clusterArgs(overrides: Partial<KubernetesClusterArgs> = {}): KubernetesClusterArgs {
    return {
        clusterName: "bb-test",
        version: "1.33",
        vpcId: "vpc-1",
        privateSubnetIds: ["subnet-a", "subnet-b"],
        secretsKeyArn: KEY("eks"),
        logsKeyArn: KEY("logs"),
        volumeKeyArn: KEY("data"),
        nodeGroups: [
            {
                name: "general",
                instanceTypes: ["m7i.large"],
                capacityType: "ON_DEMAND",
                minSize: 2,
                desiredSize: 3,
                maxSize: 6,
                diskSizeGb: 80,
                amiType: "AL2023_x86_64_STANDARD",
            },
            {
                name: "spot",
                instanceTypes: ["t3.large", "t3a.large"],
                capacityType: "SPOT",
                minSize: 0,
                desiredSize: 1,
                maxSize: 4,
                diskSizeGb: 50,
                amiType: "AL2023_x86_64_STANDARD",
            },
        ],
        addons: {
            vpcCni: "v1.0.0-eksbuild.1",
            coredns: "v2.0.0-eksbuild.1",
            kubeProxy: "v3.0.0-eksbuild.1",
            ebsCsiDriver: "v4.0.0-eksbuild.1",
            podIdentityAgent: "v5.0.0-eksbuild.1",
        },
        adminRoleArns: ["arn:aws:iam::123456789012:role/platform-admin"],
        context,
        ...overrides,
    };
}

describe("KubernetesCluster (K8S-1)", () => {
    it("keeps all five control-plane log types 90 days in an encrypted group named for the cluster", async () => {
        const doc = await renderComponent(() => new KubernetesCluster("eks", clusterArgs()));
        const cluster = one(doc, "aws:eks/cluster:Cluster");
        assert.deepEqual(cluster.inputs.enabledClusterLogTypes, [
            "api",
            "audit",
            "authenticator",
            "controllerManager",
            "scheduler",
        ]);
        assert.equal(CONTROL_PLANE_LOG_TYPES.length, 5);
        const group = one(doc, "aws:cloudwatch/logGroup:LogGroup");
        assert.equal(group.inputs.name, "/aws/eks/bb-test/cluster");
        assert.equal(group.inputs.retentionInDays, 90);
        assert.equal(group.inputs.kmsKeyId, KEY("logs"));
        assert.ok(cluster.dependencies.includes(group.urn), "the log group exists before the cluster writes to it");
    });

    it("encrypts secrets with KMS, pins the version and uses access entries (API mode)", async () => {
        const doc = await renderComponent(() => new KubernetesCluster("eks", clusterArgs()));
        const cluster = one(doc, "aws:eks/cluster:Cluster");
        assert.deepEqual(cluster.inputs.encryptionConfig, { provider: { keyArn: KEY("eks") }, resources: ["secrets"] });
        assert.equal(cluster.inputs.version, "1.33");
        assert.deepEqual(cluster.inputs.accessConfig, {
            authenticationMode: "API",
            bootstrapClusterCreatorAdminPermissions: false,
        });
        const entry = one(doc, "aws:eks/accessEntry:AccessEntry");
        assert.equal(entry.inputs.principalArn, "arn:aws:iam::123456789012:role/platform-admin");
        const assoc = one(doc, "aws:eks/accessPolicyAssociation:AccessPolicyAssociation");
        assert.equal(assoc.inputs.policyArn, "arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy");
        assert.deepEqual(assoc.inputs.accessScope, { type: "cluster" });
    });

    it("keeps the API endpoint private by default", async () => {
        const doc = await renderComponent(() => new KubernetesCluster("eks", clusterArgs()));
        const vpc = one(doc, "aws:eks/cluster:Cluster").inputs.vpcConfig as Record<string, unknown>;
        assert.equal(vpc.endpointPrivateAccess, true);
        assert.equal(vpc.endpointPublicAccess, false);
        assert.equal(vpc.publicAccessCidrs, undefined);
        assert.deepEqual(vpc.subnetIds, ["subnet-a", "subnet-b"]);
    });

    it("limits a public endpoint to the configured CIDRs", async () => {
        const doc = await renderComponent(
            () =>
                new KubernetesCluster("eks", clusterArgs({ endpointPublicAccess: true, publicAccessCidrs: ["203.0.113.0/24"] })),
        );
        const vpc = one(doc, "aws:eks/cluster:Cluster").inputs.vpcConfig as Record<string, unknown>;
        assert.equal(vpc.endpointPublicAccess, true);
        assert.deepEqual(vpc.publicAccessCidrs, ["203.0.113.0/24"]);
    });

    it("runs managed node groups in the private subnets behind an IMDSv2-only, encrypted launch template", async () => {
        const doc = await renderComponent(() => new KubernetesCluster("eks", clusterArgs()));
        const lt = one(doc, "aws:ec2/launchTemplate:LaunchTemplate");
        assert.deepEqual(lt.inputs.metadataOptions, {
            httpEndpoint: "enabled",
            httpTokens: "required",
            httpPutResponseHopLimit: 1,
            instanceMetadataTags: "disabled",
        });
        const ebs = (lt.inputs.blockDeviceMappings as { ebs: Record<string, unknown> }[])[0].ebs;
        assert.equal(ebs.volumeType, "gp3");
        assert.equal(ebs.encrypted, "true");
        assert.equal(ebs.kmsKeyId, KEY("data"));
        assert.equal(ebs.volumeSize, 80);
        const groups = ofType(doc, "aws:eks/nodeGroup:NodeGroup");
        assert.deepEqual(groups.map(nameOf).sort(), ["eks-general", "eks-spot"]);
        for (const g of groups) {
            assert.deepEqual(g.inputs.subnetIds, ["subnet-a", "subnet-b"]);
            assert.deepEqual(g.inputs.launchTemplate, { id: lt.outputs!.id, version: "1" });
            assert.equal((g.inputs.tags as Record<string, string>)["k8s.io/cluster-autoscaler/bb-test"], "owned");
        }
        const spot = groups.find((g) => nameOf(g) === "eks-spot")!;
        assert.equal(spot.inputs.capacityType, "SPOT");
        assert.deepEqual(spot.inputs.scalingConfig, { minSize: 0, desiredSize: 1, maxSize: 4 });
    });

    it("gives nodes only the worker and registry-pull policies; CNI and CSI get their own Pod Identity roles (SEC-4)", async () => {
        const doc = await renderComponent(() => new KubernetesCluster("eks", clusterArgs()));
        const attachments = ofType(doc, "aws:iam/rolePolicyAttachment:RolePolicyAttachment");
        const nodeRole = one(doc, "aws:iam/role:Role", "eks-node");
        const onNode = attachments.filter((a) => a.inputs.role === nodeRole.outputs!.name).map((a) => a.inputs.policyArn);
        assert.deepEqual(onNode.sort(), [
            "arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryPullOnly",
            "arn:aws:iam::aws:policy/AmazonEKSWorkerNodePolicy",
        ]);
        for (const addon of ["vpc-cni", "ebs-csi"]) {
            const role = one(doc, "aws:iam/role:Role", `eks-${addon}`);
            assert.deepEqual(json(role.inputs.assumeRolePolicy).Statement[0].Principal, { Service: "pods.eks.amazonaws.com" });
        }
    });

    it("pins every core add-on version", async () => {
        const doc = await renderComponent(() => new KubernetesCluster("eks", clusterArgs()));
        const addons = Object.fromEntries(
            ofType(doc, "aws:eks/addon:Addon").map((a) => [a.inputs.addonName, a.inputs.addonVersion]),
        );
        assert.deepEqual(addons, {
            "vpc-cni": "v1.0.0-eksbuild.1",
            coredns: "v2.0.0-eksbuild.1",
            "kube-proxy": "v3.0.0-eksbuild.1",
            "aws-ebs-csi-driver": "v4.0.0-eksbuild.1",
            "eks-pod-identity-agent": "v5.0.0-eksbuild.1",
        });
    });

    it("builds a Kubernetes provider from the cluster's outputs with an exec token, no static credentials", async () => {
        const doc = await renderComponent(() => new KubernetesCluster("eks", clusterArgs()));
        const provider = one(doc, "pulumi:providers:kubernetes");
        const kubeconfig = json(provider.inputs.kubeconfig);
        const cluster = one(doc, "aws:eks/cluster:Cluster");
        assert.equal(kubeconfig.clusters[0].cluster.server, cluster.outputs!.endpoint);
        assert.deepEqual(kubeconfig.users[0].user.exec.args.slice(0, 4), ["eks", "get-token", "--cluster-name", "bb-test"]);
        assert.equal(JSON.stringify(kubeconfig).includes("token:"), false);
    });

    it("staging and prod run on-demand nodes across three AZs; dev may use spot (ENV-3, ENV-4)", async () => {
        for (const stack of ["staging", "prod"]) {
            const doc = await renderedStack(stack);
            for (const g of ofType(doc, "aws:eks/nodeGroup:NodeGroup")) {
                assert.equal(g.inputs.capacityType, "ON_DEMAND");
                assert.equal((g.inputs.subnetIds as string[]).length, 3);
            }
        }
        const dev = await renderedStack("dev");
        assert.equal(one(dev, "aws:eks/nodeGroup:NodeGroup").inputs.capacityType, "SPOT");
    });
});

describe("ClusterServices (K8S-2, SEC-4)", () => {
    const render = () =>
        renderComponent(
            () =>
                new ClusterServices("svc", {
                    clusterName: "bb-test",
                    vpcId: "vpc-1",
                    charts: {
                        awsLoadBalancerController: "1.1.1",
                        clusterAutoscaler: "2.2.2",
                        metricsServer: "3.3.3",
                        externalSecrets: "4.4.4",
                    },
                    context,
                }),
        );

    it("installs each service as a Helm release with a pinned chart version", async () => {
        const doc = await render();
        const releases = Object.fromEntries(ofType(doc, "kubernetes:helm.sh/v3:Release").map((r) => [r.inputs.chart, r.inputs]));
        assert.deepEqual(Object.keys(releases).sort(), [
            "aws-load-balancer-controller",
            "cluster-autoscaler",
            "external-secrets",
            "metrics-server",
        ]);
        assert.equal(releases["aws-load-balancer-controller"].version, "1.1.1");
        assert.equal(releases["cluster-autoscaler"].version, "2.2.2");
        assert.equal(releases["metrics-server"].version, "3.3.3");
        assert.equal(releases["external-secrets"].version, "4.4.4");
        const lb = releases["aws-load-balancer-controller"].values as Record<string, unknown>;
        assert.equal(lb.clusterName, "bb-test");
        assert.equal(lb.vpcId, "vpc-1");
        assert.equal(lb.region, "us-east-1");
    });

    it("gives each controller its own role, trusted by Pod Identity for exactly its service account", async () => {
        const doc = await render();
        const assocs = ofType(doc, "aws:eks/podIdentityAssociation:PodIdentityAssociation").map(
            (a) => `${a.inputs.namespace}/${a.inputs.serviceAccount}`,
        );
        assert.deepEqual(assocs.sort(), ["kube-system/aws-load-balancer-controller", "kube-system/cluster-autoscaler"]);
        const roles = ofType(doc, "aws:iam/role:Role");
        // SEC-7: neither metrics-server nor the External Secrets controller holds AWS credentials.
        assert.equal(roles.length, 2, "metrics-server and the External Secrets controller get no role");
    });

    it("never allows an action wildcard, and scopes writes by ownership tags or name prefix", async () => {
        const doc = await render();
        const policies = Object.fromEntries(
            ofType(doc, "aws:iam/rolePolicy:RolePolicy").map((p) => [nameOf(p), json(p.inputs.policy)]),
        );
        for (const [name, policy] of Object.entries(policies)) {
            for (const st of policy.Statement) {
                const actions = ([] as string[]).concat(st.Action);
                assert.ok(!actions.some((a) => a === "*" || a.endsWith(":*")), `${name}: ${actions}`);
            }
        }
        const ca = policies["svc-cluster-autoscaler"].Statement.find((s: { Sid: string }) => s.Sid === "ScaleOwnGroups");
        assert.deepEqual(ca.Condition, { StringEquals: { "aws:ResourceTag/k8s.io/cluster-autoscaler/bb-test": "owned" } });
        assert.equal(policies["svc-external-secrets"], undefined, "no controller-wide secret read (SEC-7)");
        const lb = policies["svc-aws-load-balancer-controller"].Statement;
        const owned = lb.filter((s: { Condition?: Record<string, unknown> }) =>
            JSON.stringify(s.Condition ?? {}).includes("elbv2.k8s.aws/cluster"),
        );
        assert.ok(owned.length >= 3, "load balancer writes are limited to resources the controller tagged");
    });

    it("declares no ClusterSecretStore: every namespace has its own SecretStore (SEC-7)", async () => {
        const doc = await render();
        assert.deepEqual(ofType(doc, "kubernetes:external-secrets.io/v1:ClusterSecretStore"), []);
    });
});

describe("NamespaceSecretStore (SEC-7, K8S-2)", () => {
    const OIDC = "arn:aws:iam::123456789012:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/ABC";
    const ISSUER = "oidc.eks.us-east-1.amazonaws.com/id/ABC";
    const render = (secretNames: string[]) =>
        renderComponent(
            () =>
                new NamespaceSecretStore("store", {
                    namespace: "team",
                    secretNames,
                    oidcProviderArn: OIDC,
                    oidcIssuer: ISSUER,
                    secretsKeyArn: KEY("secrets"),
                    context,
                }),
        );

    it("binds the store to an IRSA service account of its own namespace, trusted only for that account", async () => {
        const doc = await render(["bb/team/a", "bb/team/b"]);
        const store = one(doc, "kubernetes:external-secrets.io/v1:SecretStore");
        assert.deepEqual(store.inputs.metadata, { name: SECRET_STORE_NAME, namespace: "team" });
        assert.deepEqual((store.inputs.spec as any).provider, {
            aws: {
                service: "SecretsManager",
                region: "us-east-1",
                auth: { jwt: { serviceAccountRef: { name: SECRET_STORE_SERVICE_ACCOUNT } } },
            },
        });
        const sa = one(doc, "kubernetes:core/v1:ServiceAccount");
        const role = one(doc, "aws:iam/role:Role");
        assert.equal((sa.inputs.metadata as any).namespace, "team");
        assert.equal((sa.inputs.metadata as any).annotations["eks.amazonaws.com/role-arn"], role.outputs?.arn);
        assert.equal(sa.inputs.automountServiceAccountToken, false);
        assert.ok(store.dependencies.includes(sa.urn), "the store waits for its service account");
        const trust = json(role.inputs.assumeRolePolicy);
        assert.deepEqual(trust.Statement, [
            {
                Effect: "Allow",
                Principal: { Federated: OIDC },
                Action: "sts:AssumeRoleWithWebIdentity",
                Condition: {
                    StringEquals: {
                        [`${ISSUER}:sub`]: `system:serviceaccount:team:${SECRET_STORE_SERVICE_ACCOUNT}`,
                        [`${ISSUER}:aud`]: "sts.amazonaws.com",
                    },
                },
            },
        ]);
    });

    it("may read exactly its own secrets, and decrypt only through Secrets Manager", async () => {
        const doc = await render(["bb/team/a", "bb/team/b"]);
        const policy = json(one(doc, "aws:iam/rolePolicy:RolePolicy").inputs.policy);
        assert.deepEqual(policy.Statement[0], {
            Sid: "ReadNamespaceSecrets",
            Effect: "Allow",
            Action: ["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"],
            Resource: [
                "arn:aws:secretsmanager:us-east-1:123456789012:secret:bb/team/a-??????",
                "arn:aws:secretsmanager:us-east-1:123456789012:secret:bb/team/b-??????",
            ],
        });
        assert.deepEqual(policy.Statement[1].Condition, {
            StringEquals: { "kms:ViaService": "secretsmanager.us-east-1.amazonaws.com" },
        });
    });

    it("refuses a store without secrets", async () => {
        await assert.rejects(render([]), /at least one secret name/);
    });
});

describe("ContainerRegistry (REG-1)", () => {
    it("creates immutable, scanned, KMS-encrypted repositories keeping the last N images", async () => {
        const doc = await renderComponent(
            () => new ContainerRegistry("reg", { namePrefix: "bb-test", keepImages: 30, kmsKeyArn: KEY("data") }),
        );
        const repos = ofType(doc, "aws:ecr/repository:Repository");
        assert.deepEqual(repos.map((r) => r.inputs.name).sort(), ["bb-test/api", "bb-test/web"]);
        for (const r of repos) {
            assert.equal(r.inputs.imageTagMutability, "IMMUTABLE");
            assert.deepEqual(r.inputs.imageScanningConfiguration, { scanOnPush: true });
            assert.deepEqual(r.inputs.encryptionConfigurations, [{ encryptionType: "KMS", kmsKey: KEY("data") }]);
        }
        const policies = ofType(doc, "aws:ecr/lifecyclePolicy:LifecyclePolicy");
        assert.equal(policies.length, 2);
        const rule = json(policies[0].inputs.policy).rules[0];
        assert.deepEqual(rule.selection, { tagStatus: "any", countType: "imageCountMoreThan", countNumber: 30 });
        assert.deepEqual(rule.action, { type: "expire" });
    });
});
