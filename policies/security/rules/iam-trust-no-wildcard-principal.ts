import { defineResourceRule } from "../../lib/rule";
import { allowsEveryone, rawStatements } from "../../lib/iam";

/**
 * SEC-4, SEC-7: a role's trust policy (assumeRolePolicy) never lets everyone assume it: no Allow to Principal
 * "*" or { AWS: "*" } without a Condition (Checkov CKV_AWS_60/CKV_AWS_61, AWSGuard IAM_ROLE trust checks).
 * Workload roles trust the cluster's OIDC provider or Pod Identity with conditions (SEC-7).
 */
export const iamTrustNoWildcardPrincipal = defineResourceRule({
    name: "iam-trust-no-wildcard-principal",
    description: "IAM role trust policies never allow Principal \"*\" to assume the role without a Condition.",
    severity: "critical",
    enforcementLevel: "mandatory",
    remediation: "Name the service, account or federated OIDC provider that may assume the role, with conditions on audience and subject.",
    requirements: ["SEC-4", "SEC-7", "POL-4"],
    resourceTypes: ["aws:iam/role:Role"],
    validate({ props }, judge) {
        const document = props["assumeRolePolicy"];
        const statements = rawStatements(document);
        if (statements === "unknown") {
            judge.cannotJudge("assumeRolePolicy");
        } else if (statements === "invalid") {
            judge.violation("assumeRolePolicy is not a JSON policy document.");
        } else {
            statements.forEach((s, i) => {
                if (allowsEveryone(s)) {
                    judge.violation(`assumeRolePolicy Statement[${i}] lets everyone (Principal "*") assume the role without a Condition.`);
                }
            });
        }
    },
});
