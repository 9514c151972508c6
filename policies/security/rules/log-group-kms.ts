import { defineResourceRule } from "../../lib/rule";

/** BKP-4: log groups encrypted with a customer-managed key (Checkov CKV_AWS_158, cdk-nag HIPAA/NIST CloudWatchLogGroupEncrypted). */
export const logGroupKms = defineResourceRule({
    name: "log-group-kms",
    description: "CloudWatch log groups are encrypted with a KMS key.",
    severity: "medium",
    enforcementLevel: "mandatory",
    remediation: "Set kmsKeyId to the logs CMK (its key policy must allow logs.<region>.amazonaws.com).",
    requirements: ["BKP-4", "SEC-5"],
    resourceTypes: ["aws:cloudwatch/logGroup:LogGroup"],
    validate({ props }, judge) {
        judge.expect(props["kmsKeyId"], "kmsKeyId", (v) => typeof v === "string" && v !== "", "kmsKeyId must name a KMS key.");
    },
});
