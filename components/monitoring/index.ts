/**
 * Prometheus, Alertmanager and Grafana on the cluster (MON-1, MON-2, MON-3, LOG-2, HC-1).
 *
 * kube-prometheus-stack as a pinned helm.v3.Release; its CRDs come from a separate pinned
 * prometheus-operator-crds release (the main release runs with `skipCrds` and `crds.enabled: false`), so CRD
 * upgrades follow the chart version instead of Helm's "install once, never upgrade" rule for `crds/`, and the
 * large CRDs never pass through client-side apply (the Kubernetes provider runs with server-side apply).
 * Volumes use an encrypted gp3 StorageClass on the data key (EBS CSI driver). Grafana's admin and the
 * receivers of Alertmanager and the exporters read their secrets through External Secrets, never from values.
 * Rules, routing and dashboards come from ./rules, ./alertmanager and ./dashboards.
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import YAML from "yaml";
import { alertmanagerConfig, alertmanagerConfigTemplate, receiverSecretKeys, SMTP_USERNAME_PROPERTY } from "./alertmanager";
import { dashboards, DashboardFile } from "./dashboards";
import { alertRuleGroups, AlertThresholds, RuleGroup } from "./rules";
import { podSecurityLabels } from "../shared/k8s";
import { NamespaceSecretStore, SecretStoreAccess } from "../cluster/secret-store";
import { chartFullname, credentialReload } from "./credential-reload";
import { RDS_CA_BUNDLE_FILE, rdsCaBundle } from "../shared/rds-ca";

/** Chart repository of the Prometheus community charts (MON-1). */
export const PROMETHEUS_COMMUNITY_REPO = "https://prometheus-community.github.io/helm-charts";
/** Helm release name of kube-prometheus-stack; the chart's resources are named after it. */
export const KPS_RELEASE = "kube-prometheus-stack";
/** Helm release of the postgres-exporter; its Deployment is `postgres-exporter-prometheus-postgres-exporter`. */
export const POSTGRES_EXPORTER_RELEASE = "postgres-exporter";
/** Where the exporter's container finds the RDS CA bundle (SEC-7). */
export const POSTGRES_EXPORTER_CA_DIR = "/etc/rds-ca";
/** Kubernetes Secret holding the Alertmanager receivers' credentials; the chart mounts it under /etc/alertmanager/secrets/<name> (MON-3). */
export const RECEIVERS_SECRET = "alertmanager-receivers";
/** Kubernetes Secret with Alertmanager's configuration, rendered by External Secrets with the SMTP user name (MON-3, SEC-2). */
export const ALERTMANAGER_CONFIG_SECRET = "alertmanager-config";
/** Kubernetes Secret holding Grafana's admin user and password (MON-1). */
export const GRAFANA_ADMIN_SECRET = "grafana-admin";
/** Label the Grafana dashboard sidecar watches (MON-1). */
export const DASHBOARD_LABEL = "grafana_dashboard";
/** Prometheus `job` label of the blackbox probes of the health endpoints (HC-1), as the rules expect. */
export const HEALTH_PROBE_JOB = "bookbuddy-health";
/** Prometheus `job` label of the API's ServiceMonitor (MON-2): the Service's name. */
export const API_JOB = "bookbuddy-api";

/** Pinned chart versions (MON-1). */
export interface MonitoringCharts {
    kubePrometheusStack: string;
    operatorCrds: string;
    postgresExporter: string;
    redisExporter: string;
    blackboxExporter: string;
}

/** Secrets Manager names read through External Secrets (MON-1, MON-3, SEC-1). */
export interface MonitoringSecretNames {
    /** JSON `{username, value}` of Grafana's admin (value = password), e.g. `<prefix>/grafana/admin`. */
    grafanaAdmin: string;
    /** JSON with the keys of `receiverSecretKeys`, e.g. `<prefix>/alertmanager/receivers`. */
    alertmanagerReceivers: string;
    /** JSON `{username, password, ...}` of the read-only database role, e.g. `<prefix>/database/readonly`. */
    databaseReadonly: string;
    /** JSON `{token, ...}` of the Redis AUTH token, e.g. `<prefix>/cache/auth`. */
    cacheAuth: string;
}

export interface MonitoringArgs {
    /** Pinned chart versions; required (MON-1). */
    charts: MonitoringCharts;
    /** Namespace of the stack; default `monitoring` (MON-1). */
    namespace?: string;
    /** KMS key (ARN) encrypting every volume through the StorageClass; required (MON-1, SEC-3). */
    volumeKeyArn: pulumi.Input<string>;
    /** Name of the encrypted gp3 StorageClass created here; default `gp3-encrypted` (MON-1). */
    storageClassName?: string;
    /** Prometheus retention, e.g. `15d`; required (MON-1). */
    retention: string;
    /** Prometheus volume per replica, GiB; default 100 (MON-1). */
    prometheusStorageGi?: number;
    /** Prometheus replicas; default 2 (MON-1, ENV-3). */
    prometheusReplicas?: number;
    /** Alertmanager replicas; default 3 (MON-3, ENV-3). */
    alertmanagerReplicas?: number;
    /** Alertmanager volume per replica, GiB; default 5 (MON-3). */
    alertmanagerStorageGi?: number;
    /** Grafana volume, GiB; default 10 (MON-1). */
    grafanaStorageGi?: number;
    /** Alert thresholds; missing fields take the operations documents' numbers (MON-2, LOG-2). */
    thresholds: Partial<AlertThresholds>;
    /** Repository browser URL the runbook links start with; required (MON-2). */
    runbookBaseUrl: string;
    /** Alertmanager routing inputs (MON-3): team channel, daily review mail, optional heartbeat. */
    routing: { teamChannel: string; dailyReview: { to: string; from: string; smarthost: string }; heartbeatUrl?: string };
    /** The namespace's own SecretStore is built from this: IRSA provider, secrets key; required (SEC-1, SEC-7). */
    secretStore: SecretStoreAccess;
    /** Secrets Manager names; required (MON-1, MON-3, SEC-1). */
    secretNames: MonitoringSecretNames;
    /** PostgreSQL endpoint and database the exporter reads as the read-only role (MON-1). */
    database: { host: pulumi.Input<string>; port: pulumi.Input<number>; name: string };
    /** Redis primary endpoint the exporter reads over TLS (MON-1). */
    cache: { host: pulumi.Input<string>; port: number };
    /** Public API base URL the blackbox exporter probes, e.g. `https://api.bookbuddy.example` (HC-1). */
    healthBaseUrl: pulumi.Input<string>;
    /** Minutes between probes of /health and of /health/db and /health/cache; default 1 and 5 (HC-1). */
    probeMinutes?: { liveness: number; dependencies: number };
    /** Namespace of the API and its Service's labels for the ServiceMonitor; default `bookbuddy` (MON-2). */
    apiNamespace?: string;
}

/** Alertmanager's configuration as YAML, with the SMTP user name still a template action (MON-3). */
export function alertmanagerYaml(args: MonitoringArgs): string {
    const r = args.routing;
    return YAML.stringify(
        alertmanagerConfig({
            secretsDir: `/etc/alertmanager/secrets/${RECEIVERS_SECRET}`,
            teamChannel: r.teamChannel,
            dailyReview: r.dailyReview,
            heartbeat: r.heartbeatUrl ? { url: r.heartbeatUrl } : undefined,
        }),
        { lineWidth: 0 },
    );
}

/** The kube-prometheus-stack values of the component (MON-1, MON-3), exported for tests and docs. */
export function kubePrometheusStackValues(args: MonitoringArgs, storageClassName: string): Record<string, unknown> {
    const volume = (gi: number) => ({
        volumeClaimTemplate: {
            spec: { storageClassName, accessModes: ["ReadWriteOnce"], resources: { requests: { storage: `${gi}Gi` } } },
        },
    });
    const hardened = {
        runAsNonRoot: true,
        runAsUser: 1000,
        runAsGroup: 2000,
        fsGroup: 2000,
        seccompProfile: { type: "RuntimeDefault" },
    };
    return {
        // CRDs come from the prometheus-operator-crds release (see the module comment).
        crds: { enabled: false },
        defaultRules: { create: true },
        prometheus: {
            prometheusSpec: {
                replicas: args.prometheusReplicas ?? 2,
                retention: args.retention,
                // MON-2: every PrometheusRule, ServiceMonitor, PodMonitor and Probe of the cluster is picked up.
                ruleSelectorNilUsesHelmValues: false,
                serviceMonitorSelectorNilUsesHelmValues: false,
                podMonitorSelectorNilUsesHelmValues: false,
                probeSelectorNilUsesHelmValues: false,
                ruleSelector: {},
                serviceMonitorSelector: {},
                podMonitorSelector: {},
                probeSelector: {},
                ruleNamespaceSelector: {},
                serviceMonitorNamespaceSelector: {},
                podMonitorNamespaceSelector: {},
                probeNamespaceSelector: {},
                storageSpec: volume(args.prometheusStorageGi ?? 100),
                securityContext: hardened,
                resources: { requests: { cpu: "500m", memory: "2Gi" }, limits: { memory: "4Gi" } },
                topologySpreadConstraints: [zoneSpread({ "app.kubernetes.io/name": "prometheus" })],
            },
        },
        alertmanager: {
            alertmanagerSpec: {
                // MON-3, SEC-2: the configuration comes from the Secret External Secrets renders (alertmanagerYaml).
                useExistingSecret: true,
                configSecret: ALERTMANAGER_CONFIG_SECRET,
                replicas: args.alertmanagerReplicas ?? 3,
                // MON-3, SEC-2: receivers read their credentials from files of this Secret.
                secrets: [RECEIVERS_SECRET],
                storage: volume(args.alertmanagerStorageGi ?? 5),
                securityContext: hardened,
                topologySpreadConstraints: [zoneSpread({ "app.kubernetes.io/name": "alertmanager" })],
            },
        },
        grafana: {
            // MON-1: credentials from Secrets Manager through External Secrets, never in values.
            admin: { existingSecret: GRAFANA_ADMIN_SECRET, userKey: "admin-user", passwordKey: "admin-password" },
            persistence: {
                enabled: true,
                type: "pvc",
                storageClassName,
                accessModes: ["ReadWriteOnce"],
                size: `${args.grafanaStorageGi ?? 10}Gi`,
            },
            sidecar: {
                dashboards: {
                    enabled: true,
                    label: DASHBOARD_LABEL,
                    labelValue: "1",
                    searchNamespace: "ALL",
                    folderAnnotation: "grafana_folder",
                    provider: { foldersFromFilesStructure: true },
                },
                datasources: { enabled: true },
            },
            "grafana.ini": {
                users: { allow_sign_up: false },
                auth: { disable_login_form: false },
                "auth.anonymous": { enabled: false },
                security: { cookie_secure: true, disable_gravatar: true },
                analytics: { reporting_enabled: false, check_for_updates: false },
            },
        },
        kubeStateMetrics: { enabled: true },
        nodeExporter: { enabled: true },
        prometheusOperator: { admissionWebhooks: { enabled: true }, securityContext: hardened },
    };
}

function zoneSpread(matchLabels: Record<string, string>): Record<string, unknown> {
    return {
        maxSkew: 1,
        topologyKey: "topology.kubernetes.io/zone",
        whenUnsatisfiable: "ScheduleAnyway",
        labelSelector: { matchLabels },
    };
}

/** A PrometheusRule per rule group, labelled for the chart's selectors (MON-2). */
export function prometheusRuleObjects(
    groups: RuleGroup[],
    namespace: string,
): Array<{ name: string; manifest: Record<string, unknown> }> {
    return groups.map((group) => ({
        name: group.name,
        manifest: {
            apiVersion: "monitoring.coreos.com/v1",
            kind: "PrometheusRule",
            metadata: { name: group.name, namespace, labels: { release: KPS_RELEASE, "app.kubernetes.io/part-of": "bookbuddy" } },
            spec: { groups: [group] },
        },
    }));
}

/** The dashboard ConfigMaps' data: one ConfigMap per dashboard, labelled for the sidecar (MON-1). */
export function dashboardConfigMapData(file: DashboardFile): Record<string, string> {
    return { [file.name]: JSON.stringify(file.json) };
}

/**
 * The monitoring stack (MON-1, MON-2, MON-3, HC-1): namespace, encrypted StorageClass, CRDs, kube-prometheus-stack,
 * External Secrets for Grafana, Alertmanager and the exporters, PrometheusRules, dashboard ConfigMaps,
 * postgres-exporter, redis-exporter, blackbox probes of the health endpoints and the API's ServiceMonitor.
 */
export class MonitoringStack extends pulumi.ComponentResource {
    readonly namespace: k8s.core.v1.Namespace;
    /** The namespace's own External Secrets store and its IRSA role (SEC-7). */
    readonly secretStore: NamespaceSecretStore;
    readonly storageClass: k8s.storage.v1.StorageClass;
    readonly crds: k8s.helm.v3.Release;
    readonly release: k8s.helm.v3.Release;
    readonly rules: k8s.apiextensions.CustomResource[];
    readonly dashboards: k8s.core.v1.ConfigMap[];
    readonly postgresExporter: k8s.helm.v3.Release;
    /** Hourly restart of the postgres-exporter when its credentials changed (SEC-8). */
    readonly postgresExporterReload: k8s.batch.v1.CronJob;
    readonly redisExporter: k8s.helm.v3.Release;
    readonly blackboxExporter: k8s.helm.v3.Release;
    /** Name of the encrypted gp3 StorageClass other stateful workloads use (LOG-1). */
    readonly storageClassName: string;

    constructor(name: string, args: MonitoringArgs, opts?: pulumi.ComponentResourceOptions) {
        super("bookbuddy:monitoring:MonitoringStack", name, {}, opts);
        const ns = args.namespace ?? "monitoring";
        const apiNs = args.apiNamespace ?? "bookbuddy";
        this.storageClassName = args.storageClassName ?? "gp3-encrypted";
        const parent = { parent: this };
        const repositoryOpts = { repo: PROMETHEUS_COMMUNITY_REPO };

        // The node exporter needs host access, so the namespace enforces "privileged" but warns on "restricted".
        this.namespace = new k8s.core.v1.Namespace(
            `${name}-namespace`,
            { metadata: { name: ns, labels: podSecurityLabels("privileged") } },
            parent,
        );
        const inNs = { parent: this, dependsOn: [this.namespace] };

        // MON-1, SEC-3: every volume of the stack is gp3, encrypted with the data key, through the EBS CSI driver.
        this.storageClass = new k8s.storage.v1.StorageClass(
            `${name}-gp3-encrypted`,
            {
                metadata: { name: this.storageClassName },
                provisioner: "ebs.csi.aws.com",
                parameters: { type: "gp3", encrypted: "true", kmsKeyId: args.volumeKeyArn, "csi.storage.k8s.io/fstype": "ext4" },
                reclaimPolicy: "Retain",
                volumeBindingMode: "WaitForFirstConsumer",
                allowVolumeExpansion: true,
            },
            parent,
        );

        // SEC-7: the namespace's own store, which may read the monitoring secrets and nothing else.
        this.secretStore = new NamespaceSecretStore(
            `${name}-secret-store`,
            { ...args.secretStore, namespace: ns, secretNames: [...new Set(Object.values(args.secretNames))] },
            inNs,
        );
        const withStore = { parent: this, dependsOn: [this.namespace, this.secretStore] };
        const externalSecret = (id: string, target: string, remoteKey: string, data: Array<[string, string]>) =>
            new k8s.apiextensions.CustomResource(
                `${name}-${id}`,
                {
                    apiVersion: "external-secrets.io/v1",
                    kind: "ExternalSecret",
                    metadata: { name: target, namespace: ns },
                    spec: {
                        refreshInterval: "1h",
                        secretStoreRef: this.secretStore.ref,
                        target: { name: target, creationPolicy: "Owner", deletionPolicy: "Retain" },
                        data: data.map(([secretKey, property]) => ({ secretKey, remoteRef: { key: remoteKey, property } })),
                    },
                },
                withStore,
            );
        const grafanaAdmin = externalSecret("grafana-admin", GRAFANA_ADMIN_SECRET, args.secretNames.grafanaAdmin, [
            ["admin-user", "username"],
            ["admin-password", "value"],
        ]);
        const receivers = externalSecret(
            "alertmanager-receivers",
            RECEIVERS_SECRET,
            args.secretNames.alertmanagerReceivers,
            Object.values(receiverSecretKeys).map((k) => [k, k]),
        );
        // MON-3, SEC-2: the configuration Secret, with the SES SMTP user name (the SMTP credentials' key id) from
        // the receivers' secret; everything else is the generated configuration, emitted literally.
        const alertmanagerConfigSecret = new k8s.apiextensions.CustomResource(
            `${name}-alertmanager-config`,
            {
                apiVersion: "external-secrets.io/v1",
                kind: "ExternalSecret",
                metadata: { name: ALERTMANAGER_CONFIG_SECRET, namespace: ns },
                spec: {
                    refreshInterval: "1h",
                    secretStoreRef: this.secretStore.ref,
                    target: {
                        name: ALERTMANAGER_CONFIG_SECRET,
                        creationPolicy: "Owner",
                        deletionPolicy: "Retain",
                        template: {
                            engineVersion: "v2",
                            data: { "alertmanager.yaml": alertmanagerConfigTemplate(alertmanagerYaml(args)) },
                        },
                    },
                    data: [
                        {
                            secretKey: "smtpUsername",
                            remoteRef: { key: args.secretNames.alertmanagerReceivers, property: SMTP_USERNAME_PROPERTY },
                        },
                    ],
                },
            },
            withStore,
        );
        const postgresCredentials = externalSecret("postgres-exporter", "postgres-exporter", args.secretNames.databaseReadonly, [
            ["username", "username"],
            ["password", "password"],
        ]);
        const redisCredentials = externalSecret("redis-exporter", "redis-exporter", args.secretNames.cacheAuth, [
            ["password", "token"],
        ]);

        // CRDs first, at the operator version of the chart; applied by Helm as templates so they upgrade with it.
        this.crds = new k8s.helm.v3.Release(
            `${name}-operator-crds`,
            {
                name: "prometheus-operator-crds",
                chart: "prometheus-operator-crds",
                version: args.charts.operatorCrds,
                repositoryOpts,
                namespace: ns,
                atomic: true,
            },
            inNs,
        );

        this.release = new k8s.helm.v3.Release(
            `${name}-kube-prometheus-stack`,
            {
                name: KPS_RELEASE,
                chart: "kube-prometheus-stack",
                version: args.charts.kubePrometheusStack,
                repositoryOpts,
                namespace: ns,
                skipCrds: true,
                atomic: true,
                timeout: 900,
                values: kubePrometheusStackValues(args, this.storageClassName),
            },
            {
                parent: this,
                dependsOn: [this.namespace, this.storageClass, this.crds, grafanaAdmin, receivers, alertmanagerConfigSecret],
            },
        );
        const afterStack = { parent: this, dependsOn: [this.crds, this.release] };

        const groups = alertRuleGroups(args.thresholds, {
            runbookBaseUrl: args.runbookBaseUrl,
            apiJob: API_JOB,
            namespaces: [apiNs],
            healthProbeJob: HEALTH_PROBE_JOB,
        });
        this.rules = prometheusRuleObjects(groups, ns).map(
            (rule) =>
                new k8s.apiextensions.CustomResource(
                    `${name}-rules-${rule.name}`,
                    rule.manifest as k8s.apiextensions.CustomResourceArgs,
                    afterStack,
                ),
        );

        this.dashboards = dashboards({
            apiJob: API_JOB,
            namespace: apiNs,
            healthProbeJob: HEALTH_PROBE_JOB,
            thresholds: args.thresholds,
        }).map(
            (file) =>
                new k8s.core.v1.ConfigMap(
                    `${name}-dashboard-${file.json.uid}`,
                    {
                        metadata: {
                            name: `dashboard-${file.json.uid}`,
                            namespace: ns,
                            labels: { [DASHBOARD_LABEL]: "1" },
                            annotations: { grafana_folder: "Bookbuddy" },
                        },
                        data: dashboardConfigMapData(file),
                    },
                    inNs,
                ),
        );

        // SEC-7, DB-1: the RDS CA bundle the exporter verifies the server against (verify-full).
        const caBundle = new k8s.core.v1.ConfigMap(
            `${name}-rds-ca-bundle`,
            { metadata: { name: "rds-ca-bundle", namespace: ns }, data: { [RDS_CA_BUNDLE_FILE]: rdsCaBundle() } },
            inNs,
        );

        // MON-1: PostgreSQL metrics as the read-only role, over TLS that verifies the server (SEC-7).
        this.postgresExporter = new k8s.helm.v3.Release(
            `${name}-postgres-exporter`,
            {
                name: POSTGRES_EXPORTER_RELEASE,
                chart: "prometheus-postgres-exporter",
                version: args.charts.postgresExporter,
                repositoryOpts,
                namespace: ns,
                atomic: true,
                values: {
                    config: {
                        datasource: {
                            host: args.database.host,
                            port: pulumi.output(args.database.port).apply(String),
                            database: args.database.name,
                            sslmode: "verify-full",
                            extraParams: `sslrootcert=${POSTGRES_EXPORTER_CA_DIR}/${RDS_CA_BUNDLE_FILE}`,
                            userSecret: { name: "postgres-exporter", key: "username" },
                            passwordSecret: { name: "postgres-exporter", key: "password" },
                        },
                    },
                    extraVolumes: [{ name: "rds-ca", configMap: { name: "rds-ca-bundle" } }],
                    extraVolumeMounts: [{ name: "rds-ca", mountPath: POSTGRES_EXPORTER_CA_DIR, readOnly: true }],
                    serviceMonitor: { enabled: true, labels: { release: KPS_RELEASE } },
                    // The chart's keys (7.x): podSecurityContext for the pod, securityContext for the container (#14).
                    podSecurityContext: {
                        runAsNonRoot: true,
                        runAsUser: 65534,
                        runAsGroup: 65534,
                        seccompProfile: { type: "RuntimeDefault" },
                    },
                    securityContext: {
                        readOnlyRootFilesystem: true,
                        allowPrivilegeEscalation: false,
                        privileged: false,
                        capabilities: { drop: ["ALL"] },
                    },
                },
            },
            { parent: this, dependsOn: [this.release, postgresCredentials, caBundle] },
        );
        // SEC-8: the exporter restarts once its credentials changed (components/monitoring/credential-reload.ts).
        this.postgresExporterReload = credentialReload(
            `${name}-postgres-exporter-reload`,
            {
                namespace: ns,
                secretName: "postgres-exporter",
                deploymentName: chartFullname(POSTGRES_EXPORTER_RELEASE, "prometheus-postgres-exporter"),
                name: "postgres-exporter",
            },
            { parent: this, dependsOn: [this.namespace, this.postgresExporter] },
        );

        // MON-1: Redis metrics over TLS with the AUTH token.
        this.redisExporter = new k8s.helm.v3.Release(
            `${name}-redis-exporter`,
            {
                name: "redis-exporter",
                chart: "prometheus-redis-exporter",
                version: args.charts.redisExporter,
                repositoryOpts,
                namespace: ns,
                atomic: true,
                values: {
                    redisAddress: pulumi.interpolate`rediss://${args.cache.host}:${args.cache.port}`,
                    auth: { enabled: true, secret: { name: "redis-exporter", key: "password" } },
                    serviceMonitor: { enabled: true, labels: { release: KPS_RELEASE } },
                    securityContext: {
                        runAsNonRoot: true,
                        runAsUser: 59000,
                        readOnlyRootFilesystem: true,
                        allowPrivilegeEscalation: false,
                        capabilities: { drop: ["ALL"] },
                    },
                },
            },
            { parent: this, dependsOn: [this.release, redisCredentials] },
        );

        // HC-1, MON-2: blackbox probes of the health endpoints under the job the alert rules read.
        this.blackboxExporter = new k8s.helm.v3.Release(
            `${name}-blackbox-exporter`,
            {
                name: "blackbox-exporter",
                chart: "prometheus-blackbox-exporter",
                version: args.charts.blackboxExporter,
                repositoryOpts,
                namespace: ns,
                atomic: true,
                values: {
                    config: {
                        modules: {
                            http_health: {
                                prober: "http",
                                timeout: "10s",
                                http: {
                                    valid_status_codes: [200],
                                    method: "GET",
                                    fail_if_not_ssl: true,
                                    preferred_ip_protocol: "ip4",
                                    tls_config: { insecure_skip_verify: false },
                                },
                            },
                        },
                    },
                    securityContext: {
                        runAsNonRoot: true,
                        runAsUser: 1000,
                        readOnlyRootFilesystem: true,
                        allowPrivilegeEscalation: false,
                        capabilities: { drop: ["ALL"] },
                    },
                },
            },
            afterStack,
        );
        const minutes = args.probeMinutes ?? { liveness: 1, dependencies: 5 };
        const probe = (id: string, paths: string[], everyMinutes: number) =>
            new k8s.apiextensions.CustomResource(
                `${name}-probe-${id}`,
                {
                    apiVersion: "monitoring.coreos.com/v1",
                    kind: "Probe",
                    metadata: { name: `bookbuddy-${id}`, namespace: ns, labels: { release: KPS_RELEASE } },
                    spec: {
                        jobName: HEALTH_PROBE_JOB,
                        interval: `${everyMinutes}m`,
                        scrapeTimeout: "15s",
                        module: "http_health",
                        prober: { url: `blackbox-exporter-prometheus-blackbox-exporter.${ns}.svc:9115` },
                        targets: {
                            staticConfig: {
                                static: pulumi
                                    .output(args.healthBaseUrl)
                                    .apply((base) => paths.map((p) => `${base.replace(/\/+$/, "")}${p}`)),
                            },
                        },
                    },
                },
                { parent: this, dependsOn: [this.crds, this.blackboxExporter] },
            );
        probe("health", ["/health"], minutes.liveness);
        probe("health-dependencies", ["/health/db", "/health/cache"], minutes.dependencies);

        // MON-2: the API's metrics; the Service is named bookbuddy-api, so the job label is too.
        new k8s.apiextensions.CustomResource(
            `${name}-api-monitor`,
            {
                apiVersion: "monitoring.coreos.com/v1",
                kind: "ServiceMonitor",
                metadata: { name: API_JOB, namespace: ns, labels: { release: KPS_RELEASE } },
                spec: {
                    jobLabel: "app.kubernetes.io/name",
                    namespaceSelector: { matchNames: [apiNs] },
                    selector: { matchLabels: { "app.kubernetes.io/name": API_JOB } },
                    endpoints: [{ port: "http", path: "/metrics", interval: "30s", scrapeTimeout: "10s" }],
                },
            },
            afterStack,
        );

        this.registerOutputs({ storageClassName: this.storageClassName });
    }
}
