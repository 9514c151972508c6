/**
 * Observability of the environment (MON-1, MON-2, MON-3, LOG-1, LOG-2, ALARM-1, HC-1, BKP-4): maps the validated
 * `monitoring`, `logging`, `alarms`, `alarmHttpsEndpoints` and `health` configuration to the MonitoringStack,
 * LoggingStack, ServiceAlarms, AlertSubscriptions and HealthChecks components.
 *
 * The API's load balancer is created by the AWS Load Balancer Controller from the Ingress, so Pulumi never
 * declares it. Its ARN suffix (the ALB alarms' dimension) comes from an `aws.lb.getLoadBalancer` lookup by the
 * tags the controller puts on it (`elbv2.k8s.aws/cluster`, `ingress.k8s.aws/stack = <namespace>/<ingress>`),
 * which depends on the Ingress: on a first deploy the lookup waits until the Ingress exists, and the
 * provider waits for an Ingress until it has a load balancer address, so the ALB is there when it runs; in a
 * preview of a first deploy it stays unknown; the offline preview answers it from its mocks.
 */
import * as aws from "@pulumi/aws";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { AlertTopic } from "../components/alarms/topic";
import { AlertSubscriptions, ServiceAlarms } from "../components/alarms";
import { BookbuddyApp } from "../components/app";
import { KubernetesCluster } from "../components/cluster";
import { ClusterServices } from "../components/cluster/services";
import { secretStoreAccess } from "./secret-stores";
import { HealthChecks } from "../components/health";
import { LoggingStack } from "../components/logging";
import { MonitoringStack } from "../components/monitoring";
import { AwsContext } from "../components/shared/context";
import { EncryptionKey } from "../components/shared/kms";
import { HardenedBucket } from "../components/storage/bucket";
import { StackConfig } from "./config";
import { DataTier } from "./data";

/** What observability needs from the environment. */
export interface ObservabilityInputs {
    prefix: string;
    context: AwsContext;
    providers: { aws: aws.Provider };
    keys: Record<"logs" | "data" | "secrets", EncryptionKey>;
    alerts: AlertTopic;
    cluster: KubernetesCluster;
    services: ClusterServices;
    data: DataTier;
    /** The access-log bucket every new bucket logs into (STORE-1). */
    logBucket: HardenedBucket;
    app: BookbuddyApp;
    /** Public API host, e.g. `api.bookbuddy.example` (HC-1). */
    apiDomain: string;
}

/** What observability gives the rest of the program. */
export interface Observability {
    monitoring: MonitoringStack;
    logging: LoggingStack;
    alarms: ServiceAlarms;
    subscriptions: AlertSubscriptions;
    health: HealthChecks;
}

/** Secrets Manager names the observability workloads read (MON-1, MON-3; agreed with the secrets work). */
export function observabilitySecretNames(prefix: string) {
    return {
        grafanaAdmin: `${prefix}/grafana/admin`,
        alertmanagerReceivers: `${prefix}/alertmanager/receivers`,
        databaseReadonly: `${prefix}/database/readonly`,
        cacheAuth: `${prefix}/cache/auth`,
    };
}

/** Canary names (at most 21 characters): `<stack>-<check>` (HC-1). */
export function healthCheckNames(stack: string): { liveness: string; database: string; cache: string } {
    const s = stack.slice(0, 12);
    return { liveness: `${s}-health`, database: `${s}-health-db`, cache: `${s}-health-cache` };
}

export function buildObservability(cfg: StackConfig, env: ObservabilityInputs): Observability {
    const withAws = { providers: { aws: env.providers.aws } };
    const withBoth = { providers: { aws: env.providers.aws, kubernetes: env.cluster.provider as k8s.Provider } };
    const m = cfg.monitoring;
    const baseUrl = `https://${env.apiDomain}`;

    const monitoring = new MonitoringStack(
        `${env.prefix}-monitoring`,
        {
            charts: {
                kubePrometheusStack: m.kubePrometheusStackChart,
                operatorCrds: m.operatorCrdsChart,
                postgresExporter: m.postgresExporterChart,
                redisExporter: m.redisExporterChart,
                blackboxExporter: m.blackboxExporterChart,
            },
            volumeKeyArn: env.keys.data.arn,
            retention: m.retention,
            prometheusStorageGi: m.prometheusStorageGi,
            prometheusReplicas: m.prometheusReplicas,
            alertmanagerReplicas: m.alertmanagerReplicas,
            alertmanagerStorageGi: m.alertmanagerStorageGi,
            grafanaStorageGi: m.grafanaStorageGi,
            thresholds: m.thresholds,
            runbookBaseUrl: m.runbookBaseUrl,
            routing: {
                teamChannel: m.teamChannel,
                dailyReview: { to: m.dailyReviewTo, from: m.dailyReviewFrom, smarthost: m.smtpSmarthost },
                heartbeatUrl: m.heartbeatUrl || undefined,
            },
            secretStore: secretStoreAccess(env),
            secretNames: observabilitySecretNames(env.prefix),
            database: { host: env.data.database.address, port: env.data.database.port, name: cfg.database.databaseName },
            cache: { host: env.data.cache.primaryEndpoint, port: env.data.cache.port },
            healthBaseUrl: baseUrl,
            probeMinutes: { liveness: cfg.health.livenessRateMinutes, dependencies: cfg.health.dependencyRateMinutes },
        },
        // The namespace's SecretStore and ExternalSecrets wait for the operator's CRDs (SEC-1, SEC-7).
        withBoth,
    );

    const l = cfg.logging;
    const logging = new LoggingStack(
        `${env.prefix}-logging`,
        {
            versions: { eckOperator: l.eckOperatorChart, stack: l.stackVersion, fluentBit: l.fluentBitChart },
            oidc: { providerArn: env.cluster.oidcProvider.arn, issuer: env.cluster.oidcIssuer },
            context: env.context,
            storageClassName: monitoring.storageClassName,
            elasticsearchNodes: l.elasticsearchNodes,
            elasticsearchStorageGi: l.elasticsearchStorageGi,
            elasticsearchMemory: l.elasticsearchMemory,
            kibanaReplicas: l.kibanaReplicas,
            logstashReplicas: l.logstashReplicas,
            retentionDays: l.retentionDays,
            snapshotSchedule: l.snapshotSchedule,
            snapshotRetentionDays: l.snapshotRetentionDays,
            setupImage: l.setupImage,
            archive: {
                kmsKeyArn: env.keys.logs.arn,
                accessLogBucket: env.logBucket.name,
                bucketName: pulumi.interpolate`${env.prefix}-log-archive-${env.context.accountId}`,
                forceDestroy: cfg.storage.forceDestroy,
            },
        },
        // The volumes need the encrypted StorageClass; the PodMonitor needs the operator's CRDs.
        { ...withBoth, dependsOn: [monitoring.storageClass, monitoring.crds] },
    );

    // ALARM-1: the controller's ALB for the API Ingress, found by its tags once the Ingress exists.
    const loadBalancer = aws.lb.getLoadBalancerOutput(
        {
            tags: {
                "elbv2.k8s.aws/cluster": env.cluster.name,
                "ingress.k8s.aws/stack": pulumi.interpolate`${env.app.ingress.metadata.namespace}/${env.app.ingress.metadata.name}`,
            },
        },
        { provider: env.providers.aws, dependsOn: [env.app.ingress] },
    );
    const a = cfg.alarms;
    const alarms = new ServiceAlarms(
        `${env.prefix}-alarms`,
        {
            topicArn: env.alerts.arn,
            namePrefix: env.prefix,
            thresholds: a,
            database: { identifier: env.data.database.instance.identifier, allocatedStorageGb: cfg.database.allocatedStorageGb },
            cache: { memberClusters: env.data.cache.replicationGroup.memberClusters, count: 1 + cfg.cache.replicas },
            loadBalancerArnSuffix: loadBalancer.arnSuffix,
        },
        withAws,
    );
    const subscriptions = new AlertSubscriptions(
        `${env.prefix}-alert-subscribers`,
        {
            topicArn: env.alerts.arn,
            emails: a.emails,
            httpsEndpoints: cfg.alarmHttpsEndpoints.map((e) => pulumi.secret(e.value)),
        },
        withAws,
    );

    const h = cfg.health;
    const names = healthCheckNames(cfg.stack);
    const health = new HealthChecks(
        `${env.prefix}-health`,
        {
            baseUrl,
            checks: [
                { canaryName: names.liveness, path: "/health", rateMinutes: h.livenessRateMinutes },
                { canaryName: names.database, path: "/health/db", rateMinutes: h.dependencyRateMinutes },
                { canaryName: names.cache, path: "/health/cache", rateMinutes: h.dependencyRateMinutes },
            ],
            runtimeVersion: h.runtimeVersion,
            topicArn: env.alerts.arn,
            uptimeObjectivePercent: h.uptimeObjectivePercent,
            artifactKeyArn: env.keys.logs.arn,
            accessLogBucket: env.logBucket.name,
            artifactBucketName: pulumi.interpolate`${env.prefix}-canary-artifacts-${env.context.accountId}`,
            artifactRetentionDays: h.artifactRetentionDays,
            logsKeyArn: env.keys.logs.arn,
            forceDestroy: cfg.storage.forceDestroy,
            context: env.context,
        },
        withAws,
    );

    return { monitoring, logging, alarms, subscriptions, health };
}
