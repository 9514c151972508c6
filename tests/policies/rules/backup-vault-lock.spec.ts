import { WIRE, cannotJudge, pinStack, resource } from "./pin";

const RULE = "backup-vault-lock";
const vault = resource("aws:backup/vault:Vault", "vault", { name: "bookbuddy-backup", id: "vault-1" });
const lock = (backupVaultName: unknown) =>
    resource("aws:backup/vaultLockConfiguration:VaultLockConfiguration", "lock", { backupVaultName, minRetentionDays: 7 });

describe(`${RULE}: which lock belongs to which vault (BKP-1)`, () => {
    it("links a lock by the vault's name or id, not another vault's", async () => {
        await pinStack(RULE, [vault, lock("bookbuddy-backup")], {});
        await pinStack(RULE, [vault, lock("vault-1")], {});
        await pinStack(RULE, [vault, lock("other-vault")], { violations: [[vault, "backup vault vault has no vault lock."]] });
    });

    it("cannot judge a lock whose vault is unknown", async () => {
        await pinStack(RULE, [vault, lock(WIRE.unknown)], {
            cannotJudge: [cannotJudge(RULE, ["which vault a lock belongs to", vault])],
        });
    });
});
