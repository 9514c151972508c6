/**
 * Health checks of the public API (HC-1) as CloudWatch Synthetics canaries.
 *
 * Why canaries and not Route 53 health checks: HC-1 asks for /health every minute and /health/db and
 * /health/cache every five minutes. Route 53 checks only run every 10 or 30 seconds from many checkers at once,
 * which would hammer the database and cache checks ~10-30 times as often as asked; canaries run on exactly the
 * `rate(1 minute)` / `rate(5 minutes)` schedules, report SuccessPercent per run and keep each run's artifacts.
 *
 * The canary code is ./canary/health.js (tested on its own). Each canary's execution role may write only its
 * artifacts, its metrics and into log groups that already exist: it cannot create its Lambda log group, so the
 * group is created here with 90-day retention and the logs key (BKP-4) instead of by the service without expiry.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import * as path from "path";
import { AwsContext, policyDocument, serviceTrustPolicy } from "../shared/context";
import { OPERATIONS_THRESHOLDS } from "../shared/thresholds";
import { HardenedBucket } from "../storage/bucket";

/** The canary script, packaged as `nodejs/node_modules/health.js` (the Node.js Synthetics layout). */
export const CANARY_SCRIPT_PATH = path.join(__dirname, "canary", "health.js");

/** One health endpoint and its schedule (HC-1). */
export interface HealthCheck {
    /** Canary name: lower-case letters, digits, dashes, underscores; at most 21 characters. */
    canaryName: string;
    /** Path under the base URL, e.g. `/health`. */
    path: string;
    /** Minutes between runs (HC-1: 1 for /health, 5 for /health/db and /health/cache). */
    rateMinutes: number;
}

export interface HealthChecksArgs {
    /** Public base URL of the API, e.g. `https://api.bookbuddy.example`; required (HC-1). */
    baseUrl: pulumi.Input<string>;
    /** The endpoints and their schedules; required (HC-1). */
    checks: HealthCheck[];
    /** Synthetics runtime, pinned, e.g. `syn-nodejs-puppeteer-10.0`; required (HC-1). */
    runtimeVersion: string;
    /** Topic receiving ALARM and OK notifications; required (HC-1, ALARM-1). */
    topicArn: pulumi.Input<string>;
    /** Success share over a day below which the uptime alarm fires, percent; default 99.5 (HC-1). */
    uptimeObjectivePercent?: number;
    /** KMS key of the artifact bucket and artifacts; required (STORE-1). */
    artifactKeyArn: pulumi.Input<string>;
    /** Access-log bucket of the artifact bucket; required (STORE-1). */
    accessLogBucket: pulumi.Input<string>;
    /** Physical name of the artifact bucket; default generated (STORE-1). */
    artifactBucketName?: pulumi.Input<string>;
    /** Days artifacts and run records are kept; default 90 (HC-1, BKP-4). */
    artifactRetentionDays?: number;
    /** KMS key of the canaries' log groups; required (BKP-4). */
    logsKeyArn: pulumi.Input<string>;
    /** Days the canaries' logs are kept; default 90 (BKP-4). */
    logRetentionDays?: number;
    /** Let `pulumi destroy` empty the artifact bucket; default false (STORE-1). */
    forceDestroy?: boolean;
    /** Account, region, partition; required. */
    context: AwsContext;
}

/** The Synthetics schedule expression of a rate in minutes (HC-1). */
export function scheduleExpression(minutes: number): string {
    if (!Number.isInteger(minutes) || minutes < 1 || minutes > 60)
        throw new Error(`a health check runs every 1 to 60 minutes, got ${minutes}`);
    return minutes === 1 ? "rate(1 minute)" : `rate(${minutes} minutes)`;
}

/** The Lambda function name inside a canary's engine ARN (`...:function:<name>[:version]`). */
export function engineFunctionName(engineArn: string): string {
    const match = /:function:([^:]+)/.exec(engineArn);
    if (!match) throw new Error(`not a Lambda function ARN: ${engineArn}`);
    return match[1];
}

/** The execution role's permissions: its artifacts, its metrics, existing log groups only (HC-1, SEC-4). */
export function canaryPolicy(
    ctx: AwsContext,
    bucketArn: pulumi.Input<string>,
    keyArn: pulumi.Input<string>,
): pulumi.Output<string> {
    return policyDocument([
        {
            Sid: "Artifacts",
            Effect: "Allow",
            Action: ["s3:PutObject", "s3:GetObject"],
            Resource: pulumi.interpolate`${bucketArn}/canary/*`,
        },
        { Sid: "ArtifactBucket", Effect: "Allow", Action: ["s3:GetBucketLocation"], Resource: bucketArn },
        // Synthetics lists buckets before it uploads; the action has no resource-level form.
        { Sid: "ListBuckets", Effect: "Allow", Action: ["s3:ListAllMyBuckets"], Resource: "*" },
        {
            Sid: "ArtifactKey",
            Effect: "Allow",
            Action: ["kms:GenerateDataKey", "kms:Decrypt"],
            Resource: keyArn,
            Condition: { StringEquals: { "kms:ViaService": `s3.${ctx.region}.amazonaws.com` } },
        },
        {
            Sid: "Metrics",
            Effect: "Allow",
            Action: ["cloudwatch:PutMetricData"],
            Resource: "*",
            Condition: { StringEquals: { "cloudwatch:namespace": "CloudWatchSynthetics" } },
        },
        {
            Sid: "LogsIntoExistingGroups",
            Effect: "Allow",
            Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
            Resource: pulumi.interpolate`arn:${ctx.partition}:logs:${ctx.region}:${ctx.accountId}:log-group:/aws/lambda/cwsyn-*`,
        },
    ]);
}

/**
 * One canary per health endpoint on its schedule (HC-1), each with a failure alarm (SuccessPercent below 100
 * over its runs) and a daily uptime alarm (SuccessPercent average over one day below the objective).
 */
export class HealthChecks extends pulumi.ComponentResource {
    readonly artifacts: HardenedBucket;
    readonly role: aws.iam.Role;
    readonly canaries: aws.synthetics.Canary[] = [];
    readonly alarms: aws.cloudwatch.MetricAlarm[] = [];

    constructor(name: string, args: HealthChecksArgs, opts?: pulumi.ComponentResourceOptions) {
        super("bookbuddy:health:HealthChecks", name, {}, opts);
        const parent = { parent: this };
        const retention = args.artifactRetentionDays ?? 90;
        const objective = args.uptimeObjectivePercent ?? OPERATIONS_THRESHOLDS.availabilityObjectivePercent;
        for (const c of args.checks) {
            if (!/^[0-9a-z_-]{1,21}$/.test(c.canaryName))
                throw new Error(
                    `HealthChecks ${name}: canary name ${JSON.stringify(c.canaryName)} must be 1-21 lower-case letters, digits, - or _`,
                );
            if (!c.path.startsWith("/"))
                throw new Error(`HealthChecks ${name}: path ${JSON.stringify(c.path)} must start with /`);
        }

        this.artifacts = new HardenedBucket(
            `${name}-artifacts`,
            {
                bucketName: args.artifactBucketName,
                kmsKeyArn: args.artifactKeyArn,
                dataClass: "logs",
                dataClassReason: "synthetic check artifacts expired by lifecycle",
                accessLogBucket: args.accessLogBucket,
                expirationDays: retention,
                noncurrentVersionExpirationDays: 7,
                forceDestroy: args.forceDestroy ?? false,
            },
            parent,
        );
        this.role = new aws.iam.Role(
            `${name}-canary`,
            { description: "Health check canaries (HC-1)", assumeRolePolicy: serviceTrustPolicy("lambda.amazonaws.com") },
            parent,
        );
        const rolePolicy = new aws.iam.RolePolicy(
            `${name}-canary`,
            { role: this.role.id, policy: canaryPolicy(args.context, this.artifacts.arn, args.artifactKeyArn) },
            parent,
        );
        const code = new aws.s3.BucketObjectv2(
            `${name}-code`,
            {
                bucket: this.artifacts.name,
                key: "code/health.zip",
                source: new pulumi.asset.AssetArchive({
                    "nodejs/node_modules/health.js": new pulumi.asset.FileAsset(CANARY_SCRIPT_PATH),
                }),
                serverSideEncryption: "aws:kms",
                kmsKeyId: args.artifactKeyArn,
            },
            parent,
        );

        const base = pulumi.output(args.baseUrl).apply((u) => u.replace(/\/+$/, ""));
        for (const check of args.checks) {
            const canary = new aws.synthetics.Canary(
                `${name}-${check.canaryName}`,
                {
                    name: check.canaryName,
                    runtimeVersion: args.runtimeVersion,
                    handler: "health.handler",
                    s3Bucket: code.bucket,
                    s3Key: code.key,
                    s3Version: code.versionId,
                    executionRoleArn: this.role.arn,
                    artifactS3Location: pulumi.interpolate`s3://${this.artifacts.name}/canary/${check.canaryName}/`,
                    artifactConfig: { s3Encryption: { encryptionMode: "SSE_KMS", kmsKeyArn: args.artifactKeyArn } },
                    schedule: { expression: scheduleExpression(check.rateMinutes) },
                    runConfig: {
                        timeoutInSeconds: Math.min(30, check.rateMinutes * 60 - 10),
                        memoryInMb: 960,
                        activeTracing: false,
                        environmentVariables: { HEALTH_URL: pulumi.interpolate`${base}${check.path}` },
                    },
                    successRetentionPeriod: Math.min(retention, 455),
                    failureRetentionPeriod: Math.min(retention, 455),
                    startCanary: true,
                    deleteLambda: true,
                },
                { parent: this, dependsOn: [rolePolicy] },
            );
            this.canaries.push(canary);

            // BKP-4: the group the canary's function logs into, created here (the role cannot create it).
            new aws.cloudwatch.LogGroup(
                `${name}-${check.canaryName}-logs`,
                {
                    name: canary.engineArn.apply((arn) => `/aws/lambda/${engineFunctionName(arn)}`),
                    retentionInDays: args.logRetentionDays ?? 90,
                    kmsKeyId: args.logsKeyArn,
                },
                parent,
            );

            const metric = {
                namespace: "CloudWatchSynthetics",
                metricName: "SuccessPercent",
                dimensions: { CanaryName: canary.name },
                statistic: "Average",
            };
            const actions = { alarmActions: [args.topicArn], okActions: [args.topicArn] };
            const failingRuns = check.rateMinutes === 1 ? 2 : 1;
            this.alarms.push(
                new aws.cloudwatch.MetricAlarm(
                    `${name}-${check.canaryName}-failing`,
                    {
                        name: `${check.canaryName}-failing`,
                        alarmDescription: `Health check ${check.path} failed ${failingRuns} run(s) in a row (HC-1)`,
                        ...metric,
                        ...actions,
                        period: check.rateMinutes * 60,
                        evaluationPeriods: failingRuns,
                        datapointsToAlarm: failingRuns,
                        comparisonOperator: "LessThanThreshold",
                        threshold: 100,
                        // A canary that stops reporting is a failing check.
                        treatMissingData: "breaching",
                    },
                    parent,
                ),
                new aws.cloudwatch.MetricAlarm(
                    `${name}-${check.canaryName}-uptime`,
                    {
                        name: `${check.canaryName}-uptime`,
                        alarmDescription: `Health check ${check.path} succeeded in less than ${objective}% of runs over one day (HC-1)`,
                        ...metric,
                        ...actions,
                        period: 86400,
                        evaluationPeriods: 1,
                        datapointsToAlarm: 1,
                        comparisonOperator: "LessThanThreshold",
                        threshold: objective,
                        treatMissingData: "breaching",
                    },
                    parent,
                ),
            );
        }

        this.registerOutputs({ artifactBucket: this.artifacts.name, canaryNames: this.canaries.map((c) => c.name) });
    }
}
