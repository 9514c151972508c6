import * as assert from "assert";
import type { PlanResourceState } from "../../tools/plan/types";
import { albIngress, allRules, rdsOk, redisOk, ruleNamed } from "./cases";
import { WIRE, checkStack, resource } from "./harness";
import { longestGapDays } from "../../policies/lib/schedule";

const TESTED = new Set<string>();
function rule(name: string) {
    TESTED.add(name);
    return ruleNamed(name);
}

function bucketSet(name: string, opts: { skip?: string[]; tags?: Record<string, string> } = {}): PlanResourceState[] {
    const bucket = resource("aws:s3/bucket:Bucket", name, { bucket: name, tags: opts.tags ?? {} });
    const companions: [string, string, Record<string, unknown>][] = [
        [
            "pab",
            "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
            { blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true },
        ],
        ["sse", "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration", { rules: [] }],
        [
            "ownership",
            "aws:s3/bucketOwnershipControls:BucketOwnershipControls",
            { rule: { objectOwnership: "BucketOwnerEnforced" } },
        ],
        ["policy", "aws:s3/bucketPolicy:BucketPolicy", { policy: "{}" }],
        ["versioning", "aws:s3/bucketVersioning:BucketVersioning", { versioningConfiguration: { status: "Enabled" } }],
        ["lifecycle", "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration", { rules: [] }],
        ["logging", "aws:s3/bucketLogging:BucketLogging", { targetBucket: "bookbuddy-logs" }],
    ];
    return [
        bucket,
        ...companions
            .filter(([k]) => !(opts.skip ?? []).includes(k))
            .map(([k, type, inputs]) =>
                resource(type, `${name}-${k}`, { bucket: WIRE.unknown, ...inputs }, { deps: { bucket: [bucket] } }),
            ),
    ];
}

describe("policy packs: stack rules across resources, naming the offending URN (POL-2, POL-3)", () => {
    describe("s3-bucket-protection-coverage (STORE-1)", () => {
        it("passes a bucket with all protective companions (linked by property dependency)", async () => {
            const outcome = await checkStack(rule("s3-bucket-protection-coverage"), bucketSet("media"));
            assert.deepStrictEqual(outcome.violations, []);
            assert.deepStrictEqual(outcome.cannotJudge, []);
        });
        it("names the bucket without a public-access block", async () => {
            const set = bucketSet("media", { skip: ["pab"] });
            const outcome = await checkStack(rule("s3-bucket-protection-coverage"), set);
            assert.deepStrictEqual(
                outcome.violations.map((v) => v.urn),
                [set[0].urn],
            );
            assert.match(outcome.violations[0].message, /no a public-access block/);
        });
        it("links companions by equal bucket name when no dependency is recorded", async () => {
            const bucket = resource("aws:s3/bucket:Bucket", "logs", { bucket: "bookbuddy-logs" });
            const others = [
                "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
                "aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2",
                "aws:s3/bucketOwnershipControls:BucketOwnershipControls",
                "aws:s3/bucketPolicy:BucketPolicy",
            ].map((t, i) => resource(t, `c${i}`, { bucket: "bookbuddy-logs" }));
            const outcome = await checkStack(rule("s3-bucket-protection-coverage"), [bucket, ...others]);
            assert.deepStrictEqual(outcome.violations, []);
        });
        it("cannot judge when the companion's bucket is unknown and not a recorded dependency", async () => {
            const bucket = resource("aws:s3/bucket:Bucket", "media", { bucket: "m" });
            const pab = resource("aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", "pab", { bucket: WIRE.unknown });
            const outcome = await checkStack(rule("s3-bucket-protection-coverage"), [bucket, pab]);
            assert.match(outcome.cannotJudge[0], /public-access block belongs to the bucket/);
        });
    });

    describe("s3-bucket-maintenance-coverage (STORE-1)", () => {
        it("passes a complete bucket and a log bucket that only receives logs", async () => {
            const logs = resource("aws:s3/bucket:Bucket", "bookbuddy-logs", { bucket: "bookbuddy-logs" });
            const logsVersioning = resource("aws:s3/bucketVersioning:BucketVersioning", "lv", { bucket: "bookbuddy-logs" });
            const logsLifecycle = resource("aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration", "ll", {
                bucket: "bookbuddy-logs",
            });
            const outcome = await checkStack(rule("s3-bucket-maintenance-coverage"), [
                ...bucketSet("media"),
                logs,
                logsVersioning,
                logsLifecycle,
            ]);
            assert.deepStrictEqual(outcome.violations, []);
        });
        it("names a bucket without lifecycle", async () => {
            const set = bucketSet("media", { skip: ["lifecycle"] });
            const outcome = await checkStack(rule("s3-bucket-maintenance-coverage"), set);
            assert.deepStrictEqual(
                outcome.violations.map((v) => [v.urn, v.message]),
                [[set[0].urn, "bucket media has no a lifecycle configuration."]],
            );
        });
    });

    describe("vpc-flow-logs (NET-1)", () => {
        const vpc = resource("aws:ec2/vpc:Vpc", "main", { cidrBlock: "10.20.0.0/16" });
        it("passes a VPC with an ALL flow log", async () => {
            const flow = resource(
                "aws:ec2/flowLog:FlowLog",
                "main-flow",
                { vpcId: WIRE.unknown, trafficType: "ALL" },
                { deps: { vpcId: [vpc] } },
            );
            assert.deepStrictEqual((await checkStack(rule("vpc-flow-logs"), [vpc, flow])).violations, []);
        });
        it("reports a VPC without flow logs and one logging only rejects", async () => {
            const other = resource("aws:ec2/vpc:Vpc", "dr", { cidrBlock: "10.30.0.0/16" });
            const flow = resource(
                "aws:ec2/flowLog:FlowLog",
                "rejects",
                { vpcId: "vpc-x", trafficType: "REJECT" },
                { deps: { vpcId: [vpc] } },
            );
            const outcome = await checkStack(rule("vpc-flow-logs"), [vpc, other, flow]);
            assert.deepStrictEqual(outcome.violations.map((v) => v.urn).sort(), [vpc.urn, other.urn].sort());
        });
    });

    describe("secret-rotation-within-limit (SEC-1)", () => {
        const secret = (name: string, cls: string) =>
            resource("aws:secretsmanager/secret:Secret", name, { name: `bookbuddy/${name}`, tags: { "rotation-class": cls } });
        const rotation = (s: PlanResourceState, rules: Record<string, unknown>) =>
            resource(
                "aws:secretsmanager/secretRotation:SecretRotation",
                `${s.urn.split("::").pop()}-rotation`,
                { secretId: WIRE.unknown, rotationRules: rules },
                { deps: { secretId: [s] } },
            );
        it("passes rotations within each class limit (days, rate and cron schedules)", async () => {
            const jwt = secret("jwt", "jwt");
            const key = secret("maps-key", "api-key");
            const redis = secret("redis-auth", "redis-auth");
            const outcome = await checkStack(rule("secret-rotation-within-limit"), [
                jwt,
                key,
                redis,
                rotation(jwt, { automaticallyAfterDays: 30 }),
                rotation(key, { scheduleExpression: "rate(180 days)" }),
                rotation(redis, { scheduleExpression: "cron(0 4 1 * ? *)" }),
            ]);
            assert.deepStrictEqual(outcome.violations, []);
            assert.deepStrictEqual(outcome.cannotJudge, []);
        });
        it("reports a too-slow rotation, a missing rotation and an unclassified secret by URN", async () => {
            const db = secret("db", "database");
            const missing = secret("webhook", "api-key");
            const unclassified = resource("aws:secretsmanager/secret:Secret", "misc", { name: "misc", tags: {} });
            const outcome = await checkStack(rule("secret-rotation-within-limit"), [
                db,
                missing,
                unclassified,
                rotation(db, { automaticallyAfterDays: 120 }),
            ]);
            assert.deepStrictEqual(
                outcome.violations.map((v) => v.urn),
                [db.urn, missing.urn, unclassified.urn],
            );
            assert.match(outcome.violations[0].message, /every 120 days; the limit is 90/);
        });
        it("rejects an invalid schedule and applies configured limits", async () => {
            const key = secret("maps-key", "api-key");
            const bad = await checkStack(rule("secret-rotation-within-limit"), [
                key,
                rotation(key, { scheduleExpression: "every monday" }),
            ]);
            assert.match(bad.violations[0].message, /neither rate\(\.\.\.\) nor cron/);
            const strict = await checkStack(
                rule("secret-rotation-within-limit"),
                [key, rotation(key, { automaticallyAfterDays: 180 })],
                { config: { limits: { "api-key": 90 } } },
            );
            assert.match(strict.violations[0].message, /limit is 90/);
        });
        it("cannot judge an unknown interval", async () => {
            const jwt = secret("jwt", "jwt");
            const outcome = await checkStack(rule("secret-rotation-within-limit"), [
                jwt,
                rotation(jwt, { automaticallyAfterDays: WIRE.unknown }),
            ]);
            assert.deepStrictEqual(outcome.violations, []);
            assert.match(outcome.cannotJudge[0], /rotation interval/);
        });
        // SEC-1: a vendor-issued key cannot be rotated by us; the `external` class asks for an age alarm instead.
        const external = (name: string, maxAge: string | undefined) =>
            resource("aws:secretsmanager/secret:Secret", name, {
                name: `bookbuddy/api-keys/${name}`,
                tags: { "rotation-class": "external", ...(maxAge ? { "max-age-days": maxAge } : {}) },
            });
        const ageAlarm = (secretName: string, schedule: string) =>
            resource("aws:cloudwatch/eventRule:EventRule", `${secretName.split("/").pop()}-age`, {
                scheduleExpression: schedule,
                tags: { "age-alarm-for": secretName },
            });
        it("accepts an external (vendor-issued) secret with an age alarm within the limit and no rotation", async () => {
            const key = external("maps", "365");
            const outcome = await checkStack(rule("secret-rotation-within-limit"), [
                key,
                ageAlarm("bookbuddy/api-keys/maps", "rate(365 days)"),
            ]);
            assert.deepStrictEqual(outcome.violations, []);
            assert.deepStrictEqual(outcome.cannotJudge, []);
        });
        it("reports an external secret without an age alarm, with a too-late alarm, or without max-age-days", async () => {
            const none = external("a", "180");
            const late = external("b", "365");
            const untagged = external("c", undefined);
            const outcome = await checkStack(rule("secret-rotation-within-limit"), [
                none,
                late,
                untagged,
                ageAlarm("bookbuddy/api-keys/b", "rate(400 days)"),
                ageAlarm("bookbuddy/api-keys/c", "rate(30 days)"),
                ageAlarm("bookbuddy/api-keys/other", "rate(30 days)"),
            ]);
            assert.deepStrictEqual(
                outcome.violations.map((v) => v.urn),
                [none.urn, late.urn, untagged.urn],
            );
            assert.match(outcome.violations[0].message, /no age alarm/);
            assert.match(outcome.violations[1].message, /every 400 days; the limit is 365/);
            assert.match(outcome.violations[2].message, /max-age-days/);
        });
        it("computes the longest gap of AWS cron and rate schedules", () => {
            assert.strictEqual(longestGapDays("rate(12 hours)"), 0.5);
            assert.strictEqual(longestGapDays("cron(0 4 ? * MON *)"), 7);
            assert.strictEqual(longestGapDays("cron(0 4 1 */3 ? *)"), 92);
            assert.ok(typeof longestGapDays("cron(0 4 * *)") === "object");
        });
    });

    describe("waf-on-public-entry (EDGE-1)", () => {
        const alb = resource("aws:lb/loadBalancer:LoadBalancer", "public", { loadBalancerType: "application", internal: false });
        it("passes a public ALB with a web ACL association and ignores internal ones", async () => {
            const internal = resource("aws:lb/loadBalancer:LoadBalancer", "internal", {
                loadBalancerType: "application",
                internal: true,
            });
            const assoc = resource(
                "aws:wafv2/webAclAssociation:WebAclAssociation",
                "waf",
                { resourceArn: WIRE.unknown, webAclArn: "arn:waf" },
                { deps: { resourceArn: [alb] } },
            );
            const cdn = resource("aws:cloudfront/distribution:Distribution", "cdn", {
                webAclId: "arn:aws:wafv2:us-east-1:1:global/webacl/x",
            });
            assert.deepStrictEqual((await checkStack(rule("waf-on-public-entry"), [alb, internal, assoc, cdn])).violations, []);
        });
        it("reports an unprotected ALB and distribution", async () => {
            const cdn = resource("aws:cloudfront/distribution:Distribution", "cdn", {});
            const outcome = await checkStack(rule("waf-on-public-entry"), [alb, cdn]);
            assert.deepStrictEqual(
                outcome.violations.map((v) => v.urn),
                [alb.urn, cdn.urn],
            );
        });
        const INGRESS = "kubernetes:networking.k8s.io/v1:Ingress";
        it("judges the ALB an Ingress asks the controller for: internet-facing needs wafv2-acl-arn, internal and non-ALB ones do not", async () => {
            const protectedApi = resource(INGRESS, "api", albIngress());
            const internal = resource(
                INGRESS,
                "internal",
                albIngress({ "alb.ingress.kubernetes.io/wafv2-acl-arn": undefined }, "internal"),
            );
            const nginx = resource(INGRESS, "nginx", { metadata: { annotations: {} }, spec: { ingressClassName: "nginx" } });
            const open = resource(INGRESS, "open", albIngress({ "alb.ingress.kubernetes.io/wafv2-acl-arn": undefined }));
            const outcome = await checkStack(rule("waf-on-public-entry"), [protectedApi, internal, nginx, open]);
            assert.deepStrictEqual(
                outcome.violations.map((v) => v.urn),
                [open.urn],
            );
            assert.match(
                outcome.violations[0].message,
                /ingress open builds an internet-facing load balancer without alb.ingress.kubernetes.io\/wafv2-acl-arn/,
            );
        });
        it("cannot judge an Ingress whose annotations are unknown during preview", async () => {
            const pending = resource(INGRESS, "pending", {
                ...albIngress(),
                metadata: { name: "bookbuddy-api", annotations: WIRE.unknown },
            });
            const outcome = await checkStack(rule("waf-on-public-entry"), [pending]);
            assert.deepStrictEqual(outcome.violations, []);
            assert.match(outcome.cannotJudge[0], /ingress class and scheme/);
        });
    });

    describe("cloudfront-access-logging (CDN-1): legacy loggingConfig or standard logging v2", () => {
        const CF = "aws:cloudfront/distribution:Distribution";
        const distribution = (name: string, inputs: Record<string, unknown> = {}) =>
            resource(CF, name, inputs, {
                outputs: { arn: `arn:aws:cloudfront::111122223333:distribution/${name.toUpperCase()}` },
            });
        /** The v2 chain as the cdn component declares it: source → delivery → destination (S3). */
        function v2Chain(
            d: PlanResourceState,
            opts: { logType?: unknown; destinationArn?: unknown; byValue?: boolean } = {},
        ): PlanResourceState[] {
            const name = d.urn.split("::").pop()!;
            const arnOfDistribution = `arn:aws:cloudfront::111122223333:distribution/${name.toUpperCase()}`;
            const source = resource(
                "aws:cloudwatch/logDeliverySource:LogDeliverySource",
                `${name}-src`,
                {
                    name: `${name}-src`,
                    logType: opts.logType ?? "ACCESS_LOGS",
                    resourceArn: opts.byValue ? arnOfDistribution : WIRE.unknown,
                    region: "us-east-1",
                },
                opts.byValue ? {} : { deps: { resourceArn: [d] } },
            );
            const destination = resource(
                "aws:cloudwatch/logDeliveryDestination:LogDeliveryDestination",
                `${name}-dst`,
                {
                    name: `${name}-dst`,
                    outputFormat: "parquet",
                    deliveryDestinationConfiguration: {
                        destinationResourceArn: opts.destinationArn ?? "arn:aws:s3:::bookbuddy-access-logs/cloudfront",
                    },
                },
                { outputs: { arn: `arn:aws:logs:us-east-1:111122223333:delivery-destination:${name}-dst` } },
            );
            const delivery = resource(
                "aws:cloudwatch/logDelivery:LogDelivery",
                `${name}-delivery`,
                opts.byValue
                    ? {
                          deliverySourceName: `${name}-src`,
                          deliveryDestinationArn: `arn:aws:logs:us-east-1:111122223333:delivery-destination:${name}-dst`,
                      }
                    : { deliverySourceName: WIRE.unknown, deliveryDestinationArn: WIRE.unknown },
                opts.byValue ? {} : { deps: { deliverySourceName: [source], deliveryDestinationArn: [destination] } },
            );
            return [source, destination, delivery];
        }

        it("passes a distribution with legacy loggingConfig", async () => {
            const legacy = distribution("legacy", {
                loggingConfig: { bucket: "bookbuddy-logs.s3.amazonaws.com", prefix: "cloudfront/" },
            });
            const outcome = await checkStack(rule("cloudfront-access-logging"), [legacy]);
            assert.deepStrictEqual(outcome.violations, []);
            assert.deepStrictEqual(outcome.cannotJudge, []);
        });
        it("passes v2 logging joined by property dependencies (values unknown in preview) and by identifiers", async () => {
            const media = distribution("media");
            const web = distribution("web");
            const outcome = await checkStack(rule("cloudfront-access-logging"), [
                media,
                web,
                ...v2Chain(media),
                ...v2Chain(web, { byValue: true }),
            ]);
            assert.deepStrictEqual(outcome.violations, []);
            assert.deepStrictEqual(outcome.cannotJudge, []);
        });
        it("names a distribution with neither form, and one whose delivery source belongs to another distribution", async () => {
            const bare = distribution("bare");
            const logged = distribution("logged");
            const other = distribution("other");
            const outcome = await checkStack(rule("cloudfront-access-logging"), [bare, logged, other, ...v2Chain(logged)]);
            assert.deepStrictEqual(
                outcome.violations.map((v) => v.urn),
                [bare.urn, other.urn],
            );
            assert.match(outcome.violations[0].message, /distribution bare writes no access logs/);
        });
        it("rejects a v2 source of another log type, a source without a delivery, and a destination without a resource", async () => {
            const wrongType = distribution("wrongtype");
            const noDelivery = distribution("nodelivery");
            const noTarget = distribution("notarget");
            const orphanSource = v2Chain(noDelivery)[0];
            const outcome = await checkStack(rule("cloudfront-access-logging"), [
                wrongType,
                noDelivery,
                noTarget,
                ...v2Chain(wrongType, { logType: "CONNECTION_LOGS" }),
                orphanSource,
                ...v2Chain(noTarget, { destinationArn: "" }),
            ]);
            assert.deepStrictEqual(
                outcome.violations.map((v) => v.urn),
                [wrongType.urn, noDelivery.urn, noTarget.urn],
            );
        });
        it("accepts a destination ARN unknown in preview when it comes from the log bucket, and cannot judge one from nowhere", async () => {
            const d = distribution("fresh");
            const logs = resource("aws:s3/bucket:Bucket", "access-logs", { bucket: "bookbuddy-access-logs" });
            const [source, destination, delivery] = v2Chain(d, { destinationArn: WIRE.unknown });
            const fromBucket = { ...destination, propertyDependencies: { deliveryDestinationConfiguration: [logs.urn] } };
            const outcome = await checkStack(rule("cloudfront-access-logging"), [d, logs, source, fromBucket, delivery]);
            assert.deepStrictEqual(outcome, { violations: [], cannotJudge: [] });
            const fromNowhere = await checkStack(rule("cloudfront-access-logging"), [d, source, destination, delivery]);
            assert.deepStrictEqual(fromNowhere.violations, []);
            assert.match(fromNowhere.cannotJudge[0], /cloudfront-access-logging cannot judge/);
        });
        it("cannot judge an unknown log type or an unlinked unknown source ARN", async () => {
            const d = distribution("pending");
            const unknownType = await checkStack(rule("cloudfront-access-logging"), [
                d,
                ...v2Chain(d, { logType: WIRE.unknown }),
            ]);
            assert.deepStrictEqual(unknownType.violations, []);
            assert.match(unknownType.cannotJudge[0], /access-log delivery belongs to the distribution/);
            const unlinked = resource("aws:cloudwatch/logDeliverySource:LogDeliverySource", "src", {
                name: "src",
                logType: "ACCESS_LOGS",
                resourceArn: WIRE.unknown,
            });
            const [, destination, delivery] = v2Chain(d);
            const deliveryFromUnlinked = {
                ...delivery,
                propertyDependencies: { ...delivery.propertyDependencies, deliverySourceName: [unlinked.urn] },
            };
            const outcome = await checkStack(rule("cloudfront-access-logging"), [d, unlinked, destination, deliveryFromUnlinked]);
            assert.deepStrictEqual(outcome.violations, []);
            assert.strictEqual(outcome.cannotJudge.length, 1);
        });
    });

    describe("backup-coverage (BKP-1)", () => {
        const db = resource("aws:rds/instance:Instance", "db", rdsOk);
        const media = resource("aws:s3/bucket:Bucket", "media", {
            bucket: "bookbuddy-media",
            tags: { "data-class": "primary", backup: "media" },
        });
        const scratch = resource("aws:s3/bucket:Bucket", "scratch", {
            bucket: "bookbuddy-scratch",
            tags: { "data-class": "derived", "data-class-reason": "rebuilt from media by the thumbnail job" },
        });
        const plan = (days: { db: number; media: number }) =>
            resource("aws:backup/plan:Plan", "daily", {
                name: "daily",
                rules: [
                    {
                        ruleName: "database",
                        targetVaultName: "v",
                        schedule: "cron(0 3 * * ? *)",
                        lifecycle: { deleteAfter: days.db },
                    },
                    {
                        ruleName: "media",
                        targetVaultName: "v",
                        schedule: "cron(0 4 * * ? *)",
                        lifecycle: { deleteAfter: days.media },
                    },
                ],
            });
        const selection = (p: PlanResourceState, name: string, value: string) =>
            resource(
                "aws:backup/selection:Selection",
                name,
                { planId: WIRE.unknown, iamRoleArn: "arn:role", selectionTags: [{ type: "STRINGEQUALS", key: "backup", value }] },
                { deps: { planId: [p] } },
            );
        it("passes primary data covered by selections in a plan keeping 30/90 days", async () => {
            const p = plan({ db: 35, media: 90 });
            const outcome = await checkStack(rule("backup-coverage"), [
                db,
                media,
                scratch,
                p,
                selection(p, "sel-db", "database"),
                selection(p, "sel-media", "media"),
            ]);
            assert.deepStrictEqual(outcome.violations, []);
            assert.deepStrictEqual(outcome.cannotJudge, []);
        });
        it("reports uncovered data and a plan that keeps too little", async () => {
            const p = plan({ db: 14, media: 14 });
            const outcome = await checkStack(rule("backup-coverage"), [db, media, p, selection(p, "sel-db", "database")]);
            assert.deepStrictEqual(
                outcome.violations.map((v) => v.urn),
                [db.urn, media.urn],
            );
            assert.match(outcome.violations[0].message, /backed up for 14 days; 30 are required/);
            assert.match(outcome.violations[1].message, /no backup selection/);
        });
        it("cannot judge unknown data-class tags", async () => {
            const unknownTags = resource("aws:rds/instance:Instance", "db2", { ...rdsOk, tags: WIRE.unknown });
            const outcome = await checkStack(rule("backup-coverage"), [unknownTags]);
            assert.deepStrictEqual(outcome.violations, []);
            assert.match(outcome.cannotJudge[0], /data-class tag/);
        });
    });

    describe("eks-cluster-admin-access (DEP-1, K8S-1)", () => {
        const cluster = (accessConfig: Record<string, unknown>) =>
            resource("aws:eks/cluster:Cluster", "eks", { name: "bookbuddy-dev", accessConfig });
        const noBootstrap = cluster({ authenticationMode: "API", bootstrapClusterCreatorAdminPermissions: false });
        const entry = resource("aws:eks/accessEntry:AccessEntry", "deploy", {
            clusterName: "bookbuddy-dev",
            principalArn: "arn:aws:iam::123456789012:role/bookbuddy-dev-deploy",
            type: "STANDARD",
        });
        const association = (policy: string, scope: Record<string, unknown>) =>
            resource(
                "aws:eks/accessPolicyAssociation:AccessPolicyAssociation",
                `deploy-${policy}`,
                {
                    clusterName: "bookbuddy-dev",
                    principalArn: WIRE.unknown,
                    policyArn: `arn:aws:eks::aws:cluster-access-policy/${policy}`,
                    accessScope: scope,
                },
                { deps: { principalArn: [entry] } },
            );
        it("passes a cluster whose deploying identity holds cluster admin at cluster scope, and one with the creator's bootstrap admin", async () => {
            const outcome = await checkStack(rule("eks-cluster-admin-access"), [
                noBootstrap,
                entry,
                association("AmazonEKSClusterAdminPolicy", { type: "cluster" }),
            ]);
            assert.deepStrictEqual([outcome.violations, outcome.cannotJudge], [[], []]);
            const bootstrapped = await checkStack(rule("eks-cluster-admin-access"), [
                cluster({ authenticationMode: "API", bootstrapClusterCreatorAdminPermissions: true }),
            ]);
            assert.deepStrictEqual(bootstrapped.violations, []);
        });
        it("flags a cluster nobody administers: no entry, only a view policy, or admin in one namespace", async () => {
            for (const extra of [
                [],
                [entry, association("AmazonEKSViewPolicy", { type: "cluster" })],
                [entry, association("AmazonEKSClusterAdminPolicy", { type: "namespace", namespaces: ["default"] })],
            ]) {
                const outcome = await checkStack(rule("eks-cluster-admin-access"), [noBootstrap, ...extra]);
                assert.deepStrictEqual(
                    outcome.violations.map((v) => v.urn),
                    [noBootstrap.urn],
                );
                assert.match(outcome.violations[0].message, /no access entry holds AmazonEKSClusterAdminPolicy at cluster scope/);
            }
        });
        it("flags CONFIG_MAP-only authentication without the creator's admin", async () => {
            const outcome = await checkStack(rule("eks-cluster-admin-access"), [
                cluster({ authenticationMode: "CONFIG_MAP", bootstrapClusterCreatorAdminPermissions: false }),
            ]);
            assert.match(outcome.violations[0].message, /authentication mode "CONFIG_MAP" without the creator's bootstrap admin/);
        });
        it("cannot judge an unknown access configuration", async () => {
            const outcome = await checkStack(rule("eks-cluster-admin-access"), [
                cluster({ authenticationMode: WIRE.unknown, bootstrapClusterCreatorAdminPermissions: false }),
            ]);
            assert.deepStrictEqual(outcome.violations, []);
            assert.match(outcome.cannotJudge[0], /accessConfig/);
        });
    });

    describe("data-store-alarms (ALARM-1)", () => {
        const db = resource("aws:rds/instance:Instance", "db", { ...rdsOk, identifier: "bookbuddy-db" });
        const redis = resource("aws:elasticache/replicationGroup:ReplicationGroup", "cache", {
            ...redisOk,
            replicationGroupId: "bookbuddy-cache",
        });
        const alarm = (name: string, metric: string, dims: Record<string, unknown>, from?: PlanResourceState) =>
            resource(
                "aws:cloudwatch/metricAlarm:MetricAlarm",
                name,
                { metricName: metric, dimensions: dims, alarmActions: ["a"], okActions: ["a"], treatMissingData: "missing" },
                from ? { deps: { dimensions: [from] } } : {},
            );
        const rdsAlarms = ["CPUUtilization", "FreeableMemory", "FreeStorageSpace", "DatabaseConnections"].map((m) =>
            alarm(`db-${m}`, m, { DBInstanceIdentifier: WIRE.unknown }, db),
        );
        it("passes stores with all ALARM-1 alarms (matched by dependency and by identifier)", async () => {
            const redisAlarms = [
                alarm("r-cpu", "EngineCPUUtilization", { CacheClusterId: "bookbuddy-cache-001" }),
                alarm("r-mem", "DatabaseMemoryUsagePercentage", { ReplicationGroupId: "bookbuddy-cache" }),
                alarm("r-evict", "Evictions", { CacheClusterId: "bookbuddy-cache-002" }),
            ];
            const outcome = await checkStack(rule("data-store-alarms"), [db, redis, ...rdsAlarms, ...redisAlarms]);
            assert.deepStrictEqual(outcome.violations, []);
        });
        it("names the store and the missing metrics", async () => {
            const outcome = await checkStack(rule("data-store-alarms"), [db, redis, ...rdsAlarms.slice(1)]);
            assert.deepStrictEqual(
                outcome.violations.map((v) => v.urn),
                [db.urn, redis.urn],
            );
            assert.match(outcome.violations[0].message, /no alarm on CPUUtilization\./);
            assert.match(
                outcome.violations[1].message,
                /CPUUtilization\|EngineCPUUtilization, DatabaseMemoryUsagePercentage, Evictions/,
            );
        });
        it("cannot judge alarms whose dimensions are unknown and not linked", async () => {
            const outcome = await checkStack(rule("data-store-alarms"), [
                redis,
                alarm("x", "Evictions", { CacheClusterId: WIRE.unknown }),
            ]);
            assert.deepStrictEqual(outcome.violations, []);
            assert.match(outcome.cannotJudge[0], /alarm dimensions/);
        });
    });

    describe("backup-vault-lock (BKP-1)", () => {
        const vault = resource("aws:backup/vault:Vault", "main", { name: "bookbuddy", kmsKeyArn: "k" });
        it("passes a locked vault", async () => {
            const lock = resource("aws:backup/vaultLockConfiguration:VaultLockConfiguration", "lock", {
                backupVaultName: "bookbuddy",
                minRetentionDays: 7,
            });
            assert.deepStrictEqual((await checkStack(rule("backup-vault-lock"), [vault, lock])).violations, []);
        });
        it("names an unlocked vault", async () => {
            assert.deepStrictEqual(
                (await checkStack(rule("backup-vault-lock"), [vault])).violations.map((v) => v.urn),
                [vault.urn],
            );
        });
    });

    describe("cross-region-dr (DR-1)", () => {
        const media = resource("aws:s3/bucket:Bucket", "media", { bucket: "bookbuddy-media", tags: { "data-class": "primary" } });
        it("passes copyActions to a DR vault and replicated primary buckets", async () => {
            const plan = resource("aws:backup/plan:Plan", "daily", {
                rules: [
                    {
                        ruleName: "db",
                        lifecycle: { deleteAfter: 30 },
                        copyActions: [
                            {
                                destinationVaultArn: "arn:aws:backup:eu-central-1:1:backup-vault:dr",
                                lifecycle: { deleteAfter: 30 },
                            },
                        ],
                    },
                ],
            });
            const repl = resource(
                "aws:s3/bucketReplicationConfig:BucketReplicationConfig",
                "media-repl",
                { bucket: WIRE.unknown, role: "arn:role", rules: [{ status: "Enabled" }] },
                { deps: { bucket: [media] } },
            );
            assert.deepStrictEqual((await checkStack(rule("cross-region-dr"), [media, plan, repl])).violations, []);
        });
        it("reports a plan without copies and an unreplicated bucket", async () => {
            const plan = resource("aws:backup/plan:Plan", "daily", {
                rules: [{ ruleName: "db", lifecycle: { deleteAfter: 30 } }],
            });
            const outcome = await checkStack(rule("cross-region-dr"), [media, plan]);
            assert.deepStrictEqual(
                outcome.violations.map((v) => v.urn),
                [plan.urn, media.urn],
            );
        });
    });

    describe("provider-default-tags (ENV-5)", () => {
        const tags = {
            environment: "prod",
            service: "bookbuddy",
            owner: "platform",
            "cost-center": "cc-42",
            "managed-by": "pulumi",
        };
        const provider = (t: Record<string, string>) =>
            resource("pulumi:providers:aws", "aws", { region: "eu-west-1", defaultTags: JSON.stringify({ tags: t }) });
        it("passes resources created through a provider with the five tags (JSON-encoded as the SDK sends them)", async () => {
            const p = provider(tags);
            const component = resource("bookbuddy:data:PostgresDatabase", "db", {}, { custom: false });
            const db = resource("aws:rds/instance:Instance", "db", rdsOk, { provider: p, parent: component.urn });
            const outcome = await checkStack(rule("provider-default-tags"), [p, component, db]);
            assert.deepStrictEqual(outcome.violations, []);
        });
        it("reports a missing tag, a wrong managed-by and a resource on no recorded provider", async () => {
            const p = provider({ ...tags, owner: "", "managed-by": "terraform" });
            const a = resource("aws:s3/bucket:Bucket", "a", { bucket: "a" }, { provider: p });
            const b = resource("aws:s3/bucket:Bucket", "b", { bucket: "b" });
            const outcome = await checkStack(rule("provider-default-tags"), [p, a, b]);
            assert.deepStrictEqual(
                outcome.violations.map((v) => v.urn),
                [a.urn, b.urn],
            );
            assert.match(outcome.violations[0].message, /lacks owner; managed-by is "terraform"/);
        });
        it("cannot judge unknown default tags", async () => {
            const p = resource("pulumi:providers:aws", "aws", { defaultTags: WIRE.unknown });
            const outcome = await checkStack(rule("provider-default-tags"), [
                p,
                resource("aws:s3/bucket:Bucket", "a", {}, { provider: p }),
            ]);
            assert.match(outcome.cannotJudge[0], /provider defaultTags/);
        });
    });

    describe("sg-no-world-ingress (SEC-6): every form, tags read from the rule's group (more in sg-world-ingress.spec.ts)", () => {
        it("passes a 443 SecurityGroupRule on a tagged LB group and names an untagged group's world rule", async () => {
            const lb = resource("aws:ec2/securityGroup:SecurityGroup", "lb", { description: "lb", tags: { tier: "public-lb" } });
            const app = resource("aws:ec2/securityGroup:SecurityGroup", "app", { description: "app" });
            const open = (name: string, group: PlanResourceState) =>
                resource(
                    "aws:ec2/securityGroupRule:SecurityGroupRule",
                    name,
                    {
                        type: "ingress",
                        securityGroupId: WIRE.unknown,
                        description: "https",
                        protocol: "tcp",
                        fromPort: 443,
                        toPort: 443,
                        cidrBlocks: ["0.0.0.0/0"],
                    },
                    { deps: { securityGroupId: [group] } },
                );
            const bad = open("app-https", app);
            const outcome = await checkStack(rule("sg-no-world-ingress"), [lb, app, open("lb-https", lb), bad]);
            assert.deepStrictEqual(
                outcome.violations.map((v) => v.urn),
                [bad.urn],
            );
        });
    });

    describe("coverage of the stack rules (POL-1)", () => {
        it("tests every stack rule of both packs", () => {
            const stackRules = allRules.filter((r) => r.kind === "stack").map((r) => r.name);
            assert.deepStrictEqual(
                stackRules.filter((n) => !TESTED.has(n)),
                [],
            );
        });
    });
});
