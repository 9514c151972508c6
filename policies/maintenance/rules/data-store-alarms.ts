import { defineStackRule, type StackResourceView } from "../../lib/rule";
import { ofTypes } from "../../lib/stack";
import { at, isRecord, isUnknown, list } from "../../lib/values";

interface AlarmInfo {
    metrics: string[];
    dimensionValues: unknown[];
    dependencyUrns: string[];
}

function alarmInfo(alarm: StackResourceView): AlarmInfo {
    const metrics: string[] = [];
    const dimensionValues: unknown[] = [];
    const add = (metricName: unknown, dimensions: unknown) => {
        if (typeof metricName === "string") {
            metrics.push(metricName);
        }
        if (isUnknown(dimensions)) {
            dimensionValues.push(dimensions);
        } else if (isRecord(dimensions)) {
            dimensionValues.push(...Object.values(dimensions));
        }
    };
    add(alarm.props["metricName"], alarm.props["dimensions"]);
    for (const query of list(alarm.props["metricQueries"])) {
        add(at(query, "metric.metricName"), at(query, "metric.dimensions"));
    }
    const dependencyUrns = [...(alarm.propertyDependencies["dimensions"] ?? []), ...(alarm.propertyDependencies["metricQueries"] ?? [])];
    return { metrics, dimensionValues, dependencyUrns };
}

/** Identifiers a data store is known by in CloudWatch dimensions. */
function identifiers(store: StackResourceView): string[] {
    const keys = store.type === "aws:rds/instance:Instance" ? ["identifier", "id"] : ["replicationGroupId", "id"];
    return keys.map((k) => store.props[k]).filter((v): v is string => typeof v === "string" && v !== "" && !isUnknown(v));
}

function matches(info: AlarmInfo, store: StackResourceView): "yes" | "no" | "unknown" {
    if (info.dependencyUrns.includes(store.urn)) {
        return "yes";
    }
    const ids = identifiers(store);
    const isRedis = store.type !== "aws:rds/instance:Instance";
    if (info.dimensionValues.some((v) => typeof v === "string" && !isUnknown(v)
        && ids.some((id) => v === id || (isRedis && v.startsWith(`${id}-`))))) {
        return "yes";
    }
    return info.dependencyUrns.length === 0 && info.dimensionValues.some(isUnknown) ? "unknown" : "no";
}

/**
 * ALARM-1, POL-2: every RDS instance and ElastiCache replication group has the CloudWatch alarms of
 * ALARM-1. Alarms are matched to their store by property dependency (the alarm's dimensions came from
 * the store) or by equal identifiers. "A|B" in the config accepts either metric.
 */
export const dataStoreAlarms = defineStackRule({
    name: "data-store-alarms",
    description: "Every RDS instance and ElastiCache replication group has the ALARM-1 CloudWatch alarms.",
    severity: "high",
    enforcementLevel: "mandatory",
    remediation: "Create the missing aws.cloudwatch.MetricAlarm with dimensions from the store's outputs (alarms component).",
    requirements: ["ALARM-1", "POL-2"],
    config: {
        rdsMetrics: { schema: { type: "array", items: { type: "string" }, default: ["CPUUtilization", "FreeableMemory", "FreeStorageSpace", "DatabaseConnections"], description: "Metrics every RDS instance needs an alarm on." } },
        redisMetrics: { schema: { type: "array", items: { type: "string" }, default: ["CPUUtilization|EngineCPUUtilization", "DatabaseMemoryUsagePercentage", "Evictions"], description: "Metrics every replication group needs an alarm on (A|B = either)." } },
    },
    validate(resources, judge) {
        const alarms = ofTypes(resources, ["aws:cloudwatch/metricAlarm:MetricAlarm"]).map(alarmInfo);
        const stores = ofTypes(resources, ["aws:rds/instance:Instance", "aws:elasticache/replicationGroup:ReplicationGroup"]);
        for (const store of stores) {
            const required = store.type === "aws:rds/instance:Instance" ? judge.strings("rdsMetrics") : judge.strings("redisMetrics");
            const verdicts = alarms.map((a) => ({ a, m: matches(a, store) }));
            const covered = new Set(verdicts.filter((v) => v.m === "yes").flatMap((v) => v.a.metrics));
            const missing = required.filter((r) => !r.split("|").some((m) => covered.has(m)));
            if (missing.length === 0) {
                continue;
            }
            if (verdicts.some((v) => v.m === "unknown")) {
                judge.cannotJudge("alarm dimensions", store.urn);
            } else {
                judge.violation(`${store.name} has no alarm on ${missing.join(", ")}.`, store.urn);
            }
        }
    },
});
