/**
 * CloudWatch alarms on the managed services (ALARM-1) and the alert topic's subscribers.
 *
 * Every alarm sends its ALARM and OK transitions to the alert topic and states its missing-data treatment:
 * "breaching" where silence means the store is gone (CPU, memory, storage of RDS and ElastiCache), "notBreaching"
 * where silence means nothing happened (connections, evictions, replica lag of a stopped replica, no ALB traffic).
 * Dimensions are the stores' own outputs, so the stack policy can tie each alarm to its store.
 */
import * as aws from "@pulumi/aws";
import { OPERATIONS_THRESHOLDS } from "../shared/thresholds";
import * as pulumi from "@pulumi/pulumi";

export { AlertTopic, ALERT_PUBLISHERS } from "./topic";

/** Alarm thresholds (ALARM-1); the defaults are the operations documents' numbers. */
export interface AlarmThresholds {
    /** RDS CPUUtilization, percent; default 80. */
    rdsCpuPercent: number;
    /** RDS FreeableMemory floor, MiB; default 1024. */
    rdsFreeableMemoryMb: number;
    /** RDS FreeStorageSpace floor as a share of the allocated storage, percent; default 20. */
    rdsFreeStoragePercent: number;
    /** RDS DatabaseConnections ceiling; default 400. */
    rdsConnections: number;
    /** ReplicaLag of read replicas, seconds; default 60. */
    rdsReplicaLagSeconds: number;
    /** ElastiCache CPUUtilization and EngineCPUUtilization, percent; default 80. */
    cacheCpuPercent: number;
    /** DatabaseMemoryUsagePercentage that warns; default 80. */
    cacheMemoryWarningPercent: number;
    /** DatabaseMemoryUsagePercentage that is critical; default 85. */
    cacheMemoryCriticalPercent: number;
    /** Evictions per 5 minutes tolerated; default 0. */
    cacheEvictions: number;
    /** ALB 5xx share of requests over 5 minutes, percent; default 1. */
    albErrorRatePercent: number;
    /** ALB TargetResponseTime p95, seconds; default 1. */
    albLatencyP95Seconds: number;
}

export const defaultAlarmThresholds: Readonly<AlarmThresholds> = Object.freeze({
    rdsCpuPercent: OPERATIONS_THRESHOLDS.cpuPercent,
    rdsFreeableMemoryMb: 1024,
    rdsFreeStoragePercent: 20,
    rdsConnections: 400,
    rdsReplicaLagSeconds: 60,
    cacheCpuPercent: OPERATIONS_THRESHOLDS.cpuPercent,
    cacheMemoryWarningPercent: OPERATIONS_THRESHOLDS.memoryWarningPercent,
    cacheMemoryCriticalPercent: OPERATIONS_THRESHOLDS.memoryCriticalPercent,
    cacheEvictions: 0,
    albErrorRatePercent: OPERATIONS_THRESHOLDS.errorRatePercent,
    albLatencyP95Seconds: OPERATIONS_THRESHOLDS.latencyP95Seconds,
});

export interface ServiceAlarmsArgs {
    /** Topic receiving ALARM and OK notifications; required (ALARM-1). */
    topicArn: pulumi.Input<string>;
    /** Prefix of the alarm names, e.g. `bookbuddy-prod`; required. */
    namePrefix: string;
    /** Thresholds; missing fields take `defaultAlarmThresholds` (ALARM-1). */
    thresholds?: Partial<AlarmThresholds>;
    /** The RDS instance: identifier output, allocated storage (GiB) and read replica identifiers (default none) (ALARM-1). */
    database?: { identifier: pulumi.Input<string>; allocatedStorageGb: number; replicaIdentifiers?: pulumi.Input<string>[] };
    /** The ElastiCache replication group: member cluster IDs output and their count (1 + replicas) (ALARM-1). */
    cache?: { memberClusters: pulumi.Input<string[]>; count: number };
    /** The ALB's ARN suffix (`app/<name>/<id>`), e.g. from a lookup after the Ingress; default none (ALARM-1). */
    loadBalancerArnSuffix?: pulumi.Input<string>;
}

/** FreeStorageSpace floor in bytes: the share of the allocated GiB (ALARM-1). */
export function freeStorageThresholdBytes(allocatedStorageGb: number, percent: number): number {
    if (!(allocatedStorageGb > 0) || !(percent > 0 && percent < 100))
        throw new Error(`invalid storage alarm inputs: ${allocatedStorageGb} GiB, ${percent}%`);
    return Math.round((allocatedStorageGb * 1024 ** 3 * percent) / 100);
}

/** The ALB 5xx-rate expression: target and load-balancer 5xx over all requests, in percent (ALARM-1). */
export const ALB_ERROR_RATE_EXPRESSION = "100 * (FILL(target5xx, 0) + FILL(elb5xx, 0)) / requests";

/**
 * The CloudWatch alarms of ALARM-1: RDS (CPU, freeable memory, free storage, connections, replica lag per read
 * replica), ElastiCache per member cluster (CPU, engine CPU, memory 80%/85%, evictions) and the ALB (5xx rate
 * by metric math, p95 target response time).
 */
export class ServiceAlarms extends pulumi.ComponentResource {
    readonly alarms: aws.cloudwatch.MetricAlarm[] = [];

    constructor(name: string, args: ServiceAlarmsArgs, opts?: pulumi.ComponentResourceOptions) {
        super("bookbuddy:alarms:ServiceAlarms", name, {}, opts);
        const t: AlarmThresholds = { ...defaultAlarmThresholds, ...args.thresholds };
        if (t.cacheMemoryWarningPercent >= t.cacheMemoryCriticalPercent) {
            throw new Error(
                `ServiceAlarms ${name}: cacheMemoryWarningPercent (${t.cacheMemoryWarningPercent}) must be below cacheMemoryCriticalPercent (${t.cacheMemoryCriticalPercent})`,
            );
        }
        const actions = { alarmActions: [args.topicArn], okActions: [args.topicArn] };
        const alarm = (id: string, props: Omit<aws.cloudwatch.MetricAlarmArgs, "alarmActions" | "okActions" | "name">) => {
            const a = new aws.cloudwatch.MetricAlarm(
                `${name}-${id}`,
                { name: `${args.namePrefix}-${id}`, ...actions, ...props },
                { parent: this },
            );
            this.alarms.push(a);
            return a;
        };
        const fiveMinutes = { period: 300, evaluationPeriods: 3, datapointsToAlarm: 3 };

        const db = args.database;
        if (db) {
            const dims = { DBInstanceIdentifier: db.identifier };
            const rds = { namespace: "AWS/RDS", dimensions: dims, statistic: "Average", ...fiveMinutes };
            alarm("rds-cpu", {
                ...rds,
                alarmDescription: `RDS CPU above ${t.rdsCpuPercent}% for 15 minutes (ALARM-1)`,
                metricName: "CPUUtilization",
                comparisonOperator: "GreaterThanThreshold",
                threshold: t.rdsCpuPercent,
                treatMissingData: "breaching",
            });
            alarm("rds-freeable-memory", {
                ...rds,
                alarmDescription: `RDS freeable memory below ${t.rdsFreeableMemoryMb} MiB for 15 minutes (ALARM-1)`,
                metricName: "FreeableMemory",
                comparisonOperator: "LessThanThreshold",
                threshold: t.rdsFreeableMemoryMb * 1024 * 1024,
                treatMissingData: "breaching",
            });
            alarm("rds-free-storage", {
                ...rds,
                alarmDescription: `RDS free storage below ${t.rdsFreeStoragePercent}% of the ${db.allocatedStorageGb} GiB allocated (ALARM-1)`,
                metricName: "FreeStorageSpace",
                comparisonOperator: "LessThanThreshold",
                threshold: freeStorageThresholdBytes(db.allocatedStorageGb, t.rdsFreeStoragePercent),
                treatMissingData: "breaching",
            });
            alarm("rds-connections", {
                ...rds,
                alarmDescription: `RDS connections above ${t.rdsConnections} for 15 minutes (ALARM-1)`,
                metricName: "DatabaseConnections",
                comparisonOperator: "GreaterThanThreshold",
                threshold: t.rdsConnections,
                treatMissingData: "notBreaching",
            });
            (db.replicaIdentifiers ?? []).forEach((replica, i) =>
                alarm(`rds-replica-lag-${i}`, {
                    ...rds,
                    dimensions: { DBInstanceIdentifier: replica },
                    alarmDescription: `Read replica lag above ${t.rdsReplicaLagSeconds} s for 15 minutes (ALARM-1)`,
                    metricName: "ReplicaLag",
                    statistic: "Maximum",
                    comparisonOperator: "GreaterThanThreshold",
                    threshold: t.rdsReplicaLagSeconds,
                    treatMissingData: "breaching",
                }),
            );
        }

        const cache = args.cache;
        if (cache) {
            for (let i = 0; i < cache.count; i++) {
                const member = pulumi.output(cache.memberClusters).apply((m) => {
                    if (m[i] === undefined)
                        throw new Error(
                            `ServiceAlarms ${name}: the replication group has ${m.length} member clusters, expected ${cache.count}`,
                        );
                    return m[i];
                });
                const ec = {
                    namespace: "AWS/ElastiCache",
                    dimensions: { CacheClusterId: member },
                    statistic: "Average",
                    ...fiveMinutes,
                };
                const n = String(i + 1).padStart(3, "0");
                alarm(`cache-${n}-cpu`, {
                    ...ec,
                    alarmDescription: `Cache node ${n} host CPU above ${t.cacheCpuPercent}% (ALARM-1)`,
                    metricName: "CPUUtilization",
                    comparisonOperator: "GreaterThanThreshold",
                    threshold: t.cacheCpuPercent,
                    treatMissingData: "breaching",
                });
                alarm(`cache-${n}-engine-cpu`, {
                    ...ec,
                    alarmDescription: `Cache node ${n} engine CPU above ${t.cacheCpuPercent}% (ALARM-1)`,
                    metricName: "EngineCPUUtilization",
                    comparisonOperator: "GreaterThanThreshold",
                    threshold: t.cacheCpuPercent,
                    treatMissingData: "breaching",
                });
                alarm(`cache-${n}-memory-warning`, {
                    ...ec,
                    alarmDescription: `Cache node ${n} memory above ${t.cacheMemoryWarningPercent}% (ALARM-1, warning)`,
                    metricName: "DatabaseMemoryUsagePercentage",
                    comparisonOperator: "GreaterThanThreshold",
                    threshold: t.cacheMemoryWarningPercent,
                    treatMissingData: "breaching",
                    tags: { severity: "warning" },
                });
                alarm(`cache-${n}-memory-critical`, {
                    ...ec,
                    evaluationPeriods: 2,
                    datapointsToAlarm: 2,
                    alarmDescription: `Cache node ${n} memory above ${t.cacheMemoryCriticalPercent}% (ALARM-1, critical)`,
                    metricName: "DatabaseMemoryUsagePercentage",
                    comparisonOperator: "GreaterThanThreshold",
                    threshold: t.cacheMemoryCriticalPercent,
                    treatMissingData: "breaching",
                    tags: { severity: "critical" },
                });
                alarm(`cache-${n}-evictions`, {
                    ...ec,
                    evaluationPeriods: 1,
                    datapointsToAlarm: 1,
                    statistic: "Sum",
                    alarmDescription: `Cache node ${n} evicted more than ${t.cacheEvictions} keys in 5 minutes (ALARM-1)`,
                    metricName: "Evictions",
                    comparisonOperator: "GreaterThanThreshold",
                    threshold: t.cacheEvictions,
                    treatMissingData: "notBreaching",
                });
            }
        }

        if (args.loadBalancerArnSuffix !== undefined) {
            const lb = { LoadBalancer: args.loadBalancerArnSuffix };
            const metric = (id: string, metricName: string) => ({
                id,
                metric: { namespace: "AWS/ApplicationELB", metricName, dimensions: lb, period: 300, stat: "Sum" },
                returnData: false,
            });
            alarm("alb-5xx-rate", {
                alarmDescription: `ALB 5xx responses above ${t.albErrorRatePercent}% of requests over 5 minutes (ALARM-1)`,
                comparisonOperator: "GreaterThanThreshold",
                threshold: t.albErrorRatePercent,
                evaluationPeriods: 2,
                datapointsToAlarm: 2,
                treatMissingData: "notBreaching",
                metricQueries: [
                    { id: "rate", expression: ALB_ERROR_RATE_EXPRESSION, label: "5xx share of requests (%)", returnData: true },
                    metric("target5xx", "HTTPCode_Target_5XX_Count"),
                    metric("elb5xx", "HTTPCode_ELB_5XX_Count"),
                    metric("requests", "RequestCount"),
                ],
            });
            alarm("alb-latency-p95", {
                alarmDescription: `ALB target response time p95 above ${t.albLatencyP95Seconds} s over 5 minutes (ALARM-1)`,
                namespace: "AWS/ApplicationELB",
                metricName: "TargetResponseTime",
                dimensions: lb,
                extendedStatistic: "p95",
                period: 300,
                evaluationPeriods: 2,
                datapointsToAlarm: 2,
                comparisonOperator: "GreaterThanThreshold",
                threshold: t.albLatencyP95Seconds,
                treatMissingData: "notBreaching",
            });
        }

        this.registerOutputs({ alarmNames: this.alarms.map((a) => a.name) });
    }
}

export interface AlertSubscriptionsArgs {
    /** The alert topic; required (ALARM-1). */
    topicArn: pulumi.Input<string>;
    /** Email addresses; each must confirm the subscription; default none (ALARM-1). */
    emails?: string[];
    /** HTTPS endpoints (secrets: the URL usually carries a token); default none (ALARM-1, SEC-2). */
    httpsEndpoints?: pulumi.Input<string>[];
}

/** Subscribers of the alert topic (ALARM-1): email and HTTPS, with raw delivery off so receivers get the SNS envelope. */
export class AlertSubscriptions extends pulumi.ComponentResource {
    readonly subscriptions: aws.sns.TopicSubscription[];

    constructor(name: string, args: AlertSubscriptionsArgs, opts?: pulumi.ComponentResourceOptions) {
        super("bookbuddy:alarms:AlertSubscriptions", name, {}, opts);
        const emails = (args.emails ?? []).map(
            (email) =>
                new aws.sns.TopicSubscription(
                    `${name}-email-${email.replace(/[^A-Za-z0-9]+/g, "-").toLowerCase()}`,
                    { topic: args.topicArn, protocol: "email", endpoint: email },
                    { parent: this },
                ),
        );
        const https = (args.httpsEndpoints ?? []).map(
            (endpoint, i) =>
                new aws.sns.TopicSubscription(
                    `${name}-https-${i}`,
                    {
                        topic: args.topicArn,
                        protocol: "https",
                        endpoint: pulumi.secret(endpoint),
                        endpointAutoConfirms: true,
                        rawMessageDelivery: false,
                    },
                    { parent: this, additionalSecretOutputs: ["endpoint"] },
                ),
        );
        this.subscriptions = [...emails, ...https];
        this.registerOutputs({});
    }
}
