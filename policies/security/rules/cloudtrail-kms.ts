import { defineResourceRule } from "../../lib/rule";

/** SEC-5: trail logs are SSE-KMS encrypted (AWSGuard, Checkov CKV_AWS_35). */
export const cloudtrailKms = defineResourceRule({
    name: "cloudtrail-kms",
    description: "CloudTrail trails encrypt log files with a KMS key.",
    severity: "high",
    enforcementLevel: "mandatory",
    remediation: "Set kmsKeyId to the audit CMK.",
    requirements: ["SEC-5"],
    resourceTypes: ["aws:cloudtrail/trail:Trail"],
    validate({ props }, judge) {
        judge.expect(props["kmsKeyId"], "kmsKeyId", (v) => typeof v === "string" && v !== "", "kmsKeyId must name a KMS key.");
    },
});
