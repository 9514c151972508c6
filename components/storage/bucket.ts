/**
 * The one S3 bucket baseline of the program (STORE-1): every bucket (media, web build, access logs, backups,
 * archives, audit trail) is a HardenedBucket, so every bucket meets the same controls.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { policyDocument } from "../shared/context";

/** What the bucket holds; becomes the `data-class` tag the policy packs read (STORE-1). */
export type DataClass = "primary" | "logs" | "backup" | "derived";

/** An IAM policy statement; `Resource` may use the bucket ARN given to a statement factory. */
export type PolicyStatement = pulumi.Input<Record<string, unknown>>;

/** Statements, or a function of the bucket's ARN returning them (for grants on the bucket itself). */
export type PolicyStatements = PolicyStatement[] | ((bucketArn: pulumi.Output<string>) => PolicyStatement[]);

/** One CORS rule (STORE-1: CORS for the web origin). */
export interface CorsRule {
    /** Origins allowed, e.g. `https://app.example.com`; never `*` for a bucket with user content. */
    allowedOrigins: string[];
    /** Methods allowed; e.g. GET, HEAD, PUT. */
    allowedMethods: ("GET" | "HEAD" | "PUT" | "POST" | "DELETE")[];
    /** Request headers allowed (default `*`). */
    allowedHeaders?: string[];
    /** Response headers exposed to the browser (default ETag). */
    exposeHeaders?: string[];
    /** Seconds a browser caches the preflight answer (default 3000). */
    maxAgeSeconds?: number;
}

export interface HardenedBucketArgs {
    /** Physical bucket name; default: generated from the resource name (STORE-1). */
    bucketName?: pulumi.Input<string>;
    /** KMS key for SSE-KMS default encryption with an S3 bucket key; required (STORE-1, SEC-3). */
    kmsKeyArn: pulumi.Input<string>;
    /** The `data-class` tag; required (STORE-1; primary data also carries a `backup` tag through `tags`). */
    dataClass: DataClass;
    /**
     * Why the bucket holds no primary data: the `data-class-reason` tag; default none. Without it the policy
     * packs treat a bucket of any class as primary data, which must be backed up (POL-4, BKP-1).
     */
    dataClassReason?: string;
    /** Extra tags, e.g. `{ backup: "media" }`; default none (STORE-1, BKP-1). */
    tags?: Record<string, string>;
    /** Bucket receiving this bucket's server access logs; required unless `isLogBucket` (STORE-1). */
    accessLogBucket?: pulumi.Input<string>;
    /** Key prefix of the access logs in the log bucket; default `s3/<resource name>/` (STORE-1). */
    accessLogPrefix?: string;
    /**
     * True for the bucket that receives access logs: it does not log into itself, and its policy lets the S3
     * logging service (from `accountId` only) write into it; default false (STORE-1).
     */
    isLogBucket?: boolean;
    /** Account whose buckets may deliver access logs; required with `isLogBucket` (STORE-1, SEC-4). */
    accountId?: pulumi.Input<string>;
    /** Extra bucket policy statements (CloudTrail, log delivery, CloudFront OAC); default none (STORE-1). */
    policyStatements?: PolicyStatements;
    /**
     * True when extra statements name resources that themselves need this bucket (e.g. a CloudFront
     * distribution): the policy is then created by one later call of `attachPolicy`; default false (CDN-1).
     */
    deferPolicy?: boolean;
    /** Days after which non-current object versions expire; default 90 (STORE-1). */
    noncurrentVersionExpirationDays?: number;
    /** Days after which incomplete multipart uploads are aborted; default 7 (STORE-1). */
    abortIncompleteUploadDays?: number;
    /** Days after which current versions expire (e.g. 30 for logical backups); default never (STORE-1, BKP-2). */
    expirationDays?: number;
    /** CORS rules; default none (STORE-1). */
    corsRules?: CorsRule[];
    /** Allow `pulumi destroy` to delete a non-empty bucket; default false (STORE-1). */
    forceDestroy?: boolean;
    /**
     * S3 Object Lock default retention, e.g. for the audit trail; enabled when the bucket is created (changing
     * it later replaces the bucket); default none (STORE-1, SEC-5).
     */
    objectLock?: { mode: "GOVERNANCE" | "COMPLIANCE"; days: number };
}

/**
 * An S3 bucket meeting the STORE-1 baseline: all four public-access blocks, BucketOwnerEnforced (no ACLs),
 * versioning, SSE-KMS with a bucket key (SSE-C uploads blocked), a bucket policy denying requests without
 * TLS or below TLS 1.2, lifecycle for non-current versions and incomplete uploads, server access logging
 * to the log bucket, `data-class` tags, optional CORS.
 */
export class HardenedBucket extends pulumi.ComponentResource {
    readonly bucket: aws.s3.Bucket;
    readonly publicAccessBlock: aws.s3.BucketPublicAccessBlock;
    readonly ownershipControls: aws.s3.BucketOwnershipControls;
    readonly versioning: aws.s3.BucketVersioning;
    readonly encryption: aws.s3.BucketServerSideEncryptionConfiguration;
    readonly lifecycle: aws.s3.BucketLifecycleConfiguration;
    readonly logging?: aws.s3.BucketLogging;
    readonly cors?: aws.s3.BucketCorsConfiguration;
    readonly objectLock?: aws.s3.BucketObjectLockConfiguration;
    /** The bucket policy; undefined until `attachPolicy` when the policy is deferred. */
    policy?: aws.s3.BucketPolicy;
    readonly arn: pulumi.Output<string>;
    /** The bucket name (its ID). */
    readonly name: pulumi.Output<string>;
    readonly regionalDomainName: pulumi.Output<string>;

    private readonly resourceName: string;
    private readonly baseStatements: PolicyStatement[];

    constructor(name: string, args: HardenedBucketArgs, opts?: pulumi.ComponentResourceOptions) {
        validate(name, args);
        super("bookbuddy:storage:HardenedBucket", name, {}, opts);
        this.resourceName = name;

        this.bucket = new aws.s3.Bucket(
            name,
            {
                bucket: args.bucketName,
                forceDestroy: args.forceDestroy ?? false,
                ...(args.objectLock ? { objectLockEnabled: true } : {}),
                tags: {
                    ...(args.tags ?? {}),
                    "data-class": args.dataClass,
                    ...(args.dataClassReason ? { "data-class-reason": args.dataClassReason } : {}),
                },
            },
            { parent: this },
        );
        this.arn = this.bucket.arn;
        this.name = this.bucket.id;
        this.regionalDomainName = this.bucket.bucketRegionalDomainName;
        const bucket = this.bucket.id;
        const child = { parent: this };

        this.publicAccessBlock = new aws.s3.BucketPublicAccessBlock(
            name,
            { bucket, blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true },
            child,
        );
        this.ownershipControls = new aws.s3.BucketOwnershipControls(
            name,
            { bucket, rule: { objectOwnership: "BucketOwnerEnforced" } },
            child,
        );
        this.versioning = new aws.s3.BucketVersioning(name, { bucket, versioningConfiguration: { status: "Enabled" } }, child);
        this.encryption = new aws.s3.BucketServerSideEncryptionConfiguration(
            name,
            {
                bucket,
                rules: [
                    {
                        applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: args.kmsKeyArn },
                        bucketKeyEnabled: true,
                        blockedEncryptionTypes: ["SSE-C"],
                    },
                ],
            },
            child,
        );

        const rules: aws.types.input.s3.BucketLifecycleConfigurationRule[] = [
            {
                id: "noncurrent-versions",
                status: "Enabled",
                filter: {},
                noncurrentVersionExpiration: { noncurrentDays: args.noncurrentVersionExpirationDays ?? 90 },
            },
            {
                id: "incomplete-uploads",
                status: "Enabled",
                filter: {},
                abortIncompleteMultipartUpload: { daysAfterInitiation: args.abortIncompleteUploadDays ?? 7 },
            },
            args.expirationDays !== undefined
                ? { id: "current-versions", status: "Enabled", filter: {}, expiration: { days: args.expirationDays } }
                : {
                      id: "expired-delete-markers",
                      status: "Enabled",
                      filter: {},
                      expiration: { expiredObjectDeleteMarker: true },
                  },
        ];
        if (args.objectLock) {
            // Every new object version gets the default retention; in COMPLIANCE mode nobody can shorten or remove it.
            this.objectLock = new aws.s3.BucketObjectLockConfiguration(
                name,
                {
                    bucket,
                    objectLockEnabled: "Enabled",
                    rule: { defaultRetention: { mode: args.objectLock.mode, days: args.objectLock.days } },
                },
                { parent: this, dependsOn: [this.versioning] },
            );
        }

        // Lifecycle rules on a versioned bucket need versioning in place first.
        this.lifecycle = new aws.s3.BucketLifecycleConfiguration(
            name,
            { bucket, rules },
            { parent: this, dependsOn: [this.versioning] },
        );

        if (!args.isLogBucket) {
            this.logging = new aws.s3.BucketLogging(
                name,
                {
                    bucket,
                    targetBucket: args.accessLogBucket!,
                    targetPrefix: args.accessLogPrefix ?? `s3/${name}/`,
                    targetObjectKeyFormat: { partitionedPrefix: { partitionDateSource: "EventTime" } },
                },
                child,
            );
        }

        if (args.corsRules && args.corsRules.length > 0) {
            this.cors = new aws.s3.BucketCorsConfiguration(
                name,
                {
                    bucket,
                    corsRules: args.corsRules.map((r) => ({
                        allowedOrigins: r.allowedOrigins,
                        allowedMethods: r.allowedMethods,
                        allowedHeaders: r.allowedHeaders ?? ["*"],
                        exposeHeaders: r.exposeHeaders ?? ["ETag"],
                        maxAgeSeconds: r.maxAgeSeconds ?? 3000,
                    })),
                },
                child,
            );
        }

        this.baseStatements = [
            ...baselineStatements(this.arn),
            ...(args.isLogBucket ? [logDeliveryStatement(this.arn, args.accountId!)] : []),
            ...resolve(args.policyStatements, this.arn),
        ];
        if (!args.deferPolicy) this.policy = this.createPolicy([]);

        this.registerOutputs({ arn: this.arn, name: this.name, regionalDomainName: this.regionalDomainName });
    }

    /**
     * Creates the deferred bucket policy: the baseline statements plus `statements` (CDN-1: the grant to a
     * CloudFront distribution that was built from this bucket's domain name). Call exactly once.
     */
    attachPolicy(statements: PolicyStatements): aws.s3.BucketPolicy {
        if (this.policy)
            throw new Error(
                `HardenedBucket ${this.resourceName}: the bucket policy exists already (attachPolicy needs deferPolicy: true and runs once)`,
            );
        this.policy = this.createPolicy(resolve(statements, this.arn));
        return this.policy;
    }

    private createPolicy(extra: PolicyStatement[]): aws.s3.BucketPolicy {
        // The public-access block goes first so that no policy is ever evaluated without it.
        return new aws.s3.BucketPolicy(
            this.resourceName,
            { bucket: this.bucket.id, policy: policyDocument([...this.baseStatements, ...extra]) },
            { parent: this, dependsOn: [this.publicAccessBlock, this.ownershipControls] },
        );
    }
}

function resolve(statements: PolicyStatements | undefined, arn: pulumi.Output<string>): PolicyStatement[] {
    if (!statements) return [];
    return typeof statements === "function" ? statements(arn) : statements;
}

/** Deny every request without TLS, and every request below TLS 1.2 (STORE-1, EDGE-1). */
export function baselineStatements(arn: pulumi.Output<string>): PolicyStatement[] {
    const resources = [arn, pulumi.interpolate`${arn}/*`];
    return [
        {
            Sid: "DenyInsecureTransport",
            Effect: "Deny",
            Principal: "*",
            Action: "s3:*",
            Resource: resources,
            Condition: { Bool: { "aws:SecureTransport": "false" } },
        },
        {
            Sid: "DenyOutdatedTls",
            Effect: "Deny",
            Principal: "*",
            Action: "s3:*",
            Resource: resources,
            Condition: { NumericLessThan: { "s3:TlsVersion": "1.2" } },
        },
    ];
}

/** Lets S3 server access logging of the account's own buckets write into the log bucket (STORE-1). */
function logDeliveryStatement(arn: pulumi.Output<string>, accountId: pulumi.Input<string>): PolicyStatement {
    return {
        Sid: "S3ServerAccessLogs",
        Effect: "Allow",
        Principal: { Service: "logging.s3.amazonaws.com" },
        Action: "s3:PutObject",
        Resource: pulumi.interpolate`${arn}/s3/*`,
        Condition: { StringEquals: { "aws:SourceAccount": accountId } },
    };
}

function validate(name: string, args: HardenedBucketArgs): void {
    const fail = (what: string) => {
        throw new Error(`HardenedBucket ${name}: ${what} (STORE-1)`);
    };
    if (args.isLogBucket) {
        if (args.accessLogBucket !== undefined)
            fail("a log bucket does not log its own access into another bucket; drop accessLogBucket or isLogBucket");
        if (args.accountId === undefined) fail("isLogBucket needs accountId, the only account allowed to deliver access logs");
    } else if (args.accessLogBucket === undefined) {
        fail("accessLogBucket is required; only the log bucket itself (isLogBucket: true) goes without access logging");
    }
    if (args.accessLogPrefix !== undefined && !/^s3\/[A-Za-z0-9._-]+(\/[A-Za-z0-9._-]+)*\/$/.test(args.accessLogPrefix)) {
        fail(
            `accessLogPrefix must look like "s3/<name>/" (the log bucket admits deliveries under s3/ only), got "${args.accessLogPrefix}"`,
        );
    }
    for (const [key, value, min] of [
        ["noncurrentVersionExpirationDays", args.noncurrentVersionExpirationDays, 1],
        ["abortIncompleteUploadDays", args.abortIncompleteUploadDays, 1],
        ["expirationDays", args.expirationDays, 1],
    ] as const) {
        if (value !== undefined && (!Number.isInteger(value) || value < min))
            fail(`${key} must be a whole number of days >= ${min}, got ${value}`);
    }
    if (args.objectLock) {
        if (!Number.isInteger(args.objectLock.days) || args.objectLock.days < 1)
            fail(`objectLock.days must be a whole number of days >= 1, got ${args.objectLock.days}`);
        if (args.expirationDays !== undefined && args.objectLock.days > args.expirationDays)
            fail(`objectLock.days (${args.objectLock.days}) must not exceed expirationDays (${args.expirationDays})`);
        if (args.forceDestroy) fail("forceDestroy cannot empty a bucket with Object Lock; drop one of them");
    }
    for (const rule of args.corsRules ?? []) {
        if (rule.allowedOrigins.length === 0 || rule.allowedOrigins.includes("*"))
            fail("CORS rules name their origins; `*` is not allowed");
    }
}
