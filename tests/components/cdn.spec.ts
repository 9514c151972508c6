import * as assert from "assert";
import {
    BucketDistribution,
    CACHING_OPTIMIZED_POLICY_ID,
    MEDIA_CONTENT_SECURITY_POLICY,
    spaContentSecurityPolicy,
} from "../../components/cdn";
import { HardenedBucket } from "../../components/storage/bucket";
import { PlanDocument } from "../../tools/plan/types";
import { childrenOf, json, nameOf, one, ofType, renderComponent, renderedStack } from "../support/plan";

const KEY = "arn:aws:kms:us-east-1:123456789012:key/11111111-2222-4333-8444-555555555555";
const CERT = "arn:aws:acm:us-east-1:123456789012:certificate/cdn";
const LOGS = "arn:aws:s3:::bookbuddy-test-access-logs";
const T = {
    dist: "aws:cloudfront/distribution:Distribution",
    oac: "aws:cloudfront/originAccessControl:OriginAccessControl",
    headers: "aws:cloudfront/responseHeadersPolicy:ResponseHeadersPolicy",
    source: "aws:cloudwatch/logDeliverySource:LogDeliverySource",
    dest: "aws:cloudwatch/logDeliveryDestination:LogDeliveryDestination",
    delivery: "aws:cloudwatch/logDelivery:LogDelivery",
    record: "aws:route53/record:Record",
    policy: "aws:s3/bucketPolicy:BucketPolicy",
};

function render(spa: boolean): Promise<PlanDocument> {
    return renderComponent(() => {
        const bucket = new HardenedBucket("site", {
            kmsKeyArn: KEY,
            dataClass: spa ? "derived" : "primary",
            accessLogBucket: "logs",
            deferPolicy: true,
        });
        new BucketDistribution("site", {
            bucket,
            domainName: spa ? "app.bookbuddy.example" : "media.bookbuddy.example",
            certificateArn: CERT,
            zoneId: "ZTEST",
            priceClass: "PriceClass_100",
            singlePageApp: spa,
            contentSecurityPolicy: spa
                ? spaContentSecurityPolicy({ api: "https://api.bookbuddy.example", media: "https://media.bookbuddy.example" })
                : undefined,
            corsAllowedOrigins: spa ? undefined : ["https://app.bookbuddy.example"],
            webAclArn: spa ? "arn:aws:wafv2:us-east-1:123456789012:global/webacl/cdn/1" : undefined,
            logBucketArn: LOGS,
        });
    });
}

describe("BucketDistribution (CDN-1)", () => {
    let web: PlanDocument;
    let media: PlanDocument;
    before(async () => {
        web = await render(true);
        media = await render(false);
    });

    it("has exactly its children: OAC, headers policy, distribution, log delivery and alias records (CDN-1)", () => {
        const kids = childrenOf(web, one(web, "bookbuddy:cdn:BucketDistribution"))
            .map((r) => `${r.type}::${nameOf(r)}`)
            .sort();
        assert.deepStrictEqual(
            kids,
            [
                `${T.dist}::site`,
                `${T.oac}::site`,
                `${T.headers}::site`,
                `${T.source}::site`,
                `${T.dest}::site`,
                `${T.delivery}::site`,
                `${T.record}::site-a`,
                `${T.record}::site-aaaa`,
            ].sort(),
        );
    });

    it("signs every origin request with sigv4 (CDN-1)", () => {
        const oac = one(web, T.oac).inputs;
        assert.deepStrictEqual(
            [oac.originAccessControlOriginType, oac.signingBehavior, oac.signingProtocol],
            ["s3", "always", "sigv4"],
        );
        const origin = (one(web, T.dist).inputs.origins as any[])[0];
        assert.ok(origin.originAccessControlId, "the origin uses an origin access control");
        assert.ok(
            one(web, T.dist).propertyDependencies.origins.includes(one(web, T.oac).urn),
            "that control is this component's OAC",
        );
        assert.match(origin.domainName, /\.s3\.us-east-1\.amazonaws\.com$/);
    });

    it("serves HTTPS only, TLSv1.2_2021 at least, with the certificate, alias, price class and WAF (CDN-1, EDGE-1)", () => {
        const d = one(web, T.dist).inputs as any;
        assert.strictEqual(d.defaultCacheBehavior.viewerProtocolPolicy, "redirect-to-https");
        assert.strictEqual(d.defaultCacheBehavior.cachePolicyId, CACHING_OPTIMIZED_POLICY_ID);
        assert.deepStrictEqual(d.viewerCertificate, {
            acmCertificateArn: CERT,
            sslSupportMethod: "sni-only",
            minimumProtocolVersion: "TLSv1.2_2021",
        });
        assert.deepStrictEqual(d.aliases, ["app.bookbuddy.example"]);
        assert.strictEqual(d.priceClass, "PriceClass_100");
        assert.strictEqual(d.webAclId, "arn:aws:wafv2:us-east-1:123456789012:global/webacl/cdn/1");
        assert.strictEqual(d.loggingConfig, undefined, "legacy ACL-based logging stays off");
    });

    it("answers SPA routes with index.html on the web distribution only (CDN-1)", () => {
        const w = one(web, T.dist).inputs as any;
        assert.strictEqual(w.defaultRootObject, "index.html");
        assert.deepStrictEqual(
            w.customErrorResponses.map((e: any) => [e.errorCode, e.responseCode, e.responsePagePath]),
            [
                [403, 200, "/index.html"],
                [404, 200, "/index.html"],
            ],
        );
        const m = one(media, T.dist).inputs as any;
        assert.ok(!m.customErrorResponses || m.customErrorResponses.length === 0, "media keeps real 403/404");
    });

    it("sends HSTS, nosniff, DENY framing, a referrer policy and a CSP; media gets the sandboxed CSP and CORS for the web origin (CDN-1)", () => {
        const h = one(web, T.headers).inputs.securityHeadersConfig as any;
        assert.deepStrictEqual(h.strictTransportSecurity, {
            accessControlMaxAgeSec: 63072000,
            includeSubdomains: true,
            preload: true,
            override: true,
        });
        assert.deepStrictEqual(h.contentTypeOptions, { override: true });
        assert.deepStrictEqual(h.frameOptions, { frameOption: "DENY", override: true });
        assert.deepStrictEqual(h.referrerPolicy, { referrerPolicy: "strict-origin-when-cross-origin", override: true });
        assert.match(
            h.contentSecurityPolicy.contentSecurityPolicy,
            /script-src 'self';.*connect-src 'self' https:\/\/api\.bookbuddy\.example/,
        );
        assert.match(h.contentSecurityPolicy.contentSecurityPolicy, /frame-ancestors 'none'/);
        const mh = one(media, T.headers).inputs as any;
        assert.strictEqual(mh.securityHeadersConfig.contentSecurityPolicy.contentSecurityPolicy, MEDIA_CONTENT_SECURITY_POLICY);
        assert.deepStrictEqual(mh.corsConfig.accessControlAllowOrigins, { items: ["https://app.bookbuddy.example"] });
        assert.strictEqual(mh.corsConfig.accessControlAllowCredentials, false);
        assert.strictEqual((one(web, T.headers).inputs as any).corsConfig, undefined);
    });

    it("grants s3:GetObject to this distribution only (AWS:SourceArn) (CDN-1)", () => {
        const statements = json(one(web, T.policy).inputs.policy).Statement;
        const grant = statements.find((s: any) => s.Sid === "CloudFrontRead");
        assert.deepStrictEqual(grant.Principal, { Service: "cloudfront.amazonaws.com" });
        assert.strictEqual(grant.Action, "s3:GetObject");
        assert.deepStrictEqual(grant.Condition, { StringEquals: { "AWS:SourceArn": one(web, T.dist).outputs!.arn } });
        assert.deepStrictEqual(
            statements.map((s: any) => s.Sid),
            ["DenyInsecureTransport", "DenyOutdatedTls", "CloudFrontRead"],
        );
    });

    it("delivers access logs through CloudWatch Logs delivery in us-east-1 to the log bucket (CDN-1)", () => {
        const src = one(web, T.source).inputs;
        assert.deepStrictEqual(
            [src.logType, src.region, src.resourceArn],
            ["ACCESS_LOGS", "us-east-1", one(web, T.dist).outputs!.arn],
        );
        const dest = one(web, T.dest).inputs as any;
        assert.deepStrictEqual(dest.deliveryDestinationConfiguration, { destinationResourceArn: `${LOGS}/cloudfront` });
        assert.strictEqual(dest.outputFormat, "parquet");
        const del = one(web, T.delivery).inputs as any;
        assert.strictEqual(del.deliverySourceName, "site");
        assert.deepStrictEqual(del.s3DeliveryConfigurations, [
            { suffixPath: "site/{yyyy}/{MM}/{dd}/{HH}", enableHiveCompatiblePath: false },
        ]);
    });

    it("points A and AAAA alias records at the distribution (CDN-1)", () => {
        for (const r of ofType(web, T.record)) {
            const i = r.inputs as any;
            assert.strictEqual(i.name, "app.bookbuddy.example");
            assert.deepStrictEqual(i.aliases, [
                { name: one(web, T.dist).outputs!.domainName, zoneId: "Z2FDTNDATAQYW2", evaluateTargetHealth: false },
            ]);
        }
    });

    it("rejects a CORS origin that is not https (CDN-1)", () => {
        assert.throws(
            () =>
                new BucketDistribution("bad", {
                    bucket: {} as HardenedBucket,
                    domainName: "x.example",
                    certificateArn: CERT,
                    logBucketArn: LOGS,
                    corsAllowedOrigins: ["http://app.example"],
                }),
            /must be an https:\/\/ origin/,
        );
    });
});

describe("buckets and CDN in the stacks (STORE-1, CDN-1)", () => {
    it("prod has the access-log, media and web buckets on the baseline, with two distributions (STORE-1, CDN-1)", async () => {
        const prod = await renderedStack("prod");
        const buckets = ofType(prod, "aws:s3/bucket:Bucket").map((b) => [
            nameOf(b),
            (b.inputs.tags as Record<string, string>)["data-class"],
            (b.inputs.tags as Record<string, string>).backup,
        ]);
        for (const expected of [
            ["bookbuddy-prod-access-logs", "logs", undefined],
            ["bookbuddy-prod-media", "primary", "media"],
            ["bookbuddy-prod-web", "derived", undefined],
        ]) {
            assert.ok(
                buckets.some((b) => JSON.stringify(b) === JSON.stringify(expected)),
                `missing ${JSON.stringify(expected)} in ${JSON.stringify(buckets)}`,
            );
        }
        const dists = ofType(prod, T.dist)
            .map((d) => (d.inputs.aliases as string[])[0])
            .sort();
        assert.deepStrictEqual(dists, ["app.bookbuddy.example", "media.bookbuddy.example"]);
        const logPolicy = json(one(prod, T.policy, "bookbuddy-prod-access-logs").inputs.policy).Statement.map((s: any) => s.Sid);
        assert.deepStrictEqual(logPolicy, [
            "DenyInsecureTransport",
            "DenyOutdatedTls",
            "S3ServerAccessLogs",
            "CloudFrontAccessLogs",
        ]);
        const logArn = one(prod, "aws:s3/bucket:Bucket", "bookbuddy-prod-access-logs").outputs!.arn;
        const delivery = json(one(prod, T.policy, "bookbuddy-prod-access-logs").inputs.policy).Statement[3];
        assert.deepStrictEqual(delivery, {
            Sid: "CloudFrontAccessLogs",
            Effect: "Allow",
            Principal: { Service: "delivery.logs.amazonaws.com" },
            Action: "s3:PutObject",
            Resource: `${logArn}/cloudfront/*`,
            Condition: {
                StringEquals: { "s3:x-amz-acl": "bucket-owner-full-control", "aws:SourceAccount": "123456789012" },
                ArnLike: { "aws:SourceArn": "arn:aws:logs:us-east-1:123456789012:delivery-source:*" },
            },
        });
    });

    it("dev uses the cheapest price class, prod every edge (ENV-4, CDN-1)", async () => {
        const classes = async (s: string) => [...new Set(ofType(await renderedStack(s), T.dist).map((d) => d.inputs.priceClass))];
        assert.deepStrictEqual(await classes("dev"), ["PriceClass_100"]);
        assert.deepStrictEqual(await classes("prod"), ["PriceClass_All"]);
    });
});
