import { defineResourceRule } from "../../lib/rule";
import { asNumber } from "../../lib/values";

/**
 * BKP-4: every log group keeps logs at least 90 days. "Never expire" (absent or 0) is a violation too:
 * unbounded retention grows cost and keeps personal data past its purpose; keep longer archives in S3
 * (Checkov CKV_AWS_66/CKV_AWS_338, cdk-nag HIPAA/NIST CloudWatchLogGroupRetentionPeriod).
 */
export const logGroupRetention = defineResourceRule({
    name: "log-group-retention",
    description:
        "CloudWatch log groups set retentionInDays to at least the configured minimum (default 90); never-expire is not accepted.",
    severity: "medium",
    enforcementLevel: "mandatory",
    remediation:
        "Set retentionInDays: 90 (or a longer supported value) on every log group, including the ones AWS services would create.",
    requirements: ["BKP-4", "NET-1", "K8S-1", "POL-2"],
    config: {
        minDays: {
            schema: { type: "integer", minimum: 1, maximum: 3653, default: 90, description: "Minimum retentionInDays." },
            stricter: "higher",
        },
    },
    resourceTypes: ["aws:cloudwatch/logGroup:LogGroup"],
    validate({ props }, judge) {
        const min = judge.number("minDays");
        judge.expect(
            props["retentionInDays"],
            "retentionInDays",
            (v) => (asNumber(v) ?? 0) >= min,
            `retentionInDays must be at least ${min} (absent or 0 means never expire).`,
        );
    },
});
