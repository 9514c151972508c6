/**
 * Exact outcomes of the shared policy cases (POL-1, POL-3), added so that mutation testing (npm run mutation,
 * docs/mutation.md) finds the rules' messages and "cannot judge" paths pinned, not just matched by a prefix:
 * - every violating case of tests/policies/cases.ts reports exactly the listed messages, no more, no fewer;
 * - every compliant case with one property unknown (as in a preview) reports no violation and exactly one
 *   "cannot judge" naming what is unknown, or, where the unknown value does not matter, nothing at all.
 * The cases themselves live in cases.ts; a row here whose case was renamed or removed fails by name.
 */
import * as assert from "assert";
import { resourceCases, ruleNamed, type ResourceCase } from "./cases";
import { WIRE, checkResource, resource } from "./harness";

/** [rule, type (last segment), why of the violating case, the exact messages]. */
const VIOLATIONS: [string, string, string, string[]][] = [
    ["rds-storage-encrypted-cmk", "Instance", "unencrypted", ["storageEncrypted must be true."]],
    [
        "rds-storage-encrypted-cmk",
        "Instance",
        "AWS-managed key",
        ["kmsKeyId must name a customer-managed KMS key (the AWS-managed aws/rds key cannot be governed or rotated by us)."],
    ],
    ["rds-not-publicly-accessible", "Instance", "public", ["publiclyAccessible must not be true."]],
    [
        "rds-managed-master-password",
        "Instance",
        "plaintext password (secret in state)",
        [
            "'password' is set: a master password must not pass through config or state; let RDS manage it.",
            "manageMasterUserPassword must be true.",
        ],
    ],
    ["rds-managed-master-password", "Instance", "not managed", ["manageMasterUserPassword must be true."]],
    ["rds-force-ssl", "ParameterGroup", "force_ssl 0", ["rds.force_ssl must be 1."]],
    ["rds-force-ssl", "ParameterGroup", "missing parameter", ["parameter rds.force_ssl is missing; set it to 1."]],
    ["rds-force-ssl", "ParameterGroup", "not postgres", ["family must be a postgres family (e.g. postgres16)."]],
    [
        "rds-force-ssl",
        "Instance",
        "default parameter group",
        ["parameterGroupName must name a custom parameter group (the default group cannot force TLS)."],
    ],
    ["elasticache-encryption-at-rest-cmk", "ReplicationGroup", "no at-rest", ["atRestEncryptionEnabled must be true."]],
    ["elasticache-encryption-at-rest-cmk", "ReplicationGroup", "no CMK", ["kmsKeyId must name a customer-managed KMS key."]],
    ["elasticache-encryption-in-transit", "ReplicationGroup", "no TLS", ["transitEncryptionEnabled must be true."]],
    [
        "elasticache-encryption-in-transit",
        "ReplicationGroup",
        "preferred mode",
        ['transitEncryptionMode "preferred" still accepts plaintext clients; use "required".'],
    ],
    [
        "elasticache-auth",
        "ReplicationGroup",
        "open cache",
        ["neither authToken nor userGroupIds is set: any client in the network can use the cache."],
    ],
    [
        "elasticache-private-subnet-group",
        "ReplicationGroup",
        "default group",
        ['subnetGroupName must name the private cache subnet group (absent or "default" uses the default VPC).'],
    ],
    [
        "elasticache-private-subnet-group",
        "ReplicationGroup",
        "absent",
        ['subnetGroupName must name the private cache subnet group (absent or "default" uses the default VPC).'],
    ],
    ["s3-public-access-block", "BucketPublicAccessBlock", "one switch off", ["blockPublicPolicy must be true."]],
    [
        "s3-encryption-kms",
        "BucketServerSideEncryptionConfiguration",
        "AES256",
        [
            "rules[0]: sseAlgorithm must be aws:kms (SSE-S3/AES256 cannot be governed by our key policy).",
            "rules[0]: kmsMasterKeyId must name a customer-managed key.",
        ],
    ],
    [
        "s3-encryption-kms",
        "BucketServerSideEncryptionConfiguration",
        "no bucket key",
        ["rules[0]: bucketKeyEnabled must be true (cuts KMS requests and cost)."],
    ],
    ["s3-encryption-kms", "BucketServerSideEncryptionConfiguration", "no rules", ["no encryption rule is declared."]],
    [
        "s3-encryption-kms",
        "BucketServerSideEncryptionConfigurationV2",
        "aws managed key",
        ["rules[0]: kmsMasterKeyId must name a customer-managed key."],
    ],
    [
        "s3-encryption-kms",
        "Bucket",
        "inline AES256",
        [
            "rules[0]: sseAlgorithm must be aws:kms (SSE-S3/AES256 cannot be governed by our key policy).",
            "rules[0]: kmsMasterKeyId must name a customer-managed key.",
            "rules[0]: bucketKeyEnabled must be true (cuts KMS requests and cost).",
        ],
    ],
    ["s3-tls-only-policy", "BucketPolicy", "no deny", ["no statement denies s3:* when aws:SecureTransport is false."]],
    ["s3-tls-only-policy", "BucketPolicy", "not JSON", ["policy is not a JSON policy document."]],
    ["s3-ownership-enforced", "BucketOwnershipControls", "ACLs on", ["rule.objectOwnership must be BucketOwnerEnforced."]],
    [
        "eks-control-plane-logging",
        "Cluster",
        "partial logs",
        ["enabledClusterLogTypes lacks authenticator, controllerManager, scheduler."],
    ],
    [
        "eks-secrets-encryption",
        "Cluster",
        "none",
        ["encryptionConfig is missing: secrets are stored without envelope encryption."],
    ],
    ["eks-secrets-encryption", "Cluster", "no secrets resource", ['encryptionConfig.resources must include "secrets".']],
    [
        "eks-endpoint-restricted",
        "Cluster",
        "world-open",
        ["the public endpoint is open to the internet: set endpointPublicAccess: false or restrict publicAccessCidrs."],
    ],
    [
        "eks-endpoint-restricted",
        "Cluster",
        "public, no CIDRs (defaults to world)",
        ["the public endpoint is open to the internet: set endpointPublicAccess: false or restrict publicAccessCidrs."],
    ],
    [
        "eks-endpoint-restricted",
        "Cluster",
        "no private access",
        ["vpcConfig.endpointPrivateAccess must be true so nodes reach the API inside the VPC."],
    ],
    [
        "eks-nodegroup-launch-template",
        "NodeGroup",
        "no template",
        ["launchTemplate is missing: the default template does not require IMDSv2 or encrypt volumes."],
    ],
    [
        "eks-nodegroup-launch-template",
        "NodeGroup",
        "SSH",
        ["remoteAccess opens SSH to the nodes; use SSM Session Manager instead."],
    ],
    [
        "launch-template-imdsv2",
        "LaunchTemplate",
        "IMDSv1",
        ['metadataOptions.httpTokens must be "required" (IMDSv1 lets SSRF read node credentials).'],
    ],
    [
        "launch-template-imdsv2",
        "LaunchTemplate",
        "hop limit",
        ["metadataOptions.httpPutResponseHopLimit must be set and at most 2."],
    ],
    ["launch-template-ebs-encrypted", "LaunchTemplate", "unencrypted", ['blockDeviceMappings[0].ebs.encrypted must be "true".']],
    [
        "launch-template-ebs-encrypted",
        "LaunchTemplate",
        "no volume declared",
        ["no EBS volume is declared: the root volume would take the AMI default, which may be unencrypted."],
    ],
    ["sg-rule-description", "SecurityGroup", "undescribed rule", ["egress[0] has no description."]],
    [
        "sg-rule-description",
        "SecurityGroup",
        "default group description",
        ['the security group needs a description (the default "Managed by Pulumi" says nothing).'],
    ],
    ["sg-rule-description", "SecurityGroupEgressRule", "blank", ["rule has no description."]],
    [
        "default-sg-closed",
        "DefaultSecurityGroup",
        "self ingress",
        ["ingress must be empty: the default group is attached to anything created without a group."],
    ],
    ["iam-no-admin-wildcard", "Policy", "admin", ['policy Statement[0] allows "*" on "*": that is administrator access.']],
    [
        "iam-no-admin-wildcard",
        "Policy",
        "NotAction on *",
        ['policy Statement[0] allows NotAction on "*": that is administrator access.'],
    ],
    [
        "iam-no-admin-wildcard",
        "Role",
        "inline admin",
        ['inlinePolicies[0].policy Statement[0] allows "*" on "*": that is administrator access.'],
    ],
    ["iam-no-admin-wildcard", "RolePolicy", "invalid document", ["policy is not a valid policy document."]],
    ["iam-no-service-wildcard", "RolePolicy", "s3:* on *", ['policy Statement[0] allows s3:* on "*".']],
    ["kms-key-rotation", "Key", "no rotation", ["enableKeyRotation must be true."]],
    ["kms-key-rotation", "Key", "too slow", ["rotationPeriodInDays must be at most 365."]],
    ["secret-cmk", "Secret", "default key", ["kmsKeyId must name a customer-managed KMS key."]],
    ["secret-cmk", "Secret", "aws alias", ["kmsKeyId must name a customer-managed KMS key."]],
    [
        "secret-rotation-class",
        "Secret",
        "no tag",
        ["tag rotation-class must be one of database, jwt, api-key, redis-auth, external."],
    ],
    [
        "secret-rotation-class",
        "Secret",
        "unknown class",
        ["tag rotation-class must be one of database, jwt, api-key, redis-auth, external."],
    ],
    ["log-group-kms", "LogGroup", "no key", ["kmsKeyId must name a KMS key."]],
    [
        "sns-topic-encrypted",
        "Topic",
        "unencrypted",
        ["kmsMasterKeyId must name a customer-managed KMS key (alias/aws/sns blocks CloudWatch alarm delivery)."],
    ],
    [
        "sns-topic-encrypted",
        "Topic",
        "aws/sns",
        ["kmsMasterKeyId must name a customer-managed KMS key (alias/aws/sns blocks CloudWatch alarm delivery)."],
    ],
    ["cloudtrail-multi-region", "Trail", "single region", ["isMultiRegionTrail must be true."]],
    ["cloudtrail-log-validation", "Trail", "no digest", ["enableLogFileValidation must be true."]],
    ["cloudtrail-kms", "Trail", "SSE-S3 only", ["kmsKeyId must name a KMS key."]],
    ["guardduty-enabled", "Detector", "suspended", ["enable must not be false."]],
    ["ecr-scan-on-push", "Repository", "no scanning", ["imageScanningConfiguration.scanOnPush must be true."]],
    ["ecr-immutable-tags", "Repository", "mutable", ["imageTagMutability must be IMMUTABLE."]],
    [
        "ecr-kms",
        "Repository",
        "AES256",
        [
            "encryptionConfigurations[0].encryptionType must be KMS (the default is AES256).",
            "encryptionConfigurations[0].kmsKey must name a customer-managed KMS key.",
        ],
    ],
    ["ecr-kms", "Repository", "AWS-managed KMS", ["encryptionConfigurations[0].kmsKey must name a customer-managed KMS key."]],
    [
        "cloudfront-https-only",
        "Distribution",
        "allow-all",
        ["defaultCacheBehavior.viewerProtocolPolicy must be https-only or redirect-to-https."],
    ],
    [
        "cloudfront-https-only",
        "Distribution",
        "ordered allow-all",
        ["orderedCacheBehaviors[0].viewerProtocolPolicy must be https-only or redirect-to-https."],
    ],
    [
        "cloudfront-tls-minimum",
        "Distribution",
        "default cert",
        [
            "the default *.cloudfront.net certificate allows TLSv1 clients; use an ACM certificate.",
            "viewerCertificate.minimumProtocolVersion must be one of TLSv1.2_2021, TLSv1.2_2025, TLSv1.3_2025.",
        ],
    ],
    [
        "cloudfront-tls-minimum",
        "Distribution",
        "TLS 1.1",
        ["viewerCertificate.minimumProtocolVersion must be one of TLSv1.2_2021, TLSv1.2_2025, TLSv1.3_2025."],
    ],
    [
        "cloudfront-origin-access-control",
        "Distribution",
        "S3 origin without OAC",
        ["origins[0] is an S3 origin without an origin access control."],
    ],
    [
        "alb-listener-https",
        "Listener",
        "old TLS policy",
        [
            "sslPolicy must be one of ELBSecurityPolicy-TLS13-1-2-2021-06, ELBSecurityPolicy-TLS13-1-2-Res-2021-06, ELBSecurityPolicy-TLS13-1-3-2021-06, ELBSecurityPolicy-TLS13-1-2-FIPS-2023-04, ELBSecurityPolicy-TLS13-1-3-FIPS-2023-04, ELBSecurityPolicy-TLS-1-2-Ext-2018-06, ELBSecurityPolicy-FS-1-2-Res-2020-10 (TLS 1.2 or newer).",
        ],
    ],
    ["alb-listener-https", "Listener", "plain HTTP forward", ["a HTTP listener must only redirect to HTTPS."]],
    ["alb-listener-https", "Listener", "redirect to HTTP", ["a HTTP listener must only redirect to HTTPS."]],
    ["backup-vault-cmk", "Vault", "default key", ["kmsKeyArn must name a customer-managed KMS key."]],
    ["k8s-no-privileged", "Deployment", "privileged", ["containers[0] (api) is privileged."]],
    ["k8s-no-privileged", "Deployment", "host network", ["hostNetwork must not be true."]],
    ["k8s-no-privileged", "CronJob", "privileged job", ["containers[0] (api) is privileged."]],
    [
        "k8s-no-privilege-escalation",
        "DaemonSet",
        "implicit default",
        ["containers[0] (api) must set allowPrivilegeEscalation: false (the default allows it)."],
    ],
    ["k8s-run-as-non-root", "StatefulSet", "root uid", ["containers[0] (api) runs as uid 0."]],
    [
        "k8s-run-as-non-root",
        "StatefulSet",
        "no runAsNonRoot",
        ["containers[0] (api) does not set runAsNonRoot: true (at pod or container level)."],
    ],
    [
        "k8s-image-pinned",
        "Job",
        "latest",
        ['containers[0] (api) image "111122223333.dkr.ecr.eu-west-1.amazonaws.com/api:latest" has no pinned tag or digest.'],
    ],
    [
        "k8s-image-pinned",
        "Job",
        "untagged with registry port",
        ['containers[0] (api) image "registry.internal:5000/team/api" has no pinned tag or digest.'],
    ],
    [
        "k8s-ingress-alb-tls",
        "Ingress",
        "default listen ports (HTTP only)",
        ["alb.ingress.kubernetes.io/listen-ports opens no HTTPS listener (the default is HTTP on 80)."],
    ],
    [
        "k8s-ingress-alb-tls",
        "Ingress",
        "HTTP listener without ssl-redirect",
        ["an HTTP listener must redirect to HTTPS: set alb.ingress.kubernetes.io/ssl-redirect to one of the HTTPS ports (443)."],
    ],
    [
        "k8s-ingress-alb-tls",
        "Ingress",
        "ssl-redirect to a port that is not HTTPS",
        ["an HTTP listener must redirect to HTTPS: set alb.ingress.kubernetes.io/ssl-redirect to one of the HTTPS ports (443)."],
    ],
    [
        "k8s-ingress-alb-tls",
        "Ingress",
        "controller default ssl-policy (TLS 1.0)",
        [
            "alb.ingress.kubernetes.io/ssl-policy must be one of ELBSecurityPolicy-TLS13-1-2-2021-06, ELBSecurityPolicy-TLS13-1-2-Res-2021-06, ELBSecurityPolicy-TLS13-1-3-2021-06, ELBSecurityPolicy-TLS13-1-2-FIPS-2023-04, ELBSecurityPolicy-TLS13-1-3-FIPS-2023-04, ELBSecurityPolicy-TLS-1-2-Ext-2018-06, ELBSecurityPolicy-FS-1-2-Res-2020-10 (TLS 1.2 or newer); the controller's default allows TLS 1.0.",
        ],
    ],
    [
        "k8s-ingress-alb-tls",
        "Ingress",
        "TLS 1.1 ssl-policy",
        [
            "alb.ingress.kubernetes.io/ssl-policy must be one of ELBSecurityPolicy-TLS13-1-2-2021-06, ELBSecurityPolicy-TLS13-1-2-Res-2021-06, ELBSecurityPolicy-TLS13-1-3-2021-06, ELBSecurityPolicy-TLS13-1-2-FIPS-2023-04, ELBSecurityPolicy-TLS13-1-3-FIPS-2023-04, ELBSecurityPolicy-TLS-1-2-Ext-2018-06, ELBSecurityPolicy-FS-1-2-Res-2020-10 (TLS 1.2 or newer); the controller's default allows TLS 1.0.",
        ],
    ],
    [
        "k8s-ingress-alb-tls",
        "Ingress",
        "no certificate",
        [
            "an HTTPS listener needs a certificate: set alb.ingress.kubernetes.io/certificate-arn (or spec.tls hosts for discovery).",
        ],
    ],
    [
        "k8s-ingress-alb-tls",
        "Ingress",
        "malformed listen-ports",
        ['alb.ingress.kubernetes.io/listen-ports must be a JSON list such as [{"HTTP":80},{"HTTPS":443}], got "443".'],
    ],
    [
        "k8s-ingress-alb-tls",
        "Ingress",
        "HTTPS-only legacy-class Ingress on an old policy",
        [
            "alb.ingress.kubernetes.io/ssl-policy must be one of ELBSecurityPolicy-TLS13-1-2-2021-06, ELBSecurityPolicy-TLS13-1-2-Res-2021-06, ELBSecurityPolicy-TLS13-1-3-2021-06, ELBSecurityPolicy-TLS13-1-2-FIPS-2023-04, ELBSecurityPolicy-TLS13-1-3-FIPS-2023-04, ELBSecurityPolicy-TLS-1-2-Ext-2018-06, ELBSecurityPolicy-FS-1-2-Res-2020-10 (TLS 1.2 or newer); the controller's default allows TLS 1.0.",
        ],
    ],
    ["rds-backup-retention", "Instance", "too short", ["backupRetentionPeriod must be at least 7 days (got 3)."]],
    ["rds-backup-retention", "Instance", "unset", ["backupRetentionPeriod must be at least 7 days (got unset)."]],
    ["rds-backup-retention", "Instance", "prod minimum", ["backupRetentionPeriod must be at least 14 days (got 7)."]],
    ["rds-multi-az", "Instance", "single AZ", ["multiAz must be true."]],
    ["rds-deletion-protection", "Instance", "off", ["deletionProtection must be true."]],
    [
        "rds-final-snapshot",
        "Instance",
        "skipped",
        ["skipFinalSnapshot must be false (the provider default true deletes the data without a snapshot)."],
    ],
    [
        "rds-final-snapshot",
        "Instance",
        "no identifier",
        ["finalSnapshotIdentifier must be set, or the deletion fails when it is needed most."],
    ],
    [
        "rds-performance-insights",
        "Instance",
        "off",
        ['performanceInsightsEnabled must be true (or databaseInsightsMode "advanced").'],
    ],
    [
        "rds-performance-insights",
        "Instance",
        "no key",
        ["performanceInsightsKmsKeyId must name the database CMK (query samples contain data)."],
    ],
    [
        "rds-performance-insights",
        "Instance",
        "standard mode only",
        ['performanceInsightsEnabled must be true (or databaseInsightsMode "advanced").'],
    ],
    ["rds-log-exports", "Instance", "upgrade missing", ["enabledCloudwatchLogsExports lacks upgrade."]],
    ["rds-auto-minor-upgrade", "Instance", "off", ["autoMinorVersionUpgrade must not be false."]],
    ["rds-copy-tags-to-snapshot", "Instance", "off", ["copyTagsToSnapshot must be true."]],
    ["rds-enhanced-monitoring", "Instance", "off", ["monitoringInterval must be between 1 and 60 seconds."]],
    ["rds-enhanced-monitoring", "Instance", "no role", ["monitoringRoleArn must be set."]],
    [
        "elasticache-multi-az-failover",
        "ReplicationGroup",
        "single node",
        [
            "automaticFailoverEnabled must be true.",
            "multiAzEnabled must be true.",
            "at least one replica is needed for failover.",
        ],
    ],
    ["elasticache-multi-az-failover", "ReplicationGroup", "no replica", ["at least one replica is needed for failover."]],
    ["elasticache-snapshot-retention", "ReplicationGroup", "no snapshots", ["snapshotRetentionLimit must be at least 1."]],
    ["elasticache-log-delivery", "ReplicationGroup", "engine log missing", ["logDeliveryConfigurations lacks engine-log."]],
    ["s3-versioning", "BucketVersioning", "suspended", ["versioningConfiguration.status must be Enabled."]],
    [
        "s3-versioning",
        "BucketV2",
        "inline disabled (BucketV2 writes the inline form as a list)",
        ["inline versionings[0].enabled must be true."],
    ],
    [
        "s3-access-logging",
        "BucketLogging",
        "into itself",
        ["a bucket must not log into itself (each log write would log again)."],
    ],
    ["s3-access-logging", "BucketLogging", "no target", ["targetBucket must be set."]],
    [
        "s3-lifecycle",
        "BucketLifecycleConfiguration",
        "disabled rules",
        [
            "no enabled rule expires noncurrent versions (versioned buckets grow forever).",
            "no enabled rule aborts incomplete multipart uploads.",
        ],
    ],
    [
        "helm-release-pinned",
        "Release",
        "no version (latest)",
        ['version must be an exact chart version such as 1.13.3 (got "unset, which installs the latest").'],
    ],
    [
        "helm-release-pinned",
        "Release",
        "a version range",
        ['version must be an exact chart version such as 1.13.3 (got "^0.52").'],
    ],
    [
        "helm-release-pinned",
        "Release",
        "plain HTTP repository",
        ['the chart must come from an https:// or oci:// repository (got "http://charts.example.com").'],
    ],
    ["helm-release-pinned", "Chart", "prefix match", ['version must be an exact chart version such as 1.13.3 (got "1.6").']],
    ["eks-supported-version", "Cluster", "old", ["version must be pinned to one of 1.32, 1.33, 1.34, 1.35 (got 1.27)."]],
    [
        "eks-supported-version",
        "Cluster",
        "floating",
        ["version must be pinned to one of 1.32, 1.33, 1.34, 1.35 (got unset, which floats to the latest)."],
    ],
    ["log-group-retention", "LogGroup", "30 days", ["retentionInDays must be at least 90 (absent or 0 means never expire)."]],
    [
        "log-group-retention",
        "LogGroup",
        "never expire",
        ["retentionInDays must be at least 90 (absent or 0 means never expire)."],
    ],
    ["alarm-actions", "MetricAlarm", "no OK action", ["okActions is empty: nobody learns about the recovery."]],
    ["alarm-actions", "MetricAlarm", "no missing-data treatment", ["treatMissingData must be set explicitly."]],
    ["k8s-resources", "Deployment", "no limits", ["containers[0] (api) has no limits.memory."]],
    [
        "k8s-resources",
        "Deployment",
        "nothing",
        [
            "containers[0] (api) has no requests.cpu.",
            "containers[0] (api) has no requests.memory.",
            "containers[0] (api) has no limits.memory.",
        ],
    ],
    ["k8s-probes", "Deployment", "no readiness", ["containers[0] (api) has no readinessProbe."]],
];

/** [rule, type (last segment), the property made unknown, what the "cannot judge" names]. */
const UNKNOWNS: [string, string, string, string][] = [
    ["rds-storage-encrypted-cmk", "Instance", "storageEncrypted", "storageEncrypted"],
    ["rds-storage-encrypted-cmk", "Instance", "kmsKeyId", "kmsKeyId"],
    ["rds-not-publicly-accessible", "Instance", "publiclyAccessible", "publiclyAccessible"],
    ["rds-managed-master-password", "Instance", "manageMasterUserPassword", "manageMasterUserPassword"],
    ["rds-force-ssl", "ParameterGroup", "family", "family"],
    ["rds-force-ssl", "ParameterGroup", "parameters", "parameters"],
    ["rds-force-ssl", "Instance", "parameterGroupName", "parameterGroupName"],
    ["elasticache-encryption-at-rest-cmk", "ReplicationGroup", "atRestEncryptionEnabled", "atRestEncryptionEnabled"],
    ["elasticache-encryption-at-rest-cmk", "ReplicationGroup", "kmsKeyId", "kmsKeyId"],
    ["elasticache-encryption-in-transit", "ReplicationGroup", "transitEncryptionEnabled", "transitEncryptionEnabled"],
    ["elasticache-encryption-in-transit", "ReplicationGroup", "transitEncryptionMode", "transitEncryptionMode"],
    ["elasticache-private-subnet-group", "ReplicationGroup", "subnetGroupName", "subnetGroupName"],
    ["s3-public-access-block", "BucketPublicAccessBlock", "blockPublicAcls", "blockPublicAcls"],
    ["s3-public-access-block", "BucketPublicAccessBlock", "blockPublicPolicy", "blockPublicPolicy"],
    ["s3-public-access-block", "BucketPublicAccessBlock", "ignorePublicAcls", "ignorePublicAcls"],
    ["s3-public-access-block", "BucketPublicAccessBlock", "restrictPublicBuckets", "restrictPublicBuckets"],
    ["s3-encryption-kms", "BucketServerSideEncryptionConfiguration", "rules", "rules"],
    ["s3-encryption-kms", "BucketServerSideEncryptionConfigurationV2", "rules", "rules"],
    ["s3-encryption-kms", "Bucket", "serverSideEncryptionConfiguration", "rules"],
    ["s3-tls-only-policy", "BucketPolicy", "policy", "policy"],
    ["s3-ownership-enforced", "BucketOwnershipControls", "rule", "rule.objectOwnership"],
    ["eks-control-plane-logging", "Cluster", "enabledClusterLogTypes", "enabledClusterLogTypes"],
    ["eks-secrets-encryption", "Cluster", "encryptionConfig", "encryptionConfig.resources; encryptionConfig.provider.keyArn"],
    ["eks-endpoint-restricted", "Cluster", "vpcConfig", "vpcConfig.endpointPrivateAccess; vpcConfig.endpointPublicAccess"],
    ["eks-nodegroup-launch-template", "NodeGroup", "launchTemplate", "launchTemplate; launchTemplate.id"],
    [
        "launch-template-imdsv2",
        "LaunchTemplate",
        "metadataOptions",
        "metadataOptions.httpTokens; metadataOptions.httpPutResponseHopLimit",
    ],
    ["launch-template-ebs-encrypted", "LaunchTemplate", "blockDeviceMappings", "blockDeviceMappings"],
    ["sg-rule-description", "SecurityGroup", "description", "description"],
    ["sg-rule-description", "SecurityGroup", "ingress", "ingress"],
    ["sg-rule-description", "SecurityGroup", "egress", "egress"],
    ["sg-rule-description", "SecurityGroupEgressRule", "description", "rule.description"],
    ["default-sg-closed", "DefaultSecurityGroup", "ingress", "ingress"],
    ["default-sg-closed", "DefaultSecurityGroup", "egress", "egress"],
    ["iam-no-admin-wildcard", "Policy", "policy", "policy"],
    ["iam-no-admin-wildcard", "Role", "inlinePolicies", "inlinePolicies"],
    ["iam-no-admin-wildcard", "RolePolicy", "policy", "policy"],
    ["iam-no-service-wildcard", "RolePolicy", "policy", "policy"],
    ["kms-key-rotation", "Key", "enableKeyRotation", "enableKeyRotation"],
    ["kms-key-rotation", "Key", "rotationPeriodInDays", "rotationPeriodInDays"],
    ["secret-cmk", "Secret", "kmsKeyId", "kmsKeyId"],
    ["secret-rotation-class", "Secret", "tags", "tags"],
    ["log-group-kms", "LogGroup", "kmsKeyId", "kmsKeyId"],
    ["sns-topic-encrypted", "Topic", "kmsMasterKeyId", "kmsMasterKeyId"],
    ["cloudtrail-multi-region", "Trail", "isMultiRegionTrail", "isMultiRegionTrail"],
    ["cloudtrail-log-validation", "Trail", "enableLogFileValidation", "enableLogFileValidation"],
    ["cloudtrail-kms", "Trail", "kmsKeyId", "kmsKeyId"],
    ["guardduty-enabled", "Detector", "enable", "enable"],
    ["ecr-scan-on-push", "Repository", "imageScanningConfiguration", "imageScanningConfiguration.scanOnPush"],
    ["ecr-immutable-tags", "Repository", "imageTagMutability", "imageTagMutability"],
    ["ecr-kms", "Repository", "encryptionConfigurations", "encryptionConfigurations"],
    ["cloudfront-https-only", "Distribution", "defaultCacheBehavior", "defaultCacheBehavior.viewerProtocolPolicy"],
    ["cloudfront-https-only", "Distribution", "orderedCacheBehaviors", "orderedCacheBehaviors"],
    [
        "cloudfront-tls-minimum",
        "Distribution",
        "viewerCertificate",
        "viewerCertificate.cloudfrontDefaultCertificate; viewerCertificate.minimumProtocolVersion",
    ],
    ["cloudfront-origin-access-control", "Distribution", "origins", "origins"],
    ["alb-listener-https", "Listener", "protocol", "protocol"],
    ["alb-listener-https", "Listener", "sslPolicy", "sslPolicy"],
    ["backup-vault-cmk", "Vault", "kmsKeyArn", "kmsKeyArn"],
    ["k8s-no-privileged", "Deployment", "spec", "pod spec"],
    ["k8s-no-privileged", "CronJob", "spec", "pod spec"],
    ["k8s-no-privilege-escalation", "DaemonSet", "spec", "pod spec"],
    ["k8s-run-as-non-root", "StatefulSet", "spec", "pod spec"],
    ["k8s-image-pinned", "Job", "spec", "pod spec"],
    ["k8s-ingress-alb-tls", "Ingress", "metadata", "metadata.annotations"],
    ["k8s-ingress-alb-tls", "Ingress", "spec", "the ingress class"],
    ["rds-backup-retention", "Instance", "backupRetentionPeriod", "backupRetentionPeriod"],
    ["rds-multi-az", "Instance", "multiAz", "multiAz"],
    ["rds-deletion-protection", "Instance", "deletionProtection", "deletionProtection"],
    ["rds-final-snapshot", "Instance", "skipFinalSnapshot", "skipFinalSnapshot"],
    ["rds-final-snapshot", "Instance", "finalSnapshotIdentifier", "finalSnapshotIdentifier"],
    ["rds-performance-insights", "Instance", "performanceInsightsEnabled", "performanceInsightsEnabled"],
    ["rds-performance-insights", "Instance", "performanceInsightsKmsKeyId", "performanceInsightsKmsKeyId"],
    ["rds-log-exports", "Instance", "enabledCloudwatchLogsExports", "enabledCloudwatchLogsExports"],
    ["rds-auto-minor-upgrade", "Instance", "autoMinorVersionUpgrade", "autoMinorVersionUpgrade"],
    ["rds-copy-tags-to-snapshot", "Instance", "copyTagsToSnapshot", "copyTagsToSnapshot"],
    ["rds-enhanced-monitoring", "Instance", "monitoringInterval", "monitoringInterval"],
    ["rds-enhanced-monitoring", "Instance", "monitoringRoleArn", "monitoringRoleArn"],
    ["elasticache-multi-az-failover", "ReplicationGroup", "numCacheClusters", "numCacheClusters"],
    ["elasticache-multi-az-failover", "ReplicationGroup", "automaticFailoverEnabled", "automaticFailoverEnabled"],
    ["elasticache-multi-az-failover", "ReplicationGroup", "multiAzEnabled", "multiAzEnabled"],
    ["elasticache-snapshot-retention", "ReplicationGroup", "snapshotRetentionLimit", "snapshotRetentionLimit"],
    ["elasticache-log-delivery", "ReplicationGroup", "logDeliveryConfigurations", "logDeliveryConfigurations"],
    ["s3-versioning", "BucketVersioning", "versioningConfiguration", "versioningConfiguration.status"],
    ["s3-versioning", "BucketV2", "versionings", "versionings"],
    ["s3-access-logging", "BucketLogging", "bucket", "bucket"],
    ["s3-access-logging", "BucketLogging", "targetBucket", "targetBucket"],
    ["s3-lifecycle", "BucketLifecycleConfiguration", "rules", "rules"],
    ["helm-release-pinned", "Release", "chart", "chart and repositoryOpts.repo"],
    ["helm-release-pinned", "Release", "version", "version"],
    ["helm-release-pinned", "Release", "repositoryOpts", "chart and repositoryOpts.repo"],
    ["helm-release-pinned", "Chart", "chart", "chart and repositoryOpts.repo"],
    ["helm-release-pinned", "Chart", "version", "version"],
    ["eks-supported-version", "Cluster", "version", "version"],
    ["log-group-retention", "LogGroup", "retentionInDays", "retentionInDays"],
    ["alarm-actions", "MetricAlarm", "alarmActions", "alarmActions"],
    ["alarm-actions", "MetricAlarm", "okActions", "okActions"],
    ["alarm-actions", "MetricAlarm", "treatMissingData", "treatMissingData"],
    ["k8s-resources", "Deployment", "spec", "pod spec"],
    ["k8s-probes", "Deployment", "spec", "pod spec"],
];

const short = (type: string) => type.split(":").pop();

function caseOf(rule: string, type: string): ResourceCase {
    const found = resourceCases.find((c) => c.rule === rule && short(c.type) === type);
    assert.ok(found, `cases.ts has no case of ${rule} on ${type}: update this table`);
    return found;
}

describe("policy packs: exact messages of the shared cases (POL-1, POL-3; mutation testing)", () => {
    describe("violating cases report exactly their messages", () => {
        for (const [rule, type, why, messages] of VIOLATIONS) {
            it(`${rule} on ${type}: ${why}`, async () => {
                const c = resourceCases.find(
                    (x) => x.rule === rule && short(x.type) === type && x.bad.some((b) => b.why === why),
                );
                const bad = c?.bad.find((b) => b.why === why);
                assert.ok(c && bad, `cases.ts has no violating case '${why}' of ${rule} on ${type}: update this table`);
                const outcome = await checkResource(ruleNamed(rule), resource(c.type, "violating", bad.props), {
                    config: c.config,
                });
                assert.deepStrictEqual(
                    outcome,
                    { violations: messages.map((message) => ({ message, urn: undefined })), cannotJudge: [] },
                    "if the rule or its case changed on purpose, update VIOLATIONS in this file",
                );
            });
        }
    });

    describe("a compliant case with one unknown property says exactly what it cannot judge", () => {
        const judged = new Map(UNKNOWNS.map(([rule, type, key, what]) => [`${rule} ${type} ${key}`, what]));
        const seen = new Set<string>();
        const pairs = [...new Set(UNKNOWNS.map(([rule, type]) => `${rule} ${type}`))].map(
            (p) => p.split(" ") as [string, string],
        );
        for (const [rule, type] of pairs) {
            it(`${rule} on ${type}`, async () => {
                const c = caseOf(rule, type);
                for (const key of Object.keys(c.ok)) {
                    const id = `${rule} ${type} ${key}`;
                    seen.add(id);
                    const outcome = await checkResource(
                        ruleNamed(rule),
                        resource(c.type, "previewed", { ...c.ok, [key]: WIRE.unknown }),
                        { config: c.config },
                    );
                    const what = judged.get(id);
                    assert.deepStrictEqual(
                        outcome,
                        {
                            violations: [],
                            cannotJudge: what === undefined ? [] : [`${rule} cannot judge until the values are known: ${what}`],
                        },
                        `unknown ${key}: if the rule or its case changed on purpose, update UNKNOWNS in this file`,
                    );
                }
            });
        }
        it("lists no property the cases do not have", () => {
            assert.deepStrictEqual(
                [...judged.keys()].filter((id) => !seen.has(id)),
                [],
            );
        });
    });
});
