import * as aws from "@pulumi/aws";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { AwsContext, nameTag, policyDocument } from "../shared/context";

/** All five control-plane log types (K8S-1). */
export const CONTROL_PLANE_LOG_TYPES = ["api", "audit", "authenticator", "controllerManager", "scheduler"];

export interface NodeGroupArgs {
    /** Suffix of the node group name. */
    name: string;
    /** Instance types, first preferred (ENV-4: small in dev). */
    instanceTypes: string[];
    /** ON_DEMAND or SPOT (ENV-4 allows spot in dev). */
    capacityType: "ON_DEMAND" | "SPOT";
    minSize: number;
    desiredSize: number;
    maxSize: number;
    /** Root volume size in GiB; gp3, encrypted with the data key. */
    diskSizeGb: number;
    /** EKS-optimised AMI type. */
    amiType: string;
}

export interface AddonVersions {
    vpcCni: string;
    coredns: string;
    kubeProxy: string;
    ebsCsiDriver: string;
    podIdentityAgent: string;
}

export interface KubernetesClusterArgs {
    /** Physical cluster name. */
    clusterName: string;
    /** Kubernetes version, pinned in config (K8S-1). */
    version: string;
    /** VPC the cluster lives in. */
    vpcId: pulumi.Input<string>;
    /** Private subnets for the control-plane ENIs and the nodes (K8S-1). */
    privateSubnetIds: pulumi.Input<string>[];
    /** Public API endpoint on/off; default off (K8S-1). */
    endpointPublicAccess?: boolean;
    /** CIDRs allowed to the public endpoint; required when it is on. */
    publicAccessCidrs?: string[];
    /** Control-plane log retention, default 90 days (K8S-1, BKP-4). */
    logRetentionDays?: number;
    /** KMS key for secrets envelope encryption (K8S-1, SEC-3). */
    secretsKeyArn: pulumi.Input<string>;
    /** KMS key for the control-plane log group. */
    logsKeyArn: pulumi.Input<string>;
    /** KMS key for node volumes. */
    volumeKeyArn: pulumi.Input<string>;
    /** Managed node groups in the private subnets. */
    nodeGroups: NodeGroupArgs[];
    /** Pinned add-on versions. */
    addons: AddonVersions;
    /** IAM roles given cluster-admin access entries. Default none. */
    adminRoleArns?: string[];
    /**
     * Further access entries, e.g. the deploying identity (cluster admin) and the preview identity (admin
     * view), each with one access policy at cluster scope (DEP-1, K8S-1). Default none.
     */
    accessEntries?: ClusterAccess[];
    /**
     * Security groups of clients outside the cluster that reach the private API endpoint on 443, e.g. the
     * deploy runner (DEP-1). They are admitted by a control-plane security group of this component.
     */
    apiClients?: { name: string; securityGroupId: pulumi.Input<string>; description: string }[];
    /** Account, region and partition. */
    context: AwsContext;
}

/** EKS access policies this program grants (DEP-1, K8S-1). */
export type EksAccessPolicy = "AmazonEKSClusterAdminPolicy" | "AmazonEKSAdminViewPolicy" | "AmazonEKSViewPolicy";

/** One access entry with its access policy at cluster scope. */
export interface ClusterAccess {
    /** Suffix of the resource names, e.g. `deploy`. */
    name: string;
    /** IAM principal (role ARN). */
    principalArn: pulumi.Input<string>;
    /** EKS access policy associated at cluster scope. */
    policy: EksAccessPolicy;
}

/**
 * EKS from @pulumi/aws primitives (K8S-1), so that tests and policies see every child: the cluster with all
 * control-plane logs and KMS envelope encryption, access entries (API authentication mode), EKS Pod Identity
 * for workload IAM, managed node groups behind a launch template that requires IMDSv2 and encrypts volumes,
 * and pinned core add-ons. Exposes a Kubernetes provider built from its outputs.
 */
export class KubernetesCluster extends pulumi.ComponentResource {
    readonly cluster: aws.eks.Cluster;
    readonly name: pulumi.Output<string>;
    /** The EKS-managed cluster security group, which the nodes use; data stores admit it (DB-1, CACHE-1). */
    readonly clusterSecurityGroupId: pulumi.Output<string>;
    /** Our control-plane security group, admitting the API clients on 443 (DEP-1). */
    readonly controlPlaneSecurityGroupId: pulumi.Output<string>;
    /**
     * IAM OIDC provider of the cluster's issuer, for the one workload whose AWS SDK cannot use Pod Identity
     * (Elasticsearch's repository-s3 before 9.6, LOG-1), and its issuer host (no scheme) for trust conditions.
     */
    readonly oidcProvider: aws.iam.OpenIdConnectProvider;
    readonly oidcIssuer: pulumi.Output<string>;
    readonly nodeRole: aws.iam.Role;
    readonly nodeGroups: aws.eks.NodeGroup[];
    readonly kubeconfig: pulumi.Output<string>;
    readonly provider: k8s.Provider;

    constructor(name: string, args: KubernetesClusterArgs, opts?: pulumi.ComponentResourceOptions) {
        super("bookbuddy:platform:KubernetesCluster", name, {}, opts);
        const parent = { parent: this };
        const partition = args.context.partition;

        const logGroup = new aws.cloudwatch.LogGroup(
            `${name}-control-plane`,
            {
                name: `/aws/eks/${args.clusterName}/cluster`,
                retentionInDays: args.logRetentionDays ?? 90,
                kmsKeyId: args.logsKeyArn,
            },
            parent,
        );

        const clusterRole = new aws.iam.Role(
            `${name}-cluster`,
            {
                description: `EKS control plane of ${args.clusterName}`,
                assumeRolePolicy: policyDocument([
                    {
                        Effect: "Allow",
                        Principal: { Service: "eks.amazonaws.com" },
                        Action: ["sts:AssumeRole", "sts:TagSession"],
                    },
                ]),
            },
            parent,
        );
        const clusterPolicy = new aws.iam.RolePolicyAttachment(
            `${name}-cluster`,
            { role: clusterRole.name, policyArn: pulumi.interpolate`arn:${partition}:iam::aws:policy/AmazonEKSClusterPolicy` },
            parent,
        );

        const publicAccess = args.endpointPublicAccess ?? false;

        // DEP-1: a control-plane security group of our own (beside the one EKS manages for nodes and control
        // plane), admitting 443 from the API clients outside the cluster, one described rule each (SEC-6).
        const controlPlaneSecurityGroup = new aws.ec2.SecurityGroup(
            `${name}-control-plane`,
            {
                vpcId: args.vpcId,
                description: `EKS API endpoint of ${args.clusterName}: HTTPS from the listed clients only (DEP-1)`,
                tags: nameTag(`${args.clusterName}-control-plane`),
            },
            parent,
        );
        this.controlPlaneSecurityGroupId = controlPlaneSecurityGroup.id;
        for (const client of args.apiClients ?? []) {
            new aws.vpc.SecurityGroupIngressRule(
                `${name}-api-from-${client.name}`,
                {
                    securityGroupId: controlPlaneSecurityGroup.id,
                    description: client.description,
                    ipProtocol: "tcp",
                    fromPort: 443,
                    toPort: 443,
                    referencedSecurityGroupId: client.securityGroupId,
                },
                parent,
            );
        }
        this.cluster = new aws.eks.Cluster(
            name,
            {
                name: args.clusterName,
                version: args.version,
                roleArn: clusterRole.arn,
                vpcConfig: {
                    subnetIds: args.privateSubnetIds,
                    securityGroupIds: [controlPlaneSecurityGroup.id],
                    endpointPrivateAccess: true,
                    endpointPublicAccess: publicAccess,
                    publicAccessCidrs: publicAccess ? args.publicAccessCidrs : undefined,
                },
                enabledClusterLogTypes: CONTROL_PLANE_LOG_TYPES,
                encryptionConfig: { provider: { keyArn: args.secretsKeyArn }, resources: ["secrets"] },
                accessConfig: { authenticationMode: "API", bootstrapClusterCreatorAdminPermissions: false },
                bootstrapSelfManagedAddons: false,
                upgradePolicy: { supportType: "STANDARD" },
                tags: nameTag(args.clusterName),
            },
            { parent: this, dependsOn: [logGroup, clusterPolicy] },
        );
        this.name = this.cluster.name;
        this.clusterSecurityGroupId = this.cluster.vpcConfig.apply((c) => c.clusterSecurityGroupId);
        const issuerUrl = this.cluster.identities.apply((ids) => ids?.[0]?.oidcs?.[0]?.issuer ?? "");
        this.oidcIssuer = issuerUrl.apply((u) => u.replace(/^https:\/\//, ""));
        this.oidcProvider = new aws.iam.OpenIdConnectProvider(
            `${name}-oidc`,
            { url: issuerUrl, clientIdLists: ["sts.amazonaws.com"], tags: nameTag(args.clusterName) },
            parent,
        );

        for (const [i, arn] of (args.adminRoleArns ?? []).entries()) {
            const entry = new aws.eks.AccessEntry(
                `${name}-admin-${i}`,
                { clusterName: this.cluster.name, principalArn: arn, type: "STANDARD" },
                parent,
            );
            new aws.eks.AccessPolicyAssociation(
                `${name}-admin-${i}`,
                {
                    clusterName: this.cluster.name,
                    principalArn: entry.principalArn,
                    policyArn: pulumi.interpolate`arn:${partition}:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy`,
                    accessScope: { type: "cluster" },
                },
                parent,
            );
        }

        // The Kubernetes provider waits for these: without its access entry the deploying identity is refused.
        const accessAssociations: aws.eks.AccessPolicyAssociation[] = [];
        for (const access of args.accessEntries ?? []) {
            const entry = new aws.eks.AccessEntry(
                `${name}-${access.name}`,
                { clusterName: this.cluster.name, principalArn: access.principalArn, type: "STANDARD" },
                parent,
            );
            const association = new aws.eks.AccessPolicyAssociation(
                `${name}-${access.name}`,
                {
                    clusterName: this.cluster.name,
                    principalArn: entry.principalArn,
                    policyArn: pulumi.interpolate`arn:${partition}:eks::aws:cluster-access-policy/${access.policy}`,
                    accessScope: { type: "cluster" },
                },
                parent,
            );
            accessAssociations.push(association);
        }

        // Nodes: the role carries only what the kubelet needs; the CNI and CSI drivers get their own roles
        // through Pod Identity below (SEC-4: one role per workload).
        this.nodeRole = new aws.iam.Role(
            `${name}-node`,
            {
                description: `Managed nodes of ${args.clusterName}`,
                assumeRolePolicy: policyDocument([
                    { Effect: "Allow", Principal: { Service: "ec2.amazonaws.com" }, Action: "sts:AssumeRole" },
                ]),
            },
            parent,
        );
        const nodePolicies = ["AmazonEKSWorkerNodePolicy", "AmazonEC2ContainerRegistryPullOnly"].map(
            (policy) =>
                new aws.iam.RolePolicyAttachment(
                    `${name}-node-${policy}`,
                    { role: this.nodeRole.name, policyArn: pulumi.interpolate`arn:${partition}:iam::aws:policy/${policy}` },
                    parent,
                ),
        );

        const launchTemplate = new aws.ec2.LaunchTemplate(
            `${name}-nodes`,
            {
                description: `Nodes of ${args.clusterName}: IMDSv2 only, encrypted gp3 root volume`,
                metadataOptions: {
                    httpEndpoint: "enabled",
                    httpTokens: "required",
                    httpPutResponseHopLimit: 1,
                    instanceMetadataTags: "disabled",
                },
                blockDeviceMappings: [
                    {
                        deviceName: "/dev/xvda",
                        ebs: {
                            volumeType: "gp3",
                            volumeSize: Math.max(...args.nodeGroups.map((g) => g.diskSizeGb)),
                            encrypted: "true",
                            kmsKeyId: args.volumeKeyArn,
                            deleteOnTermination: "true",
                        },
                    },
                ],
                monitoring: { enabled: true },
                tagSpecifications: [
                    { resourceType: "instance", tags: nameTag(`${args.clusterName}-node`) },
                    { resourceType: "volume", tags: nameTag(`${args.clusterName}-node`) },
                ],
            },
            parent,
        );

        // Pod Identity must run before add-ons and workloads that rely on it.
        const podIdentityAgent = new aws.eks.Addon(
            `${name}-eks-pod-identity-agent`,
            {
                clusterName: this.cluster.name,
                addonName: "eks-pod-identity-agent",
                addonVersion: args.addons.podIdentityAgent,
                resolveConflictsOnUpdate: "OVERWRITE",
            },
            parent,
        );
        const cniRole = this.addonRole(name, "vpc-cni", args.context, ["AmazonEKS_CNI_Policy"]);
        const vpcCni = new aws.eks.Addon(
            `${name}-vpc-cni`,
            {
                clusterName: this.cluster.name,
                addonName: "vpc-cni",
                addonVersion: args.addons.vpcCni,
                resolveConflictsOnUpdate: "OVERWRITE",
                podIdentityAssociations: [{ roleArn: cniRole.arn, serviceAccount: ADDON_SERVICE_ACCOUNTS["vpc-cni"].name }],
            },
            { parent: this, dependsOn: [podIdentityAgent] },
        );
        const kubeProxy = new aws.eks.Addon(
            `${name}-kube-proxy`,
            {
                clusterName: this.cluster.name,
                addonName: "kube-proxy",
                addonVersion: args.addons.kubeProxy,
                resolveConflictsOnUpdate: "OVERWRITE",
            },
            parent,
        );

        this.nodeGroups = args.nodeGroups.map(
            (g) =>
                new aws.eks.NodeGroup(
                    `${name}-${g.name}`,
                    {
                        clusterName: this.cluster.name,
                        nodeGroupName: `${args.clusterName}-${g.name}`,
                        nodeRoleArn: this.nodeRole.arn,
                        subnetIds: args.privateSubnetIds,
                        instanceTypes: g.instanceTypes,
                        capacityType: g.capacityType,
                        amiType: g.amiType,
                        scalingConfig: { minSize: g.minSize, desiredSize: g.desiredSize, maxSize: g.maxSize },
                        updateConfig: { maxUnavailablePercentage: 33 },
                        launchTemplate: { id: launchTemplate.id, version: pulumi.interpolate`${launchTemplate.latestVersion}` },
                        labels: { "bookbuddy.io/node-group": g.name, "bookbuddy.io/capacity": g.capacityType.toLowerCase() },
                        tags: {
                            [`k8s.io/cluster-autoscaler/${args.clusterName}`]: "owned",
                            "k8s.io/cluster-autoscaler/enabled": "true",
                        },
                    },
                    // Autoscaling moves the desired size; Pulumi must not fight it.
                    {
                        parent: this,
                        dependsOn: [...nodePolicies, vpcCni, kubeProxy],
                        ignoreChanges: ["scalingConfig.desiredSize"],
                    },
                ),
        );

        new aws.eks.Addon(
            `${name}-coredns`,
            {
                clusterName: this.cluster.name,
                addonName: "coredns",
                addonVersion: args.addons.coredns,
                resolveConflictsOnUpdate: "OVERWRITE",
            },
            { parent: this, dependsOn: this.nodeGroups },
        );
        const ebsRole = this.addonRole(
            name,
            "ebs-csi",
            args.context,
            ["service-role/AmazonEBSCSIDriverPolicy"],
            args.volumeKeyArn,
        );
        new aws.eks.Addon(
            `${name}-aws-ebs-csi-driver`,
            {
                clusterName: this.cluster.name,
                addonName: "aws-ebs-csi-driver",
                addonVersion: args.addons.ebsCsiDriver,
                resolveConflictsOnUpdate: "OVERWRITE",
                podIdentityAssociations: [{ roleArn: ebsRole.arn, serviceAccount: ADDON_SERVICE_ACCOUNTS["ebs-csi"].name }],
            },
            { parent: this, dependsOn: [...this.nodeGroups, podIdentityAgent] },
        );

        this.kubeconfig = pulumi
            .all([this.cluster.name, this.cluster.endpoint, this.cluster.certificateAuthority])
            .apply(([clusterName, endpoint, ca]) =>
                JSON.stringify({
                    apiVersion: "v1",
                    kind: "Config",
                    clusters: [{ name: clusterName, cluster: { server: endpoint, "certificate-authority-data": ca.data } }],
                    contexts: [{ name: clusterName, context: { cluster: clusterName, user: clusterName } }],
                    "current-context": clusterName,
                    users: [
                        {
                            name: clusterName,
                            user: {
                                exec: {
                                    apiVersion: "client.authentication.k8s.io/v1beta1",
                                    command: "aws",
                                    args: [
                                        "eks",
                                        "get-token",
                                        "--cluster-name",
                                        clusterName,
                                        "--region",
                                        args.context.region,
                                        "--output",
                                        "json",
                                    ],
                                },
                            },
                        },
                    ],
                }),
            );
        this.provider = new k8s.Provider(
            `${name}-k8s`,
            { kubeconfig: this.kubeconfig, enableServerSideApply: true, deleteUnreachable: false },
            { parent: this, dependsOn: [...this.nodeGroups, ...accessAssociations] },
        );

        this.registerOutputs({ name: this.name, clusterSecurityGroupId: this.clusterSecurityGroupId });
    }

    /** A Pod Identity role for an EKS add-on, with AWS-managed policies and optional use of a KMS key. */
    private addonRole(
        name: string,
        addon: string,
        ctx: AwsContext,
        managedPolicies: string[],
        kmsKeyArn?: pulumi.Input<string>,
        serviceAccount?: { namespace: string; name: string },
    ): aws.iam.Role {
        const sa = serviceAccount ?? ADDON_SERVICE_ACCOUNTS[addon];
        if (!sa) throw new Error(`KubernetesCluster ${name}: no service account known for add-on ${addon}`);
        const role = new aws.iam.Role(
            `${name}-${addon}`,
            {
                description: `EKS add-on ${addon} (Pod Identity ${sa.namespace}/${sa.name})`,
                assumeRolePolicy: podIdentityTrust({
                    context: ctx,
                    clusterName: this.cluster.name,
                    namespace: sa.namespace,
                    serviceAccount: sa.name,
                }),
            },
            { parent: this },
        );
        for (const policy of managedPolicies) {
            new aws.iam.RolePolicyAttachment(
                `${name}-${addon}-${policy.split("/").pop()}`,
                { role: role.name, policyArn: pulumi.interpolate`arn:${ctx.partition}:iam::aws:policy/${policy}` },
                { parent: this },
            );
        }
        if (kmsKeyArn) {
            new aws.iam.RolePolicy(
                `${name}-${addon}-kms`,
                {
                    role: role.id,
                    policy: policyDocument([
                        {
                            Effect: "Allow",
                            Action: ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:DescribeKey"],
                            Resource: kmsKeyArn,
                        },
                        {
                            Effect: "Allow",
                            Action: "kms:CreateGrant",
                            Resource: kmsKeyArn,
                            Condition: { Bool: { "kms:GrantIsForAWSResource": "true" } },
                        },
                    ]),
                },
                { parent: this },
            );
        }
        return role;
    }
}

/** The service accounts of the add-ons that get a Pod Identity role (names fixed by the add-ons). */
export const ADDON_SERVICE_ACCOUNTS: Record<string, { namespace: string; name: string }> = {
    "vpc-cni": { namespace: "kube-system", name: "aws-node" },
    "ebs-csi": { namespace: "kube-system", name: "ebs-csi-controller-sa" },
};

/** Who may assume a Pod Identity role: one service account of one namespace on one cluster of one account (SEC-4). */
export interface PodIdentityScope {
    /** Account, region and partition of the cluster. */
    context: AwsContext;
    /** EKS cluster name. */
    clusterName: pulumi.Input<string>;
    /** Kubernetes namespace of the service account. */
    namespace: pulumi.Input<string>;
    /** Service account name. */
    serviceAccount: pulumi.Input<string>;
}

/** ARN of an EKS cluster of the context's account and region. */
export function clusterArn(ctx: AwsContext, clusterName: pulumi.Input<string>): pulumi.Output<string> {
    return pulumi.interpolate`arn:${ctx.partition}:eks:${ctx.region}:${ctx.accountId}:cluster/${clusterName}`;
}

/**
 * Trust policy of roles assumed through EKS Pod Identity (K8S-1, SEC-4). The Pod Identity service may assume
 * the role only on behalf of this account's cluster (aws:SourceAccount, aws:SourceArn, the eks-cluster-arn
 * session tag) and of the one namespace and service account the association names (the
 * kubernetes-namespace and kubernetes-service-account session tags, which the service sets from the pod):
 * a second association of the role elsewhere, or another cluster, cannot use it.
 */
export function podIdentityTrust(scope: PodIdentityScope): pulumi.Output<string> {
    const arn = clusterArn(scope.context, scope.clusterName);
    return policyDocument([
        {
            Effect: "Allow",
            Principal: { Service: "pods.eks.amazonaws.com" },
            Action: ["sts:AssumeRole", "sts:TagSession"],
            Condition: {
                StringEquals: {
                    "aws:SourceAccount": scope.context.accountId,
                    "aws:RequestTag/eks-cluster-arn": arn,
                    "aws:RequestTag/kubernetes-namespace": scope.namespace,
                    "aws:RequestTag/kubernetes-service-account": scope.serviceAccount,
                },
                ArnEquals: { "aws:SourceArn": arn },
            },
        },
    ]);
}
