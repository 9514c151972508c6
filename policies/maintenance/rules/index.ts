/** The maintenance pack's rules (POL-1, POL-2). Imported by the pack entry, the offline runner and the tests; never constructs a PolicyPack. */
import type { Rule } from "../../lib/rule";
import { alarmActions } from "./alarmActions";
import { backupCoverage } from "./backupCoverage";
import { backupVaultLock } from "./backupVaultLock";
import { crossRegionDr } from "./crossRegionDr";
import { dataStoreAlarms } from "./dataStoreAlarms";
import { eksSupportedVersion } from "./eksSupportedVersion";
import { elasticacheLogDelivery } from "./elasticacheLogDelivery";
import { elasticacheMultiAzFailover } from "./elasticacheMultiAzFailover";
import { elasticacheSnapshotRetention } from "./elasticacheSnapshotRetention";
import { helmReleasePinned } from "./helmReleasePinned";
import { k8sProbes } from "./k8sProbes";
import { k8sResources } from "./k8sResources";
import { logGroupRetention } from "./logGroupRetention";
import { providerDefaultTagsRule } from "./providerDefaultTags";
import { rdsAutoMinorUpgrade } from "./rdsAutoMinorUpgrade";
import { rdsBackupRetention } from "./rdsBackupRetention";
import { rdsCopyTagsToSnapshot } from "./rdsCopyTagsToSnapshot";
import { rdsDeletionProtection } from "./rdsDeletionProtection";
import { rdsEnhancedMonitoring } from "./rdsEnhancedMonitoring";
import { rdsFinalSnapshot } from "./rdsFinalSnapshot";
import { rdsLogExports } from "./rdsLogExports";
import { rdsMultiAz } from "./rdsMultiAz";
import { rdsPerformanceInsights } from "./rdsPerformanceInsights";
import { s3AccessLogging } from "./s3AccessLogging";
import { s3BucketMaintenanceCoverage } from "./s3BucketMaintenanceCoverage";
import { s3Lifecycle } from "./s3Lifecycle";
import { s3Versioning } from "./s3Versioning";

export const maintenanceRules: Rule[] = [
    alarmActions,
    backupCoverage,
    backupVaultLock,
    crossRegionDr,
    dataStoreAlarms,
    eksSupportedVersion,
    elasticacheLogDelivery,
    elasticacheMultiAzFailover,
    elasticacheSnapshotRetention,
    helmReleasePinned,
    k8sProbes,
    k8sResources,
    logGroupRetention,
    providerDefaultTagsRule,
    rdsAutoMinorUpgrade,
    rdsBackupRetention,
    rdsCopyTagsToSnapshot,
    rdsDeletionProtection,
    rdsEnhancedMonitoring,
    rdsFinalSnapshot,
    rdsLogExports,
    rdsMultiAz,
    rdsPerformanceInsights,
    s3AccessLogging,
    s3BucketMaintenanceCoverage,
    s3Lifecycle,
    s3Versioning,
];
