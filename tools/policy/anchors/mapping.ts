/**
 * The anchor matrix's verdicts (POL-2, #17): for every anchor rule of a family the program uses, the rule of ours
 * that enforces its concern (by rule name, policies/<pack>/rules/<name>.ts), or "not applicable: <reason>" (the
 * concern has no object in this program, is handled elsewhere — the place is named — or is a decision, with its
 * reason). "gap: <what>" marks a concern we should enforce and do not; tests/policies/anchors.spec.ts fails on it,
 * on an anchor rule without a verdict, and on a rule name that does not exist.
 *
 * A verdict names the rule that owns the concern; which resource forms each rule reads (instance or cluster,
 * inline or separate resource) is data of #17 item 3, not of this matrix.
 */
const na = (reason: string): string => `not applicable: ${reason}`;

// Recurring reasons, each a fact about the program or a decision with its reason.
const SG_EGRESS = na(
    "decision: SEC-6 restricts ingress; egress to the internet leaves through the NAT gateways because nodes, jobs and the rotation function call AWS APIs, ECR and upstream services; VPC endpoints keep S3, ECR and Secrets Manager traffic private (NET-1)",
);
const SECRET_ENV = na(
    "decision: the API mounts its secrets as files (components/app); the one-shot bootstrap and logging-setup Jobs read theirs as secretKeyRef environment variables from External Secrets-synced Secrets, so no value reaches the pod spec, state or logs",
);
const ALB_LOGS = na(
    "decision: ALB access logs are not kept; WAF logs (components/waf) and the API's request logs in the ELK stack (LOG-1) record every request",
);
const TRACING = na(
    "decision: X-Ray is not used; the rotation function logs every step to its encrypted log group and alarms on failure (components/secrets)",
);
const NO_PROBE_PORTS = na(
    "decision: a low port inside the pod's network namespace exposes nothing on the node; the API listens on 8000 and Services map ports (components/app)",
);
const PSS_KERNEL = "k8s-kernel-defaults";
const NO_AURORA = na(
    "the program declares no Aurora or Multi-AZ DB cluster (aws.rds.Cluster); its database is one RDS for PostgreSQL instance (components/postgres)",
);
const NOT_MYSQL = na("MySQL-only feature; the database engine is PostgreSQL (DB-1)");
const NO_IAM_USERS = na(
    "the program declares no IAM users, groups, access keys or account password policy: people sign in through federation, CI through GitHub OIDC roles (components/deploy)",
);
const NO_EC2_CLASSIC = na(
    "EC2-Classic/VPC-less security-group resources (DB or cache security groups) do not exist in the program's VPC-only accounts",
);
const CONTROL_PLANE = na(
    "a kube-apiserver/controller-manager/scheduler/etcd/kubelet flag: EKS runs and configures the control plane and the managed node AMI; the program declares no control-plane pods",
);
const NO_TILLER = na(
    "Helm v2's Tiller: the program installs charts with Helm v3 releases (helm.v3.Release), which have no in-cluster server",
);
const NO_DASHBOARD = na(
    "the program deploys no Kubernetes dashboard or git-sync sidecar; its workloads are the API, its migration Job and the database/logging Jobs",
);
const PSS_RESTRICTED =
    "the API and job namespaces enforce the restricted Pod Security Standard (components/app, tests/components/app.spec.ts)";
const OBJECT_CONSISTENCY = na(
    "object consistency, not a security or maintenance concern: the component specs assert the rendered objects' selectors, ports and references (tests/components/app.spec.ts, maintenance-jobs.spec.ts) and validate them against kubernetes-models schemas",
);
const NO_CPU_LIMIT = na(
    "decision: CPU is requested (k8s-resources) but not limited, so pods use idle CPU instead of being throttled by CFS quotas; memory limits are required",
);
const REPLICAS = na(
    "decision: replica counts are per stack (ENV-3 prod runs at least three API pods, ENV-4 dev one), set from validated config and asserted in tests/components/app.spec.ts; Jobs run once",
);
const NO_CODE_SIGNING = na(
    "decision: the one function (secret rotation) is built from this repository in the same deploy; Lambda code signing needs a Signer profile and signing step the deploy path does not have",
);
const LABELS = na(
    "decision: the program labels by app and component (components/shared/k8s.ts); the recommended app.kubernetes.io label set is not required",
);
const NO_NETWORK_POLICY_ENGINE = na(
    "decision, open: the cluster runs no NetworkPolicy engine (the VPC CNI network policy agent is not enabled by K8S-2), so NetworkPolicy objects would not be enforced; isolation rests on namespaces, security groups (SEC-6) and TLS plus credentials at the data stores (DB-1, CACHE-1). A rule requiring policies belongs with enabling the engine",
);
/** Kubernetes RBAC anchors: k8s-rbac-least-privilege judges Roles and ClusterRoles (a binding to a broad role fails through that role) and bindings of the built-in broad ClusterRoles. */
const RBAC = "k8s-rbac-least-privilege";
const ROOT_PROTECTION = na(
    "KMS and S3 key/bucket policies keep the account principal (root) statement by design so the key or bucket can never become unmanageable",
);

export const ANCHOR_MAPPING: Record<string, Record<string, string>> = {
    checkov: {
        // ACM
        CKV_AWS_233: na(
            "Pulumi replaces create-before-delete by default and components/edge/certificate.ts keeps deleteBeforeReplace false on certificates",
        ),
        CKV_AWS_234: na(
            "handled by the program: components/edge/certificate.ts always sets certificateTransparencyLoggingPreference ENABLED (tests/components/edge.spec.ts)",
        ),
        CKV2_AWS_71: na(
            "decision: certificates name the exact hosts (api., app., media.); no wildcard name is requested (components/edge/certificate.ts)",
        ),
        // Backup
        CKV_AWS_166: "backup-vault-cmk",
        CKV2_AWS_9: na(
            "the program declares no standalone EBS volumes: node root volumes are disposable, and the Prometheus and Elasticsearch volumes are rebuilt from snapshots and archives (Elasticsearch snapshots to S3, tests/upstream/elasticsearch-snapshots.spec.ts)",
        ),
        CKV2_AWS_18: na("the program declares no EFS file systems"),
        // CloudFront
        CKV_AWS_34: "cloudfront-https-only",
        CKV_AWS_68: "waf-on-public-entry",
        CKV_AWS_86: "cloudfront-access-logging",
        CKV_AWS_174: "cloudfront-tls-minimum",
        CKV_AWS_216: na(
            "a disabled distribution serves nothing; whether it serves is a functional choice the health checks watch (components/health)",
        ),
        CKV_AWS_259: na(
            "handled by the program: components/cdn sets a response headers policy with Strict-Transport-Security (preload, includeSubdomains) on every distribution (tests/components/cdn.spec.ts)",
        ),
        CKV_AWS_305: na(
            "decision: the web distribution sets index.html; the media distribution serves only named objects, so a root object has no meaning there",
        ),
        CKV_AWS_310: na(
            "decision: DR-1 restores the media origin from the replicated bucket by runbook (docs/disaster-recovery.md); no CloudFront origin group",
        ),
        CKV_AWS_374: na("decision: Bookbuddy serves readers in every country; geo restriction is explicitly none"),
        CKV2_AWS_32: na(
            "handled by the program: components/cdn attaches its response headers policy to every cache behaviour (tests/components/cdn.spec.ts)",
        ),
        CKV2_AWS_42: "cloudfront-tls-minimum",
        CKV2_AWS_46: "cloudfront-origin-access-control",
        CKV2_AWS_47: "waf-managed-rules",
        CKV2_AWS_54: "cloudfront-tls-minimum",
        CKV2_AWS_72: na(
            "the distributions' origins are S3 buckets through origin access control (cloudfront-origin-access-control); there is no custom origin",
        ),
        // CloudTrail
        CKV_AWS_35: "cloudtrail-kms",
        CKV_AWS_36: "cloudtrail-log-validation",
        CKV_AWS_67: "cloudtrail-multi-region",
        CKV_AWS_251: "cloudtrail-cloudwatch-delivery",
        CKV_AWS_252: na(
            "decision: per-file delivery notifications serve no reader; the trail delivers to CloudWatch Logs (components/audit) and GuardDuty (guardduty-enabled) watches the account",
        ),
        CKV_AWS_294: na("the program declares no CloudTrail event data store"),
        CKV2_AWS_10: "cloudtrail-cloudwatch-delivery",
        // CloudWatch
        CKV_AWS_66: "log-group-retention",
        CKV_AWS_158: "log-group-kms",
        CKV_AWS_319: "alarm-actions",
        CKV_AWS_338: na(
            "decision: BKP-4 keeps log groups 90 days (log-group-retention enforces at least that); a year would keep personal data longer than the operations documents allow",
        ),
        // CodeBuild
        CKV_AWS_78: "codebuild-project-hardened",
        CKV_AWS_147: "codebuild-project-hardened",
        CKV_AWS_311: na(
            "the deploy runner writes no S3 logs (s3Logs DISABLED); its logs go to an encrypted CloudWatch log group (log-group-kms)",
        ),
        CKV_AWS_314: "codebuild-project-hardened",
        CKV_AWS_316: "codebuild-project-hardened",
        // VPC
        CKV_AWS_130: "no-public-ip-on-launch",
        CKV2_AWS_1: na("the program declares no network ACLs; it filters with security groups (SEC-6)"),
        CKV2_AWS_11: "vpc-flow-logs",
        CKV2_AWS_12: "default-sg-closed",
        CKV2_AWS_19: na("the only Elastic IPs are those of the NAT gateways, attached by construction (components/network)"),
        CKV2_AWS_35: na(
            "handled by the program: private subnets route 0.0.0.0/0 through a NAT gateway (components/network, tests/components/network.spec.ts)",
        ),
        CKV2_AWS_44: na("the program declares no VPC peering connections"),
        // Security groups
        CKV_AWS_23: "sg-rule-description",
        CKV2_AWS_5: na(
            "every security group of the program is created by the component that attaches it (cluster, nodes, database, cache, endpoints, rotation function); tests/security/security-groups.spec.ts reads them",
        ),
        CKV2_AWS_7: na("the program declares no EMR clusters"),
        // Launch templates
        CKV_AWS_46: na(
            "the node launch template's user data holds only the EKS bootstrap settings, no secrets; tests/security/secret-scan.spec.ts scans the rendered program for secrets",
        ),
        CKV_AWS_79: "launch-template-imdsv2",
        CKV_AWS_88: "no-public-ip-on-launch",
        CKV_AWS_341: "launch-template-imdsv2",
        // ECR
        CKV_AWS_32: na(
            "the program declares no repository policy; access comes from identity policies of the node role and deploy roles",
        ),
        CKV_AWS_51: "ecr-immutable-tags",
        CKV_AWS_136: "ecr-kms",
        CKV_AWS_163: "ecr-scan-on-push",
        // EKS
        CKV_AWS_37: "eks-control-plane-logging",
        CKV_AWS_38: "eks-endpoint-restricted",
        CKV_AWS_39: "eks-endpoint-restricted",
        CKV_AWS_58: "eks-secrets-encryption",
        CKV_AWS_100: "eks-nodegroup-launch-template",
        CKV_AWS_339: "eks-supported-version",
        // ElastiCache
        CKV_AWS_29: "elasticache-encryption-at-rest-cmk",
        CKV_AWS_30: "elasticache-encryption-in-transit",
        CKV_AWS_31: "elasticache-auth",
        CKV_AWS_134: "elasticache-snapshot-retention",
        CKV_AWS_191: "elasticache-encryption-at-rest-cmk",
        CKV_AWS_196: NO_EC2_CLASSIC,
        CKV_AWS_322: na(
            "handled by the program: ElastiCache applies minor engine updates in MNT-2's maintenance window (autoMinorVersionUpgrade true, components/redis)",
        ),
        CKV_AWS_323: "elasticache-private-subnet-group",
        CKV2_AWS_50: "elasticache-multi-az-failover",
        // Load balancers (built by the AWS Load Balancer Controller from the Ingress annotations)
        CKV_AWS_2: "k8s-ingress-alb-tls",
        CKV_AWS_91: ALB_LOGS,
        CKV_AWS_103: "k8s-ingress-alb-tls",
        CKV_AWS_131: na(
            "the AWS Load Balancer Controller enables routing.http.drop_invalid_header_fields on the ALBs it creates from the Ingress attributes (components/app sets load-balancer-attributes)",
        ),
        CKV_AWS_150: na(
            "decision: the ALB is owned by the Ingress; deleting it requires deleting the Ingress, which protect and review guard in the program",
        ),
        CKV_AWS_152: na(
            "cross-zone load balancing is always on for application load balancers; the rule concerns network/gateway load balancers, which the program does not use",
        ),
        CKV_AWS_261: na(
            "handled by the program: the controller's target groups use the readiness probe path /health (healthcheck-path annotation, components/app)",
        ),
        CKV_AWS_328: na(
            "handled by the program: the API Ingress sets routing.http.desync_mitigation_mode=strictest in its load-balancer-attributes annotation (components/app)",
        ),
        CKV_AWS_378: "k8s-ingress-alb-tls",
        CKV2_AWS_15: na("the program declares no Auto Scaling groups attached to load balancers; targets are pod IPs"),
        CKV2_AWS_20: "k8s-ingress-alb-tls",
        CKV2_AWS_28: "waf-on-public-entry",
        CKV2_AWS_74: "k8s-ingress-alb-tls",
        CKV2_AWS_76: "waf-managed-rules",
        // GuardDuty
        CKV_AWS_238: "guardduty-enabled",
        CKV2_AWS_3: na(
            "one account per stack; organization-wide GuardDuty configuration belongs to the organization's management account, not to this program",
        ),
        // IAM
        CKV_AWS_9: NO_IAM_USERS,
        CKV_AWS_10: NO_IAM_USERS,
        CKV_AWS_11: NO_IAM_USERS,
        CKV_AWS_12: NO_IAM_USERS,
        CKV_AWS_13: NO_IAM_USERS,
        CKV_AWS_14: NO_IAM_USERS,
        CKV_AWS_15: NO_IAM_USERS,
        CKV_AWS_40: NO_IAM_USERS,
        CKV_AWS_60: "iam-trust-policy-scoped",
        CKV_AWS_61: "iam-trust-policy-scoped",
        CKV_AWS_62: "iam-no-admin-wildcard",
        CKV_AWS_63: "iam-no-admin-wildcard",
        CKV_AWS_107: na(
            "every role's allowed calls are proven call by call against the AWS IAM simulator (UP-1, tests/upstream/iam-simulation.spec.ts); iam-no-admin-wildcard and iam-no-service-wildcard bound the wildcards",
        ),
        CKV_AWS_108: na(
            "every role's allowed calls are proven call by call against the AWS IAM simulator (UP-1, tests/upstream/iam-simulation.spec.ts), which also asserts calls outside a workload's need are denied",
        ),
        CKV_AWS_109: "iam-pass-role-scoped",
        CKV_AWS_110: "iam-pass-role-scoped",
        CKV_AWS_111: "iam-no-service-wildcard",
        CKV_AWS_273: NO_IAM_USERS,
        CKV_AWS_286: "iam-pass-role-scoped",
        CKV_AWS_287: na(
            "every role's allowed calls are proven call by call against the AWS IAM simulator (UP-1, tests/upstream/iam-simulation.spec.ts); iam-no-admin-wildcard and iam-no-service-wildcard bound the wildcards",
        ),
        CKV_AWS_288: na(
            "every role's allowed calls are proven call by call against the AWS IAM simulator (UP-1, tests/upstream/iam-simulation.spec.ts), which also asserts calls outside a workload's need are denied",
        ),
        CKV_AWS_289: "iam-pass-role-scoped",
        CKV_AWS_290: "iam-no-service-wildcard",
        CKV_AWS_348: NO_IAM_USERS,
        CKV_AWS_355: "iam-no-admin-wildcard",
        CKV_AWS_393: "iam-trust-policy-scoped",
        CKV2_AWS_14: NO_IAM_USERS,
        CKV2_AWS_21: NO_IAM_USERS,
        CKV2_AWS_22: NO_IAM_USERS,
        CKV2_AWS_40: "iam-no-service-wildcard",
        CKV2_AWS_56: "iam-no-admin-wildcard",
        CKV2_AWS_68: na("the program declares no SageMaker notebook instances"),
        // KMS
        CKV_AWS_7: "kms-key-rotation",
        CKV_AWS_33: "resource-policy-no-public-principal",
        CKV_AWS_227: "kms-key-policy-safe",
        CKV2_AWS_64: "kms-key-policy-safe",
        // Lambda
        CKV_AWS_45: na(
            "the rotation function's environment holds only endpoints and ARNs; tests/security/secret-scan.spec.ts scans the rendered program for secrets",
        ),
        CKV_AWS_50: TRACING,
        CKV_AWS_115: na(
            "handled by the program: the rotation function has reserved concurrency 2 (components/secrets/rotation.ts)",
        ),
        CKV_AWS_116: na(
            "Secrets Manager invokes the rotation function synchronously and retries a failed rotation itself; there is no asynchronous event to dead-letter",
        ),
        CKV_AWS_117: na(
            "handled by the program: the rotation function runs in the private subnets to reach the database (components/secrets/rotation.ts)",
        ),
        CKV_AWS_173: na(
            "decision: the rotation function's environment holds no secret (endpoints and ARNs only), so the default AWS-owned key suffices",
        ),
        CKV_AWS_258: na("the program declares no Lambda function URLs"),
        CKV_AWS_272: NO_CODE_SIGNING,
        CKV_AWS_301: "resource-policy-no-public-principal",
        CKV_AWS_363: na(
            "handled by the program: the rotation function's runtime is nodejs22.x, pinned with the repository's Node version (components/secrets/rotation.ts)",
        ),
        CKV_AWS_364: "lambda-permission-source-scoped",
        CKV2_AWS_75: na("the program declares no Lambda function URLs, so no CORS configuration"),
        // RDS
        CKV_AWS_16: "rds-storage-encrypted-cmk",
        CKV_AWS_17: "rds-not-publicly-accessible",
        CKV_AWS_96: "rds-storage-encrypted-cmk",
        CKV_AWS_118: "rds-enhanced-monitoring",
        CKV_AWS_129: "rds-log-exports",
        CKV_AWS_133: "rds-backup-retention",
        CKV_AWS_139: "rds-deletion-protection",
        CKV_AWS_140: NO_AURORA,
        CKV_AWS_146: na(
            "the program takes no manual cluster snapshots; automated snapshots inherit the instance's CMK encryption (rds-storage-encrypted-cmk)",
        ),
        CKV_AWS_157: "rds-multi-az",
        CKV_AWS_161: na(
            "handled by the program: components/postgres enables IAM database authentication (tests/components/postgres.spec.ts); applications use Secrets Manager credentials that rotate (SEC-1)",
        ),
        CKV_AWS_162: NO_AURORA,
        CKV_AWS_198: NO_EC2_CLASSIC,
        CKV_AWS_211: na(
            "handled by the program: components/postgres pins caCertIdentifier rds-ca-rsa2048-g1 (tests/components/postgres.spec.ts)",
        ),
        CKV_AWS_226: "rds-auto-minor-upgrade",
        CKV_AWS_245: na(
            "handled by the program: the cross-region backup replication always names a customer-managed KMS key of the DR region (components/dr, tests/components/dr.spec.ts)",
        ),
        CKV_AWS_246: NO_AURORA,
        CKV_AWS_250: na(
            "the log_fdw advisory concerns engine versions before 13.3 / 12.7; the program pins a current PostgreSQL major from config (DB-1) with automatic minor upgrades (rds-auto-minor-upgrade)",
        ),
        CKV_AWS_266: na(
            "the program declares no DB snapshot copies; cross-region copies are AWS Backup copy actions into a CMK-encrypted vault (backup-vault-cmk)",
        ),
        CKV_AWS_293: "rds-deletion-protection",
        CKV_AWS_302: na("the program declares no DB snapshots of its own, so none can be made public"),
        CKV_AWS_313: "rds-copy-tags-to-snapshot",
        CKV_AWS_324: "rds-log-exports",
        CKV_AWS_325: NOT_MYSQL,
        CKV_AWS_326: NOT_MYSQL,
        CKV_AWS_327: "rds-storage-encrypted-cmk",
        CKV_AWS_353: "rds-performance-insights",
        CKV_AWS_354: "rds-performance-insights",
        CKV_AWS_388: na(
            "the advisory concerns Aurora PostgreSQL's log_fdw/local file read; the program runs RDS for PostgreSQL with a current pinned major and automatic minor upgrades (rds-auto-minor-upgrade)",
        ),
        CKV2_AWS_8: "backup-coverage",
        CKV2_AWS_27: NO_AURORA,
        CKV2_AWS_30: na(
            "handled by the program: the parameter group sets log_statement ddl and log_min_duration_statement (components/postgres)",
        ),
        CKV2_AWS_60: "rds-copy-tags-to-snapshot",
        CKV2_AWS_69: "rds-force-ssl",
        // Route 53
        CKV2_AWS_23: na(
            "the program's A/AAAA records are aliases to its CloudFront distributions, the API name is a CNAME to the Ingress's load balancer, and the rest are certificate validation records (components/edge, components/app)",
        ),
        CKV2_AWS_38: na(
            "decision: DNSSEC signing needs a KMS key in us-east-1 and a DS record at the registrar, outside this program; the zones serve only public names whose answers are TLS-authenticated (EDGE-1)",
        ),
        CKV2_AWS_39: na(
            "decision: DNS query logs of the public zones would log readers' resolvers without serving an operational need; CloudFront and WAF logs record the requests",
        ),
        // S3
        CKV_AWS_18: "s3-bucket-maintenance-coverage",
        CKV_AWS_19: "s3-encryption-kms",
        CKV_AWS_20: "s3-ownership-enforced",
        CKV_AWS_21: "s3-versioning",
        CKV_AWS_53: "s3-public-access-block",
        CKV_AWS_54: "s3-public-access-block",
        CKV_AWS_55: "s3-public-access-block",
        CKV_AWS_56: "s3-public-access-block",
        CKV_AWS_57: "s3-ownership-enforced",
        CKV_AWS_70: "resource-policy-no-public-principal",
        CKV_AWS_93: ROOT_PROTECTION,
        CKV_AWS_143: na(
            "decision: object lock is set per stack where immutability is required, on the audit trail bucket (components/audit, infra/security.ts); media and dump buckets rely on versioning, replication and AWS Backup (BKP-1, DR-1)",
        ),
        CKV_AWS_144: "cross-region-dr",
        CKV_AWS_145: "s3-encryption-kms",
        CKV_AWS_181: na("the program declares no S3 object copies"),
        CKV_AWS_186: "s3-encryption-kms",
        CKV_AWS_300: "s3-lifecycle",
        CKV_AWS_375: "s3-ownership-enforced",
        CKV_AWS_379: "s3-tls-only-policy",
        CKV_AWS_392: na("the program declares no S3 access points"),
        CKV2_AWS_6: "s3-bucket-protection-coverage",
        CKV2_AWS_43: "s3-ownership-enforced",
        CKV2_AWS_61: "s3-bucket-maintenance-coverage",
        CKV2_AWS_62: na(
            "decision: no consumer reads bucket events; object changes are audited by CloudTrail (SEC-5) and versioning keeps every version",
        ),
        CKV2_AWS_65: "s3-ownership-enforced",
        // Secrets Manager
        CKV_AWS_149: "secret-cmk",
        CKV_AWS_304: "secret-rotation-within-limit",
        CKV2_AWS_57: "secret-rotation-within-limit",
        // SNS
        CKV_AWS_26: "sns-topic-encrypted",
        CKV_AWS_169: "resource-policy-no-public-principal",
        CKV_AWS_385: na(
            "handled by the program: the alert topic's policy names only service principals scoped by aws:SourceAccount (components/alarms/topic.ts); resource-policy-no-public-principal forbids public ones",
        ),
        // WAF
        CKV_AWS_175: "waf-managed-rules",
        CKV_AWS_192: "waf-managed-rules",
        CKV_AWS_342: "waf-managed-rules",
        CKV2_AWS_31: na(
            "handled by the program: components/waf declares a logging configuration with every web ACL (tests/components/waf.spec.ts)",
        ),
        CKV2_AWS_77: na("the program declares no API Gateway APIs"),
        CKV2_AWS_78: na("the program declares no AppSync APIs"),
        // Kubernetes workloads
        CKV_K8S_8: "k8s-probes",
        CKV_K8S_9: "k8s-probes",
        CKV_K8S_10: "k8s-resources",
        CKV_K8S_11: NO_CPU_LIMIT,
        CKV_K8S_12: "k8s-resources",
        CKV_K8S_13: "k8s-resources",
        CKV_K8S_14: "k8s-image-pinned",
        CKV_K8S_15: na(
            "decision: images are pinned (k8s-image-pinned) and ECR tags are immutable (ecr-immutable-tags), so a cached image is the image of its tag; IfNotPresent avoids a registry round trip per start",
        ),
        CKV_K8S_16: "k8s-no-privileged",
        CKV_K8S_17: "k8s-no-privileged",
        CKV_K8S_18: "k8s-no-privileged",
        CKV_K8S_19: "k8s-no-privileged",
        CKV_K8S_20: "k8s-no-privilege-escalation",
        CKV_K8S_21: "k8s-no-default-namespace",
        CKV_K8S_22: "k8s-read-only-root-fs",
        CKV_K8S_23: "k8s-run-as-non-root",
        CKV_K8S_25: "k8s-drop-all-capabilities",
        CKV_K8S_26: "k8s-no-host-access",
        CKV_K8S_27: "k8s-no-host-access",
        CKV_K8S_28: "k8s-drop-all-capabilities",
        CKV_K8S_29: "k8s-run-as-non-root",
        CKV_K8S_30: "k8s-run-as-non-root",
        CKV_K8S_31: "k8s-seccomp-profile",
        CKV_K8S_33: NO_DASHBOARD,
        CKV_K8S_34: NO_TILLER,
        CKV_K8S_35: SECRET_ENV,
        CKV_K8S_37: "k8s-drop-all-capabilities",
        CKV_K8S_38: "k8s-no-service-account-token",
        CKV_K8S_39: "k8s-drop-all-capabilities",
        CKV_K8S_40: na(
            `decision: runAsNonRoot is required (k8s-run-as-non-root) and ${PSS_RESTRICTED}; the API runs as UID 10001 (APP_UID, components/app), but a UID floor of 10000 is not enforced because no container shares host namespaces or mounts (k8s-no-privileged, k8s-no-host-access)`,
        ),
        CKV_K8S_43: na(
            "decision: tags are pinned (k8s-image-pinned) and immutable in ECR (ecr-immutable-tags), so a tag names one digest; APP-1 rolls back by changing the tag in stack config",
        ),
        CKV_K8S_45: NO_TILLER,
        CKV_K8S_68: CONTROL_PLANE,
        CKV_K8S_69: CONTROL_PLANE,
        CKV_K8S_70: CONTROL_PLANE,
        CKV_K8S_71: CONTROL_PLANE,
        CKV_K8S_72: CONTROL_PLANE,
        CKV_K8S_73: CONTROL_PLANE,
        CKV_K8S_74: CONTROL_PLANE,
        CKV_K8S_75: CONTROL_PLANE,
        CKV_K8S_77: CONTROL_PLANE,
        CKV_K8S_79: CONTROL_PLANE,
        CKV_K8S_80: CONTROL_PLANE,
        CKV_K8S_81: CONTROL_PLANE,
        CKV_K8S_82: CONTROL_PLANE,
        CKV_K8S_83: CONTROL_PLANE,
        CKV_K8S_84: CONTROL_PLANE,
        CKV_K8S_85: CONTROL_PLANE,
        CKV_K8S_86: CONTROL_PLANE,
        CKV_K8S_88: CONTROL_PLANE,
        CKV_K8S_89: CONTROL_PLANE,
        CKV_K8S_90: CONTROL_PLANE,
        CKV_K8S_91: CONTROL_PLANE,
        CKV_K8S_92: CONTROL_PLANE,
        CKV_K8S_93: CONTROL_PLANE,
        CKV_K8S_94: CONTROL_PLANE,
        CKV_K8S_95: CONTROL_PLANE,
        CKV_K8S_96: CONTROL_PLANE,
        CKV_K8S_97: CONTROL_PLANE,
        CKV_K8S_99: CONTROL_PLANE,
        CKV_K8S_100: CONTROL_PLANE,
        CKV_K8S_102: CONTROL_PLANE,
        CKV_K8S_104: CONTROL_PLANE,
        CKV_K8S_105: CONTROL_PLANE,
        CKV_K8S_106: CONTROL_PLANE,
        CKV_K8S_107: CONTROL_PLANE,
        CKV_K8S_108: CONTROL_PLANE,
        CKV_K8S_110: CONTROL_PLANE,
        CKV_K8S_111: CONTROL_PLANE,
        CKV_K8S_112: CONTROL_PLANE,
        CKV_K8S_113: CONTROL_PLANE,
        CKV_K8S_114: CONTROL_PLANE,
        CKV_K8S_115: CONTROL_PLANE,
        CKV_K8S_116: CONTROL_PLANE,
        CKV_K8S_117: CONTROL_PLANE,
        CKV_K8S_118: CONTROL_PLANE,
        CKV_K8S_119: CONTROL_PLANE,
        CKV_K8S_121: CONTROL_PLANE,
        CKV_K8S_138: CONTROL_PLANE,
        CKV_K8S_139: CONTROL_PLANE,
        CKV_K8S_140: CONTROL_PLANE,
        CKV_K8S_141: CONTROL_PLANE,
        CKV_K8S_143: CONTROL_PLANE,
        CKV_K8S_144: CONTROL_PLANE,
        CKV_K8S_145: CONTROL_PLANE,
        CKV_K8S_146: CONTROL_PLANE,
        CKV_K8S_147: CONTROL_PLANE,
        CKV_K8S_148: CONTROL_PLANE,
        CKV_K8S_149: CONTROL_PLANE,
        CKV_K8S_151: CONTROL_PLANE,
        CKV_K8S_159: NO_DASHBOARD,
        CKV_K8S_49: RBAC,
        CKV_K8S_155: RBAC,
        CKV_K8S_156: RBAC,
        CKV_K8S_157: RBAC,
        CKV_K8S_158: RBAC,
        CKV2_K8S_1: RBAC,
        CKV2_K8S_2: RBAC,
        CKV2_K8S_3: RBAC,
        CKV2_K8S_5: RBAC,
        CKV2_K8S_6: NO_NETWORK_POLICY_ENGINE,
        CKV_K8S_44: NO_TILLER,
        CKV_K8S_152: na(
            "the program's Ingresses are served by the AWS Load Balancer Controller; NGINX ingress snippets do not exist here",
        ),
        CKV_K8S_153: na(
            "the program's Ingresses are served by the AWS Load Balancer Controller; NGINX ingress snippets do not exist here",
        ),
        CKV_K8S_154: na(
            "the program's Ingresses are served by the AWS Load Balancer Controller; NGINX ingress snippets do not exist here",
        ),
        CKV_K8S_41: na(
            "the program declares no 'default' ServiceAccount object; its pods mount no token (k8s-no-service-account-token)",
        ),
        CKV_K8S_42: na(
            "the program declares no 'default' ServiceAccount object or bindings to it; its pods mount no token (k8s-no-service-account-token)",
        ),
    },
    "cdk-nag": {
        "AwsSolutions-CFR1": na("decision: Bookbuddy serves readers in every country; geo restriction is explicitly none"),
        "AwsSolutions-CFR2": "waf-on-public-entry",
        "AwsSolutions-CFR3": "cloudfront-access-logging",
        "AwsSolutions-CFR4": "cloudfront-tls-minimum",
        "AwsSolutions-CFR5": na(
            "the distributions' origins are S3 buckets through origin access control (cloudfront-origin-access-control); there is no custom origin protocol to configure",
        ),
        "AwsSolutions-CFR6": na("the program declares no RTMP streaming distributions"),
        "AwsSolutions-CFR7": "cloudfront-origin-access-control",
        "AwsSolutions-EVB1": na("the program declares no event bus policies; its EventBridge rules run on the default bus"),
        "AwsSolutions-LEX4": na("the program declares no Lex bots"),
        "AwsSolutions-CB4": "codebuild-project-hardened",
        "AwsSolutions-CB5": na(
            "handled by the program: the deploy runner uses the CodeBuild-managed image aws/codebuild/amazonlinux-x86_64-standard (components/deploy)",
        ),
        "AwsSolutions-VPC7": "vpc-flow-logs",
        "AwsSolutions-EC23": "sg-no-world-ingress",
        "AwsSolutions-EC26": "launch-template-ebs-encrypted",
        "AwsSolutions-EC27": "sg-rule-description",
        "AwsSolutions-ECR1": "resource-policy-no-public-principal",
        "AwsSolutions-EKS1": "eks-endpoint-restricted",
        "AwsSolutions-EKS2": "eks-control-plane-logging",
        "AwsSolutions-AEC1": "elasticache-private-subnet-group",
        "AwsSolutions-AEC3": "elasticache-encryption-at-rest-cmk, elasticache-encryption-in-transit",
        "AwsSolutions-AEC4": "elasticache-multi-az-failover",
        "AwsSolutions-AEC5": na(
            "decision: a non-default port is obscurity, not protection; the cache accepts only the app's security group, TLS and AUTH (elasticache-encryption-in-transit, elasticache-auth)",
        ),
        "AwsSolutions-AEC6": "elasticache-auth",
        "AwsSolutions-ELB2": ALB_LOGS,
        "AwsSolutions-IAM4": na(
            "decision: AWS managed policies are attached only where AWS documents them for a service role (EKS cluster, nodes and add-ons, RDS enhanced monitoring, AWS Backup) and to the deploy/preview roles (DEP-1); each attached document is pinned in tests/upstream/managed-policies, and iam-no-admin-wildcard owns admin grants",
        ),
        "AwsSolutions-IAM5": "iam-no-service-wildcard",
        "AwsSolutions-KMS5": "kms-key-rotation",
        "AwsSolutions-L1": na(
            "handled by the program: the rotation function runs nodejs22.x, the repository's Node version (components/secrets/rotation.ts)",
        ),
        "AwsSolutions-SQS3": na(
            "the program declares no SQS queues, and Secrets Manager invokes the rotation function synchronously (no dead-letter target)",
        ),
        "AwsSolutions-RDS2": "rds-storage-encrypted-cmk",
        "AwsSolutions-RDS3": "rds-multi-az",
        "AwsSolutions-RDS6": NO_AURORA,
        "AwsSolutions-RDS8": NO_EC2_CLASSIC,
        "AwsSolutions-RDS10": "rds-deletion-protection",
        "AwsSolutions-RDS11": na(
            "decision: a non-default port is obscurity, not protection; the database accepts only named security groups and TLS (rds-force-ssl, sg-no-world-ingress)",
        ),
        "AwsSolutions-RDS13": "rds-backup-retention",
        "AwsSolutions-RDS14": NOT_MYSQL,
        "AwsSolutions-RDS16": NOT_MYSQL,
        "AwsSolutions-S1": "s3-bucket-maintenance-coverage",
        "AwsSolutions-S2": "s3-public-access-block",
        "AwsSolutions-S5": na(
            "no bucket hosts a static website; the web and media buckets are read only by CloudFront through origin access control (cloudfront-origin-access-control)",
        ),
        "AwsSolutions-S10": "s3-tls-only-policy",
        "AwsSolutions-SMG4": "secret-rotation-within-limit",
        "AwsSolutions-SNS3": na(
            "handled by the program: the alert topic policy denies publishing without TLS (aws:SecureTransport, components/alarms/topic.ts)",
        ),
        "AwsSolutions-APIG3": na("the program declares no API Gateway stages"),
    },
    "aws-guard": {
        CLOUDFRONT_ACCESSLOGS_ENABLED: "cloudfront-access-logging",
        CLOUDFRONT_CUSTOM_SSL_CERTIFICATE: "waf-on-public-entry",
        CLOUDFRONT_DEFAULT_ROOT_OBJECT_CONFIGURED: na(
            "decision: the web distribution sets index.html; the media distribution serves only named objects",
        ),
        CLOUDFRONT_MINIMUM_PROTOCOL_VERSION_RULE: "cloudfront-tls-minimum",
        CLOUDFRONT_ORIGIN_ACCESS_IDENTITY_ENABLED: "cloudfront-origin-access-control",
        CLOUDFRONT_ORIGIN_FAILOVER_ENABLED: na(
            "decision: DR-1 restores the media origin from the replicated bucket by runbook (docs/disaster-recovery.md); no CloudFront origin group",
        ),
        CLOUDFRONT_SNI_ENABLED: "cloudfront-tls-minimum",
        CLOUDFRONT_VIEWER_POLICY_HTTPS: "cloudfront-https-only",
        CLOUD_TRAIL_CLOUD_WATCH_LOGS_ENABLED: "cloudtrail-cloudwatch-delivery",
        CLOUD_TRAIL_ENABLED: "cloudtrail-cloudwatch-delivery",
        CLOUD_TRAIL_ENCRYPTION_ENABLED: "cloudtrail-kms",
        CLOUD_TRAIL_LOG_FILE_VALIDATION_ENABLED: "cloudtrail-log-validation",
        CLOUDTRAIL_S3_DATAEVENTS_ENABLED: na(
            "decision: S3 data events are not recorded (cost per request); management events cover configuration changes and S3 server access logs (s3-bucket-maintenance-coverage) record object access",
        ),
        MULTI_REGION_CLOUD_TRAIL_ENABLED: "cloudtrail-multi-region",
        CLOUDWATCH_ALARM_ACTION_CHECK: "alarm-actions",
        CLOUDWATCH_LOG_GROUP_ENCRYPTED: "log-group-kms",
        CW_LOGGROUP_RETENTION_PERIOD_CHECK: "log-group-retention",
        CODEBUILD_ENCRYPTION_KEY_RULE: "codebuild-project-hardened",
        CODEBUILD_PROJECT_ENVVAR_AWSCRED_CHECK: "codebuild-project-hardened",
        CODEBUILD_PROJECT_SOURCE_REPO_URL_CHECK: na(
            "handled by the program: the deploy runner's source location is the repository's plain HTTPS URL with no credentials in it (components/deploy)",
        ),
        DAX_ENCRYPTION_ENABLED: na(
            "the rule checks DAX cluster encryption (its header text is copied from a CodeBuild rule upstream); the program declares no DAX clusters",
        ),
        NO_UNRESTRICTED_ROUTE_TO_IGW: na(
            "decision: only the public subnets route 0.0.0.0/0 to the internet gateway, and they hold only the NAT gateways and the internet-facing ALB (components/network)",
        ),
        SUBNET_AUTO_ASSIGN_PUBLIC_IP_DISABLED: "no-public-ip-on-launch",
        EC2_SECURITY_GROUP_EGRESS_OPEN_TO_WORLD_RULE: SG_EGRESS,
        EC2_SECURITY_GROUP_INGRESS_OPEN_TO_WORLD_RULE: "sg-no-world-ingress",
        INCOMING_SSH_DISABLED: "sg-no-world-ingress",
        RESTRICTED_INCOMING_TRAFFIC: "sg-no-world-ingress",
        SECURITY_GROUP_DESCRIPTION_RULE: "sg-rule-description",
        SECURITY_GROUP_EGRESS_ALL_PROTOCOLS_RULE: SG_EGRESS,
        SECURITY_GROUP_EGRESS_PORT_RANGE_RULE: SG_EGRESS,
        SECURITY_GROUP_INGRESS_ALL_PROTOCOLS_RULE: na(
            "handled by the program: each ingress rule it declares names one TCP port (database, cache, endpoints, API from the deploy runner); the cluster and node groups' own groups are created and managed by EKS",
        ),
        SECURITY_GROUP_INGRESS_CIDR_NON_32_RULE: na(
            "decision: ingress names security groups, or the VPC's own CIDR for the interface endpoints, not single hosts; world ingress is bounded by sg-no-world-ingress",
        ),
        SECURITY_GROUP_INGRESS_PORT_RANGE_RULE: na(
            "handled by the program: each ingress rule it declares names one TCP port (database, cache, endpoints, API from the deploy runner)",
        ),
        SECURITY_GROUP_MISSING_EGRESS_RULE: na(
            "with the Pulumi AWS provider a security group without egress rules has none (the provider removes AWS's default allow-all egress), so nothing is implicit",
        ),
        ECR_REPO_SCAN_ON_PUSH: "ecr-scan-on-push",
        EKS_CLUSTER_ENCRYPTION_RULE: "eks-secrets-encryption",
        EKS_ENDPOINT_NO_PUBLIC_ACCESS: "eks-endpoint-restricted",
        REDSHIFT_CLUSTER_PUBLIC_ACCESS_CHECK: na("the rule checks Redshift clusters; the program declares none"),
        ELASTICACHE_REPLICATION_GROUP_ENCRYPTION_AT_REST: "elasticache-encryption-at-rest-cmk",
        ELASTICACHE_REPLICATION_GROUP_ENCRYPTION_IN_TRANSIT: "elasticache-encryption-in-transit",
        ALB_HTTP_DROP_INVALID_HEADER_ENABLED: na(
            "handled by the program: the API Ingress sets routing.http.drop_invalid_header_fields.enabled=true in its load-balancer-attributes annotation (components/app)",
        ),
        ELB_DELETION_PROTECTION_ENABLED: na(
            "decision: the ALB is owned by the Ingress; deleting it requires deleting the Ingress, which review of the preview guards",
        ),
        ELBV2_ACCESS_LOGGING_RULE: ALB_LOGS,
        ELBV2_ACM_CERTIFICATE_REQUIRED: "k8s-ingress-alb-tls",
        ELBV2_LISTENER_PROTOCOL_RULE: "k8s-ingress-alb-tls",
        ELBV2_LISTENER_SSL_POLICY_RULE: "k8s-ingress-alb-tls",
        IAM_MANAGEDPOLICY_NO_STATEMENTS_WITH_FULL_ACCESS: "iam-no-service-wildcard",
        IAM_NO_INLINE_POLICY_CHECK: na(
            "decision: SEC-4's one role per workload is written as inline role policies, so a grant can never be attached to a second principal by accident",
        ),
        IAM_NO_POLICY_ON_USER: NO_IAM_USERS,
        IAM_POLICY_NO_STATEMENTS_WITH_ADMIN_ACCESS: "iam-no-admin-wildcard",
        IAM_POLICY_NO_STATEMENTS_WITH_FULL_ACCESS: "iam-no-service-wildcard",
        IAM_POLICY_NO_WILDCARD_RESOURCE_ON_PASSROLE: "iam-pass-role-scoped",
        IAM_POLICYDOCUMENT_NO_WILDCARD_RESOURCE: na(
            'decision: actions without resource-level permissions (e.g. ec2:Describe*, ecr:GetAuthorizationToken) need Resource "*"; every role\'s reach is proven call by call with the IAM simulator (UP-1, tests/upstream/iam-simulation.spec.ts) and iam-no-service-wildcard bounds whole-service grants',
        ),
        IAM_ROLE_ADMINISTRATOR_ACCESS_POLICY_RULE: "iam-no-admin-wildcard",
        IAM_ROLE_ELEVATED_MANAGED_POLICY_RULE: "iam-no-admin-wildcard",
        IAM_ROLE_NO_ALLOW_PLUS_NOT_ACTION_ON_TRUST_POLICY: "iam-no-allow-not",
        IAM_ROLE_NO_ALLOW_PLUS_NOT_PRINCIPAL: "iam-no-allow-not",
        IAM_ROLE_NO_FULL_ACCESS_ON_TRUST_POLICY: "iam-trust-policy-scoped",
        IAM_ROLE_NO_WILDCARD_ACTIONS_ON_PERMISSIONS: "iam-no-admin-wildcard",
        IAM_ROLE_NO_WILDCARD_RESOURCE_ON_PASSROLE: "iam-pass-role-scoped",
        IAM_ROLE_OR_POLICY_NO_ALLOW_PLUS_NOT_ACTION: "iam-no-allow-not",
        IAM_ROLE_OR_POLICY_NO_ALLOW_PLUS_NOT_RESOURCE: "iam-no-allow-not",
        IAM_USER_LOGIN_PROFILE_NO_PLAINTEXT_PASSWORD: NO_IAM_USERS,
        IAM_USER_LOGIN_PROFILE_PASSWORD_RESET_RULE: NO_IAM_USERS,
        IAM_USER_MISSING_GROUP_RULE: NO_IAM_USERS,
        IAM_USER_NO_POLICIES_CHECK: NO_IAM_USERS,
        CMK_BACKING_KEY_ROTATION_ENABLED: "kms-key-rotation",
        KMS_NO_WILDCARD_PRINCIPAL: "resource-policy-no-public-principal",
        LAMBDA_CONCURRENCY_CHECK: na(
            "handled by the program: the rotation function has reserved concurrency 2 (components/secrets/rotation.ts)",
        ),
        LAMBDA_DLQ_CHECK: na(
            "Secrets Manager invokes the rotation function synchronously and retries a failed rotation itself; there is no asynchronous event to dead-letter",
        ),
        LAMBDA_FUNCTION_PUBLIC_ACCESS_PROHIBITED: "resource-policy-no-public-principal",
        LAMBDA_INSIDE_VPC: na(
            "handled by the program: the rotation function runs in the private subnets to reach the database (components/secrets/rotation.ts)",
        ),
        LAMBDA_NO_WILDCARD_PRINCIPALS: "resource-policy-no-public-principal",
        LAMBDA_PERMISSION_INVOKE_FUNCTION_ACTION: na(
            "handled by the program: the one Lambda permission grants only lambda:InvokeFunction to Secrets Manager (components/secrets/rotation.ts)",
        ),
        AURORA_MYSQL_BACKTRACKING_ENABLED: NOT_MYSQL,
        DB_INSTANCE_BACKUP_ENABLED: "rds-backup-retention",
        RDS_AUTOMATIC_MINOR_VERSION_UPGRADE_ENABLED: "rds-auto-minor-upgrade",
        RDS_CLUSTER_MASTER_USER_PASSWORD_NO_PLAINTEXT_PASSWORD: "rds-managed-master-password",
        RDS_ENHANCED_MONITORING_ENABLED: "rds-enhanced-monitoring",
        RDS_INSTANCE_DELETION_PROTECTION_ENABLED: "rds-deletion-protection",
        RDS_INSTANCE_LOGGING_ENABLED: "rds-log-exports",
        RDS_INSTANCE_PUBLIC_ACCESS_CHECK: "rds-not-publicly-accessible",
        RDS_MASTER_USER_NAME_NO_PLAINTEXT_PASSWORD: "rds-managed-master-password",
        RDS_MASTER_USER_PASSWORD_NO_PLAINTEXT_PASSWORD: "rds-managed-master-password",
        RDS_MULTI_AZ_SUPPORT: "rds-multi-az",
        RDS_STORAGE_ENCRYPTED: "rds-storage-encrypted-cmk",
        S3_BUCKET_DEFAULT_LOCK_ENABLED: na(
            "decision: object lock is set per stack where immutability is required, on the audit trail bucket (components/audit, infra/security.ts); media and dump buckets rely on versioning, replication and AWS Backup (BKP-1, DR-1)",
        ),
        S3_BUCKET_LEVEL_PUBLIC_ACCESS_PROHIBITED: "s3-public-access-block",
        S3_BUCKET_LOGGING_ENABLED: "s3-bucket-maintenance-coverage",
        S3_BUCKET_NO_PUBLIC_RW_ACL: "s3-ownership-enforced",
        S3_BUCKET_POLICY_NO_ALLOW_PLUS_NOT_ACTION: "iam-no-allow-not",
        S3_BUCKET_POLICY_NO_WILDCARD_ACTION: na(
            "handled by the program: the bucket policies' Allow statements name single actions for service principals (s3:GetObject for CloudFront, s3:PutObject for log delivery, components/storage); s3:* appears only in the TLS-only Deny statement (s3-tls-only-policy)",
        ),
        S3_BUCKET_POLICY_NO_WILDCARD_PRINCIPAL: "resource-policy-no-public-principal",
        S3_BUCKET_PUBLIC_READ_ACL: "s3-ownership-enforced",
        S3_BUCKET_PUBLIC_READ_PROHIBITED: "s3-public-access-block",
        S3_BUCKET_PUBLIC_WRITE_PROHIBITED: "s3-public-access-block",
        S3_BUCKET_REPLICATION_ENABLED: "cross-region-dr",
        S3_BUCKET_SERVER_SIDE_ENCRYPTION_ENABLED: "s3-encryption-kms",
        S3_BUCKET_SSL_REQUESTS_ONLY: "s3-tls-only-policy",
        S3_BUCKET_VERSIONING_ENABLED: "s3-versioning",
        S3_BUCKETPOLICY_NO_ALLOW_PLUS_NOTPRINCIPAL: "iam-no-allow-not",
        S3_DEFAULT_ENCRYPTION_KMS: "s3-encryption-kms",
        SECRETSMANAGER_ROTATION_ENABLED_CHECK: "secret-rotation-within-limit",
        SECRETSMANAGER_USING_CMK: "secret-cmk",
        SNS_ENCRYPTED_KMS: "sns-topic-encrypted",
        SNS_TOPICPOLICY_NO_ALLOW_PLUS_NOT_ACTION: "iam-no-allow-not",
        SNS_TOPICPOLICY_NO_ALLOW_PLUS_NOTPRINCIPAL: "iam-no-allow-not",
        SNS_TOPICPOLICY_NO_WILDCARD_PRINCIPAL: "resource-policy-no-public-principal",
    },
    "pulumi-aws": {
        "aws-cloudfront-distribution-configure-access-logging": "cloudfront-access-logging",
        "aws-cloudfront-distribution-configure-secure-tls": "cloudfront-tls-minimum",
        "aws-cloudfront-distribution-configure-secure-tls-to-origin": na(
            "the distributions' origins are S3 buckets through origin access control (cloudfront-origin-access-control); there is no custom origin",
        ),
        "aws-cloudfront-distribution-configure-waf": "waf-on-public-entry",
        "aws-cloudfront-distribution-disallow-unencrypted-traffic": "cloudfront-https-only",
        "aws-cloudfront-distribution-enable-access-logging": "cloudfront-access-logging",
        "aws-cloudfront-distribution-enable-tls-to-origin": na(
            "the distributions' origins are S3 buckets through origin access control (cloudfront-origin-access-control); there is no custom origin",
        ),
        "aws-ec2-securitygroup-disallow-inbound-http-traffic": "sg-no-world-ingress",
        "aws-ec2-securitygroup-disallow-public-internet-ingress": "sg-no-world-ingress",
        "aws-ec2-securitygroup-missing-description": "sg-rule-description",
        "aws-ec2-securitygroup-missing-egress-rule-description": "sg-rule-description",
        "aws-ec2-securitygroup-missing-ingress-rule-description": "sg-rule-description",
        "aws-ec2-launchtemplate-configure-customer-managed-key": "launch-template-ebs-encrypted",
        "aws-ec2-launchtemplate-disallow-public-ip": "no-public-ip-on-launch",
        "aws-ec2-launchtemplate-disallow-unencrypted-block-device": "launch-template-ebs-encrypted",
        "aws-ecr-repository-configure-customer-managed-key": "ecr-kms",
        "aws-ecr-repository-configure-image-scan": "ecr-scan-on-push",
        "aws-ecr-repository-disallow-mutable-image": "ecr-immutable-tags",
        "aws-ecr-repository-disallow-unencrypted-repository": "ecr-kms",
        "aws-ecr-repository-enable-image-scan": "ecr-scan-on-push",
        "aws-eks-cluster-disallow-api-endpoint-public-access": "eks-endpoint-restricted",
        "aws-eks-cluster-enable-cluster-encryption-config": "eks-secrets-encryption",
        "aws-alb-listener-configure-secure-tls": "k8s-ingress-alb-tls",
        "aws-alb-listener-disallow-unencrypted-traffic": "k8s-ingress-alb-tls",
        "aws-alb-loadbalancer-configure-access-logging": ALB_LOGS,
        "aws-alb-loadbalancer-enable-access-logging": ALB_LOGS,
        "aws-lb-listener-configure-secure-tls": "k8s-ingress-alb-tls",
        "aws-lb-listener-disallow-unencrypted-traffic": "k8s-ingress-alb-tls",
        "aws-lb-loadbalancer-configure-access-logging": ALB_LOGS,
        "aws-lb-loadbalancer-enable-access-logging": ALB_LOGS,
        "aws-iam-password-policy-minimum-password-length": NO_IAM_USERS,
        "aws-iam-password-policy-prevent-reuse": NO_IAM_USERS,
        "aws-iam-policy-attachment-only-attachment-through-groups": NO_IAM_USERS,
        "aws-iam-user-policy-attachment-only-attachment-through-groups": NO_IAM_USERS,
        "aws-kms-key-disallow-bypass-policy-lockout-safety-check": "kms-key-policy-safe",
        "aws-kms-key-enable-key-rotation": "kms-key-rotation",
        "aws-kms-key-missing-description": "kms-key-policy-safe",
        "aws-lambda-function-configure-tracing-config": TRACING,
        "aws-lambda-function-enable-tracing-config": TRACING,
        "aws-lambda-function-missing-description": na(
            "handled by the program: the rotation function always carries a description (components/secrets/rotation.ts)",
        ),
        "aws-lambda-permission-configure-source-arn": "lambda-permission-source-scoped",
        "aws-rds-cluster-configure-backup-retention": "rds-backup-retention",
        "aws-rds-cluster-configure-customer-managed-key": "rds-storage-encrypted-cmk",
        "aws-rds-cluster-disallow-single-availability-zone": "rds-multi-az",
        "aws-rds-cluster-disallow-unencrypted-storage": "rds-storage-encrypted-cmk",
        "aws-rds-cluster-enable-backup-retention": "rds-backup-retention",
        "aws-rds-clusterinstance-disallow-public-access": "rds-not-publicly-accessible",
        "aws-rds-clusterinstance-disallow-unencrypted-performance-insights": "rds-performance-insights",
        "aws-rds-clusterinstance-enable-performance-insights": "rds-performance-insights",
        "aws-rds-instance-configure-backup-retention": "rds-backup-retention",
        "aws-rds-instance-configure-customer-managed-key": "rds-storage-encrypted-cmk",
        "aws-rds-instance-disallow-public-access": "rds-not-publicly-accessible",
        "aws-rds-instance-disallow-unencrypted-performance-insights": "rds-performance-insights",
        "aws-rds-instance-disallow-unencrypted-storage": "rds-storage-encrypted-cmk",
        "aws-rds-instance-enable-backup-retention": "rds-backup-retention",
        "aws-rds-instance-enable-performance-insights": "rds-performance-insights",
        "aws-s3-bucket-configure-replication-configuration": "cross-region-dr",
        "aws-s3-bucket-configure-server-side-encryption-customer-managed-key": "s3-encryption-kms",
        "aws-s3-bucket-configure-server-side-encryption-kms": "s3-encryption-kms",
        "aws-s3-bucket-disallow-public-read": "s3-ownership-enforced",
        "aws-s3-bucket-enable-replication-configuration": "cross-region-dr",
        "aws-s3-bucket-enable-server-side-encryption": "s3-encryption-kms",
        "aws-s3-bucket-enable-server-side-encryption-bucket-key": "s3-encryption-kms",
        "aws-secretsmanager-secret-configure-customer-managed-key": "secret-cmk",
        "aws-secretsmanager-secret-missing-description": na(
            "handled by the program: components/secrets gives every secret a description naming its use",
        ),
    },
    "pulumi-kubernetes": {
        "kubernetes-apps-v1-daemonset-configure-recommended-labels": LABELS,
        "kubernetes-apps-v1-daemonset-enable-read-only-root-filesystem": "k8s-read-only-root-fs",
        "kubernetes-apps-v1-deployment-configure-minimum-replica-count": REPLICAS,
        "kubernetes-apps-v1-deployment-configure-recommended-labels": LABELS,
        "kubernetes-apps-v1-deployment-enable-read-only-root-filesystem": "k8s-read-only-root-fs",
        "kubernetes-apps-v1-statefulset-configure-recommended-labels": LABELS,
        "kubernetes-apps-v1-statefulset-enable-read-only-root-filesystem": "k8s-read-only-root-fs",
        "kubernetes-batch-v1-cronjob-configure-recommended-labels": LABELS,
        "kubernetes-batch-v1-cronjob-enable-read-only-root-filesystem": "k8s-read-only-root-fs",
        "kubernetes-batch-v1-job-configure-recommended-labels": LABELS,
        "kubernetes-batch-v1-job-enable-read-only-root-filesystem": "k8s-read-only-root-fs",
        "kubernetes-core-v1-service-configure-recommended-labels": LABELS,
        "kubernetes-core-v1-service-disallow-load-balancer": na(
            "handled by the program: its Services are ClusterIP and the API is exposed only through the ALB Ingress (k8s-ingress-alb-tls, waf-on-public-entry)",
        ),
        "kubernetes-policy-v1-poddisruptionbudget-disallow-zero-voluntary-disruption": na(
            "handled by the program: the API's PodDisruptionBudget allows maxUnavailable 1 (components/app, tests/components/app.spec.ts)",
        ),
    },
    "kube-linter": {
        "access-to-create-pods": RBAC,
        "access-to-secrets": RBAC,
        "cluster-admin-role-binding": RBAC,
        "wildcard-in-rules": RBAC,
        "default-service-account": na(
            "decision: pods on the default ServiceAccount (the logging-setup Job) mount no token (k8s-no-service-account-token) and have no pod identity, so the account grants nothing",
        ),
        "deprecated-service-account-field": OBJECT_CONSISTENCY,
        "dnsconfig-options": na("decision: the cluster's default DNS settings apply; no workload needs ndots or timeout tuning"),
        "docker-sock": "k8s-no-host-access",
        "drop-net-raw-capability": "k8s-drop-all-capabilities",
        "duplicate-env-var": OBJECT_CONSISTENCY,
        "env-value-from": OBJECT_CONSISTENCY,
        "env-var-secret": SECRET_ENV,
        "host-ipc": "k8s-no-privileged",
        "host-network": "k8s-no-privileged",
        "host-pid": "k8s-no-privileged",
        "invalid-target-ports": OBJECT_CONSISTENCY,
        "latest-tag": "k8s-image-pinned",
        "liveness-port": OBJECT_CONSISTENCY,
        "minimum-three-replicas": REPLICAS,
        "mismatching-selector": OBJECT_CONSISTENCY,
        "no-anti-affinity": na(
            "handled by the program: the API spreads its pods over zones and nodes with topologySpreadConstraints (components/app)",
        ),
        "no-liveness-probe": "k8s-probes",
        "no-node-affinity": na(
            "decision: workloads may run on any node of the managed node groups; placement across zones comes from topologySpreadConstraints",
        ),
        "no-read-only-root-fs": "k8s-read-only-root-fs",
        "no-readiness-probe": "k8s-probes",
        "no-rolling-update-strategy": na(
            "handled by the program: the API rolls out through its Argo Rollout or a RollingUpdate with maxUnavailable 0 (components/app, components/release)",
        ),
        "non-existent-service-account": OBJECT_CONSISTENCY,
        "non-isolated-pod": NO_NETWORK_POLICY_ENGINE,
        "priority-class-name": na(
            "decision: the program's workloads share one priority; cluster add-ons use the system priority classes their charts set",
        ),
        "privilege-escalation-container": "k8s-no-privilege-escalation",
        "privileged-container": "k8s-no-privileged",
        "privileged-ports": NO_PROBE_PORTS,
        "read-secret-from-env-var": SECRET_ENV,
        "readiness-port": OBJECT_CONSISTENCY,
        "required-annotation-email": na(
            "decision: ownership is recorded in the AWS default tags (owner, provider-default-tags), not in Kubernetes annotations",
        ),
        "required-label-owner": na(
            "decision: ownership is recorded in the AWS default tags (owner, provider-default-tags), not in Kubernetes labels",
        ),
        "restart-policy": OBJECT_CONSISTENCY,
        "run-as-non-root": "k8s-run-as-non-root",
        "sensitive-host-mounts": "k8s-no-host-access",
        "ssh-port": NO_PROBE_PORTS,
        "startup-port": OBJECT_CONSISTENCY,
        "unsafe-proc-mount": PSS_KERNEL,
        "unsafe-sysctls": PSS_KERNEL,
        "unset-cpu-requirements": "k8s-resources",
        "unset-memory-requirements": "k8s-resources",
        "use-namespace": "k8s-no-default-namespace",
        "writable-host-mount": "k8s-no-host-access",
        "dangling-service": OBJECT_CONSISTENCY,
        "exposed-services": na(
            "handled by the program: its Services are ClusterIP and the API is exposed only through the ALB Ingress (k8s-ingress-alb-tls, waf-on-public-entry)",
        ),
        "dangling-ingress": OBJECT_CONSISTENCY,
        "pdb-max-unavailable": na(
            "handled by the program: the API's PodDisruptionBudget allows maxUnavailable 1 (components/app, tests/components/app.spec.ts)",
        ),
        "pdb-min-available": na(
            "handled by the program: the API's PodDisruptionBudget uses maxUnavailable 1, not minAvailable (components/app)",
        ),
        "pdb-unhealthy-pod-eviction-policy": na(
            "decision: the Kubernetes default (IfHealthyBudget) applies to the API's PodDisruptionBudget",
        ),
        "dangling-horizontalpodautoscaler": OBJECT_CONSISTENCY,
        "hpa-minimum-three-replicas": REPLICAS,
        "job-ttl-seconds-after-finished": na(
            "decision: CronJobs keep a bounded job history (successfulJobsHistoryLimit, components/maintenance/jobs.ts); one-shot Jobs are resources of the program, and a TTL would delete them behind Pulumi's back and re-run them on the next update",
        ),
        "no-extensions-v1beta": na(
            "the program's Kubernetes objects are typed by @pulumi/kubernetes with stable API versions (apps/v1, batch/v1, networking.k8s.io/v1, policy/v1, autoscaling/v2); no extensions/v1beta1 type is used",
        ),
        "schema-validation": na(
            "handled by the tests: the component specs validate the rendered objects against kubernetes-models schemas (tests/components/app.spec.ts and others)",
        ),
        "sorted-keys": na("a style check of YAML files; the program writes no Kubernetes YAML"),
        "dangling-servicemonitor": OBJECT_CONSISTENCY,
    },
    polaris: {
        clusterrolebindingClusterAdmin: RBAC,
        clusterrolebindingPodExecAttach: RBAC,
        clusterrolePodExecAttach: RBAC,
        rolebindingClusterAdminClusterRole: RBAC,
        rolebindingClusterAdminRole: RBAC,
        rolebindingClusterRolePodExecAttach: RBAC,
        rolebindingRolePodExecAttach: RBAC,
        rolePodExecAttach: RBAC,
        automountServiceAccountToken: "k8s-no-service-account-token",
        cpuLimitsMissing: NO_CPU_LIMIT,
        cpuRequestsMissing: "k8s-resources",
        dangerousCapabilities: "k8s-drop-all-capabilities",
        deploymentMissingReplicas: REPLICAS,
        hostIPCSet: "k8s-no-privileged",
        hostNetworkSet: "k8s-no-privileged",
        hostPathSet: "k8s-no-host-access",
        hostPIDSet: "k8s-no-privileged",
        hostPortSet: "k8s-no-host-access",
        hostProcess: PSS_KERNEL,
        insecureCapabilities: "k8s-drop-all-capabilities",
        linuxHardening: "k8s-seccomp-profile, k8s-drop-all-capabilities",
        livenessProbeMissing: "k8s-probes",
        memoryLimitsMissing: "k8s-resources",
        memoryRequestsMissing: "k8s-resources",
        metadataAndInstanceMismatched: LABELS,
        missingNetworkPolicy: NO_NETWORK_POLICY_ENGINE,
        missingPodDisruptionBudget: na(
            "handled by the program: the API has a PodDisruptionBudget (components/app, tests/components/app.spec.ts); Jobs and CronJobs run to completion and need none",
        ),
        notReadOnlyRootFilesystem: "k8s-read-only-root-fs",
        pdbMinAvailableGreaterThanHPAMinReplicas: na(
            "handled by the program: the API's PodDisruptionBudget uses maxUnavailable 1, never minAvailable (components/app)",
        ),
        priorityClassNotSet: na(
            "decision: the program's workloads share one priority; cluster add-ons use the system priority classes their charts set",
        ),
        privilegeEscalationAllowed: "k8s-no-privilege-escalation",
        procMount: PSS_KERNEL,
        pullPolicyNotAlways: na(
            "decision: images are pinned (k8s-image-pinned) and ECR tags are immutable (ecr-immutable-tags), so a cached image is the image of its tag",
        ),
        readinessProbeMissing: "k8s-probes",
        runAsPrivileged: "k8s-no-privileged",
        runAsRootAllowed: "k8s-run-as-non-root",
        sensitiveContainerEnvVar: SECRET_ENV,
        tagNotSpecified: "k8s-image-pinned",
        topologySpreadConstraint: na(
            "handled by the program: the API spreads its pods over zones and nodes with topologySpreadConstraints (components/app)",
        ),
        pdbDisruptionsIsZero: na(
            "handled by the program: the API's PodDisruptionBudget allows maxUnavailable 1 (components/app, tests/components/app.spec.ts)",
        ),
        hpaMaxAvailability: na(
            "handled by the program: config validation refuses impossible autoscaling bounds and every stack's maximum exceeds its minimum (tests/components/app.spec.ts)",
        ),
        hpaMinAvailability: REPLICAS,
        sensitiveConfigmapContent: na(
            "handled by the tests: tests/security/secret-scan.spec.ts scans the inputs of every rendered resource, ConfigMaps included, for secret values; credentials come from External Secrets (SEC-2)",
        ),
        tlsSettingsMissing: "k8s-ingress-alb-tls",
    },
};
