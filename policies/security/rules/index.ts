/** The security pack's rules (POL-1, POL-2). Imported by the pack entry, the offline runner and the tests; never constructs a PolicyPack. */
import type { Rule } from "../../lib/rule";
import { albListenerHttps } from "./alb-listener-https";
import { backupVaultCmk } from "./backup-vault-cmk";
import { cloudfrontHttpsOnly } from "./cloudfront-https-only";
import { cloudfrontAccessLogging } from "./cloudfront-access-logging";
import { cloudfrontOriginAccessControl } from "./cloudfront-origin-access-control";
import { cloudfrontTlsMinimum } from "./cloudfront-tls-minimum";
import { cloudtrailKms } from "./cloudtrail-kms";
import { cloudtrailLogValidation } from "./cloudtrail-log-validation";
import { cloudtrailMultiRegion } from "./cloudtrail-multi-region";
import { defaultSgClosed } from "./default-sg-closed";
import { ecrImmutableTags } from "./ecr-immutable-tags";
import { ecrKms } from "./ecr-kms";
import { ecrScanOnPush } from "./ecr-scan-on-push";
import { eksClusterAdminAccess } from "./eks-cluster-admin-access";
import { eksControlPlaneLogging } from "./eks-control-plane-logging";
import { eksEndpointRestricted } from "./eks-endpoint-restricted";
import { eksNodegroupLaunchTemplate } from "./eks-nodegroup-launch-template";
import { eksSecretsEncryption } from "./eks-secrets-encryption";
import { elasticacheAuth } from "./elasticache-auth";
import { externalSecretsNamespacedStore } from "./external-secrets-namespaced-store";
import { elasticacheEncryptionAtRestCmk } from "./elasticache-encryption-at-rest-cmk";
import { elasticacheEncryptionInTransit } from "./elasticache-encryption-in-transit";
import { elasticachePrivateSubnetGroup } from "./elasticache-private-subnet-group";
import { guarddutyEnabled } from "./guardduty-enabled";
import { iamNoAdminWildcard } from "./iam-no-admin-wildcard";
import { iamNoServiceWildcard } from "./iam-no-service-wildcard";
import { k8sImagePinned } from "./k8s-image-pinned";
import { k8sIngressAlbTls } from "./k8s-ingress-alb-tls";
import { k8sNoPrivilegeEscalation } from "./k8s-no-privilege-escalation";
import { k8sNoPrivileged } from "./k8s-no-privileged";
import { k8sRunAsNonRoot } from "./k8s-run-as-non-root";
import { kmsKeyRotation } from "./kms-key-rotation";
import { launchTemplateEbsEncrypted } from "./launch-template-ebs-encrypted";
import { launchTemplateImdsv2 } from "./launch-template-imdsv2";
import { logGroupKms } from "./log-group-kms";
import { rdsForceSsl } from "./rds-force-ssl";
import { rdsManagedMasterPassword } from "./rds-managed-master-password";
import { rdsNotPubliclyAccessible } from "./rds-not-publicly-accessible";
import { rdsStorageEncryptedCmk } from "./rds-storage-encrypted-cmk";
import { s3BucketProtectionCoverage } from "./s3-bucket-protection-coverage";
import { s3EncryptionKms } from "./s3-encryption-kms";
import { s3OwnershipEnforced } from "./s3-ownership-enforced";
import { s3PublicAccessBlock } from "./s3-public-access-block";
import { s3TlsOnlyPolicy } from "./s3-tls-only-policy";
import { secretCmk } from "./secret-cmk";
import { secretRotationClass } from "./secret-rotation-class";
import { secretRotationWithinLimit } from "./secret-rotation-within-limit";
import { sgNoWorldIngress } from "./sg-no-world-ingress";
import { sgRuleDescription } from "./sg-rule-description";
import { snsTopicEncrypted } from "./sns-topic-encrypted";
import { vpcFlowLogs } from "./vpc-flow-logs";
import { wafOnPublicEntry } from "./waf-on-public-entry";
// Rules added for concerns the anchor matrix found unread (#17 item 2, POL-2).
import { cloudtrailCloudwatchDelivery } from "./cloudtrail-cloudwatch-delivery";
import { codebuildProjectHardened } from "./codebuild-project-hardened";
import { kmsKeyPolicySafe } from "./kms-key-policy-safe";
import { noPublicIpOnLaunch } from "./no-public-ip-on-launch";
import { wafManagedRules } from "./waf-managed-rules";
import { iamNoAllowNot } from "./iam-no-allow-not";
import { iamPassRoleScoped } from "./iam-pass-role-scoped";
import { iamTrustPolicyScoped } from "./iam-trust-policy-scoped";
import { k8sDropAllCapabilities } from "./k8s-drop-all-capabilities";
import { k8sKernelDefaults } from "./k8s-kernel-defaults";
import { k8sNoDefaultNamespace } from "./k8s-no-default-namespace";
import { k8sNoHostAccess } from "./k8s-no-host-access";
import { k8sNoServiceAccountToken } from "./k8s-no-service-account-token";
import { k8sReadOnlyRootFs } from "./k8s-read-only-root-fs";
import { k8sSeccompProfile } from "./k8s-seccomp-profile";
import { lambdaPermissionSourceScoped } from "./lambda-permission-source-scoped";
import { resourcePolicyNoPublicPrincipal } from "./resource-policy-no-public-principal";
import { k8sRbacLeastPrivilege } from "./k8s-rbac-least-privilege";

export const securityRules: Rule[] = [
    albListenerHttps,
    backupVaultCmk,
    cloudfrontHttpsOnly,
    cloudfrontAccessLogging,
    cloudfrontOriginAccessControl,
    cloudfrontTlsMinimum,
    cloudtrailKms,
    cloudtrailLogValidation,
    cloudtrailMultiRegion,
    defaultSgClosed,
    ecrImmutableTags,
    ecrKms,
    ecrScanOnPush,
    eksClusterAdminAccess,
    eksControlPlaneLogging,
    eksEndpointRestricted,
    eksNodegroupLaunchTemplate,
    eksSecretsEncryption,
    elasticacheAuth,
    externalSecretsNamespacedStore,
    elasticacheEncryptionAtRestCmk,
    elasticacheEncryptionInTransit,
    elasticachePrivateSubnetGroup,
    guarddutyEnabled,
    iamNoAdminWildcard,
    iamNoServiceWildcard,
    k8sImagePinned,
    k8sIngressAlbTls,
    k8sNoPrivilegeEscalation,
    k8sNoPrivileged,
    k8sRunAsNonRoot,
    kmsKeyRotation,
    launchTemplateEbsEncrypted,
    launchTemplateImdsv2,
    logGroupKms,
    rdsForceSsl,
    rdsManagedMasterPassword,
    rdsNotPubliclyAccessible,
    rdsStorageEncryptedCmk,
    s3BucketProtectionCoverage,
    s3EncryptionKms,
    s3OwnershipEnforced,
    s3PublicAccessBlock,
    s3TlsOnlyPolicy,
    secretCmk,
    secretRotationClass,
    secretRotationWithinLimit,
    sgNoWorldIngress,
    sgRuleDescription,
    snsTopicEncrypted,
    vpcFlowLogs,
    wafOnPublicEntry,
    // Anchor matrix additions (#17 item 2).
    cloudtrailCloudwatchDelivery,
    codebuildProjectHardened,
    kmsKeyPolicySafe,
    noPublicIpOnLaunch,
    wafManagedRules,
    iamNoAllowNot,
    iamPassRoleScoped,
    iamTrustPolicyScoped,
    k8sDropAllCapabilities,
    k8sKernelDefaults,
    k8sNoDefaultNamespace,
    k8sNoHostAccess,
    k8sNoServiceAccountToken,
    k8sReadOnlyRootFs,
    k8sSeccompProfile,
    lambdaPermissionSourceScoped,
    resourcePolicyNoPublicPrincipal,
    k8sRbacLeastPrivilege,
];
