import { strict as assert } from "assert";
import { ApplicationSecrets, ApplicationSecretsArgs, SecretRotator, SecretRotatorArgs } from "../../components/secrets";
import { MAX_REDIS_WAIT_SECONDS, ROTATION_TIMEOUT_SECONDS } from "../../components/secrets/rotation";
import { parseStackConfig, ConfigError } from "../../infra/config";
import { rotationPermissions, ROTATION_RUNTIME } from "../../lambdas/rotation/archive";
import { parseSecret, resolveKind } from "../../lambdas/rotation/src/secret";
import { readProject, readStackConfig } from "../../tools/plan/render";
import { PlanDocument, PlanResourceState } from "../../tools/plan/types";
import { childrenOf, json, nameOf, one, ofType, renderComponent, renderedStack, REPO_ROOT } from "../support/plan";

const KEY = (p: string) => `arn:aws:kms:us-east-1:123456789012:key/${p}`;
const SECRET = (n: string) => `arn:aws:secretsmanager:us-east-1:123456789012:secret:${n}-AbCdEf`;
const ROTATION = "aws:secretsmanager/secretRotation:SecretRotation";
const SECRET_TYPE = "aws:secretsmanager/secret:Secret";

function secretsArgs(overrides: Partial<ApplicationSecretsArgs> = {}): ApplicationSecretsArgs {
    return {
        jwtSecretName: "bb-test/app/jwt",
        jwtRotationDays: 30,
        apiKeyPrefix: "bb-test/api-keys/",
        apiKeys: [
            { name: "search", source: "generated", rotationDays: 180 },
            { name: "maps", source: "supplied", rotationDays: 365, value: "vendor-key-canary-0001" },
        ],
        grafanaSecretName: "bb-test/grafana/admin",
        kmsKeyArn: KEY("secrets"),
        ...overrides,
    };
}

function rotatorArgs(overrides: Partial<SecretRotatorArgs> = {}): SecretRotatorArgs {
    return {
        functionName: "bb-test-secret-rotation",
        secrets: [
            { name: "database-app", secretArn: SECRET("bb-test/database/app"), kind: "postgres-user", rotationDays: 30 },
            {
                name: "cache-auth",
                secretArn: SECRET("bb-test/cache/auth"),
                kind: "redis-auth",
                rotationDays: 30,
                replicationGroupArn: "arn:aws:elasticache:us-east-1:123456789012:replicationgroup:bb-test-cache",
            },
            { name: "jwt", secretArn: SECRET("bb-test/app/jwt"), kind: "random", rotationDays: 30 },
        ],
        managedRotations: [{ name: "database-master", secretArn: SECRET("rds!db-1234"), rotationDays: 30 }],
        manualRotations: [
            {
                name: "api-key-maps",
                secretArn: SECRET("bb-test/api-keys/maps"),
                secretName: "bb-test/api-keys/maps",
                rotationDays: 365,
            },
        ],
        secretsKeyArn: KEY("secrets"),
        subnetIds: ["subnet-a", "subnet-b"],
        securityGroupId: "sg-rotation",
        egress: [
            { description: "PostgreSQL", port: 5432, securityGroupId: "sg-db" },
            { description: "VPC endpoints", port: 443, securityGroupId: "sg-endpoints" },
        ],
        logsKeyArn: KEY("logs"),
        alarmTopicArn: "arn:aws:sns:us-east-1:123456789012:alerts",
        context: { accountId: "123456789012", region: "us-east-1", partition: "aws" },
        ...overrides,
    };
}

const tags = (r: PlanResourceState) => r.inputs.tags as Record<string, string>;

describe("ApplicationSecrets (SEC-1, SEC-2)", () => {
    let doc: PlanDocument;
    before(async () => {
        doc = await renderComponent(() => new ApplicationSecrets("app", secretsArgs()));
    });

    it("declares one secret, one first version and (for generated values) one random password per secret", () => {
        const component = one(doc, "bookbuddy:security:ApplicationSecrets");
        const children = childrenOf(doc, component);
        const count = (t: string) => children.filter((r) => r.type === t).length;
        assert.equal(count(SECRET_TYPE), 4);
        assert.equal(count("aws:secretsmanager/secretVersion:SecretVersion"), 4);
        assert.equal(
            count("random:index/randomPassword:RandomPassword"),
            3,
            "JWT, generated key, Grafana; the supplied key is not generated",
        );
        assert.deepEqual(
            ofType(doc, SECRET_TYPE)
                .map((s) => s.inputs.name)
                .sort(),
            ["bb-test/api-keys/maps", "bb-test/api-keys/search", "bb-test/app/jwt", "bb-test/grafana/admin"],
        );
    });

    it("puts every secret on the secrets key with its rotation class and kind (SEC-1, SEC-3)", () => {
        const byName = Object.fromEntries(ofType(doc, SECRET_TYPE).map((s) => [s.inputs.name as string, s]));
        for (const s of Object.values(byName)) {
            assert.equal(s.inputs.kmsKeyId, KEY("secrets"));
            assert.equal(s.inputs.recoveryWindowInDays, 30);
        }
        assert.deepEqual(tags(byName["bb-test/app/jwt"]), { "rotation-class": "jwt", "rotation-kind": "random" });
        assert.deepEqual(tags(byName["bb-test/api-keys/search"]), {
            "rotation-class": "api-key",
            "rotation-kind": "random",
            "api-key-source": "generated",
        });
        assert.deepEqual(
            tags(byName["bb-test/api-keys/maps"]),
            { "rotation-class": "external", "api-key-source": "supplied", "max-age-days": "365" },
            "no kind: the function must never overwrite a vendor's key",
        );
        assert.equal(tags(byName["bb-test/grafana/admin"])["rotation-kind"], "random");
    });

    it("keeps every value secret: versions show only [secret] and the random values are not special-character strings (SEC-2)", () => {
        for (const v of ofType(doc, "aws:secretsmanager/secretVersion:SecretVersion"))
            assert.equal(v.inputs.secretString, "[secret]", nameOf(v));
        assert.ok(!JSON.stringify(doc).includes("vendor-key-canary-0001"), "the supplied key appears in the rendered document");
        for (const p of ofType(doc, "random:index/randomPassword:RandomPassword")) {
            assert.equal(p.inputs.special, false, "letters and digits are inside every encoding the rotation function checks");
            assert.ok((p.inputs.length as number) >= 32);
        }
    });

    it("writes JSON the rotation function accepts for the random kind (SEC-1)", async () => {
        // Render the JSON through the same helper with a known value and parse it with the function's own parser.
        const { randomSecretJson } = await import("../../components/secrets");
        const jwtRaw = JSON.parse(randomSecretJson("a".repeat(64), 64, "base64url"));
        const parsed = parseSecret(resolveKind(jwtRaw, undefined), jwtRaw, "AWSCURRENT");
        assert.equal(parsed.kind, "random");
        if (parsed.kind === "random") assert.deepEqual([parsed.data.length, parsed.data.encoding], [64, "base64url"]);
        const grafanaRaw = JSON.parse(randomSecretJson("A1".repeat(16), 32, "alphanumeric", { username: "admin" }));
        const grafana = parseSecret(resolveKind(grafanaRaw, undefined), grafanaRaw, "AWSCURRENT");
        assert.equal(grafana.kind, "random");
        assert.equal(grafana.raw.username, "admin");
    });

    it("refuses a supplied key without a value and a generated key with one", () => {
        assert.throws(
            () => new ApplicationSecrets("bad", secretsArgs({ apiKeys: [{ name: "x", source: "supplied", rotationDays: 30 }] })),
            /needs a value/,
        );
        assert.throws(
            () =>
                new ApplicationSecrets(
                    "bad2",
                    secretsArgs({ apiKeys: [{ name: "x", source: "generated", rotationDays: 30, value: "v" }] }),
                ),
            /takes no value/,
        );
    });
});

describe("SecretRotator (SEC-1, SEC-4, SEC-6)", () => {
    let doc: PlanDocument;
    before(async () => {
        doc = await renderComponent(() => new SecretRotator("rot", rotatorArgs()));
    });

    it("declares the function, role, policy, log group, egress rules, permission, rotations, reminder and alarm", () => {
        const component = one(doc, "bookbuddy:security:SecretRotator");
        assert.deepEqual(
            childrenOf(doc, component)
                .map((r) => r.type)
                .sort(),
            [
                "aws:cloudwatch/eventRule:EventRule",
                "aws:cloudwatch/eventTarget:EventTarget",
                "aws:cloudwatch/logGroup:LogGroup",
                "aws:cloudwatch/metricAlarm:MetricAlarm",
                "aws:iam/role:Role",
                "aws:iam/rolePolicy:RolePolicy",
                "aws:lambda/function:Function",
                "aws:lambda/permission:Permission",
                ROTATION,
                ROTATION,
                ROTATION,
                ROTATION,
                "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule",
                "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule",
            ].sort(),
        );
    });

    it("runs Node.js 22 in the private subnets with a timeout longer than the Redis wait and reserved concurrency", () => {
        const fn = one(doc, "aws:lambda/function:Function").inputs;
        assert.equal(fn.runtime, ROTATION_RUNTIME);
        assert.equal(fn.runtime, "nodejs22.x");
        assert.equal(fn.handler, "index.handler");
        assert.ok(
            (fn.timeout as number) > MAX_REDIS_WAIT_SECONDS + 60,
            `timeout ${fn.timeout} vs Redis wait ${MAX_REDIS_WAIT_SECONDS}`,
        );
        assert.equal(fn.timeout, ROTATION_TIMEOUT_SECONDS);
        assert.equal(fn.reservedConcurrentExecutions, 2);
        assert.deepEqual(fn.vpcConfig, { subnetIds: ["subnet-a", "subnet-b"], securityGroupIds: ["sg-rotation"] });
        assert.equal((fn.loggingConfig as Record<string, unknown>).logGroup, "/aws/lambda/bb-test-secret-rotation");
        const env = (fn.environment as { variables: Record<string, string> }).variables;
        assert.equal(Number(env.REDIS_WAIT_ATTEMPTS) * Number(env.REDIS_WAIT_INTERVAL_SECONDS), MAX_REDIS_WAIT_SECONDS);
        const code = fn.code as { archive: string[] };
        assert.ok(
            code.archive.includes("index.js") && code.archive.includes("node_modules/pg"),
            `archive: ${code.archive.join(", ")}`,
        );
    });

    it("keeps its log group 90 days on the logs key", () => {
        const lg = one(doc, "aws:cloudwatch/logGroup:LogGroup").inputs;
        assert.deepEqual([lg.name, lg.retentionInDays, lg.kmsKeyId], ["/aws/lambda/bb-test-secret-rotation", 90, KEY("logs")]);
    });

    it("gives its role exactly the rotation permissions with the resources filled in, and nothing on * but describes and random passwords (SEC-4)", () => {
        const trust = json(one(doc, "aws:iam/role:Role").inputs.assumeRolePolicy);
        assert.deepEqual(trust.Statement[0].Principal, { Service: "lambda.amazonaws.com" });
        assert.deepEqual(trust.Statement[0].Condition, { StringEquals: { "aws:SourceAccount": "123456789012" } });
        const policy = json(one(doc, "aws:iam/rolePolicy:RolePolicy").inputs.policy);
        const bySid = Object.fromEntries(policy.Statement.map((s: { Sid: string }) => [s.Sid, s]));
        for (const p of rotationPermissions(["postgres-user", "redis-auth", "random"]))
            assert.deepEqual(bySid[p.sid].Action, p.actions, p.sid);
        assert.deepEqual(
            bySid.RotateOwnSecrets.Resource,
            [SECRET("bb-test/database/app"), SECRET("bb-test/cache/auth"), SECRET("bb-test/app/jwt")],
            "never the manual or RDS-managed secrets",
        );
        assert.equal(bySid.UseSecretsKey.Resource, KEY("secrets"));
        assert.deepEqual(bySid.UseSecretsKey.Condition, {
            StringEquals: { "kms:ViaService": "secretsmanager.us-east-1.amazonaws.com" },
        });
        assert.deepEqual(bySid.RotateRedisAuthToken.Resource, [
            "arn:aws:elasticache:us-east-1:123456789012:replicationgroup:bb-test-cache",
        ]);
        assert.deepEqual(bySid.CreateOwnNetworkInterfaces.Resource, [
            "arn:aws:ec2:us-east-1:123456789012:subnet/subnet-a",
            "arn:aws:ec2:us-east-1:123456789012:subnet/subnet-b",
            "arn:aws:ec2:us-east-1:123456789012:security-group/sg-rotation",
            "arn:aws:ec2:us-east-1:123456789012:network-interface/*",
        ]);
        assert.match(
            bySid.WriteOwnLogs.Resource,
            /^arn:aws:logs:us-east-1:123456789012:log-group:\/aws\/lambda\/bb-test-secret-rotation:\*$/,
        );
        const onStar = policy.Statement.filter((s: { Resource: unknown }) => s.Resource === "*")
            .flatMap((s: { Action: string[] }) => s.Action)
            .sort();
        assert.deepEqual(onStar, [
            "ec2:DescribeNetworkInterfaces",
            "ec2:DescribeSecurityGroups",
            "ec2:DescribeSubnets",
            "secretsmanager:GetRandomPassword",
        ]);
    });

    it("reaches only the database on 5432 and the endpoints on 443, each rule described (SEC-6)", () => {
        const rules = ofType(doc, "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule").map((r) => r.inputs);
        assert.deepEqual(
            rules.map((r) => [r.securityGroupId, r.ipProtocol, r.fromPort, r.toPort, r.referencedSecurityGroupId, r.description]),
            [
                ["sg-rotation", "tcp", 5432, 5432, "sg-db", "PostgreSQL"],
                ["sg-rotation", "tcp", 443, 443, "sg-endpoints", "VPC endpoints"],
            ],
        );
        for (const r of rules) assert.equal(r.cidrIpv4, undefined);
    });

    it("lets only Secrets Manager of this account invoke it", () => {
        const p = one(doc, "aws:lambda/permission:Permission").inputs;
        assert.deepEqual(
            [p.action, p.principal, p.sourceAccount],
            ["lambda:InvokeFunction", "secretsmanager.amazonaws.com", "123456789012"],
        );
    });

    it("schedules every rotation: by the function, RDS's managed master rotation without a function, and a reminder for vendor keys (SEC-1, DB-3)", () => {
        const rotations = Object.fromEntries(ofType(doc, ROTATION).map((r) => [nameOf(r), r.inputs]));
        assert.deepEqual(Object.keys(rotations).sort(), ["rot-cache-auth", "rot-database-app", "rot-database-master", "rot-jwt"]);
        for (const [n, r] of Object.entries(rotations)) {
            assert.deepEqual(r.rotationRules, { automaticallyAfterDays: n === "rot-database-master" ? 30 : 30 });
            if (n === "rot-database-master")
                assert.equal(r.rotationLambdaArn, undefined, "RDS rotates its managed secret itself");
            else assert.equal(r.rotationLambdaArn, "arn:aws:lambda:us-east-1:123456789012:function:bb-test-secret-rotation");
        }
        const age = one(doc, "aws:cloudwatch/eventRule:EventRule").inputs;
        assert.equal(age.scheduleExpression, "rate(365 days)");
        assert.deepEqual(
            age.tags,
            { "age-alarm-for": "bb-test/api-keys/maps" },
            "the age alarm names the external secret it watches",
        );
        assert.equal(one(doc, "aws:cloudwatch/eventTarget:EventTarget").inputs.arn, "arn:aws:sns:us-east-1:123456789012:alerts");
    });

    it("alarms on any failed rotation step with alarm and OK actions (SEC-1, ALARM-1)", () => {
        const a = one(doc, "aws:cloudwatch/metricAlarm:MetricAlarm").inputs;
        assert.deepEqual(
            [a.namespace, a.metricName, a.threshold, a.comparisonOperator, a.treatMissingData],
            ["AWS/Lambda", "Errors", 1, "GreaterThanOrEqualToThreshold", "notBreaching"],
        );
        assert.deepEqual(a.alarmActions, ["arn:aws:sns:us-east-1:123456789012:alerts"]);
        assert.deepEqual(a.okActions, ["arn:aws:sns:us-east-1:123456789012:alerts"]);
    });

    it("refuses a Redis secret without its replication group and duplicate names", () => {
        const args = rotatorArgs();
        assert.throws(
            () =>
                new SecretRotator("bad", {
                    ...args,
                    secrets: [{ name: "c", secretArn: SECRET("c"), kind: "redis-auth", rotationDays: 30 }],
                }),
            /replicationGroupArn/,
        );
        assert.throws(
            () =>
                new SecretRotator("bad2", {
                    ...args,
                    managedRotations: [{ name: "jwt", secretArn: SECRET("x"), rotationDays: 30 }],
                }),
            /two rotations are named jwt/,
        );
    });
});

describe("Secret rotation configuration (SEC-1, ENV-6)", () => {
    const project = readProject(REPO_ROOT);
    const base = () => readStackConfig(REPO_ROOT, project, "prod");

    it("rejects intervals above the SEC-1 maximums with a clear message", () => {
        const { config, secretKeys } = base();
        config["bookbuddy:secrets"] = JSON.stringify({ databaseRotationDays: 91, jwtRotationDays: 120 });
        config["bookbuddy:apiKeys"] = JSON.stringify([{ name: "search", rotationDays: 400 }]);
        assert.throws(
            () => parseStackConfig("prod", config, new Set(secretKeys)),
            (e: unknown) => {
                assert.ok(e instanceof ConfigError);
                const m = e.message;
                assert.match(m, /bookbuddy:secrets\.databaseRotationDays: got 91; expected at most 90 days: SEC-1/);
                assert.match(m, /bookbuddy:secrets\.jwtRotationDays: got 120; expected at most 90 days/);
                assert.match(m, /bookbuddy:apiKeys\[0\]\.rotationDays: got 400; expected at most 365 days/);
                return true;
            },
        );
    });

    it("demands a secure value for supplied keys and refuses a plaintext one without echoing it (SEC-2)", () => {
        const { config, secretKeys } = base();
        config["bookbuddy:apiKeys"] = JSON.stringify([{ name: "maps", source: "supplied" }]);
        assert.throws(
            () => parseStackConfig("prod", config, new Set(secretKeys)),
            /apiKeys\[0\]\.value: missing; expected the vendor's key as a secure value/,
        );
        config["bookbuddy:apiKeys"] = JSON.stringify([{ name: "maps", source: "supplied", value: "plaintext-canary" }]);
        assert.throws(
            () => parseStackConfig("prod", config, new Set(secretKeys)),
            (e: unknown) =>
                e instanceof ConfigError && /plaintext value withheld/.test(e.message) && !e.message.includes("plaintext-canary"),
        );
        const ok = parseStackConfig("prod", config, new Set([...secretKeys, "bookbuddy:apiKeys"]));
        assert.equal(ok.apiKeys[0].value?.value, "plaintext-canary");
    });

    it("accepts the defaults, which rotate more often than the maximums", () => {
        const { config, secretKeys } = base();
        const cfg = parseStackConfig("prod", config, new Set(secretKeys));
        assert.ok(
            cfg.secrets.databaseRotationDays <= 90 &&
                cfg.secrets.jwtRotationDays <= 90 &&
                cfg.secrets.redisRotationDays <= 90 &&
                cfg.secrets.masterRotationDays <= 90,
        );
    });
});

describe("Secrets of the prod stack (SEC-1, SEC-3)", () => {
    let doc: PlanDocument;
    before(async function () {
        this.timeout(120_000);
        doc = await renderedStack("prod");
    });

    it("rotates every Secrets Manager secret within its class limit, with the function unless vendor-supplied", () => {
        const limits: Record<string, number> = { database: 90, jwt: 90, "api-key": 365, "redis-auth": 90 };
        const rotations = ofType(doc, ROTATION);
        const secrets = ofType(doc, SECRET_TYPE);
        assert.ok(secrets.length >= 6, `found ${secrets.length} secrets`);
        for (const s of secrets) {
            const t = tags(s);
            const mine = rotations.filter((r) => (r.propertyDependencies.secretId ?? []).includes(s.urn));
            assert.equal(mine.length, 1, `${s.inputs.name} has ${mine.length} rotations`);
            const days = (mine[0].inputs.rotationRules as { automaticallyAfterDays: number }).automaticallyAfterDays;
            assert.ok(days <= limits[t["rotation-class"]], `${s.inputs.name}: ${days} days > ${limits[t["rotation-class"]]}`);
            assert.match(String(mine[0].inputs.rotationLambdaArn), /function:bookbuddy-prod-secret-rotation$/);
            assert.match(String(s.inputs.kmsKeyId), /^arn:aws:kms:/);
        }
        const names = secrets.map((s) => s.inputs.name).sort();
        for (const n of [
            "bookbuddy-prod/app/jwt",
            "bookbuddy-prod/cache/auth",
            "bookbuddy-prod/database/app",
            "bookbuddy-prod/database/migrator",
            "bookbuddy-prod/database/readonly",
            "bookbuddy-prod/grafana/admin",
        ]) {
            assert.ok(names.includes(n), `${n} missing from ${names.join(", ")}`);
        }
    });

    it("sets the RDS master password's managed rotation on the instance's own secret", () => {
        const master = ofType(doc, ROTATION).filter((r) => r.inputs.rotationLambdaArn === undefined);
        assert.equal(master.length, 1);
        assert.match(String(master[0].inputs.secretId), /:secret:rds!db-/);
        assert.ok((master[0].inputs.rotationRules as { automaticallyAfterDays: number }).automaticallyAfterDays <= 90);
    });

    it("lets the database admit the rotation function, and the secrets key serve only through Secrets Manager (SEC-3)", () => {
        const fn = one(doc, "aws:lambda/function:Function", "bookbuddy-prod-secret-rotation");
        const sg = (fn.inputs.vpcConfig as { securityGroupIds: string[] }).securityGroupIds[0];
        const dbSg = one(doc, "aws:ec2/securityGroup:SecurityGroup", "bookbuddy-prod-postgres");
        const ingress = dbSg.inputs.ingress as { securityGroups: string[]; fromPort: number }[];
        assert.ok(
            ingress.some((r) => r.fromPort === 5432 && r.securityGroups.includes(sg)),
            "the database admits the rotation function",
        );
        const key = json(one(doc, "aws:kms/key:Key", "bookbuddy-prod-secrets").inputs.policy);
        const named = key.Statement.find((s: { Sid: string }) => s.Sid === "NamedRolesThroughServices");
        assert.deepEqual(named.Condition.ArnEquals["aws:PrincipalArn"], [
            "arn:aws:iam::123456789012:role/bookbuddy-prod-secret-rotation",
        ]);
        assert.deepEqual(named.Condition.StringEquals["kms:ViaService"], ["secretsmanager.us-east-1.amazonaws.com"]);
        assert.ok(
            ofType(doc, "aws:ec2/vpcEndpoint:VpcEndpoint").some((e) => String(e.inputs.serviceName).endsWith(".elasticache")),
            "ElastiCache API endpoint for the redis-auth rotation",
        );
    });
});
