/**
 * The audit trail and threat detection (SEC-5): a multi-region CloudTrail with log-file validation, encrypted
 * with its own customer-managed key, into a HardenedBucket (STORE-1) whose policy admits only this trail;
 * optional delivery to CloudWatch Logs; a GuardDuty detector with EKS, runtime, S3, RDS and malware
 * protection; and an EventBridge rule sending findings of at least the configured severity to the alert topic.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { AwsContext, nameTag, policyDocument, serviceTrustPolicy } from "../shared/context";
import { EncryptionKey } from "../shared/kms";
import { HardenedBucket } from "../storage/bucket";

/**
 * GuardDuty protection plans turned on (SEC-5): EKS audit logs, runtime monitoring (with the EKS agent
 * add-on managed by GuardDuty), S3 data events, RDS login events, EBS malware scans, Lambda network logs.
 */
export const GUARDDUTY_FEATURES: { name: string; additional?: string[] }[] = [
    { name: "EKS_AUDIT_LOGS" },
    { name: "RUNTIME_MONITORING", additional: ["EKS_ADDON_MANAGEMENT"] },
    { name: "S3_DATA_EVENTS" },
    { name: "RDS_LOGIN_EVENTS" },
    { name: "EBS_MALWARE_PROTECTION" },
    { name: "LAMBDA_NETWORK_LOGS" },
];

export interface AuditTrailArgs {
    /** CloudTrail trail name (SEC-5). */
    trailName: string;
    /** Physical name of the trail bucket; default generated (SEC-5, STORE-1). */
    bucketName?: pulumi.Input<string>;
    /** Bucket receiving the trail bucket's access logs (STORE-1). */
    accessLogBucket: pulumi.Input<string>;
    /** Days trail objects are kept; default 365 (SEC-5). */
    trailRetentionDays?: number;
    /** Deliver the trail to a CloudWatch log group too; default true (SEC-5). */
    cloudWatchLogs?: boolean;
    /** Retention of that log group; default 365, at least 90 (SEC-5, BKP-4). */
    logRetentionDays?: number;
    /** KMS key of the log group (SEC-3). */
    logsKeyArn: pulumi.Input<string>;
    /** Create the GuardDuty detector; default true (SEC-5). */
    guardDuty?: boolean;
    /** Lowest finding severity sent to the alert topic; default 4 (medium) (SEC-5). */
    findingSeverity?: number;
    /** SNS topic receiving findings (ALARM-1). */
    alertTopicArn: pulumi.Input<string>;
    /** Let `pulumi destroy` empty the trail bucket; default false (STORE-1). */
    forceDestroy?: boolean;
    /** S3 Object Lock of the trail bucket (mode and days, at most trailRetentionDays); default none (SEC-5, STORE-1). */
    objectLock?: { mode: "GOVERNANCE" | "COMPLIANCE"; days: number };
    /** Account, region and partition. */
    context: AwsContext;
}

/** CloudTrail, its key and bucket, GuardDuty and the findings rule (SEC-5). */
export class AuditTrail extends pulumi.ComponentResource {
    readonly key: EncryptionKey;
    readonly bucket: HardenedBucket;
    readonly trail: aws.cloudtrail.Trail;
    readonly trailArn: pulumi.Output<string>;
    readonly logGroup?: aws.cloudwatch.LogGroup;
    readonly detector?: aws.guardduty.Detector;
    readonly findingsRule?: aws.cloudwatch.EventRule;

    constructor(name: string, args: AuditTrailArgs, opts?: pulumi.ComponentResourceOptions) {
        super("bookbuddy:security:AuditTrail", name, {}, opts);
        const parent = { parent: this };
        const ctx = args.context;
        const trailArn = pulumi.interpolate`arn:${ctx.partition}:cloudtrail:${ctx.region}:${ctx.accountId}:trail/${args.trailName}`;
        const sourceIsTrail = { StringEquals: { "aws:SourceArn": trailArn } };

        // SEC-3: CloudTrail may only encrypt for trails of this account, and only as this trail.
        this.key = new EncryptionKey(
            `${name}-trail`,
            {
                description: `CloudTrail ${args.trailName} log files (SEC-5)`,
                alias: `${args.trailName}/trail`,
                context: ctx,
                services: [
                    {
                        service: "cloudtrail.amazonaws.com",
                        actions: ["kms:GenerateDataKey*"],
                        condition: {
                            ...sourceIsTrail,
                            StringLike: {
                                "kms:EncryptionContext:aws:cloudtrail:arn": pulumi.interpolate`arn:${ctx.partition}:cloudtrail:*:${ctx.accountId}:trail/*`,
                            },
                        },
                    },
                    { service: "cloudtrail.amazonaws.com", actions: ["kms:DescribeKey"], condition: sourceIsTrail },
                ],
                viaServices: ["s3"],
            },
            parent,
        );

        this.bucket = new HardenedBucket(
            `${name}-trail`,
            {
                bucketName: args.bucketName,
                kmsKeyArn: this.key.arn,
                dataClass: "logs",
                dataClassReason: "CloudTrail log files kept for audit and expired by lifecycle",
                accessLogBucket: args.accessLogBucket,
                expirationDays: args.trailRetentionDays ?? 365,
                forceDestroy: args.forceDestroy ?? false,
                objectLock: args.objectLock,
                policyStatements: (bucketArn) => [
                    {
                        Sid: "CloudTrailAclCheck",
                        Effect: "Allow",
                        Principal: { Service: "cloudtrail.amazonaws.com" },
                        Action: "s3:GetBucketAcl",
                        Resource: bucketArn,
                        Condition: sourceIsTrail,
                    },
                    {
                        Sid: "CloudTrailWrite",
                        Effect: "Allow",
                        Principal: { Service: "cloudtrail.amazonaws.com" },
                        Action: "s3:PutObject",
                        Resource: pulumi.interpolate`${bucketArn}/AWSLogs/${ctx.accountId}/*`,
                        Condition: { StringEquals: { "aws:SourceArn": trailArn, "s3:x-amz-acl": "bucket-owner-full-control" } },
                    },
                ],
            },
            parent,
        );

        let cloudWatch: { cloudWatchLogsGroupArn: pulumi.Input<string>; cloudWatchLogsRoleArn: pulumi.Input<string> } | undefined;
        const trailDeps: pulumi.Resource[] = [this.bucket];
        if (args.cloudWatchLogs ?? true) {
            const retention = args.logRetentionDays ?? 365;
            if (retention < 90) throw new Error(`AuditTrail ${name}: logRetentionDays ${retention} is below 90 (BKP-4)`);
            this.logGroup = new aws.cloudwatch.LogGroup(
                `${name}-trail`,
                {
                    name: `/aws/cloudtrail/${args.trailName}`,
                    retentionInDays: retention,
                    kmsKeyId: args.logsKeyArn,
                    tags: nameTag(args.trailName),
                },
                parent,
            );
            const role = new aws.iam.Role(
                `${name}-trail-logs`,
                {
                    name: `${args.trailName}-logs`,
                    description: "CloudTrail delivery to its CloudWatch log group (SEC-5)",
                    assumeRolePolicy: serviceTrustPolicy("cloudtrail.amazonaws.com"),
                    tags: nameTag(`${args.trailName}-logs`),
                },
                parent,
            );
            const rolePolicy = new aws.iam.RolePolicy(
                `${name}-trail-logs`,
                {
                    role: role.id,
                    policy: policyDocument([
                        {
                            Sid: "WriteTrailLogs",
                            Effect: "Allow",
                            Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
                            Resource: pulumi.interpolate`${this.logGroup.arn}:log-stream:*`,
                        },
                    ]),
                },
                parent,
            );
            trailDeps.push(rolePolicy);
            cloudWatch = { cloudWatchLogsGroupArn: pulumi.interpolate`${this.logGroup.arn}:*`, cloudWatchLogsRoleArn: role.arn };
        }

        this.trail = new aws.cloudtrail.Trail(
            name,
            {
                name: args.trailName,
                s3BucketName: this.bucket.name,
                isMultiRegionTrail: true,
                includeGlobalServiceEvents: true,
                enableLogFileValidation: true,
                enableLogging: true,
                kmsKeyId: this.key.arn,
                ...(cloudWatch ?? {}),
                tags: nameTag(args.trailName),
            },
            { parent: this, dependsOn: trailDeps },
        );
        this.trailArn = this.trail.arn;

        if (args.guardDuty ?? true) {
            this.detector = new aws.guardduty.Detector(
                name,
                { enable: true, findingPublishingFrequency: "FIFTEEN_MINUTES", tags: nameTag(name) },
                parent,
            );
            for (const f of GUARDDUTY_FEATURES) {
                new aws.guardduty.DetectorFeature(
                    `${name}-${f.name.toLowerCase().replace(/_/g, "-")}`,
                    {
                        detectorId: this.detector.id,
                        name: f.name,
                        status: "ENABLED",
                        ...(f.additional
                            ? { additionalConfigurations: f.additional.map((a) => ({ name: a, status: "ENABLED" })) }
                            : {}),
                    },
                    parent,
                );
            }
        }

        // Findings of the chosen severity and above (GuardDuty: 4-6.9 medium, 7-8.9 high, 9+ critical).
        const severity = args.findingSeverity ?? 4;
        this.findingsRule = new aws.cloudwatch.EventRule(
            `${name}-findings`,
            {
                description: `GuardDuty findings of severity ${severity} or more to the alert topic (SEC-5)`,
                eventPattern: JSON.stringify({
                    source: ["aws.guardduty"],
                    "detail-type": ["GuardDuty Finding"],
                    detail: { severity: [{ numeric: [">=", severity] }] },
                }),
            },
            parent,
        );
        new aws.cloudwatch.EventTarget(
            `${name}-findings`,
            {
                rule: this.findingsRule.name,
                arn: args.alertTopicArn,
                inputTransformer: {
                    inputPaths: {
                        severity: "$.detail.severity",
                        type: "$.detail.type",
                        region: "$.region",
                        account: "$.account",
                        id: "$.detail.id",
                    },
                    inputTemplate:
                        '"GuardDuty finding <type> (severity <severity>) in account <account>, region <region>, id <id>. Runbook: docs/runbooks/alerts.md (SEC-5)."',
                },
            },
            parent,
        );

        this.registerOutputs({ trailArn: this.trailArn, bucketName: this.bucket.name, detectorId: this.detector?.id });
    }
}
