import { defineResourceRule } from "../../lib/rule";

/** SEC-1: every secret is encrypted with a customer-managed key (Checkov CKV_AWS_149). */
export const secretCmk = defineResourceRule({
    name: "secret-cmk",
    description: "Secrets Manager secrets are encrypted with a customer-managed KMS key.",
    severity: "high",
    enforcementLevel: "mandatory",
    remediation: "Set kmsKeyId to the secrets CMK (the default aws/secretsmanager key cannot be shared or governed).",
    requirements: ["SEC-1"],
    resourceTypes: ["aws:secretsmanager/secret:Secret"],
    validate({ props }, judge) {
        judge.expect(
            props["kmsKeyId"],
            "kmsKeyId",
            (v) => typeof v === "string" && v !== "" && !v.endsWith("alias/aws/secretsmanager"),
            "kmsKeyId must name a customer-managed KMS key.",
        );
    },
});
