import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { AwsContext, nameTag, serviceTrustPolicy } from "../shared/context";
import { RestoreSource, restoreInstanceArgs, restoreSuffix } from "./restore";

export { RestoreSource } from "./restore";
export { PostgresRoles, PostgresRolesArgs, DATABASE_ROLES, DatabaseRole } from "./roles";

export interface PostgresDatabaseArgs {
    /** Base instance identifier, e.g. `bookbuddy-prod-postgres`; a restore appends a suffix (DR-1). */
    identifier: string;
    /** Engine version `major.minor`, pinned; the parameter group family follows the major (DB-1). */
    engineVersion: string;
    /** Instance class, e.g. `db.r7g.large` (ENV-3) or `db.t4g.small` (ENV-4). */
    instanceClass: string;
    /** Initial gp3 storage in GB (DB-2). */
    allocatedStorageGb: number;
    /** Storage autoscaling ceiling in GB; must exceed allocatedStorageGb (DB-2). */
    maxAllocatedStorageGb: number;
    /** Multi-AZ standby; default true (DB-2, ENV-3). */
    multiAz?: boolean;
    /** Pulumi `protect` and retain-on-delete of the instance; default true (DB-2). */
    protect?: boolean;
    /** RDS deletion protection, independent of `protect` because it costs nothing; default true (DB-2). */
    deletionProtection?: boolean;
    /** Automated backups kept, days; default 14, at least 7 (DB-2, DR-1). */
    backupRetentionDays?: number;
    /** Daily backup window `hh:mm-hh:mm` UTC, not overlapping the maintenance window (DB-2, MNT-2). */
    backupWindow: string;
    /** Weekly maintenance window `ddd:hh:mm-ddd:hh:mm` UTC (DB-2, MNT-2). */
    maintenanceWindow: string;
    /** Performance Insights retention in days; default 7 (DB-2). */
    performanceInsightsRetentionDays?: number;
    /** Enhanced monitoring interval in seconds; default 60 (DB-2). */
    monitoringIntervalSeconds?: number;
    /** log_min_duration_statement in milliseconds; default 500 (DB-2). */
    slowQueryMs?: number;
    /** Master user name (its password is generated and rotated by RDS); default `bookbuddy_admin` (DB-3). */
    masterUsername?: string;
    /** VPC of the instance (DB-1). */
    vpcId: pulumi.Input<string>;
    /** Database subnets, one per AZ, with no route out of the VPC (DB-1). */
    subnetIds: pulumi.Input<string>[];
    /** Security groups allowed to reach 5432: the cluster's (DB-1). */
    allowedSecurityGroupIds: pulumi.Input<string>[];
    /** Customer-managed KMS key for storage and Performance Insights (DB-1). */
    dataKeyArn: pulumi.Input<string>;
    /** Customer-managed KMS key of the RDS-managed master secret (DB-3, SEC-1). */
    secretsKeyArn: pulumi.Input<string>;
    /** Restore source; default none (DR-1). */
    restore?: RestoreSource;
    /** Account, region and partition. */
    context: AwsContext;
}

/** The static parameters of the parameter group (DB-1, DB-2), besides log_min_duration_statement. */
export const POSTGRES_PARAMETERS: Record<string, { value: string; applyMethod: "immediate" | "pending-reboot" }> = {
    // DB-1: only TLS connections.
    "rds.force_ssl": { value: "1", applyMethod: "immediate" },
    // DB-2: pg_stat_statements preloaded (static: takes effect at the next reboot).
    shared_preload_libraries: { value: "pg_stat_statements", applyMethod: "pending-reboot" },
    "pg_stat_statements.track": { value: "top", applyMethod: "immediate" },
    // Connection and DDL logging, lock waits and temp files: enough to investigate without logging every query.
    log_connections: { value: "1", applyMethod: "immediate" },
    log_disconnections: { value: "1", applyMethod: "immediate" },
    log_statement: { value: "ddl", applyMethod: "immediate" },
    log_lock_waits: { value: "1", applyMethod: "immediate" },
    log_temp_files: { value: "10240", applyMethod: "immediate" },
    log_autovacuum_min_duration: { value: "10000", applyMethod: "immediate" },
    // Sessions stuck in a transaction hold locks and block vacuum (MNT-1).
    idle_in_transaction_session_timeout: { value: "600000", applyMethod: "immediate" },
};

/** The AWS managed policy of the enhanced monitoring role. */
export const ENHANCED_MONITORING_POLICY = "service-role/AmazonRDSEnhancedMonitoringRole";

/**
 * PostgreSQL on RDS (DB-1, DB-2, DB-3, DR-1): a DB subnet group in the database subnets, a security group
 * admitting 5432 only from the given groups, a parameter group enforcing TLS and preloading
 * pg_stat_statements with slow-query, connection and DDL logging, an enhanced-monitoring role, and the
 * instance: CMK-encrypted, private, IAM authentication on, master password managed by RDS in Secrets
 * Manager on the secrets key (never in config or state), automated backups with point-in-time recovery,
 * Performance Insights, log exports, and the DR-1 restore switch.
 */
export class PostgresDatabase extends pulumi.ComponentResource {
    readonly instance: aws.rds.Instance;
    readonly securityGroup: aws.ec2.SecurityGroup;
    readonly subnetGroup: aws.rds.SubnetGroup;
    readonly parameterGroup: aws.rds.ParameterGroup;
    readonly monitoringRole: aws.iam.Role;
    /** The identifier actually used (with the restore suffix when restoring). */
    readonly identifier: string;
    readonly address: pulumi.Output<string>;
    readonly port: pulumi.Output<number>;
    readonly resourceId: pulumi.Output<string>;
    /** ARN of the RDS-managed master secret (`rds!db-...`). */
    readonly masterSecretArn: pulumi.Output<string>;

    constructor(name: string, args: PostgresDatabaseArgs, opts?: pulumi.ComponentResourceOptions) {
        super("bookbuddy:data:PostgresDatabase", name, {}, opts);
        const parent = { parent: this };
        const protect = args.protect ?? true;
        const restore = args.restore ?? { source: "none" };
        const major = args.engineVersion.split(".")[0];
        const suffix = restoreSuffix(restore);
        this.identifier = suffix ? `${args.identifier}-${suffix}` : args.identifier;
        if (args.maxAllocatedStorageGb <= args.allocatedStorageGb) {
            throw new Error(
                `PostgresDatabase ${name}: maxAllocatedStorageGb (${args.maxAllocatedStorageGb}) must exceed allocatedStorageGb (${args.allocatedStorageGb}) (DB-2)`,
            );
        }

        this.subnetGroup = new aws.rds.SubnetGroup(
            name,
            {
                name: args.identifier,
                description: `Database subnets of ${args.identifier} (DB-1)`,
                subnetIds: args.subnetIds,
                tags: nameTag(args.identifier),
            },
            parent,
        );

        // DB-1: 5432 only from the cluster; the database starts no connections of its own.
        this.securityGroup = new aws.ec2.SecurityGroup(
            name,
            {
                vpcId: args.vpcId,
                description: `PostgreSQL ${args.identifier}: 5432 from the cluster only`,
                ingress: args.allowedSecurityGroupIds.map((sg) => ({
                    description: "PostgreSQL from the cluster (DB-1)",
                    protocol: "tcp",
                    fromPort: 5432,
                    toPort: 5432,
                    securityGroups: [sg],
                })),
                egress: [],
                tags: nameTag(`${args.identifier}-db`),
            },
            parent,
        );

        this.parameterGroup = new aws.rds.ParameterGroup(
            name,
            {
                name: `${args.identifier}-pg${major}`,
                family: `postgres${major}`,
                description: `TLS-only, pg_stat_statements, slow-query logging (DB-1, DB-2)`,
                parameters: [
                    ...Object.entries(POSTGRES_PARAMETERS).map(([n, p]) => ({
                        name: n,
                        value: p.value,
                        applyMethod: p.applyMethod,
                    })),
                    { name: "log_min_duration_statement", value: String(args.slowQueryMs ?? 500), applyMethod: "immediate" },
                ],
                tags: nameTag(`${args.identifier}-pg${major}`),
            },
            parent,
        );

        // DB-2: enhanced monitoring publishes OS metrics through this role.
        this.monitoringRole = new aws.iam.Role(
            `${name}-monitoring`,
            {
                description: `RDS enhanced monitoring of ${args.identifier}`,
                assumeRolePolicy: serviceTrustPolicy("monitoring.rds.amazonaws.com"),
            },
            parent,
        );
        const monitoringAttachment = new aws.iam.RolePolicyAttachment(
            `${name}-monitoring`,
            {
                role: this.monitoringRole.name,
                policyArn: pulumi.interpolate`arn:${args.context.partition}:iam::aws:policy/${ENHANCED_MONITORING_POLICY}`,
            },
            parent,
        );

        const restoring = restore.source !== "none";
        this.instance = new aws.rds.Instance(
            name,
            {
                identifier: this.identifier,
                engine: "postgres",
                engineVersion: args.engineVersion,
                instanceClass: args.instanceClass,
                // A snapshot carries its own master user name; AWS ignores (and the provider diffs) a new one.
                username: restore.source === "snapshot" ? undefined : (args.masterUsername ?? "bookbuddy_admin"),
                manageMasterUserPassword: true,
                masterUserSecretKmsKeyId: args.secretsKeyArn,
                iamDatabaseAuthenticationEnabled: true,
                port: 5432,
                storageType: "gp3",
                allocatedStorage: args.allocatedStorageGb,
                maxAllocatedStorage: args.maxAllocatedStorageGb,
                storageEncrypted: true,
                kmsKeyId: args.dataKeyArn,
                dbSubnetGroupName: this.subnetGroup.name,
                vpcSecurityGroupIds: [this.securityGroup.id],
                publiclyAccessible: false,
                multiAz: args.multiAz ?? true,
                parameterGroupName: this.parameterGroup.name,
                caCertIdentifier: "rds-ca-rsa2048-g1",
                backupRetentionPeriod: args.backupRetentionDays ?? 14,
                backupWindow: args.backupWindow,
                maintenanceWindow: args.maintenanceWindow,
                copyTagsToSnapshot: true,
                deleteAutomatedBackups: false,
                deletionProtection: args.deletionProtection ?? true,
                skipFinalSnapshot: false,
                finalSnapshotIdentifier: `${this.identifier}-final`,
                autoMinorVersionUpgrade: true,
                allowMajorVersionUpgrade: false,
                applyImmediately: false,
                performanceInsightsEnabled: true,
                performanceInsightsKmsKeyId: args.dataKeyArn,
                performanceInsightsRetentionPeriod: args.performanceInsightsRetentionDays ?? 7,
                monitoringInterval: args.monitoringIntervalSeconds ?? 60,
                monitoringRoleArn: this.monitoringRole.arn,
                enabledCloudwatchLogsExports: ["postgresql", "upgrade"],
                ...restoreInstanceArgs(restore),
                tags: nameTag(this.identifier, {
                    "data-class": "primary",
                    backup: "database",
                    ...(restoring ? { "restored-from": restoreLabel(restore) } : {}),
                }),
            },
            // Protected stacks never let Pulumi delete the instance: a replacement (restore) leaves the old one in
            // place, still deletion-protected, for the operator to remove after checking the new one (DR-1).
            { parent: this, protect, retainOnDelete: protect, dependsOn: [monitoringAttachment] },
        );

        this.address = this.instance.address;
        this.port = this.instance.port;
        this.resourceId = this.instance.resourceId;
        this.masterSecretArn = this.instance.masterUserSecrets.apply((s) => s?.[0]?.secretArn ?? "");
        this.registerOutputs({
            identifier: this.identifier,
            address: this.address,
            port: this.port,
            masterSecretArn: this.masterSecretArn,
        });
    }
}

/** A short tag value naming the restore source. */
function restoreLabel(restore: RestoreSource): string {
    switch (restore.source) {
        case "snapshot":
            return `snapshot:${restore.snapshotIdentifier.split(":").pop()}`.slice(0, 256);
        case "pointInTime":
            return `pitr:${restore.sourceDbInstanceIdentifier ?? restore.sourceDbiResourceId}@${restore.restoreTime ?? "latest"}`.slice(
                0,
                256,
            );
        default:
            return "none";
    }
}
