import { defineStackRule } from "../../lib/rule";
import { anyLink, ofTypes, refersTo } from "../../lib/stack";

/** BKP-1: backup vaults are locked against deletion of recovery points (AWS Backup best practice). Prod requirement; advisory elsewhere. */
export const backupVaultLock = defineStackRule({
    name: "backup-vault-lock",
    description: "Every AWS Backup vault has a vault lock configuration.",
    severity: "medium",
    enforcementLevel: "mandatory",
    costOnly: true,
    remediation:
        "Declare aws.backup.VaultLockConfiguration { backupVaultName: vault.name, minRetentionDays, maxRetentionDays } (governance mode until the changeableForDays window is agreed).",
    requirements: ["BKP-1"],
    validate(resources, judge) {
        const locks = ofTypes(resources, ["aws:backup/vaultLockConfiguration:VaultLockConfiguration"]);
        for (const vault of ofTypes(resources, ["aws:backup/vault:Vault"])) {
            const link = anyLink(locks.map((l) => refersTo(l, "backupVaultName", vault, ["name", "id"])));
            if (link === "unknown") {
                judge.cannotJudge("which vault a lock belongs to", vault.urn);
            } else if (link === "no") {
                judge.violation(`backup vault ${vault.name} has no vault lock.`, vault.urn);
            }
        }
    },
});
