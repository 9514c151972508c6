import { defineResourceRule } from "../../lib/rule";

/**
 * DB-3, SEC-2: the master password is generated and rotated by RDS in Secrets Manager, never passed as an
 * input (AWSGuard "no plaintext credentials", cdk-nag SMG4).
 */
export const rdsManagedMasterPassword = defineResourceRule({
    name: "rds-managed-master-password",
    description: "RDS master passwords are managed by RDS in Secrets Manager; no password input is given.",
    severity: "critical",
    enforcementLevel: "mandatory",
    remediation: "Remove password/passwordWo and set manageMasterUserPassword: true (with masterUserSecretKmsKeyId).",
    requirements: ["DB-3", "SEC-2"],
    resourceTypes: ["aws:rds/instance:Instance", "aws:rds/cluster:Cluster"],
    validate({ props }, judge) {
        for (const key of ["password", "passwordWo", "masterPassword", "masterPasswordWo"]) {
            if (props[key] !== undefined && props[key] !== null && props[key] !== "") {
                judge.violation(`'${key}' is set: a master password must not pass through config or state; let RDS manage it.`);
            }
        }
        if (props["replicateSourceDb"] !== undefined) {
            return; // a read replica inherits the source's credentials
        }
        judge.expect(
            props["manageMasterUserPassword"],
            "manageMasterUserPassword",
            (v) => v === true,
            "manageMasterUserPassword must be true.",
        );
    },
});
