/**
 * The alerting numbers of the operations documents, in one place (MON-2, ALARM-1, HC-1): "CPU usage > 80 %",
 * "memory usage > 80 %" (warning) and "> 85 %" (critical), "disk usage > 80 %", "error rate > 1 %",
 * "P95 latency > 1 s" and "uptime < 99.5 %". The Prometheus rules (components/monitoring), the CloudWatch alarms
 * (components/alarms) and the health checks (components/health) take their defaults from here, and the stack
 * configuration schema takes its defaults from those components, so a number changes in one line.
 */
export const OPERATIONS_THRESHOLDS = Object.freeze({
    cpuPercent: 80,
    memoryWarningPercent: 80,
    memoryCriticalPercent: 85,
    diskPercent: 80,
    errorRatePercent: 1,
    latencyP95Seconds: 1,
    availabilityObjectivePercent: 99.5,
});
