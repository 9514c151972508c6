import * as assert from "assert";
import { ALB_SSL_POLICY, appSecretNames, BookbuddyApp, BookbuddyAppArgs } from "../../components/app";
import { SECRET_STORE_REF } from "../../components/cluster/secret-store";
import { PlanDocument, PlanResourceState } from "../../tools/plan/types";
import { childrenOf, json, nameOf, one, ofType, renderComponent, renderedStack } from "../support/plan";

const K = {
    ns: "kubernetes:core/v1:Namespace",
    sa: "kubernetes:core/v1:ServiceAccount",
    cm: "kubernetes:core/v1:ConfigMap",
    svc: "kubernetes:core/v1:Service",
    es: "kubernetes:external-secrets.io/v1:ExternalSecret",
    job: "kubernetes:batch/v1:Job",
    deploy: "kubernetes:apps/v1:Deployment",
    hpa: "kubernetes:autoscaling/v2:HorizontalPodAutoscaler",
    pdb: "kubernetes:policy/v1:PodDisruptionBudget",
    ing: "kubernetes:networking.k8s.io/v1:Ingress",
};
const BUCKET = "arn:aws:s3:::bookbuddy-test-media";
const KEY = "arn:aws:kms:us-east-1:123456789012:key/11111111-2222-4333-8444-555555555555";
const CERT = "arn:aws:acm:us-east-1:123456789012:certificate/abc";
const WAF = "arn:aws:wafv2:us-east-1:123456789012:regional/webacl/test/1";

const args: BookbuddyAppArgs = {
    clusterName: "bookbuddy-test",
    context: { accountId: "123456789012", region: "us-east-1", partition: "aws" },
    apiRepositoryUrl: "123456789012.dkr.ecr.us-east-1.amazonaws.com/bookbuddy-test/api",
    imageTag: "1.4.2",
    port: 8000,
    replicas: 3,
    resources: { cpuRequest: "250m", memoryRequest: "512Mi", cpuLimit: "1", memoryLimit: "1Gi" },
    autoscaling: { minReplicas: 3, maxReplicas: 12, cpuUtilization: 70, memoryUtilization: 80 },
    settings: {
        databaseHost: "db.example.internal",
        databasePort: 5432,
        databaseName: "bookbuddy",
        redisHost: "cache.example.internal",
        redisPort: 6379,
        mediaBucket: "bookbuddy-test-media",
        cdnDomain: "media.bookbuddy.example",
        webOrigin: "https://app.bookbuddy.example",
    },
    secretNames: appSecretNames("bookbuddy-test"),
    secretStore: {
        oidcProviderArn: "arn:aws:iam::123456789012:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/ABC",
        oidcIssuer: "oidc.eks.us-east-1.amazonaws.com/id/ABC",
        secretsKeyArn: "arn:aws:kms:us-east-1:123456789012:key/secrets",
        context: { accountId: "123456789012", region: "us-east-1", partition: "aws" },
    },
    mediaBucketArn: BUCKET,
    mediaKeyArn: KEY,
    apiDomain: "api.bookbuddy.example",
    certificateArn: CERT,
    webAclArn: WAF,
    zoneId: "ZTEST",
};

/** kubernetes-models is ESM-only; a real dynamic import keeps ts-node from turning it into require(). */
const esmImport = new Function("specifier", "return import(specifier)") as (specifier: string) => Promise<any>;
type Model = new (o: any) => { validate(): void };
async function model(module: string, kind: string): Promise<Model> {
    return (await esmImport(`kubernetes-models/${module}`))[kind];
}

/** The Kubernetes object the provider would send, as recorded. */
function manifest(r: PlanResourceState): any {
    return r.inputs;
}

function podSpec(r: PlanResourceState): any {
    return manifest(r).spec.template.spec;
}

describe("BookbuddyApp (APP-1, EDGE-1)", () => {
    let doc: PlanDocument;
    before(async () => {
        doc = await renderComponent(() => new BookbuddyApp("app", args));
    });

    it("has exactly the expected children (APP-1)", () => {
        const kids = childrenOf(doc, one(doc, "bookbuddy:app:BookbuddyApp"))
            .map((r) => `${r.type}::${nameOf(r)}`)
            .sort();
        assert.deepStrictEqual(
            kids,
            [
                `${K.ns}::app`,
                `${K.sa}::app-api`,
                `${K.sa}::app-migrator`,
                "aws:iam/role:Role::app-api",
                "aws:iam/rolePolicy:RolePolicy::app-api",
                "aws:eks/podIdentityAssociation:PodIdentityAssociation::app-api",
                `${K.cm}::app-api`,
                `${K.es}::app-bookbuddy-database`,
                `${K.es}::app-bookbuddy-database-migrator`,
                `${K.es}::app-bookbuddy-redis`,
                `${K.es}::app-bookbuddy-jwt`,
                `${K.job}::app-migrate-1-4-2`,
                `${K.deploy}::app-api`,
                `${K.svc}::app-api`,
                `${K.hpa}::app-api`,
                `${K.pdb}::app-api`,
                `${K.ing}::app-api`,
                "aws:route53/record:Record::app-api",
                // SEC-7: the namespace's own store (its service account, role and SecretStore are its children).
                "bookbuddy:platform:NamespaceSecretStore::app-secret-store",
            ].sort(),
        );
    });

    it("every Kubernetes object is valid against the kubernetes-models schemas (APP-1)", async () => {
        const Deployment = await model("apps/v1/Deployment", "Deployment");
        const models: [string, Model][] = [
            [K.ns, await model("v1/Namespace", "Namespace")],
            [K.sa, await model("v1/ServiceAccount", "ServiceAccount")],
            [K.cm, await model("v1/ConfigMap", "ConfigMap")],
            [K.svc, await model("v1/Service", "Service")],
            [K.job, await model("batch/v1/Job", "Job")],
            [K.deploy, Deployment],
            [K.hpa, await model("autoscaling/v2/HorizontalPodAutoscaler", "HorizontalPodAutoscaler")],
            [K.pdb, await model("policy/v1/PodDisruptionBudget", "PodDisruptionBudget")],
            [K.ing, await model("networking.k8s.io/v1/Ingress", "Ingress")],
        ];
        let checked = 0;
        for (const [type, Model] of models) {
            for (const r of ofType(doc, type)) {
                assert.doesNotThrow(() => new Model(manifest(r)).validate(), `${type} ${nameOf(r)}`);
                checked++;
            }
        }
        assert.strictEqual(checked, 11, "ten objects of the app and the secret store's service account");
        // The schemas do catch mistakes: a replica count as text is rejected.
        const broken = JSON.parse(JSON.stringify(manifest(one(doc, K.deploy))));
        broken.spec.replicas = "three";
        assert.throws(() => new Deployment(broken).validate());
    });

    it("enforces the restricted Pod Security Standard on the namespace (APP-1)", () => {
        const labels = manifest(one(doc, K.ns)).metadata.labels;
        assert.strictEqual(manifest(one(doc, K.ns)).metadata.name, "bookbuddy");
        assert.strictEqual(labels["pod-security.kubernetes.io/enforce"], "restricted");
    });

    it("runs the API image from config, hardened, with probes on /health, resources and a zero-downtime rollout (APP-1)", () => {
        const d = manifest(one(doc, K.deploy));
        assert.deepStrictEqual(d.spec.strategy, { type: "RollingUpdate", rollingUpdate: { maxUnavailable: 0, maxSurge: "25%" } });
        const spec = podSpec(one(doc, K.deploy));
        assert.strictEqual(spec.serviceAccountName, "bookbuddy-api");
        assert.deepStrictEqual(spec.securityContext, {
            runAsNonRoot: true,
            runAsUser: 10001,
            runAsGroup: 10001,
            fsGroup: 10001,
            seccompProfile: { type: "RuntimeDefault" },
        });
        assert.deepStrictEqual(
            spec.topologySpreadConstraints.map((t: any) => t.topologyKey),
            ["topology.kubernetes.io/zone", "kubernetes.io/hostname"],
        );
        const [c] = spec.containers;
        assert.strictEqual(c.image, `${args.apiRepositoryUrl}:1.4.2`);
        assert.deepStrictEqual(c.securityContext, {
            runAsNonRoot: true,
            runAsUser: 10001,
            allowPrivilegeEscalation: false,
            readOnlyRootFilesystem: true,
            privileged: false,
            capabilities: { drop: ["ALL"] },
            seccompProfile: { type: "RuntimeDefault" },
        });
        for (const p of ["startupProbe", "readinessProbe", "livenessProbe"])
            assert.deepStrictEqual(c[p].httpGet, { path: "/health", port: "http" }, p);
        assert.deepStrictEqual(c.ports, [{ name: "http", containerPort: 8000, protocol: "TCP" }]);
        assert.deepStrictEqual(c.resources, { requests: { cpu: "250m", memory: "512Mi" }, limits: { cpu: "1", memory: "1Gi" } });
        assert.deepStrictEqual(c.volumeMounts, [
            { name: "tmp", mountPath: "/tmp" },
            { name: "database-credentials", mountPath: "/var/run/secrets/bookbuddy/database", readOnly: true },
        ]);
        // SEC-8: the database login is a whole-volume Secret mount (updated in place), never an env variable.
        assert.deepStrictEqual(spec.volumes, [
            { name: "tmp", emptyDir: { sizeLimit: "256Mi" } },
            {
                name: "database-credentials",
                secret: {
                    secretName: "bookbuddy-database",
                    defaultMode: 0o440,
                    items: [
                        { key: "username", path: "username" },
                        { key: "password", path: "password" },
                    ],
                },
            },
        ]);
        assert.deepStrictEqual(
            c.envFrom.map((e: any) => e.configMapRef?.name ?? e.secretRef?.name),
            ["bookbuddy-api-config", "bookbuddy-redis", "bookbuddy-jwt"],
        );
    });

    it("migrates first: a Job named after the tag with the migrator's secret, and the Deployment waits for it (APP-1)", () => {
        const jobRes = one(doc, K.job);
        const job = manifest(jobRes);
        assert.strictEqual(job.metadata.name, "bookbuddy-migrate-1-4-2");
        assert.strictEqual(job.spec.backoffLimit, 2);
        assert.strictEqual(job.spec.activeDeadlineSeconds, 900);
        assert.strictEqual(job.spec.ttlSecondsAfterFinished, 86400);
        const spec = job.spec.template.spec;
        assert.strictEqual(spec.serviceAccountName, "bookbuddy-migrator");
        assert.strictEqual(spec.restartPolicy, "Never");
        assert.deepStrictEqual(spec.containers[0].envFrom, [
            { configMapRef: { name: "bookbuddy-api-config" } },
            { secretRef: { name: "bookbuddy-database-migrator" } },
        ]);
        assert.strictEqual(spec.containers[0].securityContext.readOnlyRootFilesystem, true);
        assert.ok(one(doc, K.deploy).dependencies.includes(jobRes.urn), "the Deployment depends on the migration Job");
    });

    it("keeps configuration in a ConfigMap and credentials in ExternalSecrets from the namespace's SecretStore (APP-1, SEC-2, SEC-7)", () => {
        const data = manifest(one(doc, K.cm)).data;
        assert.deepStrictEqual(data, {
            DATABASE_HOST: "db.example.internal",
            DATABASE_PORT: "5432",
            DATABASE_NAME: "bookbuddy",
            DATABASE_SSLMODE: "verify-full",
            DATABASE_CREDENTIALS_DIR: "/var/run/secrets/bookbuddy/database",
            REDIS_HOST: "cache.example.internal",
            REDIS_PORT: "6379",
            REDIS_TLS: "true",
            MEDIA_BUCKET: "bookbuddy-test-media",
            CDN_DOMAIN: "media.bookbuddy.example",
            WEB_ORIGIN: "https://app.bookbuddy.example",
            AWS_REGION: "us-east-1",
            PORT: "8000",
        });
        const secrets = ofType(doc, K.es).map(manifest);
        assert.deepStrictEqual(
            secrets.map((s) => [s.metadata.name, s.spec.dataFrom?.[0].extract.key ?? s.spec.data[0].remoteRef.key]).sort(),
            [
                ["bookbuddy-database", "bookbuddy-test/database/app"],
                ["bookbuddy-database-migrator", "bookbuddy-test/database/migrator"],
                ["bookbuddy-jwt", "bookbuddy-test/app/jwt"],
                ["bookbuddy-redis", "bookbuddy-test/cache/auth"],
            ],
        );
        // SEC-1: the JWT secret reaches the API as the signing key and the key it replaced (rotation-jwt.spec.ts).
        assert.deepStrictEqual(secrets.find((s) => s.metadata.name === "bookbuddy-jwt").spec.data, [
            { secretKey: "JWT_SECRET", remoteRef: { key: "bookbuddy-test/app/jwt", property: "value", version: "AWSCURRENT" } },
            {
                secretKey: "JWT_SECRET_PREVIOUS",
                remoteRef: { key: "bookbuddy-test/app/jwt", property: "previous", version: "AWSCURRENT" },
            },
        ]);
        for (const s of secrets) {
            assert.strictEqual(s.apiVersion, "external-secrets.io/v1");
            // SEC-8: the database login refreshes well inside a rotation's overlap.
            assert.strictEqual(s.spec.refreshInterval, s.metadata.name === "bookbuddy-database" ? "5m" : "1h");
            assert.deepStrictEqual(s.spec.secretStoreRef, SECRET_STORE_REF);
        }
    });

    it("the API role reaches only the media bucket, and its key only through S3 (APP-1, SEC-4)", () => {
        const apiRole = ofType(doc, "aws:iam/role:Role").find((r) => nameOf(r) === "app-api")!;
        const trust = json(apiRole.inputs.assumeRolePolicy);
        // SEC-4: only bookbuddy/bookbuddy-api on this cluster (evaluated call by call in tests/security/pod-identity-trust.spec.ts).
        assert.deepStrictEqual(trust.Statement[0].Principal, { Service: "pods.eks.amazonaws.com" });
        assert.deepStrictEqual(trust.Statement[0].Action, ["sts:AssumeRole", "sts:TagSession"]);
        assert.strictEqual(
            trust.Statement[0].Condition.StringEquals["aws:RequestTag/kubernetes-service-account"],
            "bookbuddy-api",
        );
        const policy = json(ofType(doc, "aws:iam/rolePolicy:RolePolicy").find((r) => nameOf(r) === "app-api")!.inputs.policy);
        assert.deepStrictEqual(policy.Statement, [
            { Sid: "MediaList", Effect: "Allow", Action: "s3:ListBucket", Resource: BUCKET },
            {
                Sid: "MediaObjects",
                Effect: "Allow",
                Action: [
                    "s3:GetObject",
                    "s3:PutObject",
                    "s3:DeleteObject",
                    "s3:AbortMultipartUpload",
                    "s3:ListMultipartUploadParts",
                ],
                Resource: `${BUCKET}/*`,
            },
            {
                Sid: "MediaKeyThroughS3",
                Effect: "Allow",
                Action: ["kms:Decrypt", "kms:GenerateDataKey"],
                Resource: KEY,
                Condition: { StringEquals: { "kms:ViaService": "s3.us-east-1.amazonaws.com" } },
            },
        ]);
        const assoc = one(doc, "aws:eks/podIdentityAssociation:PodIdentityAssociation").inputs;
        assert.deepStrictEqual(
            [assoc.clusterName, assoc.namespace, assoc.serviceAccount],
            ["bookbuddy-test", "bookbuddy", "bookbuddy-api"],
        );
    });

    it("scales with an HPA on CPU and memory and keeps pods through disruptions (APP-1)", () => {
        const hpa = manifest(one(doc, K.hpa)).spec;
        assert.deepStrictEqual([hpa.minReplicas, hpa.maxReplicas], [3, 12]);
        assert.deepStrictEqual(
            hpa.metrics.map((m: any) => [m.resource.name, m.resource.target.averageUtilization]),
            [
                ["cpu", 70],
                ["memory", 80],
            ],
        );
        assert.deepStrictEqual(manifest(one(doc, K.pdb)).spec, {
            maxUnavailable: 1,
            selector: { matchLabels: { "app.kubernetes.io/name": "bookbuddy-api" } },
        });
    });

    it("publishes the API through an internet-facing ALB with TLS 1.2+, HTTP→HTTPS, WAF and the public-lb tag (EDGE-1)", () => {
        const ing = manifest(one(doc, K.ing));
        assert.strictEqual(ing.spec.ingressClassName, "alb");
        const a = ing.metadata.annotations;
        assert.strictEqual(a["alb.ingress.kubernetes.io/scheme"], "internet-facing");
        assert.strictEqual(a["alb.ingress.kubernetes.io/target-type"], "ip");
        assert.deepStrictEqual(JSON.parse(a["alb.ingress.kubernetes.io/listen-ports"]), [{ HTTP: 80 }, { HTTPS: 443 }]);
        assert.strictEqual(a["alb.ingress.kubernetes.io/ssl-redirect"], "443");
        assert.strictEqual(a["alb.ingress.kubernetes.io/certificate-arn"], CERT);
        assert.strictEqual(a["alb.ingress.kubernetes.io/ssl-policy"], ALB_SSL_POLICY);
        assert.strictEqual(ALB_SSL_POLICY, "ELBSecurityPolicy-TLS13-1-2-2021-06");
        assert.strictEqual(a["alb.ingress.kubernetes.io/healthcheck-path"], "/health");
        assert.strictEqual(a["alb.ingress.kubernetes.io/wafv2-acl-arn"], WAF);
        assert.strictEqual(a["alb.ingress.kubernetes.io/tags"], "tier=public-lb");
        assert.strictEqual(ing.spec.rules[0].host, "api.bookbuddy.example");
        const rec = one(doc, "aws:route53/record:Record").inputs;
        assert.deepStrictEqual([rec.name, rec.type, rec.zoneId], ["api.bookbuddy.example", "CNAME", "ZTEST"]);
        assert.match(String((rec.records as string[])[0]), /\.elb\.amazonaws\.com$/);
    });

    it("refuses a moving tag and impossible autoscaling bounds (APP-1)", () => {
        assert.throws(() => new BookbuddyApp("bad", { ...args, imageTag: "latest" }), /not "latest"/);
        assert.throws(
            () => new BookbuddyApp("bad", { ...args, autoscaling: { ...args.autoscaling, minReplicas: 5, maxReplicas: 2 } }),
            /minReplicas <= maxReplicas/,
        );
    });
});

describe("the application in the stacks (APP-1, ENV-3, ENV-4)", () => {
    it("prod runs at least three API pods on the prod tag; dev runs one that may grow (ENV-3, ENV-4)", async () => {
        const prod = manifest(one(await renderedStack("prod"), K.hpa)).spec;
        const dev = manifest(one(await renderedStack("dev"), K.hpa)).spec;
        assert.ok(prod.minReplicas >= 3, `prod minReplicas ${prod.minReplicas}`);
        assert.strictEqual(dev.minReplicas, 1);
        const image = podSpec(one(await renderedStack("prod"), K.deploy)).containers[0].image as string;
        assert.match(image, /\.dkr\.ecr\.us-east-1\.amazonaws\.com\/bookbuddy-prod\/api:0\.1\.0$/);
    });
});
