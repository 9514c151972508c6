import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { nameTag } from "../shared/context";

export interface RedisCacheArgs {
    /** Replication group ID, e.g. `bookbuddy-prod-cache` (at most 40 characters) (CACHE-1). */
    replicationGroupId: string;
    /** `valkey` or `redis`; default `valkey` (CACHE-1). */
    engine?: "valkey" | "redis";
    /** Engine version `major.minor`, pinned; the parameter group family follows the major (CACHE-1). */
    engineVersion: string;
    /** Node type, e.g. `cache.r7g.large` (ENV-3) or `cache.t4g.micro` (ENV-4). */
    nodeType: string;
    /** Replicas beside the primary; at least 1 turns on automatic failover and Multi-AZ; default 2 (CACHE-1, ENV-3). */
    replicas?: number;
    /** Daily snapshots kept; default 7, 0 disables (CACHE-1). */
    snapshotRetentionDays?: number;
    /** Daily snapshot window `hh:mm-hh:mm` UTC (CACHE-1, MNT-2). */
    snapshotWindow: string;
    /** Weekly maintenance window `ddd:hh:mm-ddd:hh:mm` UTC, not overlapping the snapshot window (MNT-2). */
    maintenanceWindow: string;
    /** Eviction policy; default volatile-lru (CACHE-1). */
    maxmemoryPolicy?: string;
    /** Slow-log and engine-log retention in days; default 90 (CACHE-1, BKP-4). */
    logRetentionDays?: number;
    /** VPC of the cache. */
    vpcId: pulumi.Input<string>;
    /** Private subnets, one per AZ (CACHE-1). */
    subnetIds: pulumi.Input<string>[];
    /** Security groups allowed to reach 6379: the cluster's (CACHE-1). */
    allowedSecurityGroupIds: pulumi.Input<string>[];
    /** Further groups admitted on 6379 with their own rule description, e.g. the secret rotation's AUTH check (SEC-1); default none. */
    extraClients?: { securityGroupId: pulumi.Input<string>; description: string }[];
    /** Customer-managed KMS key for data at rest (CACHE-1). */
    dataKeyArn: pulumi.Input<string>;
    /** KMS key of the CloudWatch log groups (BKP-4). */
    logsKeyArn: pulumi.Input<string>;
    /** KMS key of the AUTH token secret (SEC-1). */
    secretsKeyArn: pulumi.Input<string>;
    /** Name of the AUTH token secret, e.g. `bookbuddy-prod/cache/auth` (SEC-1). */
    authSecretName: string;
}

/** Length of generated AUTH tokens (ElastiCache allows 16 to 128 characters). */
export const AUTH_TOKEN_LENGTH = 64;

/** The JSON of the AUTH secret, in the rotation function's `redis-auth` shape (SEC-1, CACHE-1). */
export function redisAuthSecret(replicationGroupId: string, token: string): Record<string, unknown> {
    return { kind: "redis-auth", replicationGroupId, token, length: AUTH_TOKEN_LENGTH };
}

/**
 * Redis (or Valkey) on ElastiCache (CACHE-1): a replication group in the private subnets behind a security
 * group admitting 6379 only from the given groups; encryption at rest on a CMK and in transit (required);
 * an AUTH token generated as a secret and kept in Secrets Manager in the rotation function's `redis-auth`
 * shape, with the ROTATE update strategy so a new token is accepted beside the old one (SEC-1); a parameter
 * group with the eviction policy; automatic failover and Multi-AZ whenever there is a replica; daily
 * snapshots; slow-log and engine-log delivery to CloudWatch Logs.
 */
export class RedisCache extends pulumi.ComponentResource {
    readonly replicationGroup: aws.elasticache.ReplicationGroup;
    readonly securityGroup: aws.ec2.SecurityGroup;
    readonly subnetGroup: aws.elasticache.SubnetGroup;
    readonly parameterGroup: aws.elasticache.ParameterGroup;
    readonly slowLogGroup: aws.cloudwatch.LogGroup;
    readonly engineLogGroup: aws.cloudwatch.LogGroup;
    /** The AUTH token secret (SEC-1), for rotation and External Secrets. */
    readonly authSecret: aws.secretsmanager.Secret;
    readonly primaryEndpoint: pulumi.Output<string>;
    readonly readerEndpoint: pulumi.Output<string>;
    readonly port = 6379;

    constructor(name: string, args: RedisCacheArgs, opts?: pulumi.ComponentResourceOptions) {
        super("bookbuddy:data:RedisCache", name, {}, opts);
        const parent = { parent: this };
        const id = args.replicationGroupId;
        const engine = args.engine ?? "valkey";
        const replicas = args.replicas ?? 2;
        const major = args.engineVersion.split(".")[0];
        const retention = args.logRetentionDays ?? 90;
        if (id.length > 40) throw new Error(`RedisCache ${name}: replicationGroupId ${id} is longer than 40 characters`);

        this.subnetGroup = new aws.elasticache.SubnetGroup(
            name,
            { name: id, description: `Private subnets of ${id} (CACHE-1)`, subnetIds: args.subnetIds, tags: nameTag(id) },
            parent,
        );
        this.securityGroup = new aws.ec2.SecurityGroup(
            name,
            {
                vpcId: args.vpcId,
                description: `Cache ${id}: 6379 from the cluster only`,
                ingress: args.allowedSecurityGroupIds
                    .map((sg) => ({
                        description: "Redis from the cluster (CACHE-1)",
                        protocol: "tcp",
                        fromPort: 6379,
                        toPort: 6379,
                        securityGroups: [sg],
                    }))
                    .concat(
                        (args.extraClients ?? []).map((c) => ({
                            description: c.description,
                            protocol: "tcp",
                            fromPort: 6379,
                            toPort: 6379,
                            securityGroups: [c.securityGroupId],
                        })),
                    ),
                egress: [],
                tags: nameTag(`${id}-cache`),
            },
            parent,
        );
        this.parameterGroup = new aws.elasticache.ParameterGroup(
            name,
            {
                name: `${id}-${engine}${major}`,
                family: `${engine}${major}`,
                description: `Eviction policy of ${id} (CACHE-1)`,
                parameters: [{ name: "maxmemory-policy", value: args.maxmemoryPolicy ?? "volatile-lru" }],
                tags: nameTag(`${id}-${engine}${major}`),
            },
            parent,
        );

        const logGroup = (kind: "slow-log" | "engine-log") =>
            new aws.cloudwatch.LogGroup(
                `${name}-${kind}`,
                { name: `/aws/elasticache/${id}/${kind}`, retentionInDays: retention, kmsKeyId: args.logsKeyArn },
                parent,
            );
        this.slowLogGroup = logGroup("slow-log");
        this.engineLogGroup = logGroup("engine-log");

        // SEC-1: 64 characters of letters and digits (ElastiCache allows 16 to 128 printable, no @ " /).
        const token = new random.RandomPassword(
            `${name}-auth`,
            { length: AUTH_TOKEN_LENGTH, special: false, minLower: 4, minUpper: 4, minNumeric: 4 },
            parent,
        );
        const failover = replicas >= 1;
        this.replicationGroup = new aws.elasticache.ReplicationGroup(
            name,
            {
                replicationGroupId: id,
                description: `Bookbuddy cache ${id} (CACHE-1)`,
                engine,
                engineVersion: args.engineVersion,
                nodeType: args.nodeType,
                numCacheClusters: 1 + replicas,
                port: this.port,
                parameterGroupName: this.parameterGroup.name,
                subnetGroupName: this.subnetGroup.name,
                securityGroupIds: [this.securityGroup.id],
                atRestEncryptionEnabled: true,
                kmsKeyId: args.dataKeyArn,
                transitEncryptionEnabled: true,
                transitEncryptionMode: "required",
                authToken: token.result,
                authTokenUpdateStrategy: "ROTATE",
                automaticFailoverEnabled: failover,
                multiAzEnabled: failover,
                snapshotRetentionLimit: args.snapshotRetentionDays ?? 7,
                snapshotWindow: args.snapshotWindow,
                maintenanceWindow: args.maintenanceWindow,
                autoMinorVersionUpgrade: true,
                applyImmediately: false,
                logDeliveryConfigurations: [
                    {
                        destinationType: "cloudwatch-logs",
                        destination: this.slowLogGroup.name,
                        logFormat: "json",
                        logType: "slow-log",
                    },
                    {
                        destinationType: "cloudwatch-logs",
                        destination: this.engineLogGroup.name,
                        logFormat: "json",
                        logType: "engine-log",
                    },
                ],
                tags: nameTag(id, {
                    "data-class": "derived",
                    "data-class-reason": "cache and sessions rebuilt from the database",
                }),
            },
            // Rotation replaces the token outside Pulumi (ROTATE keeps both valid during the change); the
            // initial value must not be written back over it.
            { parent: this, ignoreChanges: ["authToken"] },
        );
        this.primaryEndpoint = this.replicationGroup.primaryEndpointAddress;
        this.readerEndpoint = this.replicationGroup.readerEndpointAddress;

        this.authSecret = new aws.secretsmanager.Secret(
            `${name}-auth`,
            {
                name: args.authSecretName,
                description: `AUTH token of the ElastiCache replication group ${id} (CACHE-1)`,
                kmsKeyId: args.secretsKeyArn,
                recoveryWindowInDays: 7,
                tags: { "rotation-class": "redis-auth", "rotation-kind": "redis-auth" },
            },
            parent,
        );
        new aws.secretsmanager.SecretVersion(
            `${name}-auth`,
            {
                secretId: this.authSecret.id,
                secretString: pulumi
                    .all([this.replicationGroup.replicationGroupId, token.result])
                    .apply(([replicationGroupId, value]) => JSON.stringify(redisAuthSecret(replicationGroupId, value))),
            },
            { parent: this, ignoreChanges: ["versionStages"] },
        );

        this.registerOutputs({
            primaryEndpoint: this.primaryEndpoint,
            readerEndpoint: this.readerEndpoint,
            authSecretArn: this.authSecret.arn,
        });
    }
}
