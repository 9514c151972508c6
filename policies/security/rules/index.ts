/** The security pack's rules (POL-1, POL-2). Imported by the pack entry, the offline runner and the tests; never constructs a PolicyPack. */
import type { Rule } from "../../lib/rule";
import { albListenerHttps } from "./albListenerHttps";
import { backupVaultCmk } from "./backupVaultCmk";
import { cloudfrontHttpsOnly } from "./cloudfrontHttpsOnly";
import { cloudfrontLogging } from "./cloudfrontLogging";
import { cloudfrontOac } from "./cloudfrontOac";
import { cloudfrontTls } from "./cloudfrontTls";
import { cloudtrailKms } from "./cloudtrailKms";
import { cloudtrailLogValidation } from "./cloudtrailLogValidation";
import { cloudtrailMultiRegion } from "./cloudtrailMultiRegion";
import { defaultSgClosed } from "./defaultSgClosed";
import { ecrImmutableTags } from "./ecrImmutableTags";
import { ecrKms } from "./ecrKms";
import { ecrScanOnPush } from "./ecrScanOnPush";
import { eksClusterAdminAccess } from "./eksClusterAdminAccess";
import { eksControlPlaneLogging } from "./eksControlPlaneLogging";
import { eksEndpointRestricted } from "./eksEndpointRestricted";
import { eksNodeGroupLaunchTemplate } from "./eksNodeGroupLaunchTemplate";
import { eksSecretsEncryption } from "./eksSecretsEncryption";
import { elasticacheAuth } from "./elasticacheAuth";
import { elasticacheEncryptionAtRest } from "./elasticacheEncryptionAtRest";
import { elasticacheEncryptionInTransit } from "./elasticacheEncryptionInTransit";
import { elasticacheSubnetGroup } from "./elasticacheSubnetGroup";
import { guarddutyEnabled } from "./guarddutyEnabled";
import { iamNoAdminWildcard } from "./iamNoAdminWildcard";
import { iamNoServiceWildcard } from "./iamNoServiceWildcard";
import { k8sImagePinned } from "./k8sImagePinned";
import { k8sIngressAlbTls } from "./k8sIngressAlbTls";
import { k8sNoPrivilegeEscalation } from "./k8sNoPrivilegeEscalation";
import { k8sNoPrivileged } from "./k8sNoPrivileged";
import { k8sRunAsNonRoot } from "./k8sRunAsNonRoot";
import { kmsKeyRotation } from "./kmsKeyRotation";
import { launchTemplateEbsEncrypted } from "./launchTemplateEbsEncrypted";
import { launchTemplateImdsv2 } from "./launchTemplateImdsv2";
import { logGroupKms } from "./logGroupKms";
import { rdsForceSsl } from "./rdsForceSsl";
import { rdsManagedMasterPassword } from "./rdsManagedMasterPassword";
import { rdsNotPublic } from "./rdsNotPublic";
import { rdsStorageEncryptedCmk } from "./rdsStorageEncryptedCmk";
import { s3BucketProtectionCoverage } from "./s3BucketProtectionCoverage";
import { s3EncryptionKms } from "./s3EncryptionKms";
import { s3OwnershipEnforced } from "./s3OwnershipEnforced";
import { s3PublicAccessBlock } from "./s3PublicAccessBlock";
import { s3TlsOnlyPolicy } from "./s3TlsOnlyPolicy";
import { secretCmk } from "./secretCmk";
import { secretRotationClass } from "./secretRotationClass";
import { secretRotationWithinLimit } from "./secretRotationWithinLimit";
import { sgNoWorldIngress } from "./sgNoWorldIngress";
import { sgRuleDescription } from "./sgRuleDescription";
import { snsTopicEncrypted } from "./snsTopicEncrypted";
import { vpcFlowLogs } from "./vpcFlowLogs";
import { wafOnPublicEntry } from "./wafOnPublicEntry";

export const securityRules: Rule[] = [
    albListenerHttps,
    backupVaultCmk,
    cloudfrontHttpsOnly,
    cloudfrontLogging,
    cloudfrontOac,
    cloudfrontTls,
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
    eksNodeGroupLaunchTemplate,
    eksSecretsEncryption,
    elasticacheAuth,
    elasticacheEncryptionAtRest,
    elasticacheEncryptionInTransit,
    elasticacheSubnetGroup,
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
    rdsNotPublic,
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
];
