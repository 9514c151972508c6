import { defineResourceRule } from "../../lib/rule";
import { isUnknown } from "../../lib/values";

/** DB-2: Performance Insights or Database Insights is on (Checkov CKV_AWS_353, AWSGuard). */
export const rdsPerformanceInsights = defineResourceRule({
    name: "rds-performance-insights",
    description: "RDS instances enable Performance Insights (or Database Insights advanced mode), encrypted with a KMS key.",
    severity: "medium",
    enforcementLevel: "mandatory",
    remediation: 'Set performanceInsightsEnabled: true with performanceInsightsKmsKeyId, or databaseInsightsMode: "advanced".',
    requirements: ["DB-2"],
    resourceTypes: ["aws:rds/instance:Instance"],
    validate({ props }, judge) {
        const enabled = props["performanceInsightsEnabled"];
        const mode = props["databaseInsightsMode"];
        if (enabled === true) {
            judge.expect(
                props["performanceInsightsKmsKeyId"],
                "performanceInsightsKmsKeyId",
                (v) => typeof v === "string" && v !== "",
                "performanceInsightsKmsKeyId must name the database CMK (query samples contain data).",
            );
        } else if (mode === "advanced") {
            return;
        } else if (isUnknown(enabled) || isUnknown(mode)) {
            judge.cannotJudge(isUnknown(enabled) ? "performanceInsightsEnabled" : "databaseInsightsMode");
        } else {
            judge.violation('performanceInsightsEnabled must be true (or databaseInsightsMode "advanced").');
        }
    },
});
