import { defineStackRule, type StackResourceView } from "../../lib/rule";
import { ofTypes } from "../../lib/stack";
import { CACHE_CLUSTER, REPLICATION_GROUP, memberOfGroup } from "../../lib/elasticache";
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
    const dependencyUrns = [
        ...(alarm.propertyDependencies["dimensions"] ?? []),
        ...(alarm.propertyDependencies["metricQueries"] ?? []),
    ];
    return { metrics, dimensionValues, dependencyUrns };
}

const RDS_INSTANCE = "aws:rds/instance:Instance";
const AURORA = "aws:rds/cluster:Cluster";
/** Identifier properties per form, as the CloudWatch dimensions name them. */
const ID_KEYS: Record<string, string[]> = {
    [RDS_INSTANCE]: ["identifier", "id"],
    [AURORA]: ["clusterIdentifier", "id"],
    [REPLICATION_GROUP]: ["replicationGroupId", "id"],
    [CACHE_CLUSTER]: ["clusterId", "id"],
};

/** Identifiers a data store is known by in CloudWatch dimensions. */
function identifiers(store: StackResourceView): string[] {
    const keys = ID_KEYS[store.type] ?? ["id"];
    return keys.map((k) => store.props[k]).filter((v): v is string => typeof v === "string" && v !== "" && !isUnknown(v));
}

function matches(info: AlarmInfo, store: StackResourceView): "yes" | "no" | "unknown" {
    if (info.dependencyUrns.includes(store.urn)) {
        return "yes";
    }
    const ids = identifiers(store);
    const isRedis = store.type === REPLICATION_GROUP;
    if (
        info.dimensionValues.some(
            (v) => typeof v === "string" && !isUnknown(v) && ids.some((id) => v === id || (isRedis && v.startsWith(`${id}-`))),
        )
    ) {
        return "yes";
    }
    return info.dependencyUrns.length === 0 && info.dimensionValues.some(isUnknown) ? "unknown" : "no";
}

/**
 * ALARM-1, POL-2, POL-4: every data store has the CloudWatch alarms of ALARM-1, in every form: RDS instances,
 * Aurora clusters (DBClusterIdentifier; FreeLocalStorage instead of FreeStorageSpace), ElastiCache replication
 * groups and standalone cache clusters (a cluster that joins a replication group is watched through it). Alarms are matched to their store by property dependency (the alarm's dimensions came from
 * the store) or by equal identifiers. "A|B" in the config accepts either metric.
 */
export const dataStoreAlarms = defineStackRule({
    name: "data-store-alarms",
    description:
        "Every RDS instance, Aurora cluster, ElastiCache replication group and standalone cache cluster has the ALARM-1 CloudWatch alarms.",
    severity: "high",
    enforcementLevel: "mandatory",
    remediation: "Create the missing aws.cloudwatch.MetricAlarm with dimensions from the store's outputs (alarms component).",
    requirements: ["ALARM-1", "POL-2"],
    config: {
        rdsMetrics: {
            schema: {
                type: "array",
                items: { type: "string" },
                default: ["CPUUtilization", "FreeableMemory", "FreeStorageSpace", "DatabaseConnections"],
                description: "Metrics every RDS instance needs an alarm on.",
            },
        },
        auroraMetrics: {
            schema: {
                type: "array",
                items: { type: "string" },
                default: ["CPUUtilization", "FreeableMemory", "FreeLocalStorage", "DatabaseConnections"],
                description: "Metrics every Aurora cluster needs an alarm on.",
            },
        },
        redisMetrics: {
            schema: {
                type: "array",
                items: { type: "string" },
                default: ["CPUUtilization|EngineCPUUtilization", "DatabaseMemoryUsagePercentage", "Evictions"],
                description: "Metrics every replication group needs an alarm on (A|B = either).",
            },
        },
    },
    validate(resources, judge) {
        const alarms = ofTypes(resources, ["aws:cloudwatch/metricAlarm:MetricAlarm"]).map(alarmInfo);
        const stores = ofTypes(resources, [RDS_INSTANCE, AURORA, REPLICATION_GROUP, CACHE_CLUSTER]);
        for (const store of stores) {
            const member = memberOfGroup(store.type, store.props);
            if (member === "unknown") {
                judge.cannotJudge("whether the cache cluster joins a replication group", store.urn);
                continue;
            }
            if (member) {
                continue; // watched through its replication group
            }
            const required =
                store.type === RDS_INSTANCE
                    ? judge.strings("rdsMetrics")
                    : store.type === AURORA
                      ? judge.strings("auroraMetrics")
                      : judge.strings("redisMetrics");
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
