import { defineResourceRule } from "../../lib/rule";
import { IAM_POLICY_TYPES, documentsOf } from "../../lib/iam";

/** SEC-4: no "service:*" on Resource "*" (cdk-nag IAM5 style wildcard finding); advisory because some services need it. */
export const iamNoServiceWildcard = defineResourceRule({
    name: "iam-no-service-wildcard",
    description: 'IAM policies do not Allow a whole service ("service:*") on Resource "*".',
    severity: "medium",
    enforcementLevel: "advisory",
    remediation:
        "Name the actions (e.g. s3:GetObject) or scope Resource to ARNs; exempt the policy by name with a reason if the service has no resource-level permissions.",
    requirements: ["SEC-4"],
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
                if (s.effect !== "Allow" || !s.resources.includes("*") || s.notAction) {
                    return;
                }
                const services = s.actions.filter((a) => /^[a-z0-9-]+:\*$/i.test(a));
                if (services.length > 0) {
                    judge.violation(`${doc.where} Statement[${i}] allows ${services.join(", ")} on "*".`);
                }
            });
        }
    },
});
