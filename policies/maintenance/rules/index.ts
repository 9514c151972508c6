/** The maintenance pack's rules (POL-1, POL-2). Imported by the pack entry, the offline runner and the tests; never constructs a PolicyPack. */
import type { Rule } from "../../lib/rule";
import { alarmActions } from "./alarm-actions";
import { backupCoverage } from "./backup-coverage";
import { backupVaultLock } from "./backup-vault-lock";
import { crossRegionDr } from "./cross-region-dr";
import { dataStoreAlarms } from "./data-store-alarms";
import { eksSupportedVersion } from "./eks-supported-version";
import { elasticacheLogDelivery } from "./elasticache-log-delivery";
import { elasticacheMultiAzFailover } from "./elasticache-multi-az-failover";
import { elasticacheSnapshotRetention } from "./elasticache-snapshot-retention";
import { helmReleasePinned } from "./helm-release-pinned";
import { k8sProbes } from "./k8s-probes";
import { k8sResources } from "./k8s-resources";
import { logGroupRetention } from "./log-group-retention";
import { providerDefaultTags } from "./provider-default-tags";
import { rdsAutoMinorUpgrade } from "./rds-auto-minor-upgrade";
import { rdsBackupRetention } from "./rds-backup-retention";
import { rdsCopyTagsToSnapshot } from "./rds-copy-tags-to-snapshot";
import { rdsDeletionProtection } from "./rds-deletion-protection";
import { rdsEnhancedMonitoring } from "./rds-enhanced-monitoring";
import { rdsFinalSnapshot } from "./rds-final-snapshot";
import { rdsLogExports } from "./rds-log-exports";
import { rdsMultiAz } from "./rds-multi-az";
import { rdsPerformanceInsights } from "./rds-performance-insights";
import { s3AccessLogging } from "./s3-access-logging";
import { s3BucketMaintenanceCoverage } from "./s3-bucket-maintenance-coverage";
import { s3Lifecycle } from "./s3-lifecycle";
import { s3Versioning } from "./s3-versioning";

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
    providerDefaultTags,
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
