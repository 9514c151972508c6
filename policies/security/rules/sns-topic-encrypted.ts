import { defineResourceRule } from "../../lib/rule";

/**
 * ALARM-1: topics are encrypted with a customer-managed key; the AWS-managed alias/aws/sns key cannot be
 * used by CloudWatch alarms, so it does not count (AWSGuard, cdk-nag SNS2, Checkov CKV_AWS_26).
 */
export const snsTopicEncrypted = defineResourceRule({
    name: "sns-topic-encrypted",
    description: "SNS topics are encrypted with a customer-managed KMS key.",
    severity: "high",
    enforcementLevel: "mandatory",
    remediation: "Set kmsMasterKeyId to a CMK whose key policy lets cloudwatch.amazonaws.com and backup.amazonaws.com use it.",
    requirements: ["ALARM-1"],
    resourceTypes: ["aws:sns/topic:Topic"],
    validate({ props }, judge) {
        judge.expect(
            props["kmsMasterKeyId"],
            "kmsMasterKeyId",
            (v) => typeof v === "string" && v !== "" && !v.endsWith("alias/aws/sns"),
            "kmsMasterKeyId must name a customer-managed KMS key (alias/aws/sns blocks CloudWatch alarm delivery).",
        );
    },
});
