/**
 * Prometheus alert rules for Bookbuddy, generated from the thresholds in stack config (MON-2, LOG-2, HC-1).
 *
 * Pure TypeScript: no Pulumi resources. The monitoring component puts the result of `alertRuleGroups()` into
 * a PrometheusRule (`spec.groups`), and the tests write it to a rule file with `toRuleFileYaml()` and prove it
 * with `promtool check rules` and `promtool test rules`.
 *
 * The metrics these rules read are the contract in docs/observability.md: the API's `http_requests_total`
 * and `http_request_duration_seconds` histogram, the queue gauges and processed-jobs counter, blackbox probe
 * results for /health, /health/db and /health/cache, the log shipper's `bookbuddy_log_lines_total`, and
 * node-exporter, cAdvisor and kube-state-metrics series from kube-prometheus-stack.
 */
import { OPERATIONS_THRESHOLDS } from "../shared/thresholds";
import * as YAML from "yaml";

/** Alert severities of the house (MON-3): critical pages on-call, high reaches the team within 1 hour, warning goes to the daily review. */
export type Severity = "critical" | "high" | "warning";

/** An alerting rule in the shape of a Prometheus rule file (MON-2). */
export interface AlertingRule {
    alert: string;
    expr: string;
    for?: string;
    labels: { severity: Severity; twin?: string; [name: string]: string | undefined };
    annotations: { summary: string; description: string; runbook_url: string };
}

/** A recording rule in the shape of a Prometheus rule file. */
export interface RecordingRule {
    record: string;
    expr: string;
    labels?: Record<string, string>;
}

/** One entry of a rule file's `groups:` list, also the items of a PrometheusRule's `spec.groups`. */
export interface RuleGroup {
    name: string;
    interval?: string;
    rules: Array<AlertingRule | RecordingRule>;
}

/**
 * Alert thresholds (MON-2, LOG-2, HC-1). Every field comes from stack config; the defaults are the numbers
 * of the operations documents (shared/seeds: "Alert Thresholds", "Key Metrics", "Error Log Patterns").
 */
export interface AlertThresholds {
    /** Share of API requests answered with 5xx over 5 minutes, in percent. Default 1 (seed: error rate > 1%). */
    errorRatePercent: number;
    /** P95 API latency in seconds. Default 1 (seed: response time P95 > 1s). */
    latencyP95Seconds: number;
    /** CPU use of nodes and of containers against their limit, in percent. Default 80 (seed: CPU > 80%). */
    cpuPercent: number;
    /** Memory use that warns, in percent. Default 80 (seed: memory usage > 80%). */
    memoryWarningPercent: number;
    /** Memory use that pages, in percent. Default 85 (seed: memory usage > 85%). */
    memoryCriticalPercent: number;
    /** Used space of node filesystems and persistent volumes, in percent. Default 80 (seed: disk > 80%). */
    diskPercent: number;
    /** Queue depth against queue capacity, in percent. Default 90 (seed: queue size > 90%). */
    queueCapacityPercent: number;
    /** Drop of the job processing rate against the same window one offset earlier, in percent. Default 20 (seed). */
    processingRateDropPercent: number;
    /** Window of the processing rate comparison. Default "1h". */
    processingRateWindow: string;
    /** How far back the comparison window lies. Default "1w" (same hour of the same weekday, so weekly traffic shape cancels out). */
    processingRateOffset: string;
    /** Availability objective in percent; burn-rate alerts watch its error budget. Default 99.5 (seed: uptime < 99.5%). */
    availabilityObjectivePercent: number;
    /** Window over which probe uptime is held against the objective. Default "30d". */
    availabilityWindow: string;
    /** How long a health check must keep failing before it pages (HC-1). Default "2m" (two /health probes a minute apart). */
    healthCheckFailingFor: string;
    /** How long a rollout may stay incomplete before it alerts. Default "15m". */
    rolloutStuckFor: string;
    /** Hours since the last successful pg_dump after which the backup counts as missing (BKP-2 daily). Default 26. */
    backupMaxAgeHours: number;
    /** ERROR log lines per app in 5 minutes tolerated before the team is alerted (LOG-2). Default 0 (any line). */
    errorLogLinesPer5m: number;
    /** WARN log lines per app in 1 hour tolerated before the daily review is notified (LOG-2). Default 0 (any line). */
    warnLogLinesPerHour: number;
}

/** Defaults of `AlertThresholds`, the numbers of the operations documents (MON-2, LOG-2, HC-1). */
export const defaultAlertThresholds: Readonly<AlertThresholds> = Object.freeze({
    errorRatePercent: OPERATIONS_THRESHOLDS.errorRatePercent,
    latencyP95Seconds: OPERATIONS_THRESHOLDS.latencyP95Seconds,
    cpuPercent: OPERATIONS_THRESHOLDS.cpuPercent,
    memoryWarningPercent: OPERATIONS_THRESHOLDS.memoryWarningPercent,
    memoryCriticalPercent: OPERATIONS_THRESHOLDS.memoryCriticalPercent,
    diskPercent: OPERATIONS_THRESHOLDS.diskPercent,
    queueCapacityPercent: 90,
    processingRateDropPercent: 20,
    processingRateWindow: "1h",
    processingRateOffset: "1w",
    availabilityObjectivePercent: OPERATIONS_THRESHOLDS.availabilityObjectivePercent,
    availabilityWindow: "30d",
    healthCheckFailingFor: "2m",
    rolloutStuckFor: "15m",
    backupMaxAgeHours: 26,
    errorLogLinesPer5m: 0,
    warnLogLinesPerHour: 0,
});

/** Where the alerts look and where their runbook links point (MON-2). */
export interface AlertRuleOptions {
    /** Base URL of the repository browser, e.g. https://github.com/org/bookbuddy-infra/blob/main; runbook links append /docs/runbooks/alerts.md#<alert>. Required. */
    runbookBaseUrl: string;
    /** Prometheus `job` label of the API's ServiceMonitor. Default "bookbuddy-api". */
    apiJob?: string;
    /** Namespaces of the application workloads watched for container, rollout and log alerts. Default ["bookbuddy"]. */
    namespaces?: string[];
    /** Prometheus `job` label of the blackbox Probe of /health, /health/db and /health/cache (HC-1). Default "bookbuddy-health". */
    healthProbeJob?: string;
    /** Regex (fully anchored, RE2) of the CronJob names of the logical backup (BKP-2). Default ".*pg-dump.*". */
    backupCronJobPattern?: string;
    /** Regex of the CronJob names of the daily restore check (BKP-2). Default ".*restore-check.*". */
    restoreCheckCronJobPattern?: string;
    /** Regex of the CronJob names of the database maintenance jobs (MNT-1). Default ".*(vacuum|analyze|reindex|slow-query).*". */
    maintenanceCronJobPattern?: string;
}

/** Anchor of an alert's section in docs/runbooks/alerts.md: the heading is the alert name, so the anchor is its lower case. */
export function runbookAnchor(alertName: string): string {
    return alertName.toLowerCase();
}

/** Formats a number for PromQL without binary floating-point noise (0.07200000000000001 becomes 0.072). */
function num(value: number): string {
    return String(Number(value.toPrecision(12)));
}

const DURATION = /^([0-9]+(ms|s|m|h|d|w|y))+$/;

function percentOf(thresholds: AlertThresholds, key: keyof AlertThresholds, min: number, max: number): number {
    const value = thresholds[key];
    if (typeof value !== "number" || !Number.isFinite(value) || value <= min || value >= max) {
        throw new Error(`alert threshold ${key} must be a number above ${min} and below ${max}, got ${JSON.stringify(value)}`);
    }
    return value;
}

function duration(thresholds: AlertThresholds, key: keyof AlertThresholds): string {
    const value = thresholds[key];
    if (typeof value !== "string" || !DURATION.test(value)) {
        throw new Error(
            `alert threshold ${key} must be a Prometheus duration such as "5m" or "1w", got ${JSON.stringify(value)}`,
        );
    }
    return value;
}

function nonNegative(thresholds: AlertThresholds, key: keyof AlertThresholds): number {
    const value = thresholds[key];
    if (typeof value !== "number" || !Number.isFinite(value) || value < 0) {
        throw new Error(`alert threshold ${key} must be a number of 0 or more, got ${JSON.stringify(value)}`);
    }
    return value;
}

/** Quotes a value for a PromQL label matcher. */
function quote(value: string): string {
    return JSON.stringify(value);
}

/** Checks a regex from options compiles, so a typo fails the run here and not silently in Prometheus. */
function pattern(name: string, value: string): string {
    try {
        new RegExp(`^(?:${value})$`);
    } catch (err) {
        throw new Error(`alert option ${name} is not a valid regular expression: ${(err as Error).message}`);
    }
    return value;
}

/**
 * Prometheus rule groups for Bookbuddy (MON-2, LOG-2, HC-1). Thresholds come from stack config; missing
 * fields take `defaultAlertThresholds`. Throws on a threshold that makes no sense (e.g. warning above critical).
 */
export function alertRuleGroups(thresholds: Partial<AlertThresholds>, options: AlertRuleOptions): RuleGroup[] {
    const t: AlertThresholds = { ...defaultAlertThresholds, ...thresholds };
    if (!options || typeof options.runbookBaseUrl !== "string" || !/^https:\/\/\S+$/.test(options.runbookBaseUrl)) {
        throw new Error(`alert option runbookBaseUrl must be an https URL, got ${JSON.stringify(options?.runbookBaseUrl)}`);
    }
    const base = options.runbookBaseUrl.replace(/\/+$/, "");
    const apiJob = quote(options.apiJob ?? "bookbuddy-api");
    const namespaces = options.namespaces ?? ["bookbuddy"];
    if (namespaces.length === 0 || namespaces.some((ns) => !/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(ns))) {
        throw new Error(
            `alert option namespaces must be a non-empty list of Kubernetes namespace names, got ${JSON.stringify(namespaces)}`,
        );
    }
    const ns = quote(namespaces.join("|"));
    const probeJob = quote(options.healthProbeJob ?? "bookbuddy-health");
    const backupJobs = quote(pattern("backupCronJobPattern", options.backupCronJobPattern ?? ".*pg-dump.*"));
    const restoreJobs = quote(pattern("restoreCheckCronJobPattern", options.restoreCheckCronJobPattern ?? ".*restore-check.*"));
    const maintenanceJobs = quote(
        pattern("maintenanceCronJobPattern", options.maintenanceCronJobPattern ?? ".*(vacuum|analyze|reindex|slow-query).*"),
    );

    const errorRate = percentOf(t, "errorRatePercent", 0, 100);
    const latency = percentOf(t, "latencyP95Seconds", 0, Number.MAX_SAFE_INTEGER);
    const cpu = percentOf(t, "cpuPercent", 0, 100);
    const memWarn = percentOf(t, "memoryWarningPercent", 0, 100);
    const memCrit = percentOf(t, "memoryCriticalPercent", 0, 100);
    if (memWarn >= memCrit) {
        throw new Error(`alert threshold memoryWarningPercent (${memWarn}) must be below memoryCriticalPercent (${memCrit})`);
    }
    const disk = percentOf(t, "diskPercent", 0, 100);
    const queue = percentOf(t, "queueCapacityPercent", 0, 100);
    const drop = percentOf(t, "processingRateDropPercent", 0, 100);
    const rateWindow = duration(t, "processingRateWindow");
    const rateOffset = duration(t, "processingRateOffset");
    const objective = percentOf(t, "availabilityObjectivePercent", 0, 100);
    const availabilityWindow = duration(t, "availabilityWindow");
    const healthFor = duration(t, "healthCheckFailingFor");
    const rolloutFor = duration(t, "rolloutStuckFor");
    const backupAge = percentOf(t, "backupMaxAgeHours", 0, Number.MAX_SAFE_INTEGER);
    const errorLines = nonNegative(t, "errorLogLinesPer5m");
    const warnLines = nonNegative(t, "warnLogLinesPerHour");

    const alert = (
        name: string,
        severity: Severity,
        expr: string,
        forDuration: string | undefined,
        summary: string,
        description: string,
        twin?: string,
    ): AlertingRule => ({
        alert: name,
        expr,
        ...(forDuration ? { for: forDuration } : {}),
        labels: twin ? { severity, twin } : { severity },
        annotations: { summary, description, runbook_url: `${base}/docs/runbooks/alerts.md#${runbookAnchor(name)}` },
    });

    // Error ratio of the API over the windows the multi-window, multi-burn-rate alerts need (SRE workbook ch. 5).
    const budget = (100 - objective) / 100;
    const windows = ["5m", "30m", "1h", "2h", "6h", "1d", "3d"];
    const ratio = (w: string) => `bookbuddy:api_request_errors:ratio_rate${w}`;
    const ratioRules: RecordingRule[] = windows.map((w) => ({
        record: ratio(w),
        expr:
            `sum by (namespace) (rate(http_requests_total{job=${apiJob}, status=~"5.."}[${w}]))\n` +
            `/\nsum by (namespace) (rate(http_requests_total{job=${apiJob}}[${w}]))`,
    }));
    const burn = (long: string, short: string, factor: number) =>
        `(${ratio(long)} > ${num(factor * budget)} and ${ratio(short)} > ${num(factor * budget)})`;

    const api: RuleGroup = {
        name: "bookbuddy-api",
        rules: [
            ...ratioRules,
            alert(
                "ApiErrorRateHigh",
                "high",
                `${ratio("5m")} > ${num(errorRate / 100)}`,
                "5m",
                `API error rate above ${num(errorRate)}%`,
                `More than ${num(errorRate)}% of API requests in namespace {{ $labels.namespace }} were answered with a 5xx status over the last 5 minutes (MON-2).`,
            ),
            alert(
                "ApiLatencyP95High",
                "high",
                `histogram_quantile(0.95, sum by (namespace, le) (rate(http_request_duration_seconds_bucket{job=${apiJob}}[5m]))) > ${num(latency)}`,
                "10m",
                `API P95 latency above ${num(latency)}s`,
                `The 95th percentile of API request duration in namespace {{ $labels.namespace }} has been above ${num(latency)} seconds for 10 minutes (MON-2).`,
            ),
            alert(
                "AvailabilityBudgetFastBurn",
                "critical",
                `${burn("1h", "5m", 14.4)}\nor\n${burn("6h", "30m", 6)}`,
                "2m",
                `API burning its ${num(objective)}% availability error budget fast`,
                `The API in namespace {{ $labels.namespace }} spends its ${num(objective)}% availability error budget at 6 to 14.4 times the sustainable rate; at this pace a 30-day budget is gone within days (MON-2).`,
                "availability",
            ),
            alert(
                "AvailabilityBudgetSlowBurn",
                "high",
                `${burn("1d", "2h", 3)}\nor\n${burn("3d", "6h", 1)}`,
                "15m",
                `API burning its ${num(objective)}% availability error budget`,
                `The API in namespace {{ $labels.namespace }} has spent its ${num(objective)}% availability error budget faster than sustainable over the last day or three days (MON-2).`,
                "availability",
            ),
        ],
    };

    const health: RuleGroup = {
        name: "bookbuddy-health",
        rules: [
            alert(
                "HealthCheckFailing",
                "critical",
                `min by (instance) (last_over_time(probe_success{job=${probeJob}}[10m])) == 0`,
                healthFor,
                "Health check failing",
                `The health check {{ $labels.instance }} has failed for ${healthFor} (HC-1).`,
            ),
            alert(
                "UptimeBelowObjective",
                "high",
                `avg by (instance) (avg_over_time(probe_success{job=${probeJob}}[${availabilityWindow}])) < ${num(objective / 100)}`,
                undefined,
                `Uptime below ${num(objective)}%`,
                `The health check {{ $labels.instance }} succeeded in less than ${num(objective)}% of probes over the last ${availabilityWindow} (HC-1, MON-2).`,
            ),
            alert(
                "RolloutStuck",
                "high",
                `(max by (namespace, deployment) (kube_deployment_status_replicas_unavailable{namespace=~${ns}}) > 0)\n` +
                    `or\n(max by (namespace, deployment) (kube_deployment_metadata_generation{namespace=~${ns}})\n` +
                    `  != max by (namespace, deployment) (kube_deployment_status_observed_generation{namespace=~${ns}}))\n` +
                    `or\n(max by (namespace, deployment) (kube_deployment_status_condition{namespace=~${ns}, condition="Progressing", status="false"}) == 1)`,
                rolloutFor,
                "Deployment rollout stuck",
                `Deployment {{ $labels.namespace }}/{{ $labels.deployment }} has had unavailable replicas, an unobserved spec generation or a failed Progressing condition for ${rolloutFor} (MON-2, APP-1).`,
            ),
        ],
    };

    const nodeFs = `fstype!~"tmpfs|overlay|squashfs|nsfs|ramfs"`;
    const containerSel = `namespace=~${ns}, container!="", container!="POD"`;
    const containerMemory =
        `sum by (namespace, pod, container) (container_memory_working_set_bytes{${containerSel}})\n` +
        `/ sum by (namespace, pod, container) (kube_pod_container_resource_limits{namespace=~${ns}, resource="memory"})`;
    const nodeMemory = `1 - max by (instance) (node_memory_MemAvailable_bytes) / max by (instance) (node_memory_MemTotal_bytes)`;
    const resources: RuleGroup = {
        name: "bookbuddy-resources",
        rules: [
            alert(
                "NodeCpuHigh",
                "warning",
                `1 - avg by (instance) (rate(node_cpu_seconds_total{mode="idle"}[5m])) > ${num(cpu / 100)}`,
                "15m",
                `Node CPU above ${num(cpu)}%`,
                `Node {{ $labels.instance }} has used more than ${num(cpu)}% CPU for 15 minutes (MON-2).`,
            ),
            alert(
                "ContainerCpuHigh",
                "warning",
                `sum by (namespace, pod, container) (rate(container_cpu_usage_seconds_total{${containerSel}}[5m]))\n` +
                    `/ sum by (namespace, pod, container) (kube_pod_container_resource_limits{namespace=~${ns}, resource="cpu"})\n> ${num(cpu / 100)}`,
                "15m",
                `Container CPU above ${num(cpu)}% of its limit`,
                `Container {{ $labels.container }} of pod {{ $labels.namespace }}/{{ $labels.pod }} has used more than ${num(cpu)}% of its CPU limit for 15 minutes (MON-2).`,
            ),
            alert(
                "NodeMemoryHigh",
                "warning",
                `${nodeMemory} > ${num(memWarn / 100)}`,
                "10m",
                `Node memory above ${num(memWarn)}%`,
                `Node {{ $labels.instance }} has used more than ${num(memWarn)}% of its memory for 10 minutes (MON-2).`,
                "node-memory",
            ),
            alert(
                "NodeMemoryCritical",
                "critical",
                `${nodeMemory} > ${num(memCrit / 100)}`,
                "5m",
                `Node memory above ${num(memCrit)}%`,
                `Node {{ $labels.instance }} has used more than ${num(memCrit)}% of its memory for 5 minutes; pods will be evicted or killed soon (MON-2).`,
                "node-memory",
            ),
            alert(
                "ContainerMemoryHigh",
                "warning",
                `${containerMemory}\n> ${num(memWarn / 100)}`,
                "10m",
                `Container memory above ${num(memWarn)}% of its limit`,
                `Container {{ $labels.container }} of pod {{ $labels.namespace }}/{{ $labels.pod }} has used more than ${num(memWarn)}% of its memory limit for 10 minutes (MON-2).`,
                "container-memory",
            ),
            alert(
                "ContainerMemoryCritical",
                "critical",
                `${containerMemory}\n> ${num(memCrit / 100)}`,
                "5m",
                `Container memory above ${num(memCrit)}% of its limit`,
                `Container {{ $labels.container }} of pod {{ $labels.namespace }}/{{ $labels.pod }} has used more than ${num(memCrit)}% of its memory limit for 5 minutes; the kernel will kill it at the limit (MON-2).`,
                "container-memory",
            ),
            alert(
                "NodeDiskUsageHigh",
                "high",
                `1 - max by (instance, mountpoint) (node_filesystem_avail_bytes{${nodeFs}})\n` +
                    `/ max by (instance, mountpoint) (node_filesystem_size_bytes{${nodeFs}})\n> ${num(disk / 100)}`,
                "10m",
                `Node disk above ${num(disk)}%`,
                `Filesystem {{ $labels.mountpoint }} on node {{ $labels.instance }} is more than ${num(disk)}% full (MON-2).`,
            ),
            alert(
                "PersistentVolumeUsageHigh",
                "high",
                `max by (namespace, persistentvolumeclaim) (kubelet_volume_stats_used_bytes)\n` +
                    `/ max by (namespace, persistentvolumeclaim) (kubelet_volume_stats_capacity_bytes)\n> ${num(disk / 100)}`,
                "10m",
                `Persistent volume above ${num(disk)}%`,
                `Volume claim {{ $labels.namespace }}/{{ $labels.persistentvolumeclaim }} is more than ${num(disk)}% full (MON-2).`,
            ),
        ],
    };

    const processed = `bookbuddy_jobs_processed_total{namespace=~${ns}}`;
    const queueGroup: RuleGroup = {
        name: "bookbuddy-queue",
        rules: [
            alert(
                "QueueNearCapacity",
                "high",
                `max by (namespace, queue) (bookbuddy_queue_depth{namespace=~${ns}})\n` +
                    `/ max by (namespace, queue) (bookbuddy_queue_capacity{namespace=~${ns}} > 0)\n> ${num(queue / 100)}`,
                "5m",
                `Queue above ${num(queue)}% of capacity`,
                `Queue {{ $labels.queue }} in namespace {{ $labels.namespace }} has held more than ${num(queue)}% of its capacity for 5 minutes (MON-2).`,
            ),
            alert(
                "ProcessingRateDrop",
                "high",
                `sum by (namespace) (rate(${processed}[${rateWindow}]))\n` +
                    `< ${num(1 - drop / 100)} * sum by (namespace) (rate(${processed}[${rateWindow}] offset ${rateOffset}))`,
                "15m",
                `Job processing rate down more than ${num(drop)}%`,
                `Jobs processed per second in namespace {{ $labels.namespace }} over the last ${rateWindow} are more than ${num(drop)}% below the same window ${rateOffset} earlier (MON-2).`,
            ),
        ],
    };

    const jobFailed = (cronJobs: string) =>
        `max by (namespace, cronjob) (label_replace(\n` +
        `  (kube_job_status_failed > 0)\n` +
        `  * on (namespace, job_name) group_left (owner_name)\n` +
        `  kube_job_owner{owner_kind="CronJob", owner_name=~${cronJobs}},\n` +
        `  "cronjob", "$1", "owner_name", "(.+)"))`;
    const jobs: RuleGroup = {
        name: "bookbuddy-jobs",
        rules: [
            alert(
                "BackupJobFailed",
                "high",
                jobFailed(backupJobs),
                undefined,
                "Database backup job failed",
                `A Job of CronJob {{ $labels.namespace }}/{{ $labels.cronjob }} (pg_dump) has failed; the daily logical backup is missing (BKP-2).`,
            ),
            alert(
                "BackupTooOld",
                "high",
                `time() - max by (namespace, cronjob) (kube_cronjob_status_last_successful_time{cronjob=~${backupJobs}}) > ${num(backupAge * 3600)}`,
                undefined,
                `No successful database backup for ${num(backupAge)} hours`,
                `CronJob {{ $labels.namespace }}/{{ $labels.cronjob }} has not completed a pg_dump for more than ${num(backupAge)} hours; the 24-hour recovery point is at risk (BKP-2, DR-1).`,
            ),
            alert(
                "RestoreCheckFailed",
                "high",
                jobFailed(restoreJobs),
                undefined,
                "Backup restore check failed",
                `A Job of CronJob {{ $labels.namespace }}/{{ $labels.cronjob }} could not restore and verify the newest dump (BKP-2).`,
            ),
            alert(
                "MaintenanceJobFailed",
                "warning",
                jobFailed(maintenanceJobs),
                undefined,
                "Database maintenance job failed",
                `A Job of CronJob {{ $labels.namespace }}/{{ $labels.cronjob }} (VACUUM, ANALYZE, REINDEX or slow-query report) has failed (MNT-1).`,
            ),
        ],
    };

    // A counter series that appears with a value already counts as lines: increase() alone would miss the first
    // FATAL line of an app, because a new series has no earlier sample to grow from.
    const logLines = (severity: string, window: string, above: number) => {
        const sel = `bookbuddy_log_lines_total{severity="${severity}", namespace=~${ns}}`;
        return (
            `(sum by (namespace, app) (increase(${sel}[${window}])) > ${num(above)})\n` +
            `or\n(sum by (namespace, app) (${sel} unless ${sel} offset ${window}) > ${num(above)})`
        );
    };
    const logs: RuleGroup = {
        name: "bookbuddy-logs",
        rules: [
            alert(
                "LogFatalLines",
                "critical",
                logLines("FATAL", "5m", 0),
                undefined,
                "FATAL lines in application logs",
                `App {{ $labels.app }} in namespace {{ $labels.namespace }} logged FATAL lines in the last 5 minutes; on-call is paged (LOG-2).`,
            ),
            alert(
                "LogErrorLines",
                "high",
                logLines("ERROR", "5m", errorLines),
                undefined,
                "ERROR lines in application logs",
                `App {{ $labels.app }} in namespace {{ $labels.namespace }} logged more than ${num(errorLines)} ERROR lines in the last 5 minutes; investigate within 1 hour (LOG-2).`,
            ),
            alert(
                "LogWarnLines",
                "warning",
                logLines("WARN", "1h", warnLines),
                undefined,
                "WARN lines in application logs",
                `App {{ $labels.app }} in namespace {{ $labels.namespace }} logged more than ${num(warnLines)} WARN lines in the last hour; review them in the daily review (LOG-2).`,
            ),
        ],
    };

    return [api, health, resources, queueGroup, jobs, logs];
}

/** Every alerting rule of the groups, in order. */
export function alertingRules(groups: RuleGroup[]): AlertingRule[] {
    return groups.flatMap((g) => g.rules.filter((r): r is AlertingRule => "alert" in r));
}

/** The rule groups as a Prometheus rule file (`groups:` at the top), as `promtool check rules` reads it. */
export function toRuleFileYaml(groups: RuleGroup[]): string {
    return YAML.stringify({ groups }, { lineWidth: 0 });
}
