import { defineResourceRule } from "../../lib/rule";
import { IAM_POLICY_TYPES, documentsOf } from "../../lib/iam";

/**
 * Actions that include iam:PassRole. IAM matches an action pattern against the whole `service:action` string with `*`
 * and `?` wildcards, the service part included (`*:PassRole`), so the pattern is read as a glob over the whole string,
 * with every other character literal.
 */
function passesRoles(action: string): boolean {
    const glob = action
        .toLowerCase()
        .split("")
        .map((c) => (c === "*" ? ".*" : c === "?" ? "." : c.replace(/[.+^${}()|[\]\\/-]/g, "\\$&")))
        .join("");
    return new RegExp(`^${glob}$`).test("iam:passrole");
}

/** SEC-4, POL-2: iam:PassRole names the roles it may pass (AWSGuard IAM_*_NO_WILDCARD_RESOURCE_ON_PASSROLE). */
export const iamPassRoleScoped = defineResourceRule({
    name: "iam-pass-role-scoped",
    description: 'IAM policies never Allow iam:PassRole (directly or through a wildcard action) on Resource "*".',
    severity: "high",
    enforcementLevel: "mandatory",
    remediation:
        "Scope iam:PassRole to the ARNs of the roles the principal must hand to a service, ideally with an iam:PassedToService condition.",
    requirements: ["SEC-4", "POL-2"],
    resourceTypes: IAM_POLICY_TYPES,
    validate({ type, props }, judge) {
        for (const doc of documentsOf(type, props)) {
            if (!doc.statements) {
                if (!doc.invalid) {
                    judge.cannotJudge(doc.where);
                }
                continue;
            }
            doc.statements.forEach((s, i) => {
                if (s.effect !== "Allow" || s.notAction || s.notResource || !s.resources.includes("*")) {
                    return;
                }
                const passing = s.actions.filter(passesRoles);
                if (passing.length > 0) {
                    judge.violation(`${doc.where} Statement[${i}] allows ${passing.join(", ")} (iam:PassRole) on "*".`);
                }
            });
        }
    },
});
