import { defineResourceRule } from "../../lib/rule";
import { conditionKeys, isPublicPrincipal, rawDocumentsOf } from "../../lib/policy-documents";
import { isRecord, list } from "../../lib/values";

/**
 * SEC-4, POL-2: a role can be assumed only by named principals (Checkov CKV_AWS_60/61, AWSGuard
 * IAM_ROLE_NO_FULL_ACCESS_ON_TRUST_POLICY): never by everyone or every service, and a web-identity
 * (OIDC) trust always pins the token's subject. The one rule of the trust-policy concern (SEC-7: workload roles
 * trust the cluster's OIDC provider or Pod Identity with conditions; POL-4: policies/lib/forms.json).
 */
export const iamTrustPolicyScoped = defineResourceRule({
    name: "iam-trust-policy-scoped",
    description:
        'Role trust policies allow only named principals: no "*" principal or service, no wildcard sts action, and every federated (OIDC) principal is pinned by a condition on the token\'s sub claim.',
    severity: "critical",
    enforcementLevel: "mandatory",
    remediation:
        "Name the AWS account, role or service that may assume the role; for OIDC providers add a StringEquals/StringLike condition on <provider>:sub.",
    requirements: ["SEC-4", "SEC-7", "POL-2", "POL-4"],
    resourceTypes: ["aws:iam/role:Role"],
    validate({ type, props }, judge) {
        const docs = rawDocumentsOf(type, props, ["assumeRolePolicy"]);
        if (docs.length === 0) {
            judge.violation("the role has no assumeRolePolicy.");
        }
        for (const doc of docs) {
            if (!doc.statements) {
                if (doc.invalid) {
                    judge.violation("assumeRolePolicy is not a policy document.");
                } else {
                    judge.cannotJudge(doc.where);
                }
                continue;
            }
            doc.statements.forEach((s, i) => {
                if (s["Effect"] !== "Allow") {
                    return;
                }
                const where = `${doc.where} Statement[${i}]`;
                const principal = s["Principal"];
                if (isPublicPrincipal(principal)) {
                    judge.violation(`${where} lets any principal ("*") assume the role.`);
                }
                if (isRecord(principal) && list(principal["Service"]).includes("*")) {
                    judge.violation(`${where} lets every AWS service assume the role.`);
                }
                if (list(s["Action"]).some((a) => a === "*" || a === "sts:*")) {
                    judge.violation(`${where} allows ${JSON.stringify(s["Action"])}; name the sts action (e.g. sts:AssumeRole).`);
                }
                if (
                    isRecord(principal) &&
                    principal["Federated"] !== undefined &&
                    list(principal["Federated"]).some((f) => typeof f === "string" && f.includes(":oidc-provider/")) &&
                    !conditionKeys(s).some((k) => k.endsWith(":sub"))
                ) {
                    judge.violation(
                        `${where} trusts an OIDC provider without a condition on the token's sub claim: any identity of that provider could assume the role.`,
                    );
                }
            });
        }
    },
});
