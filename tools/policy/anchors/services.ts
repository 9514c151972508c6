/**
 * The AWS services and Kubernetes kinds the program uses, as anchor families (POL-2, #17): which rendered
 * Pulumi types belong to each, and which upstream targets (Terraform/CloudFormation types, cdk-nag's Cfn classes,
 * Pulumi types, Kubernetes kinds) select an anchor rule into it. tests/policies/anchors.spec.ts renders the three
 * stacks and fails when a rendered type belongs to no family and is not listed in OUTSIDE_ANCHORS, and when a
 * family has no anchor rule.
 */
export interface AnchorFamily {
    key: string;
    label: string;
    /** Pulumi types (as rendered) of the family. */
    rendered: RegExp;
    /** Upstream targets of the family. */
    anchors: RegExp;
    /** How the program uses the family when it declares none of its types itself. */
    usedThrough?: string;
}

const cfn = (ns: string, types = "\\w+"): string => `AWS::(?:${ns})::(?:${types})`;
const cdk = (module: string, classes = "\\w+"): string => `cdk:(?:${module}):Cfn(?:${classes})`;
const any = (...parts: string[]): RegExp => new RegExp(`^(?:${parts.join("|")})$`);

export const ANCHOR_FAMILIES: AnchorFamily[] = [
    {
        key: "acm",
        label: "ACM certificates",
        rendered: /^aws:acm\//,
        anchors: any("aws_acm_\\w+", cfn("CertificateManager"), cdk("aws-certificatemanager"), "aws:acm:\\w+"),
    },
    {
        key: "backup",
        label: "AWS Backup",
        rendered: /^aws:backup\//,
        anchors: any("aws_backup_\\w+", cfn("Backup"), cdk("aws-backup"), "aws:backup:\\w+"),
    },
    {
        key: "cloudfront",
        label: "CloudFront",
        rendered: /^aws:cloudfront\//,
        anchors: any("aws_cloudfront_\\w+", cfn("CloudFront"), cdk("aws-cloudfront"), "aws:cloudfront:\\w+"),
    },
    {
        key: "cloudtrail",
        label: "CloudTrail",
        rendered: /^aws:cloudtrail\//,
        anchors: any("aws_cloudtrail\\w*", cfn("CloudTrail"), cdk("aws-cloudtrail"), "aws:cloudtrail:\\w+"),
    },
    {
        key: "cloudwatch",
        label: "CloudWatch Logs, alarms and EventBridge rules",
        rendered: /^aws:cloudwatch\//,
        anchors: any(
            "aws_cloudwatch_\\w+",
            cfn("Logs|CloudWatch|Events"),
            cdk("aws-logs|aws-cloudwatch|aws-events"),
            "aws:cloudwatch:\\w+",
        ),
    },
    {
        key: "codebuild",
        label: "CodeBuild",
        rendered: /^aws:codebuild\//,
        anchors: any("aws_codebuild_\\w+", cfn("CodeBuild"), cdk("aws-codebuild"), "aws:codebuild:\\w+"),
    },
    {
        key: "vpc",
        label: "VPC networking (VPC, subnets, routes, gateways, endpoints, flow logs)",
        rendered: /^aws:ec2\/(vpc|subnet|routeTable|routeTableAssociation|internetGateway|natGateway|eip|vpcEndpoint|flowLog):/,
        anchors: any(
            "aws_(vpc|subnet|route_table|route_table_association|route|internet_gateway|nat_gateway|eip|vpc_endpoint|flow_log)",
            cfn(
                "EC2",
                "VPC|Subnet|RouteTable|SubnetRouteTableAssociation|Route|InternetGateway|NatGateway|EIP|VPCEndpoint|FlowLog",
            ),
            cdk("aws-ec2", "VPC|Subnet|FlowLog|RouteTable|InternetGateway|NatGateway|EIP|VPCEndpoint"),
            "aws:ec2:(Vpc|Subnet|RouteTable|InternetGateway|NatGateway|Eip|VpcEndpoint|FlowLog)",
        ),
    },
    {
        key: "security-group",
        label: "EC2 security groups and their rules",
        rendered: /^aws:(ec2\/(securityGroup|defaultSecurityGroup|securityGroupRule)|vpc\/securityGroup(Ingress|Egress)Rule):/,
        anchors: any(
            "aws_(security_group|security_group_rule|default_security_group|vpc_security_group_(ingress|egress)_rule)",
            cfn("EC2", "SecurityGroup|SecurityGroupIngress|SecurityGroupEgress"),
            cdk("aws-ec2", "SecurityGroup|SecurityGroupIngress|SecurityGroupEgress"),
            "aws:ec2:(SecurityGroup|DefaultSecurityGroup|SecurityGroupRule)",
            "aws:vpc:SecurityGroup(Ingress|Egress)Rule",
        ),
    },
    {
        key: "launch-template",
        label: "EC2 launch templates (EKS node groups' instances and volumes)",
        rendered: /^aws:ec2\/launchTemplate:/,
        anchors: any(
            "aws_launch_template",
            cfn("EC2", "LaunchTemplate"),
            cdk("aws-ec2", "LaunchTemplate"),
            "aws:ec2:LaunchTemplate",
        ),
    },
    {
        key: "ecr",
        label: "ECR",
        rendered: /^aws:ecr\//,
        anchors: any("aws_ecr_\\w+", cfn("ECR"), cdk("aws-ecr"), "aws:ecr:\\w+"),
    },
    {
        key: "eks",
        label: "EKS",
        rendered: /^aws:eks\//,
        anchors: any("aws_eks_\\w+", cfn("EKS"), cdk("aws-eks"), "aws:eks:\\w+"),
    },
    {
        key: "elasticache",
        label: "ElastiCache",
        rendered: /^aws:elasticache\//,
        anchors: any("aws_elasticache_\\w+", cfn("ElastiCache"), cdk("aws-elasticache"), "aws:elasticache:\\w+"),
    },
    {
        key: "elbv2",
        label: "Application load balancers",
        rendered: /^kubernetes:networking\.k8s\.io\/v1:Ingress$/,
        usedThrough:
            "built by the AWS Load Balancer Controller from the program's Ingress objects, whose annotations define them",
        anchors: any(
            "aws_(lb|alb)(_listener|_listener_rule|_target_group)?",
            cfn("ElasticLoadBalancingV2"),
            cdk("aws-elasticloadbalancingv2"),
            "aws:(alb|lb):\\w+",
        ),
    },
    {
        key: "guardduty",
        label: "GuardDuty",
        rendered: /^aws:guardduty\//,
        anchors: any("aws_guardduty_\\w+", cfn("GuardDuty"), cdk("aws-guardduty"), "aws:guardduty:\\w+"),
    },
    {
        key: "iam",
        label: "IAM",
        rendered: /^aws:iam\//,
        anchors: any("aws_iam_\\w+", cfn("IAM"), cdk("aws-iam"), "aws:iam:\\w+"),
    },
    {
        key: "kms",
        label: "KMS",
        rendered: /^aws:kms\//,
        anchors: any("aws_kms_\\w+", cfn("KMS"), cdk("aws-kms"), "aws:kms:\\w+"),
    },
    {
        key: "lambda",
        label: "Lambda",
        rendered: /^aws:lambda\//,
        anchors: any("aws_lambda_\\w+", cfn("Lambda"), cdk("aws-lambda"), "aws:lambda:\\w+"),
    },
    {
        key: "rds",
        label: "RDS",
        rendered: /^aws:rds\//,
        anchors: any("aws_(db|rds)_\\w+", cfn("RDS"), cdk("aws-rds"), "aws:rds:\\w+"),
    },
    {
        key: "route53",
        label: "Route 53 hosted zones and records",
        rendered: /^aws:route53\//,
        anchors: any(
            "aws_route53_(zone|record|query_log|hosted_zone_dnssec|key_signing_key)\\w*",
            cfn("Route53"),
            cdk("aws-route53"),
            "aws:route53:\\w+",
        ),
    },
    { key: "s3", label: "S3", rendered: /^aws:s3\//, anchors: any("aws_s3_\\w+", cfn("S3"), cdk("aws-s3"), "aws:s3:\\w+") },
    {
        key: "secretsmanager",
        label: "Secrets Manager",
        rendered: /^aws:secretsmanager\//,
        anchors: any("aws_secretsmanager_\\w+", cfn("SecretsManager"), cdk("aws-secretsmanager"), "aws:secretsmanager:\\w+"),
    },
    {
        key: "sns",
        label: "SNS",
        rendered: /^aws:sns\//,
        anchors: any("aws_sns_\\w+", cfn("SNS"), cdk("aws-sns"), "aws:sns:\\w+"),
    },
    {
        key: "wafv2",
        label: "WAFv2",
        rendered: /^aws:wafv2\//,
        anchors: any("aws_wafv2_\\w+", cfn("WAFv2"), cdk("aws-wafv2"), "aws:wafv2:\\w+"),
    },
    {
        key: "k8s-workload",
        label: "Kubernetes workloads (Deployment, Rollout, Job, CronJob)",
        rendered:
            /^kubernetes:(apps\/v1:(Deployment|StatefulSet|DaemonSet)|batch\/v1:(Job|CronJob)|argoproj\.io\/v1alpha1:Rollout)$/,
        anchors: any(
            "PodSpec",
            "Pod",
            "Deployment",
            "DaemonSet",
            "StatefulSet",
            "ReplicaSet",
            "ReplicationController",
            "Job",
            "CronJob",
            "DeploymentLike",
            "JobLike",
            "Any",
            "Container",
            "Controller",
            "PodTemplate",
            "kubernetes:(apps/v1:(Deployment|StatefulSet|DaemonSet)|batch/v1:(Job|CronJob))",
        ),
    },
    {
        key: "k8s-service",
        label: "Kubernetes Services",
        rendered: /^kubernetes:core\/v1:Service$/,
        anchors: any("Service", "kubernetes:core/v1:Service"),
    },
    {
        key: "k8s-ingress",
        label: "Kubernetes Ingresses",
        rendered: /^kubernetes:networking\.k8s\.io\/v1:Ingress$/,
        anchors: any("Ingress", "networking\\.k8s\\.io/Ingress", "kubernetes:networking/v1:Ingress"),
    },
    {
        key: "k8s-configmap",
        label: "Kubernetes ConfigMaps",
        rendered: /^kubernetes:core\/v1:ConfigMap$/,
        anchors: any("ConfigMap", "/ConfigMap", "kubernetes:core/v1:ConfigMap"),
    },
    {
        key: "k8s-rbac",
        label: "Kubernetes RBAC (Roles and RoleBindings)",
        rendered: /^kubernetes:rbac\.authorization\.k8s\.io\/v1:(Role|RoleBinding)$/,
        anchors: any(
            "Role",
            "RoleBinding",
            "ClusterRole",
            "ClusterRoleBinding",
            "rbac\\.authorization\\.k8s\\.io/(Cluster)?Role(Binding)?",
            "kubernetes:rbac\\.authorization\\.k8s\\.io/v1:(Cluster)?Role(Binding)?",
        ),
    },
    {
        key: "k8s-serviceaccount",
        label: "Kubernetes ServiceAccounts",
        rendered: /^kubernetes:core\/v1:ServiceAccount$/,
        anchors: any("ServiceAccount", "kubernetes:core/v1:ServiceAccount"),
    },
    {
        key: "k8s-servicemonitor",
        label: "Prometheus ServiceMonitors",
        rendered: /^kubernetes:monitoring\.coreos\.com\/v1:ServiceMonitor$/,
        anchors: any("ServiceMonitor"),
    },
    {
        key: "k8s-pdb",
        label: "Kubernetes PodDisruptionBudgets",
        rendered: /^kubernetes:policy\/v1:PodDisruptionBudget$/,
        anchors: any("PodDisruptionBudget", "policy/PodDisruptionBudget", "kubernetes:policy/v1:PodDisruptionBudget"),
    },
    {
        key: "k8s-hpa",
        label: "Kubernetes HorizontalPodAutoscalers",
        rendered: /^kubernetes:autoscaling\/v2:HorizontalPodAutoscaler$/,
        anchors: any(
            "HorizontalPodAutoscaler",
            "autoscaling/HorizontalPodAutoscaler",
            "kubernetes:autoscaling/v2:HorizontalPodAutoscaler",
        ),
    },
];

/** Rendered types no anchor rule set has rules for, each with the reason and what judges it instead. */
export const OUTSIDE_ANCHORS: { type: RegExp; reason: string }[] = [
    {
        type: /^(pulumi:|bookbuddy:|random:)/,
        reason: "providers, the stack, our component resources and random values create nothing in a cloud account",
    },
    {
        type: /^postgresql:/,
        reason: "PostgreSQL roles, grants and extensions inside the database: no anchor rule set reads them; tests/components/postgres run them on a real PostgreSQL as their real roles",
    },
    {
        type: /^aws:synthetics\//,
        reason: "no anchor rule set has rules for Synthetics canaries (Checkov, cdk-nag, AWSGuard and Pulumi's policies have none at their pinned versions); `alarm-actions` judges their alarms",
    },
    {
        type: /^kubernetes:core\/v1:Namespace$/,
        reason: "no anchor rule set has rules for the Namespace kind itself; rules about workloads in the default namespace read the workloads",
    },
    {
        type: /^kubernetes:helm\.sh\/v3:Release$/,
        reason: "no anchor rule set reads Helm releases; `helm-release-pinned` pins their charts",
    },
    {
        type: /^kubernetes:storage\.k8s\.io\/v1:StorageClass$/,
        reason: "no anchor rule set has rules for StorageClasses; the EBS CSI class is encrypted by the program (components/cluster)",
    },
    {
        type: /^kubernetes:(argoproj\.io\/v1alpha1:AnalysisTemplate|(elasticsearch|kibana|logstash)\.k8s\.elastic\.co\/\w+:\w+|external-secrets\.io\/v1:\w+|monitoring\.coreos\.com\/v1:(PodMonitor|Probe|PrometheusRule))$/,
        reason: "custom resources of operators: no anchor rule set reads them; their schemas are checked against the operators' CRDs (tests/upstream)",
    },
];
