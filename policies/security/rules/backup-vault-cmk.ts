import { defineResourceRule } from "../../lib/rule";

/** BKP-1: recovery points are encrypted with our key (Checkov CKV_AWS_166, cdk-nag HIPAA/NIST BackupVault). */
export const backupVaultCmk = defineResourceRule({
    name: "backup-vault-cmk",
    description: "AWS Backup vaults are encrypted with a customer-managed KMS key.",
    severity: "high",
    enforcementLevel: "mandatory",
    remediation: "Set kmsKeyArn to the backup CMK.",
    requirements: ["BKP-1"],
    resourceTypes: ["aws:backup/vault:Vault"],
    validate({ props }, judge) {
        judge.expect(
            props["kmsKeyArn"],
            "kmsKeyArn",
            (v) => typeof v === "string" && v !== "",
            "kmsKeyArn must name a customer-managed KMS key.",
        );
    },
});
