import { defineResourceRule } from "../../lib/rule";

/**
 * SEC-5, POL-2: the trail records and reaches CloudWatch Logs, where its events can be searched and alarmed on
 * (Checkov CKV_AWS_251, CKV2_AWS_10; AWSGuard CLOUD_TRAIL_ENABLED, CLOUD_TRAIL_CLOUD_WATCH_LOGS_ENABLED).
 */
export const cloudtrailCloudwatchDelivery = defineResourceRule({
    name: "cloudtrail-cloudwatch-delivery",
    description: "CloudTrail trails are logging (enableLogging not false) and deliver to a CloudWatch Logs group through a role.",
    severity: "medium",
    enforcementLevel: "mandatory",
    remediation: 'Keep enableLogging true and set cloudWatchLogsGroupArn ("<log group ARN>:*") with cloudWatchLogsRoleArn.',
    requirements: ["SEC-5", "POL-2"],
    resourceTypes: ["aws:cloudtrail/trail:Trail"],
    validate({ props }, judge) {
        judge.expect(props["enableLogging"], "enableLogging", (v) => v !== false, "the trail is stopped (enableLogging false).");
        judge.expect(
            props["cloudWatchLogsGroupArn"],
            "cloudWatchLogsGroupArn",
            (v) => typeof v === "string" && v !== "",
            "the trail does not deliver to CloudWatch Logs (no cloudWatchLogsGroupArn).",
        );
        judge.expect(
            props["cloudWatchLogsRoleArn"],
            "cloudWatchLogsRoleArn",
            (v) => typeof v === "string" && v !== "",
            "the trail has no cloudWatchLogsRoleArn to deliver with.",
        );
    },
});
