import { defineResourceRule } from "../../lib/rule";
import { IAM_POLICY_TYPES, documentsOf } from "../../lib/iam";

/** SEC-4: no policy allows Action "*" on Resource "*" (AWSGuard, Checkov CKV_AWS_62/CKV_AWS_355, cdk-nag IAM5). */
export const iamNoAdminWildcard = defineResourceRule({
    name: "iam-no-admin-wildcard",
    description: "IAM policies (managed, inline and role/user/group policies) never Allow Action \"*\" on Resource \"*\".",
    severity: "critical",
    enforcementLevel: "mandatory",
    remediation: "List the actions the workload needs and scope Resource to the ARNs it uses.",
    requirements: ["SEC-4"],
    resourceTypes: IAM_POLICY_TYPES,
    validate({ type, props }, judge) {
        for (const doc of documentsOf(type, props)) {
            if (!doc.statements) {
                if (doc.invalid) {
                    judge.violation(`${doc.where} is not a valid policy document.`);
                } else {
                    judge.cannotJudge(doc.where);
                }
                continue;
            }
            doc.statements.forEach((s, i) => {
                if (s.effect !== "Allow") {
                    return;
                }
                const allActions = s.notAction || s.actions.includes("*");
                const allResources = s.notResource || s.resources.includes("*");
                if (allActions && allResources) {
                    judge.violation(`${doc.where} Statement[${i}] allows ${s.notAction ? "NotAction" : "\"*\""} on ${s.notResource ? "NotResource" : "\"*\""}: that is administrator access.`);
                }
            });
        }
    },
});
