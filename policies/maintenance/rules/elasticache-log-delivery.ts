import { defineResourceRule } from "../../lib/rule";
import { at, isUnknown, list } from "../../lib/values";

/** CACHE-1: slow-log and engine-log are delivered to CloudWatch Logs. */
export const elasticacheLogDelivery = defineResourceRule({
    name: "elasticache-log-delivery",
    description: "ElastiCache replication groups deliver slow-log and engine-log.",
    severity: "medium",
    enforcementLevel: "mandatory",
    remediation:
        "Add logDeliveryConfigurations for logType slow-log and engine-log with destinationType cloudwatch-logs (90-day log groups).",
    requirements: ["CACHE-1"],
    resourceTypes: ["aws:elasticache/replicationGroup:ReplicationGroup"],
    validate({ props }, judge) {
        const configs = props["logDeliveryConfigurations"];
        if (isUnknown(configs) || list(configs).some((c) => isUnknown(at(c, "logType")))) {
            judge.cannotJudge("logDeliveryConfigurations");
            return;
        }
        const types = list(configs).map((c) => at(c, "logType"));
        const missing = ["slow-log", "engine-log"].filter((t) => !types.includes(t));
        if (missing.length > 0) {
            judge.violation(`logDeliveryConfigurations lacks ${missing.join(" and ")}.`);
        }
    },
});
