import { defineResourceRule } from "../../lib/rule";
import { ADMIN_MANAGED_POLICY, ATTACHMENT_TYPES, IAM_POLICY_TYPES, documentsOf } from "../../lib/iam";
import { isUnknown, list } from "../../lib/values";

/**
 * SEC-4: no policy allows Action "*" on Resource "*" (AWSGuard IAM_POLICY_NO_STATEMENTS_WITH_ADMIN_ACCESS, Checkov
 * CKV_AWS_62/CKV_AWS_355/CKV_AWS_274, cdk-nag IAM4/IAM5), in every form: policy documents (Policy, Role inline
 * policies, RolePolicy, UserPolicy, GroupPolicy) and attachments of the AdministratorAccess managed policy
 * (RolePolicyAttachment, UserPolicyAttachment, GroupPolicyAttachment, PolicyAttachment,
 * RolePolicyAttachmentsExclusive, Role managedPolicyArns).
 */
export const iamNoAdminWildcard = defineResourceRule({
    name: "iam-no-admin-wildcard",
    description:
        'IAM policies (managed, inline and role/user/group policies) never Allow Action "*" on Resource "*", and no role, user or group has AdministratorAccess attached.',
    severity: "critical",
    enforcementLevel: "mandatory",
    remediation: "List the actions the workload needs and scope Resource to the ARNs it uses.",
    requirements: ["SEC-4"],
    resourceTypes: [...new Set([...IAM_POLICY_TYPES, ...Object.keys(ATTACHMENT_TYPES)])],
    validate({ type, props }, judge) {
        const arnKey = ATTACHMENT_TYPES[type];
        if (arnKey !== undefined) {
            const arns = props[arnKey];
            if (isUnknown(arns) || list(arns).some(isUnknown)) {
                judge.cannotJudge(arnKey);
            } else if (list(arns).some((a) => typeof a === "string" && ADMIN_MANAGED_POLICY.test(a))) {
                judge.violation(`${arnKey} attaches AdministratorAccess: that is administrator access.`);
            }
        }
        if (!IAM_POLICY_TYPES.includes(type)) {
            return;
        }
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
                    judge.violation(
                        `${doc.where} Statement[${i}] allows ${s.notAction ? "NotAction" : '"*"'} on ${s.notResource ? "NotResource" : '"*"'}: that is administrator access.`,
                    );
                }
            });
        }
    },
});
