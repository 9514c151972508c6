import * as aws from "@pulumi/aws";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { AwsContext, policyDocument } from "../shared/context";
import { podIdentityTrust } from "./index";

export interface ChartVersions {
    awsLoadBalancerController: string;
    clusterAutoscaler: string;
    metricsServer: string;
    externalSecrets: string;
}

export interface ClusterServicesArgs {
    /** EKS cluster name (for Pod Identity associations and controller settings). */
    clusterName: pulumi.Input<string>;
    /** VPC ID, given to the load balancer controller (nodes block IMDS for pods). */
    vpcId: pulumi.Input<string>;
    /** Pinned chart versions (K8S-2). */
    charts: ChartVersions;
    /** Replicas of each controller (2 keeps them available through node drains). */
    replicas?: number;
    /** Account, region and partition. */
    context: AwsContext;
}

/** Chart repositories of the cluster services. */
export const CHART_REPOSITORIES = {
    awsLoadBalancerController: "https://aws.github.io/eks-charts",
    clusterAutoscaler: "https://kubernetes.github.io/autoscaler",
    metricsServer: "https://kubernetes-sigs.github.io/metrics-server/",
    externalSecrets: "https://charts.external-secrets.io",
};

/**
 * Cluster services (K8S-2) as Helm releases with pinned versions, each controller with its own
 * least-privilege IAM role through EKS Pod Identity (SEC-4): AWS Load Balancer Controller, Cluster
 * Autoscaler, metrics-server (needs no AWS access, so it gets no role) and External Secrets Operator. The
 * External Secrets controller gets no AWS role either: each namespace that reads secrets has its own SecretStore
 * with its own IRSA role (components/cluster/secret-store.ts, SEC-7), and no ClusterSecretStore exists.
 */
export class ClusterServices extends pulumi.ComponentResource {
    readonly loadBalancerController: k8s.helm.v3.Release;
    readonly clusterAutoscaler: k8s.helm.v3.Release;
    readonly metricsServer: k8s.helm.v3.Release;
    readonly externalSecrets: k8s.helm.v3.Release;
    /** IAM roles by service, for tests and policies. */
    readonly roles: Record<string, aws.iam.Role> = {};
    private readonly context: AwsContext;

    constructor(name: string, args: ClusterServicesArgs, opts?: pulumi.ComponentResourceOptions) {
        super("bookbuddy:platform:ClusterServices", name, {}, opts);
        const ctx = args.context;
        this.context = ctx;
        const replicas = args.replicas ?? 2;

        // AWS Load Balancer Controller: ALB ingress with ACM certificates (K8S-2, EDGE-1).
        const lbRole = this.workloadRole(
            name,
            "aws-load-balancer-controller",
            "kube-system",
            "aws-load-balancer-controller",
            args.clusterName,
            loadBalancerControllerPolicy(args.clusterName),
        );
        this.loadBalancerController = new k8s.helm.v3.Release(
            `${name}-aws-load-balancer-controller`,
            {
                name: "aws-load-balancer-controller",
                chart: "aws-load-balancer-controller",
                version: args.charts.awsLoadBalancerController,
                repositoryOpts: { repo: CHART_REPOSITORIES.awsLoadBalancerController },
                namespace: "kube-system",
                atomic: true,
                values: {
                    clusterName: args.clusterName,
                    region: ctx.region,
                    vpcId: args.vpcId,
                    replicaCount: replicas,
                    serviceAccount: { create: true, name: "aws-load-balancer-controller" },
                    podDisruptionBudget: { maxUnavailable: 1 },
                    enableServiceMutatorWebhook: false,
                },
            },
            { parent: this, dependsOn: [lbRole] },
        );

        // Cluster Autoscaler: scales the managed node groups it discovers by tag (K8S-2).
        const caRole = this.workloadRole(
            name,
            "cluster-autoscaler",
            "kube-system",
            "cluster-autoscaler",
            args.clusterName,
            clusterAutoscalerPolicy(args.clusterName),
        );
        this.clusterAutoscaler = new k8s.helm.v3.Release(
            `${name}-cluster-autoscaler`,
            {
                name: "cluster-autoscaler",
                chart: "cluster-autoscaler",
                version: args.charts.clusterAutoscaler,
                repositoryOpts: { repo: CHART_REPOSITORIES.clusterAutoscaler },
                namespace: "kube-system",
                atomic: true,
                values: {
                    autoDiscovery: { clusterName: args.clusterName },
                    awsRegion: ctx.region,
                    rbac: { serviceAccount: { create: true, name: "cluster-autoscaler" } },
                    extraArgs: {
                        "balance-similar-node-groups": true,
                        expander: "least-waste",
                        "skip-nodes-with-system-pods": false,
                    },
                },
            },
            { parent: this, dependsOn: [caRole] },
        );

        // metrics-server feeds the HPA (APP-1); it talks only to kubelets.
        this.metricsServer = new k8s.helm.v3.Release(
            `${name}-metrics-server`,
            {
                name: "metrics-server",
                chart: "metrics-server",
                version: args.charts.metricsServer,
                repositoryOpts: { repo: CHART_REPOSITORIES.metricsServer },
                namespace: "kube-system",
                atomic: true,
                values: { replicas, podDisruptionBudget: { enabled: true, maxUnavailable: 1 } },
            },
            { parent: this },
        );

        // External Secrets Operator: Kubernetes secrets come from Secrets Manager, never from manifests (SEC-1). The
        // controller holds no AWS credentials (SEC-7): every read goes through a namespace's SecretStore and role.
        const esoNamespace = new k8s.core.v1.Namespace(
            `${name}-external-secrets`,
            { metadata: { name: "external-secrets" } },
            { parent: this },
        );
        this.externalSecrets = new k8s.helm.v3.Release(
            `${name}-external-secrets`,
            {
                name: "external-secrets",
                chart: "external-secrets",
                version: args.charts.externalSecrets,
                repositoryOpts: { repo: CHART_REPOSITORIES.externalSecrets },
                namespace: esoNamespace.metadata.name,
                atomic: true,
                values: { installCRDs: true, replicaCount: replicas, serviceAccount: { create: true, name: "external-secrets" } },
            },
            { parent: this },
        );

        this.registerOutputs({});
    }

    /** One IAM role per controller, trusted only by EKS Pod Identity, bound to one service account (SEC-4). */
    private workloadRole(
        name: string,
        service: string,
        namespace: string,
        serviceAccount: string,
        clusterName: pulumi.Input<string>,
        policy: pulumi.Output<string>,
    ): aws.eks.PodIdentityAssociation {
        const role = new aws.iam.Role(
            `${name}-${service}`,
            {
                description: `${service} (Pod Identity ${namespace}/${serviceAccount})`,
                assumeRolePolicy: podIdentityTrust({ context: this.context, clusterName, namespace, serviceAccount }),
            },
            { parent: this },
        );
        new aws.iam.RolePolicy(`${name}-${service}`, { role: role.id, policy }, { parent: this });
        this.roles[service] = role;
        return new aws.eks.PodIdentityAssociation(
            `${name}-${service}`,
            { clusterName, namespace, serviceAccount, roleArn: role.arn },
            { parent: this },
        );
    }
}

const LB_TAG = "elbv2.k8s.aws/cluster";
const ELB = "arn:aws:elasticloadbalancing:*:*";
const ALB_ARNS = {
    loadBalancer: `${ELB}:loadbalancer/app/*/*`,
    targetGroup: `${ELB}:targetgroup/*/*`,
    listener: `${ELB}:listener/app/*/*/*`,
    rule: `${ELB}:listener-rule/app/*/*/*/*`,
};

/**
 * What the AWS Load Balancer Controller needs (K8S-2, EDGE-1, SEC-4): reads everywhere, creates only resources it
 * tags with this cluster's name at creation, and changes only what carries that tag. Checked call by call against
 * the controller's own API calls (tests/upstream/iam-calls/aws-load-balancer-controller.yaml, UP-1):
 * - it creates load balancers, target groups, listeners and rules WITH tags, so IAM also authorises
 *   `elasticloadbalancing:AddTags` with `elasticloadbalancing:CreateAction` on each of them;
 * - IAM authorises `CreateListener` against the load balancer's ARN and `CreateRule` against the listener's ARN;
 * - rule order changes use `SetRulePriorities`;
 * - backend rules go into the node security group EKS tags `kubernetes.io/cluster/<cluster>: owned`.
 */
export function loadBalancerControllerPolicy(clusterName: pulumi.Input<string>): pulumi.Output<string> {
    return pulumi.output(clusterName).apply((cluster) => {
        const owned = { StringEquals: { [`aws:ResourceTag/${LB_TAG}`]: cluster } };
        const tagsThisCluster = { [`aws:RequestTag/${LB_TAG}`]: cluster };
        return policyDocument([
            {
                Sid: "ServiceLinkedRole",
                Effect: "Allow",
                Action: "iam:CreateServiceLinkedRole",
                Resource: "*",
                Condition: { StringEquals: { "iam:AWSServiceName": "elasticloadbalancing.amazonaws.com" } },
            },
            {
                Sid: "Describe",
                Effect: "Allow",
                Action: [
                    "ec2:DescribeAccountAttributes",
                    "ec2:DescribeAddresses",
                    "ec2:DescribeAvailabilityZones",
                    "ec2:DescribeInternetGateways",
                    "ec2:DescribeVpcs",
                    "ec2:DescribeSubnets",
                    "ec2:DescribeSecurityGroups",
                    "ec2:DescribeInstances",
                    "ec2:DescribeNetworkInterfaces",
                    "ec2:DescribeTags",
                    "ec2:DescribeRouteTables",
                    "ec2:GetSecurityGroupsForVpc",
                    "elasticloadbalancing:DescribeLoadBalancers",
                    "elasticloadbalancing:DescribeLoadBalancerAttributes",
                    "elasticloadbalancing:DescribeListeners",
                    "elasticloadbalancing:DescribeListenerCertificates",
                    "elasticloadbalancing:DescribeListenerAttributes",
                    "elasticloadbalancing:DescribeSSLPolicies",
                    "elasticloadbalancing:DescribeRules",
                    "elasticloadbalancing:DescribeTargetGroups",
                    "elasticloadbalancing:DescribeTargetGroupAttributes",
                    "elasticloadbalancing:DescribeTargetHealth",
                    "elasticloadbalancing:DescribeTags",
                    "elasticloadbalancing:DescribeTrustStores",
                    "acm:ListCertificates",
                    "acm:DescribeCertificate",
                    "wafv2:GetWebACL",
                    "wafv2:GetWebACLForResource",
                    "shield:GetSubscriptionState",
                ],
                Resource: "*",
            },
            { Sid: "CreateSecurityGroup", Effect: "Allow", Action: "ec2:CreateSecurityGroup", Resource: "*" },
            {
                Sid: "TagNewSecurityGroups",
                Effect: "Allow",
                Action: "ec2:CreateTags",
                Resource: "arn:aws:ec2:*:*:security-group/*",
                Condition: { StringEquals: { "ec2:CreateAction": "CreateSecurityGroup", ...tagsThisCluster } },
            },
            {
                Sid: "ManageOwnSecurityGroups",
                Effect: "Allow",
                Action: ["ec2:AuthorizeSecurityGroupIngress", "ec2:RevokeSecurityGroupIngress", "ec2:DeleteSecurityGroup"],
                Resource: "arn:aws:ec2:*:*:security-group/*",
                Condition: owned,
            },
            {
                Sid: "RetagOwnSecurityGroups",
                Effect: "Allow",
                Action: ["ec2:CreateTags", "ec2:DeleteTags"],
                Resource: "arn:aws:ec2:*:*:security-group/*",
                Condition: { ...owned, Null: { [`aws:RequestTag/${LB_TAG}`]: "true" } },
            },
            {
                Sid: "NodeSecurityGroupRules",
                Effect: "Allow",
                Action: ["ec2:AuthorizeSecurityGroupIngress", "ec2:RevokeSecurityGroupIngress"],
                Resource: "arn:aws:ec2:*:*:security-group/*",
                Condition: { StringEquals: { [`aws:ResourceTag/kubernetes.io/cluster/${cluster}`]: "owned" } },
            },
            {
                Sid: "CreateTaggedLoadBalancers",
                Effect: "Allow",
                Action: ["elasticloadbalancing:CreateLoadBalancer", "elasticloadbalancing:CreateTargetGroup"],
                Resource: [ALB_ARNS.loadBalancer, ALB_ARNS.targetGroup],
                Condition: { StringEquals: tagsThisCluster },
            },
            {
                Sid: "TagAtCreation",
                Effect: "Allow",
                Action: "elasticloadbalancing:AddTags",
                Resource: [ALB_ARNS.loadBalancer, ALB_ARNS.targetGroup, ALB_ARNS.listener, ALB_ARNS.rule],
                Condition: {
                    StringEquals: {
                        "elasticloadbalancing:CreateAction": [
                            "CreateLoadBalancer",
                            "CreateTargetGroup",
                            "CreateListener",
                            "CreateRule",
                        ],
                        ...tagsThisCluster,
                    },
                },
            },
            {
                Sid: "ListenersOnOwnLoadBalancers",
                Effect: "Allow",
                Action: "elasticloadbalancing:CreateListener",
                Resource: ALB_ARNS.loadBalancer,
                Condition: owned,
            },
            {
                Sid: "RulesOnOwnListeners",
                Effect: "Allow",
                Action: "elasticloadbalancing:CreateRule",
                Resource: ALB_ARNS.listener,
                Condition: owned,
            },
            {
                Sid: "ManageOwnListeners",
                Effect: "Allow",
                Action: [
                    "elasticloadbalancing:DeleteListener",
                    "elasticloadbalancing:ModifyListener",
                    "elasticloadbalancing:ModifyListenerAttributes",
                    "elasticloadbalancing:AddListenerCertificates",
                    "elasticloadbalancing:RemoveListenerCertificates",
                ],
                Resource: ALB_ARNS.listener,
                Condition: owned,
            },
            {
                Sid: "ManageOwnRules",
                Effect: "Allow",
                Action: [
                    "elasticloadbalancing:DeleteRule",
                    "elasticloadbalancing:ModifyRule",
                    "elasticloadbalancing:SetRulePriorities",
                ],
                Resource: ALB_ARNS.rule,
                Condition: owned,
            },
            {
                Sid: "ManageOwnLoadBalancers",
                Effect: "Allow",
                Action: [
                    "elasticloadbalancing:ModifyLoadBalancerAttributes",
                    "elasticloadbalancing:SetIpAddressType",
                    "elasticloadbalancing:SetSecurityGroups",
                    "elasticloadbalancing:SetSubnets",
                    "elasticloadbalancing:DeleteLoadBalancer",
                    "elasticloadbalancing:ModifyTargetGroup",
                    "elasticloadbalancing:ModifyTargetGroupAttributes",
                    "elasticloadbalancing:DeleteTargetGroup",
                ],
                Resource: [ALB_ARNS.loadBalancer, ALB_ARNS.targetGroup],
                Condition: owned,
            },
            {
                Sid: "RetagOwnLoadBalancers",
                Effect: "Allow",
                Action: ["elasticloadbalancing:AddTags", "elasticloadbalancing:RemoveTags"],
                Resource: [ALB_ARNS.loadBalancer, ALB_ARNS.targetGroup, ALB_ARNS.listener, ALB_ARNS.rule],
                Condition: { ...owned, Null: { [`aws:RequestTag/${LB_TAG}`]: "true" } },
            },
            {
                Sid: "Targets",
                Effect: "Allow",
                Action: ["elasticloadbalancing:RegisterTargets", "elasticloadbalancing:DeregisterTargets"],
                Resource: ALB_ARNS.targetGroup,
            },
            {
                Sid: "WebAcl",
                Effect: "Allow",
                Action: ["elasticloadbalancing:SetWebAcl", "wafv2:AssociateWebACL", "wafv2:DisassociateWebACL"],
                Resource: "*",
            },
        ]);
    });
}

/** Cluster Autoscaler: read the groups, change only the ones tagged as this cluster's. */
export function clusterAutoscalerPolicy(clusterName: pulumi.Input<string>): pulumi.Output<string> {
    return pulumi.output(clusterName).apply((cluster) =>
        policyDocument([
            {
                Sid: "Describe",
                Effect: "Allow",
                Action: [
                    "autoscaling:DescribeAutoScalingGroups",
                    "autoscaling:DescribeAutoScalingInstances",
                    "autoscaling:DescribeLaunchConfigurations",
                    "autoscaling:DescribeScalingActivities",
                    "autoscaling:DescribeTags",
                    "ec2:DescribeImages",
                    "ec2:DescribeInstanceTypes",
                    "ec2:DescribeLaunchTemplateVersions",
                    "ec2:GetInstanceTypesFromInstanceRequirements",
                    "eks:DescribeNodegroup",
                ],
                Resource: "*",
            },
            {
                Sid: "ScaleOwnGroups",
                Effect: "Allow",
                Action: ["autoscaling:SetDesiredCapacity", "autoscaling:TerminateInstanceInAutoScalingGroup"],
                Resource: "*",
                Condition: { StringEquals: { [`aws:ResourceTag/k8s.io/cluster-autoscaler/${cluster}`]: "owned" } },
            },
        ]),
    );
}
