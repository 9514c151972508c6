/**
 * Synthetic series for `promtool test rules` (MON-2, LOG-2, HC-1): for each alert, cases just above its
 * threshold that must fire and cases just below (or otherwise harmless) that must stay quiet. The values are
 * derived from the thresholds, so the same builder proves any stack's configuration, and a case built for one
 * threshold can be run against rules generated for another to show the threshold is really used.
 */
import { AlertThresholds, defaultAlertThresholds } from "../../components/monitoring/rules";

/** One input series of a promtool unit test. */
export interface Series {
    series: string;
    values: string;
}

/** One promtool alert test: the series, when to evaluate, and which alerts (by their labels) must be firing. */
export interface RuleCase {
    /** What the case shows, for the test title. */
    title: string;
    alert: string;
    /** Labels of each expected firing alert, besides the rule's own labels; empty means the alert must be quiet. */
    firing: Array<Record<string, string>>;
    evalTime: string;
    series: Series[];
    /** Spacing of the input samples. Default 1m. */
    interval?: string;
    /** How often promtool evaluates the rules. Default 1m. */
    evaluationInterval?: string;
}

function sel(metric: string, labels: Record<string, string>): string {
    const parts = Object.entries(labels).map(([k, v]) => `${k}=${JSON.stringify(v)}`);
    return `${metric}{${parts.join(", ")}}`;
}

function series(metric: string, labels: Record<string, string>, values: string): Series {
    return { series: sel(metric, labels), values };
}

/** `count` samples starting at `start`, growing by `step` each (promtool's expanding notation). */
function ramp(start: number, step: number, count: number): string {
    return `${round(start)}+${round(step)}x${count - 1}`;
}

/** `count` samples of the same value. */
function flat(value: number, count: number): string {
    return `${round(value)}x${count - 1}`;
}

/** A counter's samples from its per-step increments. */
function counter(increments: number[]): string {
    let total = 0;
    return ["0", ...increments.map((inc) => String(round((total += inc))))].join(" ");
}

function round(value: number): number {
    return Number(value.toPrecision(12));
}

const API = { job: "bookbuddy-api", namespace: "bookbuddy" };
const NS = { namespace: "bookbuddy" };
const NODE = { instance: "10.0.1.10:9100" };
const POD = { namespace: "bookbuddy", pod: "bookbuddy-api-7d9f8-abcde", container: "api" };

/** Request counters of the API with a constant error ratio: 1000 requests a minute for `minutes` minutes. */
function requests(ratio: number, minutes: number): Series[] {
    return [
        series(
            "http_requests_total",
            { ...API, handler: "/books", method: "GET", status: "2xx" },
            ramp(0, 1000 * (1 - ratio), minutes + 1),
        ),
        series(
            "http_requests_total",
            { ...API, handler: "/books", method: "GET", status: "5xx" },
            ramp(0, 1000 * ratio, minutes + 1),
        ),
    ];
}

/** Request counters whose error ratio changes: `phases` of [minutes, ratio]. */
function requestPhases(phases: Array<[number, number]>): Series[] {
    const ok: number[] = [];
    const bad: number[] = [];
    for (const [minutes, ratio] of phases) {
        for (let i = 0; i < minutes; i++) {
            ok.push(1000 * (1 - ratio));
            bad.push(1000 * ratio);
        }
    }
    return [
        series("http_requests_total", { ...API, handler: "/books", method: "GET", status: "2xx" }, counter(ok)),
        series("http_requests_total", { ...API, handler: "/books", method: "GET", status: "5xx" }, counter(bad)),
    ];
}

/** Latency histogram of the API: cumulative requests a minute in buckets of half, one and two and a half times the threshold. */
function latency(threshold: number, cumulative: [number, number, number, number], minutes: number): Series[] {
    const les = [String(round(threshold / 2)), String(round(threshold)), String(round(threshold * 2.5)), "+Inf"];
    return les.map((le, i) =>
        series(
            "http_request_duration_seconds_bucket",
            { ...API, handler: "/books", method: "GET", le },
            ramp(0, cumulative[i], minutes + 1),
        ),
    );
}

function nodeCpu(usedPercent: number, minutes: number): Series[] {
    const idlePerMinute = 60 * (1 - usedPercent / 100);
    return ["0", "1"].flatMap((cpu) => [
        series("node_cpu_seconds_total", { ...NODE, cpu, mode: "idle" }, ramp(0, idlePerMinute, minutes + 1)),
        series("node_cpu_seconds_total", { ...NODE, cpu, mode: "user" }, ramp(0, 60 - idlePerMinute, minutes + 1)),
    ]);
}

function containerCpu(usedPercent: number, minutes: number): Series[] {
    const limitCores = 0.5;
    return [
        series(
            "container_cpu_usage_seconds_total",
            { ...POD, image: "api:1.4.2" },
            ramp(0, 60 * limitCores * (usedPercent / 100), minutes + 1),
        ),
        series("container_cpu_usage_seconds_total", { ...POD, container: "" }, ramp(0, 60 * limitCores * 1.5, minutes + 1)),
        series("kube_pod_container_resource_limits", { ...POD, resource: "cpu", unit: "core" }, flat(limitCores, minutes + 1)),
    ];
}

function nodeMemory(usedPercent: number, minutes: number): Series[] {
    const total = 8e9;
    return [
        series("node_memory_MemTotal_bytes", NODE, flat(total, minutes + 1)),
        series("node_memory_MemAvailable_bytes", NODE, flat(total * (1 - usedPercent / 100), minutes + 1)),
    ];
}

function containerMemory(usedPercent: number, minutes: number): Series[] {
    const limit = 512 * 1024 * 1024;
    return [
        series(
            "container_memory_working_set_bytes",
            { ...POD, image: "api:1.4.2" },
            flat(limit * (usedPercent / 100), minutes + 1),
        ),
        series("kube_pod_container_resource_limits", { ...POD, resource: "memory", unit: "byte" }, flat(limit, minutes + 1)),
    ];
}

function deployment(state: { unavailable: string; generation: string; observed: string; progressing: string }): Series[] {
    const dep = { namespace: "bookbuddy", deployment: "bookbuddy-api" };
    return [
        series("kube_deployment_status_replicas_unavailable", dep, state.unavailable),
        series("kube_deployment_metadata_generation", dep, state.generation),
        series("kube_deployment_status_observed_generation", dep, state.observed),
        series(
            "kube_deployment_status_condition",
            { ...dep, condition: "Progressing", status: "true" },
            state.progressing === "ok" ? "1x30" : "0x30",
        ),
        series(
            "kube_deployment_status_condition",
            { ...dep, condition: "Progressing", status: "false" },
            state.progressing === "ok" ? "0x30" : "1x30",
        ),
        // A broken deployment outside the application namespaces must not alert.
        series("kube_deployment_status_replicas_unavailable", { namespace: "sandbox", deployment: "experiment" }, "3x30"),
    ];
}

/** A finished Job of a CronJob, as kube-state-metrics reports it. */
function cronJobRun(cronJob: string, failed: boolean): Series[] {
    const job = `${cronJob}-29145600`;
    return [
        series("kube_job_status_failed", { ...NS, job_name: job, reason: "BackoffLimitExceeded" }, failed ? "1x10" : "0x10"),
        series("kube_job_status_succeeded", { ...NS, job_name: job }, failed ? "0x10" : "1x10"),
        series(
            "kube_job_owner",
            { ...NS, job_name: job, owner_kind: "CronJob", owner_name: cronJob, owner_is_controller: "true" },
            "1x10",
        ),
    ];
}

function logLines(severity: string, app: string, values: string): Series {
    return series("bookbuddy_log_lines_total", { namespace: "bookbuddy", app, severity }, values);
}

/** Every alert's cases for the given thresholds (defaults: the operations documents' numbers). */
export function ruleCases(thresholds: Partial<AlertThresholds> = {}): RuleCase[] {
    const t: AlertThresholds = { ...defaultAlertThresholds, ...thresholds };
    const budget = (100 - t.availabilityObjectivePercent) / 100;
    const memMid = (t.memoryWarningPercent + t.memoryCriticalPercent) / 2;
    const cases: RuleCase[] = [];

    // --- API error rate and latency (MON-2)
    const err = t.errorRatePercent / 100;
    cases.push(
        {
            title: "fires when 5xx are 1.2 times the threshold share",
            alert: "ApiErrorRateHigh",
            firing: [NS],
            evalTime: "15m",
            series: requests(err * 1.2, 15),
        },
        {
            title: "stays quiet when 5xx are 0.8 times the threshold share",
            alert: "ApiErrorRateHigh",
            firing: [],
            evalTime: "15m",
            series: requests(err * 0.8, 15),
        },
        {
            title: "fires when P95 latency is above the threshold",
            alert: "ApiLatencyP95High",
            firing: [NS],
            evalTime: "20m",
            series: latency(t.latencyP95Seconds, [50, 80, 100, 100], 20),
        },
        {
            title: "stays quiet when P95 latency is below the threshold",
            alert: "ApiLatencyP95High",
            firing: [],
            evalTime: "20m",
            series: latency(t.latencyP95Seconds, [90, 98, 100, 100], 20),
        },
    );

    // --- Availability error budget, multi-window multi-burn-rate (MON-2)
    // A constant error ratio gives every window the same ratio from the second sample on, so every evaluation sees
    // the same value: evaluating at half the range and at its end proves the same firing (held longer than the
    // rules' 2m and 15m `for`) or quietness at the same eval time as one evaluation every 5 minutes did, with two
    // evaluations of all rules instead of up to 78 (QA-2). The case whose burst ends keeps one every 5 minutes.
    const steady = (minutes: number) => ({ evaluationInterval: `${minutes / 2}m`, evalTime: `${minutes}m` });
    cases.push(
        {
            title: "fast burn fires at 20x the budget over 1h and 5m",
            alert: "AvailabilityBudgetFastBurn",
            firing: [NS],
            ...steady(70),
            series: requests(20 * budget, 70),
        },
        {
            title: "fast burn fires at 8x the budget over 6h and 30m",
            alert: "AvailabilityBudgetFastBurn",
            firing: [NS],
            ...steady(390),
            series: requests(8 * budget, 390),
        },
        {
            title: "fast burn stays quiet at 5x the budget",
            alert: "AvailabilityBudgetFastBurn",
            firing: [],
            ...steady(390),
            series: requests(5 * budget, 390),
        },
        {
            title: "fast burn stays quiet once a 1h burst has ended (the 5m and 30m windows have recovered)",
            alert: "AvailabilityBudgetFastBurn",
            evaluationInterval: "5m",
            firing: [],
            evalTime: "95m",
            series: requestPhases([
                [60, 20 * budget],
                [35, 0],
            ]),
        },
        {
            title: "slow burn fires at 5x the budget over 1d and 2h",
            alert: "AvailabilityBudgetSlowBurn",
            firing: [NS],
            ...steady(150),
            series: requests(5 * budget, 150),
        },
        {
            title: "slow burn fires at 2x the budget over 3d and 6h",
            alert: "AvailabilityBudgetSlowBurn",
            firing: [NS],
            ...steady(390),
            series: requests(2 * budget, 390),
        },
        {
            title: "slow burn stays quiet at 0.8x the budget",
            alert: "AvailabilityBudgetSlowBurn",
            firing: [],
            ...steady(390),
            series: requests(0.8 * budget, 390),
        },
    );

    // --- Health checks and uptime (HC-1)
    const health = { job: "bookbuddy-health", instance: "https://api.bookbuddy.example/health" };
    const healthDb = { job: "bookbuddy-health", instance: "https://api.bookbuddy.example/health/db" };
    cases.push(
        {
            title: "fires when /health keeps failing past the hold time",
            alert: "HealthCheckFailing",
            firing: [{ instance: health.instance }],
            evalTime: "10m",
            series: [series("probe_success", health, "1 1 1 0 0 0 0 0 0 0 0"), series("probe_success", healthDb, "1x10")],
        },
        {
            title: "fires when /health/db, probed every 5 minutes, fails once",
            alert: "HealthCheckFailing",
            firing: [{ instance: healthDb.instance }],
            evalTime: "8m",
            interval: "5m",
            series: [series("probe_success", healthDb, "1 0 0"), series("probe_success", health, "1 1 1")],
        },
        {
            title: "stays quiet when one /health probe fails and the next succeeds",
            alert: "HealthCheckFailing",
            firing: [],
            evalTime: "10m",
            series: [series("probe_success", health, "1 1 1 0 1 1 1 1 1 1 1")],
        },
    );
    // Hourly samples over 24 days, evaluated once a day (the alert has no hold time).
    const probes = 577;
    const failedAbove = Math.floor(probes * budget) + 1;
    const failedBelow = Math.max(0, Math.ceil(probes * budget) - 1);
    const uptime = (failed: number) =>
        Array.from({ length: probes }, (_, i) => (i >= 100 && i < 100 + failed ? "0" : "1")).join(" ");
    cases.push(
        {
            title: `uptime fires with ${failedAbove} of ${probes} hourly probes failed`,
            alert: "UptimeBelowObjective",
            firing: [{ instance: health.instance }],
            evalTime: `${probes - 1}h`,
            interval: "1h",
            evaluationInterval: "24h",
            series: [series("probe_success", health, uptime(failedAbove))],
        },
        {
            title: `uptime stays quiet with ${failedBelow} of ${probes} hourly probes failed`,
            alert: "UptimeBelowObjective",
            firing: [],
            evalTime: `${probes - 1}h`,
            interval: "1h",
            evaluationInterval: "24h",
            series: [series("probe_success", health, uptime(failedBelow))],
        },
    );

    // --- Stuck rollouts (MON-2, APP-1)
    const stuck = { namespace: "bookbuddy", deployment: "bookbuddy-api" };
    cases.push(
        {
            title: "fires when replicas stay unavailable",
            alert: "RolloutStuck",
            firing: [stuck],
            evalTime: "25m",
            series: deployment({ unavailable: "1x30", generation: "3x30", observed: "3x30", progressing: "ok" }),
        },
        {
            title: "fires when the spec generation is never observed",
            alert: "RolloutStuck",
            firing: [stuck],
            evalTime: "25m",
            series: deployment({ unavailable: "0x30", generation: "4x30", observed: "3x30", progressing: "ok" }),
        },
        {
            title: "fires when the Progressing condition is false",
            alert: "RolloutStuck",
            firing: [stuck],
            evalTime: "25m",
            series: deployment({ unavailable: "0x30", generation: "4x30", observed: "4x30", progressing: "failed" }),
        },
        {
            title: "stays quiet during a rollout that completes within the hold time",
            alert: "RolloutStuck",
            firing: [],
            evalTime: "25m",
            series: deployment({ unavailable: "1x10 0x19", generation: "4x30", observed: "3x5 4x24", progressing: "ok" }),
        },
    );

    // --- CPU, memory, disk (MON-2)
    cases.push(
        {
            title: "node CPU fires 2 points above the threshold",
            alert: "NodeCpuHigh",
            firing: [NODE],
            evalTime: "25m",
            series: nodeCpu(t.cpuPercent + 2, 25),
        },
        {
            title: "node CPU stays quiet 2 points below",
            alert: "NodeCpuHigh",
            firing: [],
            evalTime: "25m",
            series: nodeCpu(t.cpuPercent - 2, 25),
        },
        {
            title: "container CPU fires 2 points above the threshold of its limit",
            alert: "ContainerCpuHigh",
            firing: [POD],
            evalTime: "25m",
            series: containerCpu(t.cpuPercent + 2, 25),
        },
        {
            title: "container CPU stays quiet 2 points below",
            alert: "ContainerCpuHigh",
            firing: [],
            evalTime: "25m",
            series: containerCpu(t.cpuPercent - 2, 25),
        },
    );
    for (const [kind, build, labels] of [
        ["Node", nodeMemory, NODE],
        ["Container", containerMemory, POD],
    ] as const) {
        cases.push(
            {
                title: `warning fires between the two thresholds`,
                alert: `${kind}MemoryHigh`,
                firing: [labels],
                evalTime: "15m",
                series: build(memMid, 15),
            },
            {
                title: `critical stays quiet between the two thresholds`,
                alert: `${kind}MemoryCritical`,
                firing: [],
                evalTime: "15m",
                series: build(memMid, 15),
            },
            {
                title: `critical fires above the critical threshold`,
                alert: `${kind}MemoryCritical`,
                firing: [labels],
                evalTime: "15m",
                series: build(t.memoryCriticalPercent + 2, 15),
            },
            {
                title: `warning also fires above the critical threshold (Alertmanager inhibits it)`,
                alert: `${kind}MemoryHigh`,
                firing: [labels],
                evalTime: "15m",
                series: build(t.memoryCriticalPercent + 2, 15),
            },
            {
                title: `warning stays quiet below the warning threshold`,
                alert: `${kind}MemoryHigh`,
                firing: [],
                evalTime: "15m",
                series: build(t.memoryWarningPercent - 2, 15),
            },
        );
    }
    const fs = (mountpoint: string, fstype: string, usedPercent: number) => {
        const size = 100e9;
        const labels = { ...NODE, device: mountpoint === "/" ? "/dev/nvme0n1p1" : "tmpfs", fstype, mountpoint };
        return [
            series("node_filesystem_size_bytes", labels, flat(size, 16)),
            series("node_filesystem_avail_bytes", labels, flat(size * (1 - usedPercent / 100), 16)),
        ];
    };
    const pvc = (usedPercent: number) => {
        const labels = { namespace: "monitoring", persistentvolumeclaim: "prometheus-db-0", node: "ip-10-0-1-10" };
        return [
            series("kubelet_volume_stats_capacity_bytes", labels, flat(50e9, 16)),
            series("kubelet_volume_stats_used_bytes", labels, flat(50e9 * (usedPercent / 100), 16)),
        ];
    };
    cases.push(
        {
            title: "node disk fires 2 points above the threshold",
            alert: "NodeDiskUsageHigh",
            firing: [{ ...NODE, mountpoint: "/" }],
            evalTime: "15m",
            series: fs("/", "xfs", t.diskPercent + 2),
        },
        {
            title: "node disk stays quiet 2 points below, even with a full tmpfs",
            alert: "NodeDiskUsageHigh",
            firing: [],
            evalTime: "15m",
            series: [...fs("/", "xfs", t.diskPercent - 2), ...fs("/run", "tmpfs", 99)],
        },
        {
            title: "volume fires 2 points above the threshold",
            alert: "PersistentVolumeUsageHigh",
            firing: [{ namespace: "monitoring", persistentvolumeclaim: "prometheus-db-0" }],
            evalTime: "15m",
            series: pvc(t.diskPercent + 2),
        },
        {
            title: "volume stays quiet 2 points below",
            alert: "PersistentVolumeUsageHigh",
            firing: [],
            evalTime: "15m",
            series: pvc(t.diskPercent - 2),
        },
    );

    // --- Queue and processing rate (MON-2)
    const queue = (percent: number) => [
        series("bookbuddy_queue_depth", { ...NS, queue: "notifications", pod: "bookbuddy-worker-1" }, flat(10 * percent, 11)),
        series("bookbuddy_queue_capacity", { ...NS, queue: "notifications", pod: "bookbuddy-worker-1" }, flat(1000, 11)),
        // A queue whose capacity is unknown (0) is not divided by zero into an alert.
        series("bookbuddy_queue_depth", { ...NS, queue: "unbounded", pod: "bookbuddy-worker-1" }, flat(500, 11)),
        series("bookbuddy_queue_capacity", { ...NS, queue: "unbounded", pod: "bookbuddy-worker-1" }, flat(0, 11)),
    ];
    cases.push(
        {
            title: "fires 2 points above the capacity threshold",
            alert: "QueueNearCapacity",
            firing: [{ ...NS, queue: "notifications" }],
            evalTime: "10m",
            series: queue(t.queueCapacityPercent + 2),
        },
        {
            title: "stays quiet 2 points below",
            alert: "QueueNearCapacity",
            firing: [],
            evalTime: "10m",
            series: queue(t.queueCapacityPercent - 2),
        },
    );
    // Ten-minute samples over one offset plus three hours; the current hour is compared with the same hour one offset earlier.
    const step = 10;
    const offsetSteps = durationMinutes(t.processingRateOffset) / step;
    const spanSteps = offsetSteps + 180 / step;
    const processed = (rateAt: (i: number) => number) =>
        series(
            "bookbuddy_jobs_processed_total",
            { ...NS, pod: "bookbuddy-worker-1", queue: "notifications" },
            counter(Array.from({ length: spanSteps }, (_, i) => rateAt(i + 1))),
        );
    const trough = (i: number) => (i % (1440 / step) >= 120 / step && i % (1440 / step) < 200 / step ? 50 : 100);
    // promtool evaluates every rule from time 0, so these cases cost one evaluation of all rules per step over the whole
    // offset. Before the last three hours nothing exists one offset earlier and the alert has no value; in them each
    // hour's window, now and one offset earlier, holds the same rates at any evaluation. Evaluating every 90 minutes
    // then sees the same values as hourly, at the first full hour of the drop and at its end (held past the 15m `for`),
    // with a third fewer steps (QA-2); it needs the offset in whole 90-minute steps (1w is), else hourly it stays.
    const rateDropEvaluation = durationMinutes(t.processingRateOffset) % 90 === 0 ? "90m" : "1h";
    cases.push(
        {
            title: "fires when the rate is 5 points further down than the threshold against one offset earlier",
            alert: "ProcessingRateDrop",
            firing: [NS],
            evalTime: `${spanSteps * step}m`,
            interval: `${step}m`,
            evaluationInterval: rateDropEvaluation,
            series: [processed((i) => (i <= offsetSteps ? 100 : 100 * (1 - (t.processingRateDropPercent + 5) / 100)))],
        },
        {
            title: "stays quiet when the drop is 5 points smaller than the threshold",
            alert: "ProcessingRateDrop",
            firing: [],
            evalTime: `${spanSteps * step}m`,
            interval: `${step}m`,
            evaluationInterval: rateDropEvaluation,
            series: [processed((i) => (i <= offsetSteps ? 100 : 100 * (1 - (t.processingRateDropPercent - 5) / 100)))],
        },
        {
            title: "stays quiet in a daily trough that was there one offset earlier too",
            alert: "ProcessingRateDrop",
            firing: [],
            evalTime: `${spanSteps * step}m`,
            interval: `${step}m`,
            evaluationInterval: rateDropEvaluation,
            series: [processed(trough)],
        },
    );

    // --- Backup, restore check and maintenance jobs (BKP-2, MNT-1)
    for (const [alert, cronJob, other] of [
        ["BackupJobFailed", "bookbuddy-pg-dump", "bookbuddy-pg-restore-check"],
        ["RestoreCheckFailed", "bookbuddy-pg-restore-check", "bookbuddy-pg-dump"],
        ["MaintenanceJobFailed", "bookbuddy-pg-vacuum-analyze", "bookbuddy-pg-dump"],
    ] as const) {
        cases.push(
            {
                title: `fires when a ${cronJob} Job failed`,
                alert,
                firing: [{ ...NS, cronjob: cronJob }],
                evalTime: "5m",
                series: cronJobRun(cronJob, true),
            },
            {
                title: `stays quiet when ${cronJob} succeeded and only ${other} failed`,
                alert,
                firing: [],
                evalTime: "5m",
                series: [...cronJobRun(cronJob, false), ...cronJobRun(other, true)],
            },
        );
    }
    const lastSuccess = (ageHours: number) => {
        const evalHours = t.backupMaxAgeHours + 4;
        return series(
            "kube_cronjob_status_last_successful_time",
            { ...NS, cronjob: "bookbuddy-pg-dump" },
            flat((evalHours - ageHours) * 3600, evalHours + 1),
        );
    };
    cases.push(
        {
            title: "fires when the last successful pg_dump is 2 hours older than allowed",
            alert: "BackupTooOld",
            firing: [{ ...NS, cronjob: "bookbuddy-pg-dump" }],
            evalTime: `${t.backupMaxAgeHours + 4}h`,
            interval: "1h",
            evaluationInterval: "1h",
            series: [lastSuccess(t.backupMaxAgeHours + 2)],
        },
        {
            title: "stays quiet when the last successful pg_dump is 2 hours younger than allowed",
            alert: "BackupTooOld",
            firing: [],
            evalTime: `${t.backupMaxAgeHours + 4}h`,
            interval: "1h",
            evaluationInterval: "1h",
            series: [lastSuccess(t.backupMaxAgeHours - 2)],
        },
    );

    // --- Log severities (LOG-2)
    const app = { namespace: "bookbuddy", app: "bookbuddy-api" };
    const errAbove = t.errorLogLinesPer5m + 1;
    const warnAbove = t.warnLogLinesPerHour + 1;
    cases.push(
        {
            title: "FATAL fires when the counter grows",
            alert: "LogFatalLines",
            firing: [app],
            evalTime: "12m",
            series: [logLines("FATAL", app.app, "0x9 1x10"), logLines("ERROR", app.app, "5x20")],
        },
        {
            title: "FATAL fires on the first line of a new series",
            alert: "LogFatalLines",
            firing: [app],
            evalTime: "12m",
            series: [logLines("FATAL", app.app, "_ _ _ _ _ _ _ _ _ _ 1x10")],
        },
        {
            title: "FATAL stays quiet when only old lines were counted and ERROR/WARN lines grow",
            alert: "LogFatalLines",
            firing: [],
            evalTime: "20m",
            series: [
                logLines("FATAL", app.app, "3x20"),
                logLines("ERROR", app.app, ramp(0, 5, 21)),
                logLines("WARN", app.app, ramp(0, 5, 21)),
            ],
        },
        {
            title: "ERROR fires above the tolerated lines per 5 minutes",
            alert: "LogErrorLines",
            firing: [app],
            evalTime: "12m",
            series: [logLines("ERROR", app.app, `0x9 ${errAbove}x10`)],
        },
        {
            title: "ERROR stays quiet when no new ERROR lines arrive",
            alert: "LogErrorLines",
            firing: [],
            evalTime: "20m",
            series: [logLines("ERROR", app.app, "7x20"), logLines("WARN", app.app, ramp(0, 5, 21))],
        },
        {
            title: "WARN fires above the tolerated lines per hour",
            alert: "LogWarnLines",
            firing: [app],
            evalTime: "40m",
            series: [logLines("WARN", app.app, `0x29 ${warnAbove}x20`)],
        },
        {
            title: "WARN stays quiet when no new WARN lines arrived within the hour",
            alert: "LogWarnLines",
            firing: [],
            evalTime: "130m",
            series: [logLines("WARN", app.app, "2x130")],
        },
    );
    return cases;
}

/** Minutes of a simple Prometheus duration such as "1w", "1d" or "90m". */
export function durationMinutes(value: string): number {
    const match = /^([0-9]+)(m|h|d|w)$/.exec(value);
    if (!match) {
        throw new Error(`unsupported duration for the synthetic series: ${value}`);
    }
    const factor = { m: 1, h: 60, d: 1440, w: 10080 }[match[2] as "m" | "h" | "d" | "w"];
    return Number(match[1]) * factor;
}
