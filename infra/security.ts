/**
 * Security of the environment (SEC-1..SEC-6, EDGE-1): maps the validated `secrets`, `apiKeys`, `waf` and
 * `audit` configuration to the ApplicationSecrets, SecretRotator, WebFirewall and AuditTrail components.
 *
 * Three steps, because of what depends on what:
 * 1. `buildRotationSecurityGroup` before the data tier, so the database can admit the rotation function;
 * 2. `buildFirewalls` before the load balancer Ingress and the distributions, which take the ACL ARNs;
 * 3. `buildSecurity` last: secrets, rotation of every secret, audit trail.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { AlertTopic } from "../components/alarms/topic";
import { appSecretNames } from "../components/app";
import { AuditTrail } from "../components/audit";
import { Network } from "../components/network";
import { ApplicationSecrets, SecretRotator } from "../components/secrets";
import { rotationRoleName } from "../components/secrets/rotation";
import { AwsContext, nameTag } from "../components/shared/context";
import { EncryptionKey } from "../components/shared/kms";
import { WebFirewall } from "../components/waf";
import { StackConfig } from "./config";
import { DataTier } from "./data";
import { Storage } from "./storage";

/** CloudFront-scope web ACLs exist only in us-east-1 (EDGE-1). */
export const CLOUDFRONT_WAF_REGION = "us-east-1";

/** Name of the rotation function (and its role), derived from the environment prefix (SEC-1). */
export function rotationFunctionName(prefix: string): string {
    return `${prefix}-secret-rotation`;
}

/** ARN of the rotation function's role, for the secrets key policy created before the role (SEC-3). */
export function rotationRoleArn(prefix: string, ctx: AwsContext): pulumi.Output<string> {
    return pulumi.interpolate`arn:${ctx.partition}:iam::${ctx.accountId}:role/${rotationRoleName(rotationFunctionName(prefix))}`;
}

/** The Grafana admin secret name agreed with the monitoring work (MON-1, SEC-1). */
export function grafanaSecretName(prefix: string): string {
    return `${prefix}/grafana/admin`;
}

/**
 * The rotation function's security group, without inline rules: its egress rules are separate resources of
 * the SecretRotator, and the database admits it by reference (SEC-6).
 */
export function buildRotationSecurityGroup(env: {
    prefix: string;
    network: Network;
    providers: { aws: aws.Provider };
}): aws.ec2.SecurityGroup {
    const name = rotationFunctionName(env.prefix);
    return new aws.ec2.SecurityGroup(
        name,
        {
            vpcId: env.network.vpcId,
            description: "Secret rotation function: egress to the database, the cache and the VPC endpoints only (SEC-1, SEC-6)",
            tags: nameTag(name),
        },
        { provider: env.providers.aws },
    );
}

export interface Firewalls {
    /** REGIONAL web ACL of the API load balancer. */
    api: WebFirewall;
    /** CLOUDFRONT web ACL of the distributions (us-east-1). */
    cdn: WebFirewall;
}

/** The web ACLs (EDGE-1), or undefined when `waf.enabled` is false (dev). */
export function buildFirewalls(
    cfg: StackConfig,
    env: {
        prefix: string;
        context: AwsContext;
        tags: Record<string, string>;
        providers: { aws: aws.Provider };
        keys: Record<"logs", EncryptionKey>;
    },
): Firewalls | undefined {
    const w = cfg.waf;
    if (!w.enabled) return undefined;
    const common = { rateLimit: w.rateLimit, ipReputation: w.ipReputation, logRetentionDays: w.logRetentionDays };
    const api = new WebFirewall(
        `${env.prefix}-api`,
        { aclName: `${env.prefix}-api`, scope: "REGIONAL", logsKeyArn: env.keys.logs.arn, ...common },
        { providers: { aws: env.providers.aws } },
    );

    // The CloudFront ACL and its log group live in us-east-1; so must the key of that log group.
    const global = new aws.Provider("aws-cloudfront-waf", { region: CLOUDFRONT_WAF_REGION, defaultTags: { tags: env.tags } });
    const logsKey =
        cfg.region === CLOUDFRONT_WAF_REGION
            ? env.keys.logs
            : new EncryptionKey(
                  `${env.prefix}-edge-logs`,
                  {
                      description: "CloudWatch Logs of the CloudFront web ACL (EDGE-1)",
                      alias: `${env.prefix}/edge-logs`,
                      context: { ...env.context, region: CLOUDFRONT_WAF_REGION },
                      services: [
                          {
                              service: `logs.${CLOUDFRONT_WAF_REGION}.amazonaws.com`,
                              condition: {
                                  ArnLike: {
                                      "kms:EncryptionContext:aws:logs:arn": pulumi.interpolate`arn:${env.context.partition}:logs:${CLOUDFRONT_WAF_REGION}:${env.context.accountId}:log-group:*`,
                                  },
                              },
                          },
                      ],
                  },
                  { providers: { aws: global } },
              );
    const cdn = new WebFirewall(
        `${env.prefix}-cdn`,
        { aclName: `${env.prefix}-cdn`, scope: "CLOUDFRONT", logsKeyArn: logsKey.arn, ...common },
        { providers: { aws: global } },
    );
    return { api, cdn };
}

export interface SecurityInputs {
    prefix: string;
    context: AwsContext;
    providers: { aws: aws.Provider };
    keys: Record<"logs" | "secrets", EncryptionKey>;
    alerts: AlertTopic;
    network: Network;
    data: DataTier;
    storage: Storage;
    rotationSecurityGroup: aws.ec2.SecurityGroup;
}

export interface Security {
    secrets: ApplicationSecrets;
    rotator: SecretRotator;
    audit: AuditTrail;
}

/** Application secrets, rotation of every secret, and the audit trail (SEC-1, SEC-4, SEC-5). */
export function buildSecurity(cfg: StackConfig, env: SecurityInputs): Security {
    const opts = { providers: { aws: env.providers.aws } };
    const s = cfg.secrets;
    const secrets = new ApplicationSecrets(
        `${env.prefix}-secrets`,
        {
            jwtSecretName: appSecretNames(env.prefix).jwt,
            jwtRotationDays: s.jwtRotationDays,
            apiKeyPrefix: `${env.prefix}/api-keys/`,
            apiKeys: cfg.apiKeys.map((k) => ({
                name: k.name,
                source: k.source,
                rotationDays: k.rotationDays,
                value: k.value ? pulumi.secret(k.value.value) : undefined,
            })),
            grafanaSecretName: grafanaSecretName(env.prefix),
            grafanaRotationDays: s.grafanaRotationDays,
            kmsKeyArn: env.keys.secrets.arn,
        },
        opts,
    );

    const roles = env.data.databaseObjects.roleSecrets;
    const rotated = [
        ...Object.entries(roles).map(([role, secret]) => ({
            name: `database-${role}`,
            secretArn: secret.arn,
            kind: "postgres-user" as const,
            rotationDays: s.databaseRotationDays,
        })),
        {
            name: "cache-auth",
            secretArn: env.data.cache.authSecret.arn,
            kind: "redis-auth" as const,
            rotationDays: s.redisRotationDays,
            replicationGroupArn: env.data.cache.replicationGroup.arn,
        },
        ...Object.entries(secrets.secrets)
            .filter(([, a]) => a.kind !== undefined)
            .map(([key, a]) => ({ name: key, secretArn: a.secret.arn, kind: a.kind!, rotationDays: a.rotationDays })),
    ];
    const manual = Object.entries(secrets.secrets)
        .filter(([, a]) => a.kind === undefined)
        .map(([key, a]) => ({ name: key, secretArn: a.secret.arn, secretName: a.secret.name, rotationDays: a.rotationDays }));

    const rotator = new SecretRotator(
        `${env.prefix}-rotation`,
        {
            functionName: rotationFunctionName(env.prefix),
            secrets: rotated,
            managedRotations: [
                { name: "database-master", secretArn: env.data.database.masterSecretArn, rotationDays: s.masterRotationDays },
            ],
            manualRotations: manual,
            secretsKeyArn: env.keys.secrets.arn,
            subnetIds: env.network.privateSubnetIds,
            securityGroupId: env.rotationSecurityGroup.id,
            egress: [
                {
                    description: "PostgreSQL: ALTER ROLE of the rotated role (SEC-1)",
                    port: 5432,
                    securityGroupId: env.data.database.securityGroup.id,
                },
                {
                    description: "Redis: AUTH with the pending token at testSecret (SEC-1, CACHE-1)",
                    port: env.data.cache.port,
                    securityGroupId: env.data.cache.securityGroup.id,
                },
                {
                    description: "HTTPS to the VPC endpoints: Secrets Manager and ElastiCache APIs (SEC-1)",
                    port: 443,
                    securityGroupId: env.network.endpointSecurityGroup.id,
                },
            ],
            logsKeyArn: env.keys.logs.arn,
            logRetentionDays: s.logRetentionDays,
            reservedConcurrency: s.rotationConcurrency,
            alarmTopicArn: env.alerts.arn,
            context: env.context,
        },
        opts,
    );

    const a = cfg.audit;
    const audit = new AuditTrail(
        `${env.prefix}-audit`,
        {
            trailName: `${env.prefix}-audit`,
            bucketName: pulumi.interpolate`${env.prefix}-audit-trail-${env.context.accountId}`,
            accessLogBucket: env.storage.logBucket.name,
            trailRetentionDays: a.trailRetentionDays,
            cloudWatchLogs: a.cloudTrailToLogs,
            logRetentionDays: a.logRetentionDays,
            logsKeyArn: env.keys.logs.arn,
            guardDuty: a.guardDuty,
            findingSeverity: a.findingSeverity,
            alertTopicArn: env.alerts.arn,
            forceDestroy: cfg.storage.forceDestroy,
            // SEC-5: the trail cannot be altered or removed before its lock runs out.
            objectLock:
                a.objectLockMode === "none"
                    ? undefined
                    : { mode: a.objectLockMode as "GOVERNANCE" | "COMPLIANCE", days: a.objectLockDays },
            context: env.context,
        },
        opts,
    );

    return { secrets, rotator, audit };
}
