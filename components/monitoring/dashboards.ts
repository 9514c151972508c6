/**
 * Grafana dashboards as code (MON-1): the API, PostgreSQL, Redis and the cluster.
 *
 * Pure TypeScript: no Pulumi resources. Each entry of `dashboards()` is a complete Grafana dashboard JSON
 * model; the monitoring component puts each into a ConfigMap labelled `grafana_dashboard` for the chart's
 * dashboard sidecar. Every PromQL expression is proven by `promtool check rules` in the tests.
 *
 * Metric sources: the API's metrics contract (docs/observability.md), postgres-exporter, redis-exporter,
 * node-exporter, cAdvisor, kubelet and kube-state-metrics from kube-prometheus-stack.
 */
import { AlertThresholds, defaultAlertThresholds } from "./rules";

/** A dashboard as the monitoring component ships it: the ConfigMap key and the JSON model. */
export interface DashboardFile {
    /** File name inside the ConfigMap, e.g. "bookbuddy-api.json". */
    name: string;
    /** The Grafana dashboard JSON model. */
    json: GrafanaDashboard;
}

/** A PromQL query of a panel. */
export interface PanelTarget {
    refId: string;
    expr: string;
    legendFormat: string;
    datasource: DatasourceRef;
}

interface DatasourceRef {
    type: "prometheus";
    uid: string;
}

/** One panel of a dashboard. */
export interface GrafanaPanel {
    id: number;
    type: "timeseries" | "stat";
    title: string;
    description: string;
    gridPos: { x: number; y: number; w: number; h: number };
    datasource: DatasourceRef;
    fieldConfig: { defaults: Record<string, unknown>; overrides: unknown[] };
    options: Record<string, unknown>;
    targets: PanelTarget[];
}

/** A templating variable of a dashboard. */
export interface GrafanaVariable {
    name: string;
    label: string;
    type: "datasource" | "query";
    query: string | { query: string; refId: string };
    current: { text: string; value: string } | Record<string, never>;
    hide: number;
    refresh: number;
    datasource?: DatasourceRef;
    definition?: string;
    includeAll?: boolean;
    multi?: boolean;
    sort?: number;
}

/** A Grafana dashboard JSON model (schemaVersion 39). */
export interface GrafanaDashboard {
    uid: string;
    title: string;
    description: string;
    tags: string[];
    timezone: string;
    editable: boolean;
    graphTooltip: number;
    schemaVersion: number;
    version: number;
    refresh: string;
    time: { from: string; to: string };
    templating: { list: GrafanaVariable[] };
    annotations: { list: unknown[] };
    panels: GrafanaPanel[];
}

const DS: DatasourceRef = { type: "prometheus", uid: "${datasource}" };

const datasourceVariable: GrafanaVariable = {
    name: "datasource",
    label: "Data source",
    type: "datasource",
    query: "prometheus",
    current: {},
    hide: 0,
    refresh: 1,
};

function queryVariable(name: string, label: string, query: string, value: string): GrafanaVariable {
    return {
        name,
        label,
        type: "query",
        datasource: DS,
        query: { query, refId: `${name}-query` },
        definition: query,
        current: { text: value, value },
        hide: 0,
        refresh: 2,
        includeAll: false,
        multi: false,
        sort: 1,
    };
}

interface PanelSpec {
    title: string;
    description: string;
    type?: "timeseries" | "stat";
    unit: string;
    /** Panel width in grid columns (of 24). Default 12. */
    w?: number;
    /** Panel height in grid rows. Default 8 for time series, 4 for stats. */
    h?: number;
    /** A red threshold drawn on the panel, in the panel's unit. */
    red?: number;
    min?: number;
    max?: number;
    queries: Array<[expr: string, legend: string]>;
}

/** Lays panels out left to right, wrapping at 24 columns, and numbers them. */
function layout(specs: PanelSpec[]): GrafanaPanel[] {
    let x = 0;
    let y = 0;
    let rowHeight = 0;
    return specs.map((spec, index) => {
        const type = spec.type ?? "timeseries";
        const w = spec.w ?? 12;
        const h = spec.h ?? (type === "stat" ? 4 : 8);
        if (x + w > 24) {
            x = 0;
            y += rowHeight;
            rowHeight = 0;
        }
        const gridPos = { x, y, w, h };
        x += w;
        rowHeight = Math.max(rowHeight, h);
        const steps: Array<{ color: string; value: number | null }> = [{ color: "green", value: null }];
        if (spec.red !== undefined) steps.push({ color: "red", value: spec.red });
        return {
            id: index + 1,
            type,
            title: spec.title,
            description: spec.description,
            gridPos,
            datasource: DS,
            fieldConfig: {
                defaults: {
                    unit: spec.unit,
                    ...(spec.min !== undefined ? { min: spec.min } : {}),
                    ...(spec.max !== undefined ? { max: spec.max } : {}),
                    thresholds: { mode: "absolute", steps },
                    ...(type === "timeseries" && spec.red !== undefined ? { custom: { thresholdsStyle: { mode: "line" } } } : {}),
                },
                overrides: [],
            },
            options:
                type === "stat"
                    ? {
                          reduceOptions: { calcs: ["lastNotNull"], fields: "", values: false },
                          colorMode: "value",
                          graphMode: "area",
                      }
                    : {
                          legend: { displayMode: "list", placement: "bottom", showLegend: true },
                          tooltip: { mode: "multi", sort: "desc" },
                      },
            targets: spec.queries.map(([expr, legendFormat], i) => ({
                refId: String.fromCharCode(65 + i),
                expr,
                legendFormat,
                datasource: DS,
            })),
        };
    });
}

function dashboard(
    uid: string,
    title: string,
    description: string,
    variables: GrafanaVariable[],
    specs: PanelSpec[],
): GrafanaDashboard {
    return {
        uid,
        title,
        description,
        tags: ["bookbuddy", "MON-1"],
        timezone: "browser",
        editable: false,
        graphTooltip: 1,
        schemaVersion: 39,
        version: 1,
        refresh: "1m",
        time: { from: "now-6h", to: "now" },
        templating: { list: [datasourceVariable, ...variables] },
        annotations: { list: [] },
        panels: layout(specs),
    };
}

/** Options of the dashboards (MON-1). */
export interface DashboardOptions {
    /** Prometheus `job` label of the API's ServiceMonitor. Default "bookbuddy-api". */
    apiJob?: string;
    /** Namespace preselected in the API dashboard. Default "bookbuddy". */
    namespace?: string;
    /** Prometheus `job` label of the health probes. Default "bookbuddy-health". */
    healthProbeJob?: string;
    /** Thresholds drawn as red lines, the same as the alerts'. Default `defaultAlertThresholds`. */
    thresholds?: Partial<AlertThresholds>;
}

function apiDashboard(o: Required<Omit<DashboardOptions, "thresholds">>, t: AlertThresholds): GrafanaDashboard {
    const sel = `job="${o.apiJob}", namespace=~"$namespace"`;
    const requests = `http_requests_total{${sel}}`;
    const errors = `http_requests_total{${sel}, status=~"5.."}`;
    const buckets = `http_request_duration_seconds_bucket{${sel}}`;
    const container = `namespace=~"$namespace", container!="", container!="POD"`;
    return dashboard(
        "bookbuddy-api",
        "Bookbuddy / API",
        "Request rate, errors, latency and saturation of the Bookbuddy API (MON-1, MON-2).",
        [queryVariable("namespace", "Namespace", `label_values(http_requests_total{job="${o.apiJob}"}, namespace)`, o.namespace)],
        [
            {
                title: "Availability (30 days)",
                description: `Share of requests not answered with 5xx over 30 days; objective ${t.availabilityObjectivePercent}%.`,
                type: "stat",
                unit: "percentunit",
                w: 6,
                queries: [[`1 - sum(increase(${errors}[30d])) / sum(increase(${requests}[30d]))`, "availability"]],
            },
            {
                title: "Request rate",
                description: "Requests per second.",
                type: "stat",
                unit: "reqps",
                w: 6,
                queries: [[`sum(rate(${requests}[$__rate_interval]))`, "requests"]],
            },
            {
                title: "Error rate",
                description: `Share of requests answered with 5xx; alert above ${t.errorRatePercent}%.`,
                type: "stat",
                unit: "percentunit",
                w: 6,
                red: t.errorRatePercent / 100,
                queries: [[`sum(rate(${errors}[$__rate_interval])) / sum(rate(${requests}[$__rate_interval]))`, "errors"]],
            },
            {
                title: "P95 latency",
                description: `95th percentile of request duration; alert above ${t.latencyP95Seconds}s.`,
                type: "stat",
                unit: "s",
                w: 6,
                red: t.latencyP95Seconds,
                queries: [[`histogram_quantile(0.95, sum by (le) (rate(${buckets}[$__rate_interval])))`, "p95"]],
            },
            {
                title: "Requests by status",
                description: "Requests per second by HTTP status class.",
                unit: "reqps",
                queries: [[`sum by (status) (rate(${requests}[$__rate_interval]))`, "{{status}}"]],
            },
            {
                title: "Error ratio by handler",
                description: "Share of 5xx answers per handler.",
                unit: "percentunit",
                red: t.errorRatePercent / 100,
                queries: [
                    [
                        `sum by (handler) (rate(${errors}[$__rate_interval])) / sum by (handler) (rate(${requests}[$__rate_interval]))`,
                        "{{handler}}",
                    ],
                ],
            },
            {
                title: "Latency percentiles",
                description: "P50, P95 and P99 of request duration.",
                unit: "s",
                red: t.latencyP95Seconds,
                queries: [0.5, 0.95, 0.99].map((q) => [
                    `histogram_quantile(${q}, sum by (le) (rate(${buckets}[$__rate_interval])))`,
                    `p${Math.round(q * 100)}`,
                ]),
            },
            {
                title: "Health checks",
                description: "Result of the /health, /health/db and /health/cache probes (HC-1).",
                unit: "bool_on_off",
                min: 0,
                max: 1,
                queries: [[`min by (instance) (probe_success{job="${o.healthProbeJob}"})`, "{{instance}}"]],
            },
            {
                title: "CPU of limit",
                description: `CPU use of each API container against its limit; alert above ${t.cpuPercent}%.`,
                unit: "percentunit",
                red: t.cpuPercent / 100,
                queries: [
                    [
                        `sum by (pod) (rate(container_cpu_usage_seconds_total{${container}}[$__rate_interval])) / sum by (pod) (kube_pod_container_resource_limits{namespace=~"$namespace", resource="cpu"})`,
                        "{{pod}}",
                    ],
                ],
            },
            {
                title: "Memory of limit",
                description: `Working set of each pod against its limit; warning above ${t.memoryWarningPercent}%, critical above ${t.memoryCriticalPercent}%.`,
                unit: "percentunit",
                red: t.memoryCriticalPercent / 100,
                queries: [
                    [
                        `sum by (pod) (container_memory_working_set_bytes{${container}}) / sum by (pod) (kube_pod_container_resource_limits{namespace=~"$namespace", resource="memory"})`,
                        "{{pod}}",
                    ],
                ],
            },
            {
                title: "Replicas",
                description: "Autoscaler replicas against its bounds.",
                unit: "short",
                queries: [
                    [
                        `sum by (horizontalpodautoscaler) (kube_horizontalpodautoscaler_status_current_replicas{namespace=~"$namespace"})`,
                        "{{horizontalpodautoscaler}} current",
                    ],
                    [
                        `sum by (horizontalpodautoscaler) (kube_horizontalpodautoscaler_spec_max_replicas{namespace=~"$namespace"})`,
                        "{{horizontalpodautoscaler}} max",
                    ],
                ],
            },
            {
                title: "Queue fill",
                description: `Queue depth against capacity; alert above ${t.queueCapacityPercent}%.`,
                unit: "percentunit",
                red: t.queueCapacityPercent / 100,
                queries: [
                    [
                        `max by (queue) (bookbuddy_queue_depth{namespace=~"$namespace"}) / max by (queue) (bookbuddy_queue_capacity{namespace=~"$namespace"} > 0)`,
                        "{{queue}}",
                    ],
                ],
            },
            {
                title: "Jobs processed",
                description: `Jobs processed per second now and ${t.processingRateOffset} earlier; alert on a drop above ${t.processingRateDropPercent}%.`,
                unit: "ops",
                queries: [
                    [`sum(rate(bookbuddy_jobs_processed_total{namespace=~"$namespace"}[${t.processingRateWindow}]))`, "now"],
                    [
                        `sum(rate(bookbuddy_jobs_processed_total{namespace=~"$namespace"}[${t.processingRateWindow}] offset ${t.processingRateOffset}))`,
                        `${t.processingRateOffset} earlier`,
                    ],
                ],
            },
            {
                title: "Log lines by severity",
                description: "FATAL, ERROR and WARN lines per second from the log shipper (LOG-2).",
                unit: "short",
                queries: [
                    [
                        `sum by (severity) (rate(bookbuddy_log_lines_total{namespace=~"$namespace"}[$__rate_interval]))`,
                        "{{severity}}",
                    ],
                ],
            },
        ],
    );
}

function postgresDashboard(): GrafanaDashboard {
    const i = `instance=~"$instance"`;
    return dashboard(
        "bookbuddy-postgres",
        "Bookbuddy / PostgreSQL",
        "The RDS PostgreSQL database through postgres-exporter (MON-1, DB-2).",
        [queryVariable("instance", "Exporter", "label_values(pg_up, instance)", "postgres-exporter")],
        [
            {
                title: "Up",
                description: "Whether the exporter reaches the database.",
                type: "stat",
                unit: "bool_on_off",
                w: 6,
                queries: [[`min(pg_up{${i}})`, "up"]],
            },
            {
                title: "Connections used",
                description: "Backends against max_connections.",
                type: "stat",
                unit: "percentunit",
                w: 6,
                red: 0.8,
                queries: [[`sum(pg_stat_database_numbackends{${i}}) / max(pg_settings_max_connections{${i}})`, "used"]],
            },
            {
                title: "Cache hit ratio",
                description: "Blocks read from shared buffers against all block reads.",
                type: "stat",
                unit: "percentunit",
                w: 6,
                queries: [
                    [
                        `sum(rate(pg_stat_database_blks_hit{${i}}[$__rate_interval])) / (sum(rate(pg_stat_database_blks_hit{${i}}[$__rate_interval])) + sum(rate(pg_stat_database_blks_read{${i}}[$__rate_interval])))`,
                        "hit ratio",
                    ],
                ],
            },
            {
                title: "Database size",
                description: "Size of each database.",
                type: "stat",
                unit: "bytes",
                w: 6,
                queries: [[`sum by (datname) (pg_database_size_bytes{${i}})`, "{{datname}}"]],
            },
            {
                title: "Transactions",
                description: "Commits and rollbacks per second.",
                unit: "ops",
                queries: [
                    [`sum(rate(pg_stat_database_xact_commit{${i}}[$__rate_interval]))`, "commit"],
                    [`sum(rate(pg_stat_database_xact_rollback{${i}}[$__rate_interval]))`, "rollback"],
                ],
            },
            {
                title: "Connections by database",
                description: "Backends per database and the configured maximum.",
                unit: "short",
                queries: [
                    [`sum by (datname) (pg_stat_database_numbackends{${i}})`, "{{datname}}"],
                    [`max(pg_settings_max_connections{${i}})`, "max_connections"],
                ],
            },
            {
                title: "Rows",
                description: "Rows fetched, inserted, updated and deleted per second.",
                unit: "rowsps",
                queries: ["fetched", "inserted", "updated", "deleted"].map((op) => [
                    `sum(rate(pg_stat_database_tup_${op}{${i}}[$__rate_interval]))`,
                    op,
                ]),
            },
            {
                title: "Locks and deadlocks",
                description: "Locks held by mode and deadlocks per second.",
                unit: "short",
                queries: [
                    [`sum by (mode) (pg_locks_count{${i}})`, "{{mode}}"],
                    [`sum(rate(pg_stat_database_deadlocks{${i}}[$__rate_interval]))`, "deadlocks/s"],
                ],
            },
            {
                title: "Replication lag",
                description: "Seconds a replica is behind the primary (where replicas exist).",
                unit: "s",
                queries: [[`max(pg_replication_lag_seconds{${i}})`, "lag"]],
            },
            {
                title: "Temporary files",
                description: "Bytes written to temporary files per second (queries spilling work_mem).",
                unit: "Bps",
                queries: [[`sum(rate(pg_stat_database_temp_bytes{${i}}[$__rate_interval]))`, "temp bytes"]],
            },
        ],
    );
}

function redisDashboard(t: AlertThresholds): GrafanaDashboard {
    const i = `instance=~"$instance"`;
    return dashboard(
        "bookbuddy-redis",
        "Bookbuddy / Redis",
        "The ElastiCache Redis replication group through redis-exporter (MON-1, CACHE-1).",
        [queryVariable("instance", "Exporter", "label_values(redis_up, instance)", "redis-exporter")],
        [
            {
                title: "Up",
                description: "Whether the exporter reaches Redis.",
                type: "stat",
                unit: "bool_on_off",
                w: 6,
                queries: [[`min(redis_up{${i}})`, "up"]],
            },
            {
                title: "Hit ratio",
                description: "Keyspace hits against all lookups.",
                type: "stat",
                unit: "percentunit",
                w: 6,
                queries: [
                    [
                        `sum(rate(redis_keyspace_hits_total{${i}}[$__rate_interval])) / (sum(rate(redis_keyspace_hits_total{${i}}[$__rate_interval])) + sum(rate(redis_keyspace_misses_total{${i}}[$__rate_interval])))`,
                        "hit ratio",
                    ],
                ],
            },
            {
                title: "Memory of maxmemory",
                description: `Used memory against maxmemory; warning above ${t.memoryWarningPercent}%, critical above ${t.memoryCriticalPercent}%.`,
                type: "stat",
                unit: "percentunit",
                w: 6,
                red: t.memoryCriticalPercent / 100,
                queries: [[`max(redis_memory_used_bytes{${i}}) / max(redis_memory_max_bytes{${i}} > 0)`, "used"]],
            },
            {
                title: "Keys",
                description: "Keys across databases.",
                type: "stat",
                unit: "short",
                w: 6,
                queries: [[`sum(redis_db_keys{${i}})`, "keys"]],
            },
            {
                title: "Commands",
                description: "Commands processed per second.",
                unit: "ops",
                queries: [[`sum(rate(redis_commands_processed_total{${i}}[$__rate_interval]))`, "commands"]],
            },
            {
                title: "Memory",
                description: "Used memory and maxmemory.",
                unit: "bytes",
                queries: [
                    [`sum by (instance) (redis_memory_used_bytes{${i}})`, "{{instance}} used"],
                    [`sum by (instance) (redis_memory_max_bytes{${i}})`, "{{instance}} max"],
                ],
            },
            {
                title: "Clients",
                description: "Connected and blocked clients.",
                unit: "short",
                queries: [
                    [`sum(redis_connected_clients{${i}})`, "connected"],
                    [`sum(redis_blocked_clients{${i}})`, "blocked"],
                ],
            },
            {
                title: "Evictions and expirations",
                description: "Keys evicted for memory and keys expired, per second.",
                unit: "ops",
                queries: [
                    [`sum(rate(redis_evicted_keys_total{${i}}[$__rate_interval]))`, "evicted"],
                    [`sum(rate(redis_expired_keys_total{${i}}[$__rate_interval]))`, "expired"],
                ],
            },
            {
                title: "Replicas",
                description: "Replicas connected to the primary (CACHE-1 automatic failover).",
                unit: "short",
                queries: [[`max(redis_connected_slaves{${i}})`, "replicas"]],
            },
            {
                title: "Slowest commands",
                description: "Average seconds per call of the five slowest commands.",
                unit: "s",
                queries: [
                    [
                        `topk(5, sum by (cmd) (rate(redis_commands_duration_seconds_total{${i}}[$__rate_interval])) / sum by (cmd) (rate(redis_commands_total{${i}}[$__rate_interval])))`,
                        "{{cmd}}",
                    ],
                ],
            },
        ],
    );
}

function clusterDashboard(t: AlertThresholds): GrafanaDashboard {
    const fs = `fstype!~"tmpfs|overlay|squashfs|nsfs|ramfs"`;
    return dashboard(
        "bookbuddy-cluster",
        "Bookbuddy / Cluster",
        "Nodes and pods of the EKS cluster (MON-1, K8S-1).",
        [],
        [
            {
                title: "Nodes ready",
                description: "Nodes whose Ready condition is true.",
                type: "stat",
                unit: "short",
                w: 6,
                queries: [[`sum(kube_node_status_condition{condition="Ready", status="true"})`, "ready"]],
            },
            {
                title: "Pods running",
                description: "Pods in phase Running.",
                type: "stat",
                unit: "short",
                w: 6,
                queries: [[`sum(kube_pod_status_phase{phase="Running"})`, "running"]],
            },
            {
                title: "Pods not ready",
                description: "Pods pending, failed or unknown.",
                type: "stat",
                unit: "short",
                w: 6,
                red: 1,
                queries: [[`sum(kube_pod_status_phase{phase=~"Pending|Failed|Unknown"})`, "not ready"]],
            },
            {
                title: "Unavailable replicas",
                description: "Deployment replicas that are not available (stuck rollouts).",
                type: "stat",
                unit: "short",
                w: 6,
                red: 1,
                queries: [[`sum(kube_deployment_status_replicas_unavailable)`, "unavailable"]],
            },
            {
                title: "Node CPU",
                description: `CPU use per node; alert above ${t.cpuPercent}%.`,
                unit: "percentunit",
                red: t.cpuPercent / 100,
                max: 1,
                queries: [
                    [`1 - avg by (instance) (rate(node_cpu_seconds_total{mode="idle"}[$__rate_interval]))`, "{{instance}}"],
                ],
            },
            {
                title: "Node memory",
                description: `Memory use per node; warning above ${t.memoryWarningPercent}%, critical above ${t.memoryCriticalPercent}%.`,
                unit: "percentunit",
                red: t.memoryCriticalPercent / 100,
                max: 1,
                queries: [
                    [
                        `1 - max by (instance) (node_memory_MemAvailable_bytes) / max by (instance) (node_memory_MemTotal_bytes)`,
                        "{{instance}}",
                    ],
                ],
            },
            {
                title: "Node disk",
                description: `Used space per node filesystem; alert above ${t.diskPercent}%.`,
                unit: "percentunit",
                red: t.diskPercent / 100,
                max: 1,
                queries: [
                    [
                        `1 - max by (instance, mountpoint) (node_filesystem_avail_bytes{${fs}}) / max by (instance, mountpoint) (node_filesystem_size_bytes{${fs}})`,
                        "{{instance}} {{mountpoint}}",
                    ],
                ],
            },
            {
                title: "Persistent volumes",
                description: `Used space per volume claim; alert above ${t.diskPercent}%.`,
                unit: "percentunit",
                red: t.diskPercent / 100,
                max: 1,
                queries: [
                    [
                        `max by (namespace, persistentvolumeclaim) (kubelet_volume_stats_used_bytes) / max by (namespace, persistentvolumeclaim) (kubelet_volume_stats_capacity_bytes)`,
                        "{{namespace}}/{{persistentvolumeclaim}}",
                    ],
                ],
            },
            {
                title: "CPU by namespace",
                description: "Cores used per namespace.",
                unit: "short",
                queries: [
                    [
                        `sum by (namespace) (rate(container_cpu_usage_seconds_total{container!="", container!="POD"}[$__rate_interval]))`,
                        "{{namespace}}",
                    ],
                ],
            },
            {
                title: "Memory by namespace",
                description: "Working set per namespace.",
                unit: "bytes",
                queries: [
                    [`sum by (namespace) (container_memory_working_set_bytes{container!="", container!="POD"})`, "{{namespace}}"],
                ],
            },
            {
                title: "Pods by phase",
                description: "Pods per phase.",
                unit: "short",
                queries: [[`sum by (phase) (kube_pod_status_phase)`, "{{phase}}"]],
            },
            {
                title: "Container restarts",
                description: "Restarts per namespace over the last hour.",
                unit: "short",
                queries: [[`sum by (namespace) (increase(kube_pod_container_status_restarts_total[1h]))`, "{{namespace}}"]],
            },
        ],
    );
}

/** The Bookbuddy dashboards (MON-1): API, PostgreSQL, Redis and cluster, as ConfigMap files. */
export function dashboards(options: DashboardOptions = {}): DashboardFile[] {
    const t: AlertThresholds = { ...defaultAlertThresholds, ...options.thresholds };
    const o = {
        apiJob: options.apiJob ?? "bookbuddy-api",
        namespace: options.namespace ?? "bookbuddy",
        healthProbeJob: options.healthProbeJob ?? "bookbuddy-health",
    };
    return [apiDashboard(o, t), postgresDashboard(), redisDashboard(t), clusterDashboard(t)].map((json) => ({
        name: `${json.uid}.json`,
        json,
    }));
}
