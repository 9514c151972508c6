/**
 * The data tier (DB-1, DB-2, DB-3, DR-1, CACHE-1): maps the validated `database` and `cache` configuration to
 * the PostgresDatabase, PostgresRoles and RedisCache components, with the environment's keys, subnets and
 * cluster security group.
 */
import * as aws from "@pulumi/aws";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { KubernetesCluster } from "../components/cluster";
import { ClusterServices } from "../components/cluster/services";
import { Network } from "../components/network";
import { PostgresDatabase, PostgresRoles } from "../components/postgres";
import { RedisCache } from "../components/redis";
import { AwsContext } from "../components/shared/context";
import { EncryptionKey } from "../components/shared/kms";
import { StackConfig } from "./config";

/** What the data tier needs from the environment. */
export interface DataInputs {
    prefix: string;
    context: AwsContext;
    providers: { aws: aws.Provider };
    keys: Record<"logs" | "data" | "secrets", EncryptionKey>;
    network: Network;
    cluster: KubernetesCluster;
    services: ClusterServices;
    /** Further security groups admitted on 5432, e.g. the secret-rotation function (SEC-1); default none. */
    databaseClientSecurityGroupIds?: pulumi.Input<string>[];
    /** Further security groups admitted on 6379, e.g. the secret-rotation function's AUTH check (SEC-1); default none. */
    cacheClientSecurityGroupIds?: pulumi.Input<string>[];
}

/** What the data tier gives the rest of the program. */
export interface DataTier {
    database: PostgresDatabase;
    databaseObjects: PostgresRoles;
    cache: RedisCache;
}

export function buildDataTier(cfg: StackConfig, env: DataInputs): DataTier {
    const db = cfg.database;
    const database = new PostgresDatabase(
        `${env.prefix}-postgres`,
        {
            identifier: `${env.prefix}-postgres`,
            engineVersion: db.engineVersion,
            instanceClass: db.instanceClass,
            allocatedStorageGb: db.allocatedStorageGb,
            maxAllocatedStorageGb: db.maxAllocatedStorageGb,
            multiAz: db.multiAz,
            protect: db.protect,
            deletionProtection: db.deletionProtection,
            backupRetentionDays: db.backupRetentionDays,
            backupWindow: db.backupWindow,
            maintenanceWindow: db.maintenanceWindow,
            performanceInsightsRetentionDays: db.performanceInsightsRetentionDays,
            monitoringIntervalSeconds: db.monitoringIntervalSeconds,
            slowQueryMs: db.slowQueryMs,
            vpcId: env.network.vpcId,
            subnetIds: env.network.databaseSubnetIds,
            allowedSecurityGroupIds: [env.cluster.clusterSecurityGroupId, ...(env.databaseClientSecurityGroupIds ?? [])],
            dataKeyArn: env.keys.data.arn,
            secretsKeyArn: env.keys.secrets.arn,
            restore: db.restore,
            context: env.context,
        },
        { providers: { aws: env.providers.aws } },
    );

    const databaseObjects = new PostgresRoles(
        `${env.prefix}-postgres`,
        {
            host: database.address,
            port: database.port,
            masterSecretArn: database.masterSecretArn,
            masterSecretKeyArn: env.keys.secrets.arn,
            databaseName: db.databaseName,
            secretsPrefix: env.prefix,
            secretsKeyArn: env.keys.secrets.arn,
            clusterName: env.cluster.name,
            // The database jobs' image: psql, AWS CLI v2 and the RDS CA bundle the bootstrap needs (DB-3, SEC-7).
            bootstrapImage: cfg.databaseJobs.image,
            sslRootCertPath: cfg.databaseJobs.sslRootCertPath,
            context: env.context,
        },
        { providers: { aws: env.providers.aws, kubernetes: env.cluster.provider as k8s.Provider } },
    );

    const c = cfg.cache;
    const cache = new RedisCache(
        `${env.prefix}-cache`,
        {
            replicationGroupId: `${env.prefix}-cache`,
            engine: c.engine,
            engineVersion: c.engineVersion,
            nodeType: c.nodeType,
            replicas: c.replicas,
            snapshotRetentionDays: c.snapshotRetentionDays,
            snapshotWindow: c.snapshotWindow,
            maintenanceWindow: c.maintenanceWindow,
            maxmemoryPolicy: c.maxmemoryPolicy,
            logRetentionDays: c.logRetentionDays,
            vpcId: env.network.vpcId,
            subnetIds: env.network.privateSubnetIds,
            allowedSecurityGroupIds: [env.cluster.clusterSecurityGroupId],
            extraClients: (env.cacheClientSecurityGroupIds ?? []).map((securityGroupId) => ({
                securityGroupId,
                description: "Redis from the secret rotation: AUTH check of the new token (SEC-1, CACHE-1)",
            })),
            dataKeyArn: env.keys.data.arn,
            logsKeyArn: env.keys.logs.arn,
            secretsKeyArn: env.keys.secrets.arn,
            authSecretName: `${env.prefix}/cache/auth`,
        },
        { providers: { aws: env.providers.aws } },
    );

    return { database, databaseObjects, cache };
}
