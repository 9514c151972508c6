/**
 * The one schema of stack configuration (ENV-1, ENV-6): every key, its type, default, limits, documentation
 * and the requirement IDs it serves. `Pulumi.<stack>.yaml` sets only what differs from these defaults.
 *
 * Keys live in the `bookbuddy:` namespace; `aws:region` is read from the AWS provider's namespace.
 */
import { boolean, cidr, integer, list, object, string, stringMap, InferFields } from "./spec";

const region = (doc: string, ids: string[]) =>
    string({ doc, ids, pattern: /^[a-z]{2}(-gov)?-[a-z]+-\d$/, patternText: 'an AWS region name such as "eu-west-1"' });

const nodeGroup = object(
    {
        name: string({ doc: "Node group name suffix.", ids: ["K8S-1"], pattern: /^[a-z][a-z0-9-]{0,30}$/, patternText: "lower-case letters, digits and dashes (max 31)" }),
        instanceTypes: list(string({ doc: "EC2 instance type.", pattern: /^[a-z][a-z0-9-]*\.[a-z0-9]+$/, patternText: 'an EC2 instance type such as "m7i.large"' }), {
            doc: "Instance types, first one preferred.",
            minItems: 1,
        }),
        capacityType: string({ doc: "ON_DEMAND or SPOT (ENV-4 allows spot in dev).", ids: ["ENV-4"], oneOf: ["ON_DEMAND", "SPOT"], default: "ON_DEMAND" }),
        minSize: integer({ doc: "Minimum nodes.", min: 0, max: 100 }),
        desiredSize: integer({ doc: "Desired nodes at creation (autoscaling moves it afterwards).", min: 0, max: 100 }),
        maxSize: integer({ doc: "Maximum nodes.", min: 1, max: 100 }),
        diskSizeGb: integer({ doc: "Root volume size (gp3, encrypted).", min: 20, max: 1000, default: 50 }),
        amiType: string({ doc: "EKS-optimised AMI type.", oneOf: ["AL2023_x86_64_STANDARD", "AL2023_ARM_64_STANDARD", "BOTTLEROCKET_x86_64", "BOTTLEROCKET_ARM_64"], default: "AL2023_x86_64_STANDARD" }),
    },
    { doc: "A managed node group in the private subnets.", ids: ["K8S-1"] },
);

export const schema = {
    owner: string({ doc: "Team that owns the stack (tag `owner`).", ids: ["ENV-5"], minLength: 1 }),
    costCenter: string({ doc: "Cost centre for billing (tag `cost-center`).", ids: ["ENV-5"], minLength: 1 }),
    service: string({ doc: "Service name (tag `service`) and the prefix of physical names.", ids: ["ENV-5"], pattern: /^[a-z][a-z0-9-]{1,20}$/, patternText: "lower-case letters, digits and dashes (2-21)", default: "bookbuddy" }),
    extraTags: stringMap({ doc: "Extra tags added to every taggable resource.", ids: ["ENV-5"], default: {} }),
    drRegion: region("Disaster-recovery region for cross-region copies (DR-1).", ["DR-1", "BKP-1"]),

    network: object(
        {
            cidr: cidr({ doc: "VPC CIDR block.", ids: ["NET-1"], minPrefix: 16, maxPrefix: 20, default: "10.0.0.0/16" }),
            azCount: integer({ doc: "Availability zones used for subnets and nodes (ENV-3: prod 3).", ids: ["NET-1", "ENV-3"], min: 2, max: 3, default: 3 }),
            natGateways: string({ doc: "`single` NAT gateway (ENV-4 dev) or one `perAz` (ENV-3).", ids: ["ENV-3", "ENV-4"], oneOf: ["single", "perAz"], default: "perAz" }),
            flowLogRetentionDays: integer({ doc: "VPC flow log retention (NET-1, BKP-4: 90).", ids: ["NET-1", "BKP-4"], min: 90, max: 3653, default: 90 }),
        },
        { doc: "The VPC.", ids: ["NET-1"] },
    ),

    cluster: object(
        {
            version: string({ doc: "EKS Kubernetes version, pinned.", ids: ["K8S-1"], pattern: /^1\.\d{2}$/, patternText: 'a Kubernetes minor version such as "1.33"' }),
            endpointPublicAccess: boolean({ doc: "Expose the API server publicly (limited to publicAccessCidrs).", ids: ["K8S-1"], default: false }),
            publicAccessCidrs: list(cidr({ doc: "Allowed CIDR.", minPrefix: 8, maxPrefix: 32 }), { doc: "CIDRs allowed to reach the public endpoint; never 0.0.0.0/0.", ids: ["K8S-1"], default: [] }),
            logRetentionDays: integer({ doc: "Control-plane log retention.", ids: ["K8S-1", "BKP-4"], min: 90, max: 3653, default: 90 }),
            adminRoleArns: list(string({ doc: "IAM role ARN.", pattern: /^arn:aws[a-z-]*:iam::\d{12}:role\/.+$/, patternText: "an IAM role ARN" }), { doc: "IAM roles given cluster-admin access entries.", ids: ["K8S-1"], default: [] }),
            nodeGroups: list(nodeGroup, { doc: "Managed node groups.", ids: ["K8S-1", "ENV-3", "ENV-4"], minItems: 1 }),
            addons: object(
                {
                    vpcCni: string({ doc: "vpc-cni add-on version.", default: "v1.19.6-eksbuild.7" }),
                    coredns: string({ doc: "coredns add-on version.", default: "v1.12.1-eksbuild.2" }),
                    kubeProxy: string({ doc: "kube-proxy add-on version.", default: "v1.33.0-eksbuild.2" }),
                    ebsCsiDriver: string({ doc: "aws-ebs-csi-driver add-on version.", default: "v1.45.0-eksbuild.2" }),
                    podIdentityAgent: string({ doc: "eks-pod-identity-agent add-on version.", default: "v1.3.7-eksbuild.2" }),
                },
                { doc: "Pinned EKS add-on versions (match them to the cluster version).", ids: ["K8S-1"] },
            ),
        },
        { doc: "The EKS cluster.", ids: ["K8S-1"] },
    ),

    clusterServices: object(
        {
            awsLoadBalancerController: string({ doc: "aws-load-balancer-controller chart version.", ids: ["K8S-2"], default: "1.13.3" }),
            clusterAutoscaler: string({ doc: "cluster-autoscaler chart version.", ids: ["K8S-2"], default: "9.46.6" }),
            metricsServer: string({ doc: "metrics-server chart version.", ids: ["K8S-2"], default: "3.12.2" }),
            externalSecrets: string({ doc: "external-secrets chart version.", ids: ["K8S-2"], default: "0.18.2" }),
        },
        { doc: "Pinned Helm chart versions of the cluster services.", ids: ["K8S-2"] },
    ),

    registry: object(
        {
            repositories: list(string({ doc: "Repository name.", pattern: /^[a-z][a-z0-9-]*$/, patternText: "lower-case letters, digits and dashes" }), { doc: "ECR repositories.", ids: ["REG-1"], default: ["api", "web"], minItems: 1 }),
            keepImages: integer({ doc: "Images kept per repository by the lifecycle policy.", ids: ["REG-1"], min: 5, max: 1000, default: 30 }),
        },
        { doc: "Container registry.", ids: ["REG-1"] },
    ),
};

export type Schema = typeof schema;
export type BookbuddyConfig = InferFields<Schema>;
export type NodeGroupConfig = BookbuddyConfig["cluster"]["nodeGroups"][number];
