/**
 * Buckets and CDN of the environment (STORE-1, CDN-1): the access-log bucket, the media bucket (primary data,
 * CORS for the web origin) and the web bucket (React build), each a HardenedBucket, with one CloudFront
 * distribution in front of the web bucket and one in front of the media bucket.
 *
 * Two distributions rather than one with two origins: a single-page app answers unknown paths with
 * index.html, and CloudFront's custom error responses apply to a whole distribution, so one distribution
 * would turn a missing media object into a `200 text/html`. Separate distributions also give user-uploaded
 * media its own locked-down Content-Security-Policy and its own hostname (a different origin than the app).
 */
import * as pulumi from "@pulumi/pulumi";
import { webReleasePath } from "../components/release/web";
import { BucketDistribution, cloudFrontLogDeliveryStatement, spaContentSecurityPolicy } from "../components/cdn";
import { AwsContext } from "../components/shared/context";
import { EncryptionKey } from "../components/shared/kms";
import { HardenedBucket } from "../components/storage/bucket";
import { StackConfig } from "./config";
import { Domains, Edge } from "./edge";
import * as aws from "@pulumi/aws";

export interface StorageInputs {
    prefix: string;
    context: AwsContext;
    providers: { aws: aws.Provider };
    keys: Record<"logs" | "data", EncryptionKey>;
    edge: Edge;
    /** WAFv2 web ACL (CLOUDFRONT scope) for both distributions, when the security work provides one (EDGE-1). */
    cdnWebAclArn?: pulumi.Input<string>;
}

export interface Storage {
    logBucket: HardenedBucket;
    mediaBucket: HardenedBucket;
    webBucket: HardenedBucket;
    webCdn: BucketDistribution;
    mediaCdn: BucketDistribution;
}

/** Globally unique bucket names: the environment prefix, the purpose and the account. */
function bucketName(prefix: string, purpose: string, ctx: AwsContext): pulumi.Output<string> {
    return pulumi.interpolate`${prefix}-${purpose}-${ctx.accountId}`;
}

export function buildStorage(cfg: StackConfig, env: StorageInputs): Storage {
    const opts = { providers: { aws: env.providers.aws } };
    const s = cfg.storage;
    const domains: Domains = env.edge.domains;

    const logBucket = new HardenedBucket(
        `${env.prefix}-access-logs`,
        {
            bucketName: bucketName(env.prefix, "access-logs", env.context),
            kmsKeyArn: env.keys.logs.arn,
            dataClass: "logs",
            dataClassReason: "S3 server access logs expired by lifecycle",
            isLogBucket: true,
            accountId: env.context.accountId,
            expirationDays: s.accessLogRetentionDays,
            noncurrentVersionExpirationDays: 30,
            policyStatements: (arn) => [cloudFrontLogDeliveryStatement(arn, env.context.accountId, env.context.partition)],
            forceDestroy: s.forceDestroy,
        },
        opts,
    );

    const mediaBucket = new HardenedBucket(
        `${env.prefix}-media`,
        {
            bucketName: bucketName(env.prefix, "media", env.context),
            kmsKeyArn: env.keys.data.arn,
            dataClass: "primary",
            tags: { backup: "media" },
            accessLogBucket: logBucket.name,
            noncurrentVersionExpirationDays: s.mediaNoncurrentDays,
            // Browsers upload with presigned PUTs straight to S3; reads go through the media CDN.
            corsRules: [
                {
                    allowedOrigins: [`https://${domains.web}`],
                    allowedMethods: ["GET", "HEAD", "PUT"],
                    allowedHeaders: ["content-type", "content-md5", "x-amz-*"],
                },
            ],
            deferPolicy: true,
            forceDestroy: s.forceDestroy,
        },
        opts,
    );

    const webBucket = new HardenedBucket(
        `${env.prefix}-web`,
        {
            bucketName: bucketName(env.prefix, "web", env.context),
            kmsKeyArn: env.keys.data.arn,
            dataClass: "derived",
            dataClassReason: "web build rebuilt from the repository by every release",
            accessLogBucket: logBucket.name,
            noncurrentVersionExpirationDays: 30,
            deferPolicy: true,
            forceDestroy: s.forceDestroy,
        },
        opts,
    );

    const common = {
        certificateArn: env.edge.cdnCertificate.arn,
        zoneId: env.edge.zone.zoneId,
        priceClass: cfg.cdn.priceClass,
        logBucketArn: logBucket.arn,
        logFormat: cfg.cdn.logFormat,
        webAclArn: env.cdnWebAclArn,
    };
    const webCdn = new BucketDistribution(
        `${env.prefix}-web`,
        {
            ...common,
            bucket: webBucket,
            domainName: domains.web,
            singlePageApp: true,
            // REL-1: blue-green at the edge; each build is uploaded under its own prefix, config picks the live one.
            originPath: webReleasePath(cfg.web.release),
            contentSecurityPolicy: spaContentSecurityPolicy({ api: `https://${domains.api}`, media: `https://${domains.media}` }),
        },
        opts,
    );
    const mediaCdn = new BucketDistribution(
        `${env.prefix}-media`,
        { ...common, bucket: mediaBucket, domainName: domains.media, corsAllowedOrigins: [`https://${domains.web}`] },
        opts,
    );

    return { logBucket, mediaBucket, webBucket, webCdn, mediaCdn };
}
