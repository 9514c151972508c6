import { defineResourceRule } from "../../lib/rule";
import { asNumber } from "../../lib/values";

/** DB-2: enhanced monitoring at the configured interval or finer (Checkov CKV_AWS_118, AWSGuard). */
export const rdsEnhancedMonitoring = defineResourceRule({
    name: "rds-enhanced-monitoring",
    description:
        "RDS instances enable enhanced monitoring (monitoringInterval > 0 and no coarser than configured) with a monitoring role.",
    severity: "medium",
    enforcementLevel: "mandatory",
    remediation: "Set monitoringInterval (e.g. 60) and monitoringRoleArn to a role with AmazonRDSEnhancedMonitoringRole.",
    requirements: ["DB-2"],
    config: {
        maxIntervalSeconds: {
            schema: {
                type: "integer",
                enum: [1, 5, 10, 15, 30, 60],
                default: 60,
                description: "Coarsest accepted monitoringInterval.",
            },
            stricter: "lower",
        },
    },
    resourceTypes: ["aws:rds/instance:Instance"],
    validate({ props }, judge) {
        const max = judge.number("maxIntervalSeconds");
        if (
            judge.expect(
                props["monitoringInterval"],
                "monitoringInterval",
                (v) => {
                    const n = asNumber(v) ?? 0;
                    return n > 0 && n <= max;
                },
                `monitoringInterval must be between 1 and ${max} seconds.`,
            )
        ) {
            judge.expect(
                props["monitoringRoleArn"],
                "monitoringRoleArn",
                (v) => typeof v === "string" && v !== "",
                "monitoringRoleArn must be set.",
            );
        }
    },
});
