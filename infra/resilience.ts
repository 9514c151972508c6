/**
 * Resilience (BKP-1, BKP-2, BKP-3, DR-1, MNT-1, MNT-2): maps the validated `backup` and `databaseJobs`
 * configuration to AWS Backup, the DR-region copies and the database CronJobs. Every difference between the
 * stacks (retention, DR copies, lock, restore testing) comes from configuration switches (ENV-1).
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { AlertTopic } from "../components/alarms/topic";
import { BackupPlan } from "../components/backup";
import { KubernetesCluster } from "../components/cluster";
import { ClusterServices } from "../components/cluster/services";
import { secretStoreAccess } from "./secret-stores";
import { BucketReplica, DatabaseBackupReplication } from "../components/dr";
import { configuredTimings, DatabaseJobs } from "../components/maintenance";
import { AwsContext } from "../components/shared/context";
import { EncryptionKey } from "../components/shared/kms";
import { HardenedBucket } from "../components/storage/bucket";
import type { StackConfig } from "./config";
import type { DataTier } from "./data";
import type { Storage } from "./storage";

/** What resilience needs from the environment. */
export interface ResilienceInputs {
    prefix: string;
    context: AwsContext;
    providers: { aws: aws.Provider; awsDr: aws.Provider };
    keys: Record<"data" | "backup" | "secrets", EncryptionKey>;
    alerts: AlertTopic;
    cluster: KubernetesCluster;
    services: ClusterServices;
    data: DataTier;
    storage: Pick<Storage, "logBucket" | "mediaBucket">;
}

/** What resilience gives the rest of the program. */
export interface Resilience {
    backup: BackupPlan;
    /** KMS key of the DR region, when anything is copied there (DR-1). */
    drKey?: EncryptionKey;
    databaseReplication?: DatabaseBackupReplication;
    mediaReplica?: BucketReplica;
    /** Bucket of the logical backups, 30-day lifecycle (BKP-2). */
    dumpBucket: HardenedBucket;
    databaseJobs: DatabaseJobs;
}

export function buildResilience(cfg: StackConfig, env: ResilienceInputs): Resilience {
    const b = cfg.backup;
    const withAws = { providers: { aws: env.providers.aws } };
    const database = env.data.database;

    // DR-1: one key in the DR region for everything copied there, created only when something is.
    const needsDr = b.copyToDr || b.replicateDatabaseBackups || b.replicateMedia;
    const drKey = needsDr
        ? new EncryptionKey(
              `${env.prefix}-dr`,
              {
                  description: "DR-region copies: backup vault, replicated RDS backups, media replica",
                  alias: `${env.prefix}/dr`,
                  context: { ...env.context, region: cfg.drRegion },
              },
              { providers: { aws: env.providers.awsDr } },
          )
        : undefined;

    const backup = new BackupPlan(
        `${env.prefix}-backup`,
        {
            vaultName: `${env.prefix}-backup`,
            kmsKeyArn: env.keys.backup.arn,
            rules: [
                {
                    name: "database",
                    tagValue: "database",
                    schedule: b.databaseSchedule,
                    retentionDays: b.databaseRetentionDays,
                    copyRetentionDays: b.drDatabaseRetentionDays,
                },
                {
                    name: "media",
                    tagValue: "media",
                    schedule: b.mediaSchedule,
                    retentionDays: b.mediaRetentionDays,
                    copyRetentionDays: b.drMediaRetentionDays,
                },
            ],
            startWindowMinutes: b.startWindowMinutes,
            completionWindowMinutes: b.completionWindowMinutes,
            copyTo:
                b.copyToDr && drKey
                    ? { vaultName: `${env.prefix}-backup-dr`, kmsKeyArn: drKey.arn, provider: env.providers.awsDr }
                    : undefined,
            vaultLock: b.vaultLock
                ? { changeableForDays: b.vaultLockChangeableDays, maxRetentionDays: b.vaultLockMaxRetentionDays }
                : undefined,
            notificationTopicArn: env.alerts.arn,
            restoreTesting: b.restoreTesting
                ? {
                      schedule: b.restoreTestingSchedule,
                      validationWindowHours: b.restoreTestingValidationHours,
                      dbInstanceClass: b.restoreTestingInstanceClass,
                      dbSubnetGroupName: database.subnetGroup.name,
                      vpcSecurityGroupIds: [database.securityGroup.id],
                  }
                : undefined,
            context: env.context,
        },
        withAws,
    );

    const databaseReplication =
        b.replicateDatabaseBackups && drKey
            ? new DatabaseBackupReplication(
                  `${env.prefix}-postgres-dr`,
                  {
                      sourceDbInstanceArn: database.instance.arn,
                      kmsKeyArn: drKey.arn,
                      retentionDays: b.drDatabaseBackupRetentionDays,
                      drProvider: env.providers.awsDr,
                  },
                  withAws,
              )
            : undefined;

    const mediaReplica =
        b.replicateMedia && drKey
            ? new BucketReplica(
                  `${env.prefix}-media-dr`,
                  {
                      source: env.storage.mediaBucket,
                      sourceKmsKeyArn: env.keys.data.arn,
                      sourceRegion: cfg.region,
                      replicaBucketName: pulumi.interpolate`${env.prefix}-media-dr-${env.context.accountId}`,
                      replicaKmsKeyArn: drKey.arn,
                      drRegion: cfg.drRegion,
                      drProvider: env.providers.awsDr,
                      accountId: env.context.accountId,
                      accessLogRetentionDays: cfg.storage.accessLogRetentionDays,
                      replicationTimeControl: b.replicationTimeControl,
                      forceDestroy: cfg.storage.forceDestroy,
                  },
                  withAws,
              )
            : undefined;

    // BKP-2: the logical dumps expire after 30 days, and so do their old versions a day later.
    const dumpBucket = new HardenedBucket(
        `${env.prefix}-db-dumps`,
        {
            bucketName: pulumi.interpolate`${env.prefix}-db-dumps-${env.context.accountId}`,
            kmsKeyArn: env.keys.data.arn,
            dataClass: "backup",
            dataClassReason: "daily pg_dump files: a copy of the database which AWS Backup protects",
            accessLogBucket: env.storage.logBucket.name,
            expirationDays: 30,
            noncurrentVersionExpirationDays: 1,
            forceDestroy: cfg.storage.forceDestroy,
        },
        withAws,
    );

    const j = cfg.databaseJobs;
    const secrets = `${env.prefix}/database`;
    const databaseJobs = new DatabaseJobs(
        `${env.prefix}-database-jobs`,
        {
            namespace: j.namespace,
            image: j.image,
            sslRootCertPath: j.sslRootCertPath,
            // Least privilege per job: dump and report read, maintenance owns the tables; the restore check has its own server.
            credentials: {
                dump: `${secrets}/readonly`,
                report: `${secrets}/readonly`,
                maintenance: `${secrets}/migrator`,
            },
            databaseName: cfg.database.databaseName,
            secretStore: secretStoreAccess(env),
            backupBucket: { name: dumpBucket.name, arn: dumpBucket.arn },
            backupPrefix: `postgres/${cfg.database.databaseName}/`,
            backupKmsKeyArn: env.keys.data.arn,
            clusterName: env.cluster.name,
            timings: configuredTimings(cfg),
            startingDeadlineSeconds: j.startingDeadlineSeconds,
            restoreCheckMaxAgeHours: j.restoreCheckMaxAgeHours,
            dumpVolumeSize: `${j.dumpVolumeGb}Gi`,
            slowQueryLimit: j.slowQueryLimit,
            context: env.context,
        },
        // The namespace's SecretStore and ExternalSecrets wait for the operator's CRDs (SEC-1, SEC-7).
        { providers: { aws: env.providers.aws, kubernetes: env.cluster.provider } },
    );

    return { backup, drKey, databaseReplication, mediaReplica, dumpBucket, databaseJobs };
}
