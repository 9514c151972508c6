import * as assert from "assert";
import * as pulumi from "@pulumi/pulumi";
import { HardenedBucket, HardenedBucketArgs } from "../../components/storage/bucket";
import { PlanDocument } from "../../tools/plan/types";
import { childrenOf, json, nameOf, one, renderComponent } from "../support/plan";

const KEY = "arn:aws:kms:us-east-1:123456789012:key/11111111-2222-4333-8444-555555555555";
const T = {
    component: "bookbuddy:storage:HardenedBucket",
    bucket: "aws:s3/bucket:Bucket",
    pab: "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
    ownership: "aws:s3/bucketOwnershipControls:BucketOwnershipControls",
    versioning: "aws:s3/bucketVersioning:BucketVersioning",
    sse: "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
    lifecycle: "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",
    logging: "aws:s3/bucketLogging:BucketLogging",
    cors: "aws:s3/bucketCorsConfiguration:BucketCorsConfiguration",
    policy: "aws:s3/bucketPolicy:BucketPolicy",
};

function render(args: HardenedBucketArgs, after?: (b: HardenedBucket) => void): Promise<PlanDocument> {
    return renderComponent(() => {
        const b = new HardenedBucket("media", args);
        after?.(b);
        return { arn: b.arn, name: b.name, domain: b.regionalDomainName };
    });
}

const mediaArgs: HardenedBucketArgs = {
    kmsKeyArn: KEY,
    dataClass: "primary",
    tags: { backup: "media" },
    accessLogBucket: "bookbuddy-test-logs",
    corsRules: [{ allowedOrigins: ["https://app.example.com"], allowedMethods: ["GET", "HEAD", "PUT"] }],
};

describe("HardenedBucket (STORE-1)", () => {
    let doc: PlanDocument;
    before(async () => {
        doc = await render(mediaArgs);
    });

    it("has exactly the baseline children, all parented to the component (STORE-1)", () => {
        const component = one(doc, T.component);
        const kids = childrenOf(doc, component)
            .map((r) => `${r.type}::${nameOf(r)}`)
            .sort();
        assert.deepStrictEqual(
            kids,
            [T.bucket, T.cors, T.lifecycle, T.logging, T.policy, T.pab, T.ownership, T.sse, T.versioning]
                .map((t) => `${t}::media`)
                .sort(),
        );
    });

    it("tags the bucket with its data class and extra tags, and refuses force-destroy (STORE-1, BKP-1)", () => {
        const b = one(doc, T.bucket).inputs;
        assert.deepStrictEqual(b.tags, { backup: "media", "data-class": "primary" });
        assert.strictEqual(b.forceDestroy, false);
    });

    it("blocks every kind of public access and disables ACLs (STORE-1)", () => {
        const pab = one(doc, T.pab).inputs;
        for (const k of ["blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets"])
            assert.strictEqual(pab[k], true, k);
        assert.deepStrictEqual(one(doc, T.ownership).inputs.rule, { objectOwnership: "BucketOwnerEnforced" });
    });

    it("versions objects and encrypts with SSE-KMS, a bucket key, and SSE-C blocked (STORE-1, SEC-3)", () => {
        assert.deepStrictEqual(one(doc, T.versioning).inputs.versioningConfiguration, { status: "Enabled" });
        assert.deepStrictEqual(one(doc, T.sse).inputs.rules, [
            {
                applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: KEY },
                bucketKeyEnabled: true,
                blockedEncryptionTypes: ["SSE-C"],
            },
        ]);
    });

    it("expires non-current versions after 90 days, aborts uploads after 7 and keeps current versions (STORE-1)", () => {
        const lc = one(doc, T.lifecycle);
        assert.deepStrictEqual(lc.inputs.rules, [
            { id: "noncurrent-versions", status: "Enabled", filter: {}, noncurrentVersionExpiration: { noncurrentDays: 90 } },
            {
                id: "incomplete-uploads",
                status: "Enabled",
                filter: {},
                abortIncompleteMultipartUpload: { daysAfterInitiation: 7 },
            },
            { id: "expired-delete-markers", status: "Enabled", filter: {}, expiration: { expiredObjectDeleteMarker: true } },
        ]);
        assert.ok(lc.dependencies.includes(one(doc, T.versioning).urn), "lifecycle waits for versioning");
    });

    it("logs access into the log bucket under s3/<name>/ with date partitions (STORE-1)", () => {
        const log = one(doc, T.logging).inputs;
        assert.strictEqual(log.targetBucket, "bookbuddy-test-logs");
        assert.strictEqual(log.targetPrefix, "s3/media/");
        assert.deepStrictEqual(log.targetObjectKeyFormat, { partitionedPrefix: { partitionDateSource: "EventTime" } });
    });

    it("allows CORS from the web origin only (STORE-1)", () => {
        assert.deepStrictEqual(one(doc, T.cors).inputs.corsRules, [
            {
                allowedOrigins: ["https://app.example.com"],
                allowedMethods: ["GET", "HEAD", "PUT"],
                allowedHeaders: ["*"],
                exposeHeaders: ["ETag"],
                maxAgeSeconds: 3000,
            },
        ]);
    });

    it("denies requests without TLS and below TLS 1.2, after the public-access block exists (STORE-1)", () => {
        const pol = one(doc, T.policy);
        const bucket = one(doc, T.bucket);
        const arn = bucket.outputs!.arn as string;
        assert.strictEqual(pol.inputs.bucket, bucket.outputs!.id ?? "media");
        const statements = json(pol.inputs.policy).Statement;
        assert.deepStrictEqual(statements, [
            {
                Sid: "DenyInsecureTransport",
                Effect: "Deny",
                Principal: "*",
                Action: "s3:*",
                Resource: [arn, `${arn}/*`],
                Condition: { Bool: { "aws:SecureTransport": "false" } },
            },
            {
                Sid: "DenyOutdatedTls",
                Effect: "Deny",
                Principal: "*",
                Action: "s3:*",
                Resource: [arn, `${arn}/*`],
                Condition: { NumericLessThan: { "s3:TlsVersion": "1.2" } },
            },
        ]);
        assert.ok(pol.dependencies.includes(one(doc, T.pab).urn));
        assert.ok(pol.dependencies.includes(one(doc, T.ownership).urn));
    });

    it("exposes the bucket's ARN, name and regional domain name (STORE-1, CDN-1)", () => {
        const bucket = one(doc, T.bucket).outputs!;
        assert.deepStrictEqual(doc.outputs, {
            arn: bucket.arn,
            name: bucket.id ?? bucket.bucket,
            domain: bucket.bucketRegionalDomainName,
        });
        assert.match(String(bucket.bucketRegionalDomainName), /\.s3\.us-east-1\.amazonaws\.com$/);
    });
});

describe("HardenedBucket options (STORE-1, BKP-2)", () => {
    it("expires current versions when asked (e.g. 30 days of logical backups) and honours custom windows (BKP-2)", async () => {
        const doc = await render({
            kmsKeyArn: KEY,
            dataClass: "backup",
            accessLogBucket: "logs",
            expirationDays: 30,
            noncurrentVersionExpirationDays: 14,
            abortIncompleteUploadDays: 2,
        });
        assert.deepStrictEqual(one(doc, T.lifecycle).inputs.rules, [
            { id: "noncurrent-versions", status: "Enabled", filter: {}, noncurrentVersionExpiration: { noncurrentDays: 14 } },
            {
                id: "incomplete-uploads",
                status: "Enabled",
                filter: {},
                abortIncompleteMultipartUpload: { daysAfterInitiation: 2 },
            },
            { id: "current-versions", status: "Enabled", filter: {}, expiration: { days: 30 } },
        ]);
        assert.strictEqual(
            one(doc, T.bucket).inputs.tags && (one(doc, T.bucket).inputs.tags as Record<string, string>)["data-class"],
            "backup",
        );
        assert.throws(() => one(doc, T.cors), /found 0/);
    });

    it("merges extra statements built from the bucket ARN after the baseline (STORE-1, SEC-5)", async () => {
        const doc = await render({
            kmsKeyArn: KEY,
            dataClass: "logs",
            accessLogBucket: "logs",
            policyStatements: (arn) => [
                {
                    Sid: "CloudTrailWrite",
                    Effect: "Allow",
                    Principal: { Service: "cloudtrail.amazonaws.com" },
                    Action: "s3:PutObject",
                    Resource: pulumi.interpolate`${arn}/AWSLogs/*`,
                },
            ],
        });
        const arn = one(doc, T.bucket).outputs!.arn as string;
        const statements = json(one(doc, T.policy).inputs.policy).Statement;
        assert.deepStrictEqual(
            statements.map((s: { Sid: string }) => s.Sid),
            ["DenyInsecureTransport", "DenyOutdatedTls", "CloudTrailWrite"],
        );
        assert.strictEqual(statements[2].Resource, `${arn}/AWSLogs/*`);
    });

    it("a log bucket does not log into itself and admits S3 log delivery from its own account only (STORE-1)", async () => {
        const doc = await render({ kmsKeyArn: KEY, dataClass: "logs", isLogBucket: true, accountId: "123456789012" });
        assert.throws(() => one(doc, T.logging), /found 0/);
        const arn = one(doc, T.bucket).outputs!.arn as string;
        const statements = json(one(doc, T.policy).inputs.policy).Statement;
        assert.deepStrictEqual(statements[2], {
            Sid: "S3ServerAccessLogs",
            Effect: "Allow",
            Principal: { Service: "logging.s3.amazonaws.com" },
            Action: "s3:PutObject",
            Resource: `${arn}/s3/*`,
            Condition: { StringEquals: { "aws:SourceAccount": "123456789012" } },
        });
    });

    it("defers the policy until attachPolicy, which adds the grant once (CDN-1)", async () => {
        const doc = await render({ kmsKeyArn: KEY, dataClass: "derived", accessLogBucket: "logs", deferPolicy: true }, (b) => {
            b.attachPolicy((arn) => [
                {
                    Sid: "CloudFrontRead",
                    Effect: "Allow",
                    Principal: { Service: "cloudfront.amazonaws.com" },
                    Action: "s3:GetObject",
                    Resource: pulumi.interpolate`${arn}/*`,
                },
            ]);
            assert.throws(() => b.attachPolicy([]), /exists already/);
        });
        const statements = json(one(doc, T.policy).inputs.policy).Statement;
        assert.deepStrictEqual(
            statements.map((s: { Sid: string }) => s.Sid),
            ["DenyInsecureTransport", "DenyOutdatedTls", "CloudFrontRead"],
        );
    });

    it("rejects a bucket without access logging unless it is the log bucket, and other unsafe arguments (STORE-1)", () => {
        const cases: [Partial<HardenedBucketArgs>, RegExp][] = [
            [{}, /accessLogBucket is required/],
            [{ isLogBucket: true }, /needs accountId/],
            [{ isLogBucket: true, accountId: "1", accessLogBucket: "x" }, /does not log its own access/],
            [{ accessLogBucket: "x", accessLogPrefix: "media/" }, /accessLogPrefix must look like/],
            [{ accessLogBucket: "x", expirationDays: 0 }, /expirationDays must be a whole number/],
            [{ accessLogBucket: "x", corsRules: [{ allowedOrigins: ["*"], allowedMethods: ["GET"] }] }, /`\*` is not allowed/],
        ];
        for (const [extra, message] of cases) {
            assert.throws(
                () => new HardenedBucket("bad", { kmsKeyArn: KEY, dataClass: "primary", ...extra } as HardenedBucketArgs),
                message,
            );
        }
    });
});
