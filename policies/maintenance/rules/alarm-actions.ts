import { defineResourceRule } from "../../lib/rule";
import { isUnknown, list } from "../../lib/values";

/** ALARM-1, HC-1: every alarm notifies on ALARM and OK and defines missing-data treatment (cdk-nag NIST CloudWatchAlarmAction, AWSGuard). */
export const alarmActions = defineResourceRule({
    name: "alarm-actions",
    description: "CloudWatch metric alarms have alarmActions, okActions and an explicit treatMissingData.",
    severity: "medium",
    enforcementLevel: "mandatory",
    remediation:
        'Set alarmActions and okActions to the alarm SNS topic ARN and treatMissingData ("breaching" for health checks, "notBreaching" or "missing" otherwise).',
    requirements: ["ALARM-1", "HC-1"],
    resourceTypes: ["aws:cloudwatch/metricAlarm:MetricAlarm"],
    validate({ props }, judge) {
        for (const key of ["alarmActions", "okActions"]) {
            const value = props[key];
            if (isUnknown(value)) {
                judge.cannotJudge(key);
            } else if (list(value).length === 0) {
                judge.violation(`${key} is empty: nobody learns about the ${key === "okActions" ? "recovery" : "alarm"}.`);
            }
        }
        judge.expect(
            props["treatMissingData"],
            "treatMissingData",
            (v) => typeof v === "string" && ["breaching", "notBreaching", "ignore", "missing"].includes(v),
            "treatMissingData must be set explicitly.",
        );
    },
});
