import { defineResourceRule } from "../../lib/rule";
import { at, isUnknown, list } from "../../lib/values";

/** REG-1: repositories are encrypted with a customer-managed KMS key (Checkov CKV_AWS_136). */
export const ecrKms = defineResourceRule({
    name: "ecr-kms",
    description: "ECR repositories use KMS encryption with a customer-managed key.",
    severity: "medium",
    enforcementLevel: "mandatory",
    remediation: 'Set encryptionConfigurations [{ encryptionType: "KMS", kmsKey: <registry CMK ARN> }].',
    requirements: ["REG-1"],
    resourceTypes: ["aws:ecr/repository:Repository"],
    validate({ props }, judge) {
        const configs = props["encryptionConfigurations"];
        if (isUnknown(configs)) {
            judge.cannotJudge("encryptionConfigurations");
            return;
        }
        const first = list(configs)[0];
        judge.expect(
            at(first, "encryptionType"),
            "encryptionConfigurations[0].encryptionType",
            (v) => v === "KMS" || v === "KMS_DSSE",
            "encryptionConfigurations[0].encryptionType must be KMS (the default is AES256).",
        );
        judge.expect(
            at(first, "kmsKey"),
            "encryptionConfigurations[0].kmsKey",
            (v) => typeof v === "string" && v !== "",
            "encryptionConfigurations[0].kmsKey must name a customer-managed KMS key.",
        );
    },
});
