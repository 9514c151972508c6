import * as assert from "assert";
import { X509Certificate } from "crypto";
import * as fs from "fs";
import { chartFullname, RELOAD_SCRIPT_PATH } from "../../components/monitoring/credential-reload";
import { alertRuleGroups } from "../../components/monitoring/rules";
import { MonitoringArgs, MonitoringStack } from "../../components/monitoring";
import { PlanDocument } from "../../tools/plan/types";
import { nameOf, ofType, one, renderComponent, renderedStack } from "../support/plan";

/** kubernetes-models is ESM-only; a real dynamic import keeps ts-node from turning it into require(). */
const esmImport = new Function("specifier", "return import(specifier)") as (specifier: string) => Promise<any>;
const model = async (module: string, kind: string): Promise<new (o: any) => { validate(): void }> =>
    (await esmImport(`kubernetes-models/${module}`))[kind];

const KEY = "arn:aws:kms:us-east-1:123456789012:key/11111111-2222-4333-8444-555555555555";
const RELEASE = "kubernetes:helm.sh/v3:Release";
const CR = (kind: string) => `kubernetes:monitoring.coreos.com/v1:${kind}`;
const args: MonitoringArgs = {
    charts: {
        kubePrometheusStack: "77.6.0",
        operatorCrds: "23.0.0",
        postgresExporter: "7.1.1",
        redisExporter: "6.15.0",
        blackboxExporter: "11.3.1",
    },
    volumeKeyArn: KEY,
    retention: "7d",
    thresholds: {},
    runbookBaseUrl: "https://github.com/example/infra/blob/main",
    routing: {
        teamChannel: "#team",
        dailyReview: { to: "r@example.com", from: "am@example.com", smarthost: "smtp.example.com:587" },
    },
    secretStore: {
        oidcProviderArn: "arn:aws:iam::123456789012:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/ABC",
        oidcIssuer: "oidc.eks.us-east-1.amazonaws.com/id/ABC",
        secretsKeyArn: "arn:aws:kms:us-east-1:123456789012:key/secrets",
        context: { accountId: "123456789012", region: "us-east-1", partition: "aws" },
    },
    secretNames: {
        grafanaAdmin: "qa/grafana/admin",
        alertmanagerReceivers: "qa/alertmanager/receivers",
        databaseReadonly: "qa/database/readonly",
        cacheAuth: "qa/cache/auth",
    },
    database: { host: "db.example.internal", port: 5432, name: "bookbuddy" },
    cache: { host: "cache.example.internal", port: 6379 },
    healthBaseUrl: "https://api.example.com",
};

describe("MonitoringStack (MON-1, MON-2, MON-3, HC-1)", () => {
    let doc: PlanDocument;
    const release = (chart: string) => ofType(doc, RELEASE).find((r) => r.inputs.chart === chart)!.inputs as Record<string, any>;
    before(async () => {
        doc = await renderComponent(() => new MonitoringStack("mon", args));
    });

    it("installs pinned charts, with the CRDs from their own release and skipCrds on the stack", () => {
        const charts = Object.fromEntries(ofType(doc, RELEASE).map((r) => [r.inputs.chart, r.inputs.version]));
        assert.deepStrictEqual(charts, {
            "prometheus-operator-crds": "23.0.0",
            "kube-prometheus-stack": "77.6.0",
            "prometheus-postgres-exporter": "7.1.1",
            "prometheus-redis-exporter": "6.15.0",
            "prometheus-blackbox-exporter": "11.3.1",
        });
        const kps = release("kube-prometheus-stack");
        assert.strictEqual(kps.skipCrds, true);
        assert.deepStrictEqual(kps.values.crds, { enabled: false });
        assert.strictEqual(kps.repositoryOpts.repo, "https://prometheus-community.github.io/helm-charts");
    });

    it("keeps metrics on encrypted volumes for the configured retention and selects every rule and monitor", async () => {
        const StorageClass = await model("storage.k8s.io/v1/StorageClass", "StorageClass");
        const p = release("kube-prometheus-stack").values.prometheus.prometheusSpec;
        assert.strictEqual(p.retention, "7d");
        assert.strictEqual(p.storageSpec.volumeClaimTemplate.spec.storageClassName, "gp3-encrypted");
        for (const k of ["rule", "serviceMonitor", "podMonitor", "probe"])
            assert.strictEqual(p[`${k}SelectorNilUsesHelmValues`], false, k);
        const sc = one(doc, "kubernetes:storage.k8s.io/v1:StorageClass").inputs as Record<string, any>;
        new StorageClass(sc as any).validate();
        assert.deepStrictEqual(
            [sc.provisioner, sc.parameters.type, sc.parameters.encrypted, sc.parameters.kmsKeyId],
            ["ebs.csi.aws.com", "gp3", "true", KEY],
        );
    });

    it("reads Grafana's admin and the receivers' credentials from External Secrets, never from values", () => {
        const values = release("kube-prometheus-stack").values;
        assert.deepStrictEqual(values.grafana.admin, {
            existingSecret: "grafana-admin",
            userKey: "admin-user",
            passwordKey: "admin-password",
        });
        assert.deepStrictEqual(values.alertmanager.alertmanagerSpec.secrets, ["alertmanager-receivers"]);
        assert.strictEqual(values.alertmanager.config, undefined, "the configuration is rendered by External Secrets (#14)");
        const es = new Map(
            ofType(doc, "kubernetes:external-secrets.io/v1:ExternalSecret").map((e) => [
                (e.inputs as any).metadata.name,
                (e.inputs as any).spec,
            ]),
        );
        assert.deepStrictEqual([...es.keys()].sort(), [
            "alertmanager-config",
            "alertmanager-receivers",
            "grafana-admin",
            "postgres-exporter",
            "redis-exporter",
        ]);
        assert.match(
            es.get("alertmanager-config").target.template.data["alertmanager.yaml"],
            /routing_key_file: \/etc\/alertmanager\/secrets\/alertmanager-receivers\/pagerduty-routing-key/,
        );
        assert.deepStrictEqual(
            es.get("grafana-admin").data.map((d: any) => d.remoteRef),
            [
                { key: "qa/grafana/admin", property: "username" },
                { key: "qa/grafana/admin", property: "value" },
            ],
        );
        assert.ok(
            es.get("postgres-exporter").data.every((d: any) => d.remoteRef.key === "qa/database/readonly"),
            "the exporter connects as the read-only role",
        );
        assert.strictEqual(release("prometheus-redis-exporter").values.redisAddress, "rediss://cache.example.internal:6379");
    });

    it("the postgres-exporter verifies the server: verify-full against the RDS CA bundle mounted from a ConfigMap (SEC-7, DB-1)", () => {
        const values = release("prometheus-postgres-exporter").values;
        assert.strictEqual(values.config.datasource.sslmode, "verify-full");
        assert.strictEqual(values.config.datasource.extraParams, "sslrootcert=/etc/rds-ca/rds-global-bundle.pem");
        assert.deepStrictEqual(values.extraVolumes, [{ name: "rds-ca", configMap: { name: "rds-ca-bundle" } }]);
        assert.deepStrictEqual(values.extraVolumeMounts, [{ name: "rds-ca", mountPath: "/etc/rds-ca", readOnly: true }]);
        const bundle = ofType(doc, "kubernetes:core/v1:ConfigMap").find(
            (c) => (c.inputs as any).metadata.name === "rds-ca-bundle",
        )!;
        const pem: string = (bundle.inputs as any).data["rds-global-bundle.pem"];
        const certs = pem.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
        assert.ok(certs.length >= 50, `${certs.length} certificates`);
        const subjects = certs
            .map((c) => new X509Certificate(c))
            .filter((c) => c.ca)
            .map((c) => c.subject);
        assert.strictEqual(subjects.length, certs.length, "every certificate of the bundle is a CA");
        // The roots RDS signs current us-east-1 server certificates with (rds-ca-rsa2048-g1 and its siblings).
        for (const root of [
            "Amazon RDS us-east-1 Root CA RSA2048 G1",
            "Amazon RDS us-east-1 Root CA RSA4096 G1",
            "Amazon RDS us-east-1 Root CA ECC384 G1",
        ]) {
            assert.ok(
                subjects.some((s) => s.includes(`CN=${root}`)),
                root,
            );
        }
    });

    it("restarts the postgres-exporter when its credentials change, with a Role limited to that Secret and that Deployment (SEC-8, SEC-4)", () => {
        const cron = ofType(doc, "kubernetes:batch/v1:CronJob").find(
            (c) => (c.inputs as any).metadata.name === "postgres-exporter-reload",
        )!;
        const spec = (cron.inputs as any).spec;
        assert.strictEqual(spec.schedule, "23 * * * *");
        assert.strictEqual(spec.concurrencyPolicy, "Forbid");
        const pod = spec.jobTemplate.spec.template.spec;
        const env = Object.fromEntries(pod.containers[0].env.map((e: any) => [e.name, e.value]));
        assert.deepStrictEqual(
            [env.NAMESPACE, env.SECRET, env.DEPLOYMENT, env.ANNOTATION],
            [
                "monitoring",
                "postgres-exporter",
                "postgres-exporter-prometheus-postgres-exporter",
                "bookbuddy.io/credentials-sha256",
            ],
        );
        assert.strictEqual(pod.serviceAccountName, "postgres-exporter-reload");
        assert.strictEqual(pod.containers[0].securityContext.readOnlyRootFilesystem, true);
        const role = ofType(doc, "kubernetes:rbac.authorization.k8s.io/v1:Role").find(
            (r) => (r.inputs as any).metadata.name === "postgres-exporter-reload",
        )!;
        assert.deepStrictEqual((role.inputs as any).rules, [
            { apiGroups: [""], resources: ["secrets"], resourceNames: ["postgres-exporter"], verbs: ["get"] },
            {
                apiGroups: ["apps"],
                resources: ["deployments"],
                resourceNames: ["postgres-exporter-prometheus-postgres-exporter"],
                verbs: ["get", "patch"],
            },
        ]);
        const binding = ofType(doc, "kubernetes:rbac.authorization.k8s.io/v1:RoleBinding").find(
            (r) => (r.inputs as any).metadata.name === "postgres-exporter-reload",
        )!;
        assert.deepStrictEqual((binding.inputs as any).subjects, [
            { kind: "ServiceAccount", name: "postgres-exporter-reload", namespace: "monitoring" },
        ]);
        assert.deepStrictEqual((binding.inputs as any).roleRef, {
            apiGroup: "rbac.authorization.k8s.io",
            kind: "Role",
            name: "postgres-exporter-reload",
        });
        const script = ofType(doc, "kubernetes:core/v1:ConfigMap").find(
            (c) => (c.inputs as any).metadata.name === "postgres-exporter-reload",
        )!;
        assert.strictEqual((script.inputs as any).data["reload-credentials.sh"], fs.readFileSync(RELOAD_SCRIPT_PATH, "utf8"));
        // The release name and chart give the Deployment's name as the chart's fullname helper does.
        assert.strictEqual(
            chartFullname("postgres-exporter", "prometheus-postgres-exporter"),
            "postgres-exporter-prometheus-postgres-exporter",
        );
        assert.strictEqual(
            chartFullname("prometheus-postgres-exporter-x", "prometheus-postgres-exporter"),
            "prometheus-postgres-exporter-x",
        );
    });

    it("ships one PrometheusRule per rule group and one labelled ConfigMap per dashboard", async () => {
        const ConfigMap = await model("v1/ConfigMap", "ConfigMap");
        const groups = alertRuleGroups({}, { runbookBaseUrl: args.runbookBaseUrl });
        const rules = ofType(doc, CR("PrometheusRule"))
            .map((r) => r.inputs as any)
            .sort(
                (a, b) =>
                    groups.findIndex((g) => g.name === a.metadata.name) - groups.findIndex((g) => g.name === b.metadata.name),
            );
        assert.deepStrictEqual(
            rules.map((r) => r.metadata.name),
            groups.map((g) => g.name),
        );
        assert.deepStrictEqual(
            rules.map((r) => r.spec.groups[0]),
            groups,
        );
        const maps = ofType(doc, "kubernetes:core/v1:ConfigMap").filter(
            (c) => (c.inputs as any).metadata.labels?.grafana_dashboard === "1",
        );
        assert.ok(maps.length >= 4, `${maps.length} dashboards`);
        for (const m of maps) {
            new ConfigMap(m.inputs as any).validate();
            const [file, body] = Object.entries((m.inputs as any).data as Record<string, string>)[0];
            assert.match(file, /\.json$/);
            assert.ok(JSON.parse(body).panels.length > 0, nameOf(m));
        }
    });

    it("probes /health every minute and /health/db, /health/cache every five under the rules' job, and scrapes the API", () => {
        const probes = ofType(doc, CR("Probe")).map((p) => (p.inputs as any).spec);
        assert.deepStrictEqual(
            probes.map((p) => [p.jobName, p.interval, p.targets.staticConfig.static]),
            [
                ["bookbuddy-health", "1m", ["https://api.example.com/health"]],
                ["bookbuddy-health", "5m", ["https://api.example.com/health/db", "https://api.example.com/health/cache"]],
            ],
        );
        const sm = one(doc, CR("ServiceMonitor")).inputs as any;
        assert.deepStrictEqual(sm.spec.namespaceSelector, { matchNames: ["bookbuddy"] });
        assert.deepStrictEqual(sm.spec.selector.matchLabels, { "app.kubernetes.io/name": "bookbuddy-api" });
    });
});

describe("monitoring in the stacks (MON-1, ENV-3, ENV-4)", () => {
    const spec = async (stack: string) =>
        (ofType(await renderedStack(stack), RELEASE).find((r) => r.inputs.chart === "kube-prometheus-stack")!.inputs as any)
            .values.prometheus.prometheusSpec;
    it("keeps 3 days of metrics in dev, 7 in staging and 15 in prod, with two Prometheus replicas in prod", async () => {
        // One stack at a time: the renders share the SDK's global mocks.
        const shapes: unknown[] = [];
        for (const stack of ["dev", "staging", "prod"]) {
            const s = await spec(stack);
            shapes.push([s.retention, s.replicas]);
        }
        assert.deepStrictEqual(shapes, [
            ["3d", 1],
            ["7d", 2],
            ["15d", 2],
        ]);
    });
});
