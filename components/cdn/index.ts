/**
 * CloudFront in front of a hardened bucket (CDN-1): origin access control, HTTPS only, TLS 1.2 (2021 policy)
 * minimum, a security-headers policy, access logs through CloudWatch Logs delivery, alias records.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { CLOUDFRONT_CERTIFICATE_REGION } from "../edge/certificate";
import { HardenedBucket } from "../storage/bucket";

/** AWS-managed cache policy `Managed-CachingOptimized` (CDN-1). */
export const CACHING_OPTIMIZED_POLICY_ID = "658327ea-f89d-4fab-a63d-7e88639e58f6";
/** The viewer TLS floor (CDN-1, EDGE-1). */
export const MINIMUM_VIEWER_TLS = "TLSv1.2_2021";
/** CloudFront's own hosted zone ID for alias records (the same in every partition region). */
export const CLOUDFRONT_HOSTED_ZONE_ID = "Z2FDTNDATAQYW2";

/** Content-Security-Policy of the React single-page app: own scripts only, API and media by name (CDN-1). */
export function spaContentSecurityPolicy(origins: { api: string; media: string }): string {
    return [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        `img-src 'self' data: ${origins.media}`,
        `media-src 'self' ${origins.media}`,
        `connect-src 'self' ${origins.api} ${origins.media}`,
        "font-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
        "upgrade-insecure-requests",
    ].join("; ");
}

/**
 * Content-Security-Policy of user-uploaded media: nothing executes, nothing loads, and the document is
 * sandboxed, so an uploaded HTML or SVG file can never run script under our domain (CDN-1, SEC-4).
 */
export const MEDIA_CONTENT_SECURITY_POLICY =
    "default-src 'none'; img-src 'self'; media-src 'self'; style-src 'unsafe-inline'; frame-ancestors 'none'; sandbox";

export interface BucketDistributionArgs {
    /** The origin bucket, built with `deferPolicy: true`; this component attaches its read grant (CDN-1). */
    bucket: HardenedBucket;
    /** The public name, e.g. `app.bookbuddy.example`; required (CDN-1). */
    domainName: string;
    /** Validated ACM certificate in us-east-1 covering `domainName`; required (CDN-1, EDGE-1). */
    certificateArn: pulumi.Input<string>;
    /** Route 53 zone for the A/AAAA alias records; default none (no records) (CDN-1). */
    zoneId?: pulumi.Input<string>;
    /** CloudFront price class; default `PriceClass_All` (CDN-1). */
    priceClass?: "PriceClass_All" | "PriceClass_200" | "PriceClass_100";
    /** Serve a single-page app: `index.html` root, and 403/404 answered with `/index.html`; default false (CDN-1). */
    singlePageApp?: boolean;
    /** Content-Security-Policy header; default `MEDIA_CONTENT_SECURITY_POLICY` (CDN-1). */
    contentSecurityPolicy?: string;
    /** Origins allowed to read cross-origin (CORS answered by CloudFront); default none (CDN-1, STORE-1). */
    corsAllowedOrigins?: string[];
    /** HSTS max-age in seconds; default two years (63072000) (CDN-1). */
    hstsMaxAgeSeconds?: number;
    /** WAFv2 web ACL (CLOUDFRONT scope) ARN; default none, set by the security work (EDGE-1). */
    webAclArn?: pulumi.Input<string>;
    /** ARN of the log bucket receiving access logs under `cloudfront/`; required (CDN-1). */
    logBucketArn: pulumi.Input<string>;
    /** Access log format; default `parquet` (columnar, cheap to query with Athena) (CDN-1). */
    logFormat?: "parquet" | "json" | "w3c";
    /**
     * Bucket prefix served as the site root, e.g. `/releases/2026.12.01-3f2c1ab`: each web build lives under
     * its own prefix and a release switches this path (blue-green at the edge); default the bucket root (REL-1).
     */
    originPath?: string;
}

/**
 * One CloudFront distribution serving one hardened bucket (CDN-1). The bucket is reachable only through this
 * distribution: origin access control signs every origin request (sigv4, always) and the bucket policy grants
 * `s3:GetObject` to `cloudfront.amazonaws.com` on condition `AWS:SourceArn` = this distribution.
 *
 * Access logs use CloudFront standard logging v2 (CloudWatch Logs delivery to S3): legacy standard logging
 * writes through bucket ACLs, which BucketOwnerEnforced (STORE-1) disables.
 */
export class BucketDistribution extends pulumi.ComponentResource {
    readonly originAccessControl: aws.cloudfront.OriginAccessControl;
    readonly headersPolicy: aws.cloudfront.ResponseHeadersPolicy;
    readonly distribution: aws.cloudfront.Distribution;
    readonly bucketPolicy: aws.s3.BucketPolicy;
    readonly logSource: aws.cloudwatch.LogDeliverySource;
    readonly logDestination: aws.cloudwatch.LogDeliveryDestination;
    readonly logDelivery: aws.cloudwatch.LogDelivery;
    readonly records: aws.route53.Record[] = [];
    readonly arn: pulumi.Output<string>;
    readonly distributionId: pulumi.Output<string>;
    /** The `*.cloudfront.net` name. */
    readonly cloudfrontDomainName: pulumi.Output<string>;

    constructor(name: string, args: BucketDistributionArgs, opts?: pulumi.ComponentResourceOptions) {
        for (const origin of args.corsAllowedOrigins ?? []) {
            if (!/^https:\/\/[a-z0-9.-]+(:\d+)?$/.test(origin))
                throw new Error(
                    `BucketDistribution ${name}: CORS origin ${origin} must be an https:// origin without path (CDN-1)`,
                );
        }
        if (args.originPath !== undefined && !/^(\/[A-Za-z0-9._-]+)+$/.test(args.originPath)) {
            throw new Error(
                `BucketDistribution ${name}: originPath ${args.originPath} must start with / and name a bucket prefix without a trailing / (REL-1)`,
            );
        }
        super("bookbuddy:cdn:BucketDistribution", name, {}, opts);
        const child = { parent: this };

        this.originAccessControl = new aws.cloudfront.OriginAccessControl(
            name,
            {
                name,
                description: `Signed origin requests to the bucket behind ${args.domainName}`,
                originAccessControlOriginType: "s3",
                signingBehavior: "always",
                signingProtocol: "sigv4",
            },
            child,
        );

        const cors = args.corsAllowedOrigins ?? [];
        this.headersPolicy = new aws.cloudfront.ResponseHeadersPolicy(
            name,
            {
                name,
                comment: `Security headers for ${args.domainName}`,
                securityHeadersConfig: {
                    strictTransportSecurity: {
                        accessControlMaxAgeSec: args.hstsMaxAgeSeconds ?? 63072000,
                        includeSubdomains: true,
                        preload: true,
                        override: true,
                    },
                    contentTypeOptions: { override: true },
                    frameOptions: { frameOption: "DENY", override: true },
                    referrerPolicy: { referrerPolicy: "strict-origin-when-cross-origin", override: true },
                    contentSecurityPolicy: {
                        contentSecurityPolicy: args.contentSecurityPolicy ?? MEDIA_CONTENT_SECURITY_POLICY,
                        override: true,
                    },
                },
                ...(cors.length > 0
                    ? {
                          corsConfig: {
                              accessControlAllowCredentials: false,
                              accessControlAllowHeaders: { items: ["*"] },
                              accessControlAllowMethods: { items: ["GET", "HEAD", "OPTIONS"] },
                              accessControlAllowOrigins: { items: cors },
                              accessControlMaxAgeSec: 600,
                              originOverride: true,
                          },
                      }
                    : {}),
            },
            child,
        );

        const originId = "s3";
        this.distribution = new aws.cloudfront.Distribution(
            name,
            {
                enabled: true,
                comment: args.domainName,
                aliases: [args.domainName],
                isIpv6Enabled: true,
                httpVersion: "http2and3",
                priceClass: args.priceClass ?? "PriceClass_All",
                webAclId: args.webAclArn,
                defaultRootObject: args.singlePageApp ? "index.html" : undefined,
                origins: [
                    {
                        originId,
                        domainName: args.bucket.regionalDomainName,
                        originAccessControlId: this.originAccessControl.id,
                        ...(args.originPath ? { originPath: args.originPath } : {}),
                    },
                ],
                defaultCacheBehavior: {
                    targetOriginId: originId,
                    viewerProtocolPolicy: "redirect-to-https",
                    allowedMethods: ["GET", "HEAD", "OPTIONS"],
                    cachedMethods: ["GET", "HEAD"],
                    compress: true,
                    cachePolicyId: CACHING_OPTIMIZED_POLICY_ID,
                    responseHeadersPolicyId: this.headersPolicy.id,
                },
                customErrorResponses: args.singlePageApp
                    ? [403, 404].map((errorCode) => ({
                          errorCode,
                          responseCode: 200,
                          responsePagePath: "/index.html",
                          errorCachingMinTtl: 10,
                      }))
                    : [],
                restrictions: { geoRestriction: { restrictionType: "none", locations: [] } },
                viewerCertificate: {
                    acmCertificateArn: args.certificateArn,
                    sslSupportMethod: "sni-only",
                    minimumProtocolVersion: MINIMUM_VIEWER_TLS,
                },
                retainOnDelete: false,
                waitForDeployment: true,
                tags: { Name: args.domainName },
            },
            child,
        );
        this.arn = this.distribution.arn;
        this.distributionId = this.distribution.id;
        this.cloudfrontDomainName = this.distribution.domainName;

        // Only this distribution may read the bucket (CDN-1).
        this.bucketPolicy = args.bucket.attachPolicy((bucketArn) => [
            {
                Sid: "CloudFrontRead",
                Effect: "Allow",
                Principal: { Service: "cloudfront.amazonaws.com" },
                Action: "s3:GetObject",
                Resource: pulumi.interpolate`${bucketArn}/*`,
                Condition: { StringEquals: { "AWS:SourceArn": this.distribution.arn } },
            },
        ]);

        // Standard logging v2: the delivery source of a distribution lives in us-east-1.
        const region = CLOUDFRONT_CERTIFICATE_REGION;
        this.logSource = new aws.cloudwatch.LogDeliverySource(
            name,
            { name, logType: "ACCESS_LOGS", resourceArn: this.distribution.arn, region },
            child,
        );
        this.logDestination = new aws.cloudwatch.LogDeliveryDestination(
            name,
            {
                name,
                outputFormat: args.logFormat ?? "parquet",
                deliveryDestinationConfiguration: { destinationResourceArn: pulumi.interpolate`${args.logBucketArn}/cloudfront` },
                region,
            },
            child,
        );
        this.logDelivery = new aws.cloudwatch.LogDelivery(
            name,
            {
                deliverySourceName: this.logSource.name,
                deliveryDestinationArn: this.logDestination.arn,
                s3DeliveryConfigurations: [{ suffixPath: `${name}/{yyyy}/{MM}/{dd}/{HH}`, enableHiveCompatiblePath: false }],
                region,
            },
            child,
        );

        if (args.zoneId !== undefined) {
            for (const type of ["A", "AAAA"]) {
                this.records.push(
                    new aws.route53.Record(
                        `${name}-${type.toLowerCase()}`,
                        {
                            zoneId: args.zoneId,
                            name: args.domainName,
                            type,
                            aliases: [
                                {
                                    name: this.distribution.domainName,
                                    zoneId: this.distribution.hostedZoneId,
                                    evaluateTargetHealth: false,
                                },
                            ],
                        },
                        child,
                    ),
                );
            }
        }

        this.registerOutputs({
            arn: this.arn,
            distributionId: this.distributionId,
            cloudfrontDomainName: this.cloudfrontDomainName,
        });
    }
}

/**
 * Log-bucket policy statement letting CloudWatch Logs delivery write CloudFront access logs under
 * `cloudfront/`, only for delivery sources of this account (CDN-1).
 */
export function cloudFrontLogDeliveryStatement(
    logBucketArn: pulumi.Input<string>,
    accountId: pulumi.Input<string>,
    partition: pulumi.Input<string>,
): pulumi.Input<Record<string, unknown>> {
    return {
        Sid: "CloudFrontAccessLogs",
        Effect: "Allow",
        Principal: { Service: "delivery.logs.amazonaws.com" },
        Action: "s3:PutObject",
        Resource: pulumi.interpolate`${logBucketArn}/cloudfront/*`,
        Condition: {
            StringEquals: { "s3:x-amz-acl": "bucket-owner-full-control", "aws:SourceAccount": accountId },
            ArnLike: {
                "aws:SourceArn": pulumi.interpolate`arn:${partition}:logs:${CLOUDFRONT_CERTIFICATE_REGION}:${accountId}:delivery-source:*`,
            },
        },
    };
}
