import { defineResourceRule } from "../../lib/rule";
import { isUnknown, list } from "../../lib/values";

/** DB-2: PostgreSQL and upgrade logs go to CloudWatch Logs (Checkov CKV_AWS_129). */
export const rdsLogExports = defineResourceRule({
    name: "rds-log-exports",
    description: "RDS instances export the configured log types (default postgresql, upgrade) to CloudWatch Logs.",
    severity: "medium",
    enforcementLevel: "mandatory",
    remediation:
        'Set enabledCloudwatchLogsExports: ["postgresql", "upgrade"] and pre-create their log groups with 90-day retention.',
    requirements: ["DB-2"],
    config: {
        requiredTypes: {
            schema: {
                type: "array",
                items: { type: "string" },
                default: ["postgresql", "upgrade"],
                description: "Log types that must be exported.",
            },
        },
    },
    resourceTypes: ["aws:rds/instance:Instance"],
    validate({ props }, judge) {
        const exports = props["enabledCloudwatchLogsExports"];
        if (isUnknown(exports)) {
            judge.cannotJudge("enabledCloudwatchLogsExports");
            return;
        }
        const missing = judge.strings("requiredTypes").filter((t) => !list(exports).includes(t));
        if (missing.length > 0) {
            judge.violation(`enabledCloudwatchLogsExports lacks ${missing.join(", ")}.`);
        }
    },
});
