/**
 * Cross-region copies for disaster recovery (DR-1): RDS automated-backup replication (point-in-time recovery
 * in the DR region) and S3 replication of a bucket into a DR-region bucket that meets the same baseline.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { policyDocument, serviceTrustPolicy } from "../shared/context";
import { HardenedBucket } from "../storage/bucket";

export interface DatabaseBackupReplicationArgs {
    /** ARN of the source RDS instance (DR-1). */
    sourceDbInstanceArn: pulumi.Input<string>;
    /** KMS key in the DR region encrypting the replicated backups (DR-1, SEC-3). */
    kmsKeyArn: pulumi.Input<string>;
    /** Days replicated automated backups are kept, 1-35; default 7 (DR-1). */
    retentionDays?: number;
    /** AWS provider of the DR region; the replication is created there (DR-1). */
    drProvider: aws.Provider;
}

/**
 * Replicates an RDS instance's automated backups (snapshots and transaction logs) to the DR region (DR-1), so
 * the database can be restored there to any point in the retention period, about five minutes behind the
 * source, even when the primary region is unavailable.
 */
export class DatabaseBackupReplication extends pulumi.ComponentResource {
    readonly replication: aws.rds.InstanceAutomatedBackupsReplication;

    constructor(name: string, args: DatabaseBackupReplicationArgs, opts?: pulumi.ComponentResourceOptions) {
        const retention = args.retentionDays ?? 7;
        if (!Number.isInteger(retention) || retention < 1 || retention > 35) {
            throw new Error(`DatabaseBackupReplication ${name}: retentionDays must be 1-35, got ${retention} (DR-1)`);
        }
        super("bookbuddy:dr:DatabaseBackupReplication", name, {}, opts);
        this.replication = new aws.rds.InstanceAutomatedBackupsReplication(
            name,
            { sourceDbInstanceArn: args.sourceDbInstanceArn, kmsKeyId: args.kmsKeyArn, retentionPeriod: retention },
            { parent: this, provider: args.drProvider },
        );
        this.registerOutputs({ id: this.replication.id });
    }
}

export interface BucketReplicaArgs {
    /** The bucket replicated; its versioning must be on (the STORE-1 baseline) (DR-1). */
    source: HardenedBucket;
    /** KMS key encrypting the source bucket; the replication role may decrypt with it (DR-1). */
    sourceKmsKeyArn: pulumi.Input<string>;
    /** Region of the source bucket (for the kms:ViaService conditions) (DR-1). */
    sourceRegion: string;
    /** Physical name of the replica bucket; default generated (DR-1). */
    replicaBucketName?: pulumi.Input<string>;
    /** KMS key in the DR region encrypting the replica and its access-log bucket (DR-1, SEC-3). */
    replicaKmsKeyArn: pulumi.Input<string>;
    /** The DR region (for the kms:ViaService conditions) (DR-1). */
    drRegion: string;
    /** AWS provider of the DR region; the replica and its log bucket are created there (DR-1). */
    drProvider: aws.Provider;
    /** Account allowed to deliver access logs into the DR log bucket (STORE-1). */
    accountId: pulumi.Input<string>;
    /** Tags of the replica, e.g. `{ backup: "media-replica" }`; default none (STORE-1). */
    replicaTags?: Record<string, string>;
    /** Days the DR access logs are kept; default 365 (STORE-1, BKP-4: at least 90). */
    accessLogRetentionDays?: number;
    /** S3 Replication Time Control (15-minute SLA, extra cost) with its metrics; default false (DR-1). */
    replicationTimeControl?: boolean;
    /** Let `pulumi destroy` empty the DR buckets; default false (STORE-1). */
    forceDestroy?: boolean;
}

/**
 * A DR-region copy of a bucket (DR-1): a HardenedBucket in the DR region (with its own HardenedBucket for
 * access logs, since S3 logs only into a bucket of the same region), one IAM role for S3 replication, and a
 * replication configuration copying every object version and delete marker, re-encrypted with the DR key.
 * Objects are replicated from the moment it exists; existing objects need one S3 Batch Replication job
 * (docs/runbooks/regional-failover.md).
 */
export class BucketReplica extends pulumi.ComponentResource {
    readonly logBucket: HardenedBucket;
    readonly replica: HardenedBucket;
    readonly role: aws.iam.Role;
    readonly configuration: aws.s3.BucketReplicationConfig;

    constructor(name: string, args: BucketReplicaArgs, opts?: pulumi.ComponentResourceOptions) {
        super("bookbuddy:dr:BucketReplica", name, {}, opts);
        const parent = { parent: this };
        const forceDestroy = args.forceDestroy ?? false;

        this.logBucket = new HardenedBucket(
            `${name}-logs`,
            {
                kmsKeyArn: args.replicaKmsKeyArn,
                dataClass: "logs",
                dataClassReason: "access logs of the DR replica bucket expired by lifecycle",
                isLogBucket: true,
                accountId: args.accountId,
                expirationDays: args.accessLogRetentionDays ?? 365,
                forceDestroy,
            },
            { parent: this, providers: { aws: args.drProvider } },
        );
        this.replica = new HardenedBucket(
            name,
            {
                bucketName: args.replicaBucketName,
                kmsKeyArn: args.replicaKmsKeyArn,
                dataClass: "backup",
                dataClassReason: "cross-region replica of the media bucket which is itself backed up",
                tags: args.replicaTags,
                accessLogBucket: this.logBucket.name,
                forceDestroy,
            },
            { parent: this, providers: { aws: args.drProvider } },
        );

        this.role = new aws.iam.Role(
            name,
            {
                description: `S3 replication of ${name} into the DR region (DR-1)`,
                assumeRolePolicy: serviceTrustPolicy("s3.amazonaws.com"),
            },
            parent,
        );
        const source = args.source.arn;
        const replica = this.replica.arn;
        new aws.iam.RolePolicy(
            name,
            {
                role: this.role.id,
                policy: policyDocument([
                    {
                        Sid: "ReadReplicationConfiguration",
                        Effect: "Allow",
                        Action: ["s3:GetReplicationConfiguration", "s3:ListBucket"],
                        Resource: source,
                    },
                    {
                        Sid: "ReadSourceVersions",
                        Effect: "Allow",
                        Action: ["s3:GetObjectVersionForReplication", "s3:GetObjectVersionAcl", "s3:GetObjectVersionTagging"],
                        Resource: pulumi.interpolate`${source}/*`,
                    },
                    {
                        Sid: "WriteReplicas",
                        Effect: "Allow",
                        Action: ["s3:ReplicateObject", "s3:ReplicateDelete", "s3:ReplicateTags"],
                        Resource: pulumi.interpolate`${replica}/*`,
                    },
                    {
                        Sid: "DecryptSource",
                        Effect: "Allow",
                        Action: "kms:Decrypt",
                        Resource: args.sourceKmsKeyArn,
                        Condition: { StringEquals: { "kms:ViaService": `s3.${args.sourceRegion}.amazonaws.com` } },
                    },
                    {
                        Sid: "EncryptReplica",
                        Effect: "Allow",
                        Action: ["kms:Encrypt", "kms:GenerateDataKey"],
                        Resource: args.replicaKmsKeyArn,
                        Condition: { StringEquals: { "kms:ViaService": `s3.${args.drRegion}.amazonaws.com` } },
                    },
                ]),
            },
            parent,
        );

        const rtc = args.replicationTimeControl ?? false;
        this.configuration = new aws.s3.BucketReplicationConfig(
            name,
            {
                bucket: args.source.name,
                role: this.role.arn,
                rules: [
                    {
                        id: "dr-region-copy",
                        status: "Enabled",
                        priority: 1,
                        filter: {},
                        deleteMarkerReplication: { status: "Enabled" },
                        sourceSelectionCriteria: { sseKmsEncryptedObjects: { status: "Enabled" } },
                        destination: {
                            bucket: replica,
                            storageClass: "STANDARD",
                            encryptionConfiguration: { replicaKmsKeyId: args.replicaKmsKeyArn },
                            ...(rtc
                                ? {
                                      replicationTime: { status: "Enabled", time: { minutes: 15 } },
                                      metrics: { status: "Enabled", eventThreshold: { minutes: 15 } },
                                  }
                                : {}),
                        },
                    },
                ],
            },
            // Replication needs versioning on both sides.
            { parent: this, dependsOn: [args.source.versioning, this.replica.versioning] },
        );
        this.registerOutputs({ replicaArn: this.replica.arn, replicaName: this.replica.name });
    }
}
