import { strict as assert } from "assert";
import { parseSecret } from "../../lambdas/rotation/src/secret";
import { AUTH_TOKEN_LENGTH, RedisCache, RedisCacheArgs, redisAuthSecret } from "../../components/redis";
import { windowsOverlap } from "../../components/postgres/windows";
import { parseStackConfig } from "../../infra/config";
import { readProject, readStackConfig } from "../../tools/plan/render";
import { childrenOf, one, ofType, renderComponent, renderedStack, REPO_ROOT } from "../support/plan";

const KEY = (p: string) => `arn:aws:kms:us-east-1:123456789012:key/${p}`;
const CLUSTER_SG = "sg-0cluster";
const GROUP = "aws:elasticache/replicationGroup:ReplicationGroup";

function cacheArgs(overrides: Partial<RedisCacheArgs> = {}): RedisCacheArgs {
    return {
        replicationGroupId: "bb-test-cache",
        engineVersion: "8.0",
        nodeType: "cache.r7g.large",
        snapshotWindow: "02:00-03:00",
        maintenanceWindow: "sun:06:30-sun:07:30",
        vpcId: "vpc-1",
        subnetIds: ["subnet-a", "subnet-b", "subnet-c"],
        allowedSecurityGroupIds: [CLUSTER_SG],
        dataKeyArn: KEY("data"),
        logsKeyArn: KEY("logs"),
        secretsKeyArn: KEY("secrets"),
        authSecretName: "bb-test/cache/auth",
        ...overrides,
    };
}

describe("RedisCache (CACHE-1)", () => {
    it("declares exactly the groups, log groups, token, secret and replication group", async () => {
        const doc = await renderComponent(() => new RedisCache("cache", cacheArgs()));
        const component = one(doc, "bookbuddy:data:RedisCache");
        assert.deepEqual(
            childrenOf(doc, component)
                .map((r) => r.type)
                .sort(),
            [
                "aws:cloudwatch/logGroup:LogGroup",
                "aws:cloudwatch/logGroup:LogGroup",
                "aws:ec2/securityGroup:SecurityGroup",
                "aws:elasticache/parameterGroup:ParameterGroup",
                GROUP,
                "aws:elasticache/subnetGroup:SubnetGroup",
                "aws:secretsmanager/secret:Secret",
                "aws:secretsmanager/secretVersion:SecretVersion",
                "random:index/randomPassword:RandomPassword",
            ].sort(),
        );
        assert.deepEqual(one(doc, "aws:elasticache/subnetGroup:SubnetGroup").inputs.subnetIds, [
            "subnet-a",
            "subnet-b",
            "subnet-c",
        ]);
    });

    it("encrypts at rest with the CMK and in transit (required), with a secret AUTH token rotated by ROTATE", async () => {
        const doc = await renderComponent(() => new RedisCache("cache", cacheArgs()));
        const g = one(doc, GROUP).inputs;
        assert.equal(g.engine, "valkey");
        assert.equal(g.engineVersion, "8.0");
        assert.equal(g.atRestEncryptionEnabled, true);
        assert.equal(g.kmsKeyId, KEY("data"));
        assert.equal(g.transitEncryptionEnabled, true);
        assert.equal(g.transitEncryptionMode, "required");
        assert.equal(g.authToken, "[secret]");
        assert.equal(g.authTokenUpdateStrategy, "ROTATE");
        assert.equal(g.port, 6379);
        const sg = one(doc, "aws:ec2/securityGroup:SecurityGroup").inputs;
        assert.deepEqual(sg.ingress, [
            {
                description: "Redis from the cluster (CACHE-1)",
                protocol: "tcp",
                fromPort: 6379,
                toPort: 6379,
                securityGroups: [CLUSTER_SG],
            },
        ]);
        assert.deepEqual(sg.egress, []);
        const secret = one(doc, "aws:secretsmanager/secret:Secret").inputs;
        assert.equal(secret.name, "bb-test/cache/auth");
        assert.equal(secret.kmsKeyId, KEY("secrets"));
        assert.equal((secret.tags as Record<string, string>)["rotation-class"], "redis-auth");
        assert.equal(one(doc, "aws:secretsmanager/secretVersion:SecretVersion").inputs.secretString, "[secret]");
        assert.equal(one(doc, "random:index/randomPassword:RandomPassword").inputs.length, AUTH_TOKEN_LENGTH);
    });

    it("writes the AUTH secret in the rotation function's redis-auth shape", () => {
        const parsed = parseSecret("redis-auth", redisAuthSecret("bb-test-cache", "t".repeat(64)), "AWSCURRENT");
        assert.deepEqual(parsed, {
            kind: "redis-auth",
            raw: redisAuthSecret("bb-test-cache", "t".repeat(64)),
            data: { replicationGroupId: "bb-test-cache", token: "t".repeat(64), length: 64 },
        });
    });

    it("HA by default: automatic failover, Multi-AZ, two replicas; snapshots and windows that do not overlap", async () => {
        const doc = await renderComponent(() => new RedisCache("cache", cacheArgs()));
        const g = one(doc, GROUP).inputs;
        assert.equal(g.numCacheClusters, 3);
        assert.equal(g.automaticFailoverEnabled, true);
        assert.equal(g.multiAzEnabled, true);
        assert.equal(g.snapshotRetentionLimit, 7);
        assert.equal(g.snapshotWindow, "02:00-03:00");
        assert.equal(windowsOverlap(g.snapshotWindow as string, g.maintenanceWindow as string), false);
        const pg = one(doc, "aws:elasticache/parameterGroup:ParameterGroup").inputs;
        assert.equal(pg.family, "valkey8");
        assert.deepEqual(pg.parameters, [{ name: "maxmemory-policy", value: "volatile-lru" }]);
        assert.equal(g.parameterGroupName, pg.name);
    });

    it("delivers slow and engine logs to two encrypted log groups kept 90 days", async () => {
        const doc = await renderComponent(() => new RedisCache("cache", cacheArgs()));
        const groups = ofType(doc, "aws:cloudwatch/logGroup:LogGroup").map((l) => l.inputs);
        assert.deepEqual(groups.map((l) => l.name).sort(), [
            "/aws/elasticache/bb-test-cache/engine-log",
            "/aws/elasticache/bb-test-cache/slow-log",
        ]);
        for (const l of groups) {
            assert.equal(l.retentionInDays, 90);
            assert.equal(l.kmsKeyId, KEY("logs"));
        }
        const delivery = one(doc, GROUP).inputs.logDeliveryConfigurations as Record<string, string>[];
        assert.deepEqual(delivery.map((d) => [d.logType, d.destinationType, d.destination]).sort(), [
            ["engine-log", "cloudwatch-logs", "/aws/elasticache/bb-test-cache/engine-log"],
            ["slow-log", "cloudwatch-logs", "/aws/elasticache/bb-test-cache/slow-log"],
        ]);
    });

    it("ENV-4: without replicas it is one node with no failover, still encrypted", async () => {
        const doc = await renderComponent(
            () =>
                new RedisCache(
                    "cache",
                    cacheArgs({
                        nodeType: "cache.t4g.micro",
                        replicas: 0,
                        snapshotRetentionDays: 1,
                        engine: "redis",
                        engineVersion: "7.1",
                    }),
                ),
        );
        const g = one(doc, GROUP).inputs;
        assert.equal(g.numCacheClusters, 1);
        assert.equal(g.automaticFailoverEnabled, false);
        assert.equal(g.multiAzEnabled, false);
        assert.equal(g.transitEncryptionMode, "required");
        assert.equal(g.atRestEncryptionEnabled, true);
        assert.equal(one(doc, "aws:elasticache/parameterGroup:ParameterGroup").inputs.family, "redis7");
    });

    it("refuses a replication group ID ElastiCache would reject", () => {
        assert.throws(
            () => new RedisCache("cache", cacheArgs({ replicationGroupId: "x".repeat(41) })),
            /longer than 40 characters/,
        );
    });
});

describe("Redis in the stacks (CACHE-1, ENV-3, ENV-4)", () => {
    it("prod: failover and Multi-AZ with two replicas, snapshots kept at least 7 days", async () => {
        const g = one(await renderedStack("prod"), GROUP).inputs;
        assert.equal(g.replicationGroupId, "bookbuddy-prod-cache");
        assert.equal(g.automaticFailoverEnabled, true);
        assert.equal(g.multiAzEnabled, true);
        assert.ok((g.numCacheClusters as number) >= 3);
        assert.ok((g.snapshotRetentionLimit as number) >= 7);
        assert.equal(g.nodeType, "cache.r7g.large");
    });

    it("dev: a single micro node without failover", async () => {
        const g = one(await renderedStack("dev"), GROUP).inputs;
        assert.equal(g.numCacheClusters, 1);
        assert.equal(g.automaticFailoverEnabled, false);
        assert.equal(g.nodeType, "cache.t4g.micro");
    });
});

describe("cache configuration (CACHE-1, MNT-2, ENV-6)", () => {
    const withCache = (cache: Record<string, unknown>) => {
        const { config } = readStackConfig(REPO_ROOT, readProject(REPO_ROOT), "prod");
        return { ...config, "bookbuddy:cache": JSON.stringify(cache) };
    };

    it("rejects a maintenance window overlapping the snapshot window and an unknown eviction policy", () => {
        assert.throws(
            () => parseStackConfig("qa", withCache({ snapshotWindow: "06:00-07:00", maintenanceWindow: "sun:06:30-sun:07:30" })),
            /bookbuddy:cache\.maintenanceWindow: got "sun:06:30-sun:07:30"; expected a maintenance window that does not overlap cache\.snapshotWindow \(06:00-07:00/,
        );
        assert.throws(
            () => parseStackConfig("qa", withCache({ maxmemoryPolicy: "lru" })),
            /bookbuddy:cache\.maxmemoryPolicy: got "lru"; expected one of/,
        );
        assert.throws(() => parseStackConfig("qa", withCache({ snapshotWindow: "02:00-02:30" })), /at least 60 minutes/);
    });

    it("accepts the prod stack's cache group", () => {
        const cfg = parseStackConfig("prod", readStackConfig(REPO_ROOT, readProject(REPO_ROOT), "prod").config);
        assert.equal(cfg.cache.replicas, 2);
        assert.equal(cfg.cache.maxmemoryPolicy, "volatile-lru");
    });
});
