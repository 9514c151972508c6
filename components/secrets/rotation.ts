/**
 * The secret-rotation function and the rotation schedules of every secret (SEC-1, SEC-4).
 *
 * One Lambda function (lambdas/rotation, Node.js 22) rotates the database role passwords, the JWT secret,
 * generated API keys and the Redis AUTH token. Its role may touch only the secrets it rotates, their key
 * (through Secrets Manager only) and the replication groups whose tokens it rotates. It runs in the VPC's
 * private subnets behind a security group whose egress reaches only the named targets (the database on 5432,
 * the VPC endpoints on 443). The RDS master password rotates through RDS's managed rotation: a
 * SecretRotation with rotation rules and no function. Vendor-supplied API keys cannot be rotated by code;
 * they get a reminder on the alert topic at their interval.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import {
    rotationLambdaArchive,
    rotationPermissions,
    ROTATION_HANDLER,
    ROTATION_RUNTIME,
    RotationKind,
    RotationResource,
} from "../../lambdas/rotation/archive";
import { AwsContext, nameTag, policyDocument } from "../shared/context";

/** testSecret of the redis-auth kind waits up to attempts × interval seconds (docs/secret-rotation.md). */
export const REDIS_WAIT_ATTEMPTS = 40;
export const REDIS_WAIT_INTERVAL_SECONDS = 15;
export const MAX_REDIS_WAIT_SECONDS = REDIS_WAIT_ATTEMPTS * REDIS_WAIT_INTERVAL_SECONDS;
/** The function's timeout: longer than the Redis wait plus the other steps (Lambda's maximum is 900 s). */
export const ROTATION_TIMEOUT_SECONDS = 900;

/** A secret rotated by the function (SEC-1). */
export interface RotatedSecret {
    /** Short logical name, unique per rotator (e.g. `database-app`). */
    name: string;
    /** ARN of the secret. */
    secretArn: pulumi.Input<string>;
    /** The function's kind for this secret. */
    kind: RotationKind;
    /** Rotation interval in days. */
    rotationDays: number;
    /** For `redis-auth`: the replication group's ARN, the only one the role may modify. */
    replicationGroupArn?: pulumi.Input<string>;
}

/** A secret rotated by its owning service (RDS-managed master secret), or by hand with an age alarm. */
export interface ManagedRotation {
    /** Short logical name, unique per rotator. */
    name: string;
    /** ARN of the secret. */
    secretArn: pulumi.Input<string>;
    /** Rotation interval (for an external secret: its longest age) in days. */
    rotationDays: number;
    /** Name of the secret; required for manual (external) rotations, whose age alarm is tagged with it (SEC-1). */
    secretName?: pulumi.Input<string>;
}

/** One egress rule of the function's security group; every rule names a security group, never a CIDR (SEC-6). */
export interface RotationEgress {
    /** Rule description (SEC-6). */
    description: string;
    /** TCP port. */
    port: number;
    /** Destination security group. */
    securityGroupId: pulumi.Input<string>;
}

export interface SecretRotatorArgs {
    /** Function name, also the role and log group name; e.g. `bookbuddy-prod-secret-rotation` (SEC-1). */
    functionName: string;
    /** Secrets the function rotates (SEC-1). */
    secrets: RotatedSecret[];
    /** RDS-managed secrets whose schedule is set here without a function (SEC-1, DB-3); default none. */
    managedRotations?: ManagedRotation[];
    /** Vendor-issued (`external`) secrets that get an age alarm on the alert topic (SEC-1); default none. */
    manualRotations?: ManagedRotation[];
    /** KMS key of the rotated secrets (SEC-1, SEC-3). */
    secretsKeyArn: pulumi.Input<string>;
    /** Private subnets the function runs in (SEC-1). */
    subnetIds: pulumi.Input<string>[];
    /** The function's security group, created with no inline rules so data stores can admit it (SEC-6). */
    securityGroupId: pulumi.Input<string>;
    /** Egress rules of that security group: the database port and the VPC endpoints only (SEC-6). */
    egress: RotationEgress[];
    /** KMS key of the function's log group (SEC-3). */
    logsKeyArn: pulumi.Input<string>;
    /** Log retention in days; default 90 (BKP-4). */
    logRetentionDays?: number;
    /** Reserved concurrency; default 2 (SEC-1). */
    reservedConcurrency?: number;
    /** SNS topic for the failure alarm and reminders (ALARM-1). */
    alarmTopicArn: pulumi.Input<string>;
    /** Account, region and partition. */
    context: AwsContext;
}

/** The IAM role name of the rotation function, known before the role exists (for key policies, SEC-3). */
export function rotationRoleName(functionName: string): string {
    return functionName;
}

/**
 * The rotation function with its role, log group, network rules, invoke permission and failure alarm, and a
 * SecretRotation per secret (SEC-1, SEC-4, SEC-6).
 */
export class SecretRotator extends pulumi.ComponentResource {
    readonly function: aws.lambda.Function;
    readonly role: aws.iam.Role;
    readonly logGroup: aws.cloudwatch.LogGroup;
    readonly rotations: Record<string, aws.secretsmanager.SecretRotation> = {};
    readonly failureAlarm: aws.cloudwatch.MetricAlarm;

    constructor(name: string, args: SecretRotatorArgs, opts?: pulumi.ComponentResourceOptions) {
        super("bookbuddy:security:SecretRotator", name, {}, opts);
        const parent = { parent: this };
        const ctx = args.context;
        const fn = args.functionName;
        if (fn.length > 64) throw new Error(`SecretRotator ${name}: function name ${fn} is longer than 64 characters`);
        if (args.secrets.length === 0) throw new Error(`SecretRotator ${name}: no secrets to rotate`);
        const names = [...args.secrets, ...(args.managedRotations ?? []), ...(args.manualRotations ?? [])].map((s) => s.name);
        const dup = names.find((n, i) => names.indexOf(n) !== i);
        if (dup) throw new Error(`SecretRotator ${name}: two rotations are named ${dup}`);
        for (const s of args.secrets) {
            if (s.kind === "redis-auth" && s.replicationGroupArn === undefined)
                throw new Error(`SecretRotator ${name}: ${s.name} (redis-auth) needs its replicationGroupArn`);
        }

        this.logGroup = new aws.cloudwatch.LogGroup(
            fn,
            {
                name: `/aws/lambda/${fn}`,
                retentionInDays: args.logRetentionDays ?? 90,
                kmsKeyId: args.logsKeyArn,
                tags: nameTag(fn),
            },
            parent,
        );

        this.role = new aws.iam.Role(
            fn,
            {
                name: rotationRoleName(fn),
                description: "Secret rotation function (SEC-1): only the secrets it rotates",
                assumeRolePolicy: policyDocument([
                    {
                        Effect: "Allow",
                        Principal: { Service: "lambda.amazonaws.com" },
                        Action: "sts:AssumeRole",
                        Condition: { StringEquals: { "aws:SourceAccount": ctx.accountId } },
                    },
                ]),
                tags: nameTag(fn),
            },
            parent,
        );

        const kinds = [...new Set(args.secrets.map((s) => s.kind))];
        const resourcesOf = (r: RotationResource): pulumi.Input<string> | pulumi.Input<string>[] => {
            switch (r) {
                case "rotatedSecrets":
                    return args.secrets.map((s) => s.secretArn);
                case "secretsKey":
                    return args.secretsKeyArn;
                case "replicationGroup":
                    return args.secrets.filter((s) => s.kind === "redis-auth").map((s) => s.replicationGroupArn!);
                case "any":
                    return "*";
            }
        };
        const eni = pulumi.interpolate`arn:${ctx.partition}:ec2:${ctx.region}:${ctx.accountId}:network-interface/*`;
        const statements: pulumi.Input<Record<string, unknown>>[] = [
            ...rotationPermissions(kinds).map((p) => ({
                Sid: p.sid,
                Effect: "Allow",
                Action: p.actions,
                Resource: resourcesOf(p.resource),
                ...(p.viaSecretsManager
                    ? { Condition: { StringEquals: { "kms:ViaService": `secretsmanager.${ctx.region}.amazonaws.com` } } }
                    : {}),
            })),
            // The VPC access of AWSLambdaVPCAccessExecutionRole, scoped to this function's subnets and group.
            {
                Sid: "DescribeNetworkInterfaces",
                Effect: "Allow",
                Action: ["ec2:DescribeNetworkInterfaces", "ec2:DescribeSubnets", "ec2:DescribeSecurityGroups"],
                Resource: "*",
            },
            {
                Sid: "CreateOwnNetworkInterfaces",
                Effect: "Allow",
                Action: ["ec2:CreateNetworkInterface"],
                Resource: pulumi
                    .all([args.subnetIds, args.securityGroupId, ctx.partition, ctx.accountId])
                    .apply(([subnets, sg, partition, account]) => [
                        ...subnets.map((s) => `arn:${partition}:ec2:${ctx.region}:${account}:subnet/${s}`),
                        `arn:${partition}:ec2:${ctx.region}:${account}:security-group/${sg}`,
                        `arn:${partition}:ec2:${ctx.region}:${account}:network-interface/*`,
                    ]),
            },
            {
                Sid: "ManageOwnNetworkInterfaces",
                Effect: "Allow",
                Action: ["ec2:DeleteNetworkInterface", "ec2:AssignPrivateIpAddresses", "ec2:UnassignPrivateIpAddresses"],
                Resource: eni,
            },
            {
                Sid: "WriteOwnLogs",
                Effect: "Allow",
                Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
                Resource: pulumi.interpolate`${this.logGroup.arn}:*`,
            },
        ];
        const policy = new aws.iam.RolePolicy(fn, { role: this.role.id, policy: policyDocument(statements) }, parent);

        // SEC-6: every egress rule names its destination group and says why.
        const egressRules = args.egress.map(
            (e, i) =>
                new aws.vpc.SecurityGroupEgressRule(
                    `${name}-egress-${i}`,
                    {
                        securityGroupId: args.securityGroupId,
                        description: e.description,
                        ipProtocol: "tcp",
                        fromPort: e.port,
                        toPort: e.port,
                        referencedSecurityGroupId: e.securityGroupId,
                    },
                    parent,
                ),
        );

        this.function = new aws.lambda.Function(
            fn,
            {
                name: fn,
                description: "Rotates Secrets Manager secrets: postgres-user, random and redis-auth kinds (SEC-1)",
                runtime: ROTATION_RUNTIME,
                handler: ROTATION_HANDLER,
                code: rotationLambdaArchive(),
                role: this.role.arn,
                timeout: ROTATION_TIMEOUT_SECONDS,
                memorySize: 256,
                architectures: ["arm64"],
                reservedConcurrentExecutions: args.reservedConcurrency ?? 2,
                vpcConfig: { subnetIds: args.subnetIds, securityGroupIds: [args.securityGroupId] },
                loggingConfig: {
                    logFormat: "JSON",
                    logGroup: this.logGroup.name,
                    applicationLogLevel: "INFO",
                    systemLogLevel: "WARN",
                },
                environment: {
                    variables: {
                        REDIS_WAIT_ATTEMPTS: String(REDIS_WAIT_ATTEMPTS),
                        REDIS_WAIT_INTERVAL_SECONDS: String(REDIS_WAIT_INTERVAL_SECONDS),
                        PG_TIMEOUT_MS: "10000",
                    },
                },
                tags: nameTag(fn),
            },
            { parent: this, dependsOn: [policy, this.logGroup, ...egressRules] },
        );

        const permission = new aws.lambda.Permission(
            fn,
            {
                action: "lambda:InvokeFunction",
                function: this.function.name,
                principal: "secretsmanager.amazonaws.com",
                sourceAccount: ctx.accountId,
            },
            parent,
        );

        for (const s of args.secrets) {
            this.rotations[s.name] = new aws.secretsmanager.SecretRotation(
                `${name}-${s.name}`,
                {
                    secretId: s.secretArn,
                    rotationLambdaArn: this.function.arn,
                    rotationRules: { automaticallyAfterDays: s.rotationDays },
                    rotateImmediately: false,
                },
                { parent: this, dependsOn: [permission] },
            );
        }
        // DB-3: RDS rotates its own master secret; setting the rules changes the schedule, no function involved.
        for (const m of args.managedRotations ?? []) {
            this.rotations[m.name] = new aws.secretsmanager.SecretRotation(
                `${name}-${m.name}`,
                { secretId: m.secretArn, rotationRules: { automaticallyAfterDays: m.rotationDays }, rotateImmediately: false },
                parent,
            );
        }
        // A vendor's key cannot be drawn by code: an age alarm on the alert topic at its longest age instead
        // (tagged with the secret's name, which the security pack's secret-rotation-within-limit reads).
        for (const m of args.manualRotations ?? []) {
            if (m.secretName === undefined)
                throw new Error(`SecretRotator ${name}: manual rotation ${m.name} needs its secretName (the age alarm's tag)`);
            const rule = new aws.cloudwatch.EventRule(
                `${name}-${m.name}-reminder`,
                {
                    description: `Age alarm: the vendor-issued secret ${m.name} reaches its ${m.rotationDays}-day limit; renew it (SEC-1)`,
                    scheduleExpression: `rate(${m.rotationDays} days)`,
                    tags: { "age-alarm-for": m.secretName },
                },
                parent,
            );
            new aws.cloudwatch.EventTarget(
                `${name}-${m.name}-reminder`,
                {
                    rule: rule.name,
                    arn: args.alarmTopicArn,
                    input: pulumi.jsonStringify({
                        severity: "warning",
                        summary: `Rotate the vendor-supplied secret ${m.name}`,
                        secretArn: m.secretArn,
                        runbook: "docs/runbooks/secret-rotation.md#vendor-issued-external-keys",
                    }),
                },
                parent,
            );
        }

        // Secrets Manager invokes the function synchronously, so a dead-letter queue never sees a failure: alarm on errors.
        this.failureAlarm = new aws.cloudwatch.MetricAlarm(
            `${fn}-errors`,
            {
                name: `${fn}-errors`,
                alarmDescription: "A secret rotation step failed (SEC-1); see docs/secret-rotation.md#a-failed-rotation",
                namespace: "AWS/Lambda",
                metricName: "Errors",
                dimensions: { FunctionName: this.function.name },
                statistic: "Sum",
                period: 300,
                evaluationPeriods: 1,
                threshold: 1,
                comparisonOperator: "GreaterThanOrEqualToThreshold",
                treatMissingData: "notBreaching",
                alarmActions: [args.alarmTopicArn],
                okActions: [args.alarmTopicArn],
                tags: { severity: "high" },
            },
            parent,
        );

        this.registerOutputs({ functionArn: this.function.arn, roleArn: this.role.arn });
    }
}
