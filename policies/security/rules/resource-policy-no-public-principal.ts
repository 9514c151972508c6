import { defineResourceRule } from "../../lib/rule";
import { RESOURCE_POLICY_TYPES, isPublicPrincipal, rawDocumentsOf } from "../../lib/policy-documents";
import { isUnknown } from "../../lib/values";

const LAMBDA_PERMISSION = "aws:lambda/permission:Permission";

/**
 * SEC-4, STORE-1, POL-2: no resource policy grants to everyone (Checkov CKV_AWS_33/70/169/301, AWSGuard
 * *_NO_WILDCARD_PRINCIPAL, LAMBDA_FUNCTION_PUBLIC_ACCESS_PROHIBITED). Deny statements with "*" are fine.
 */
export const resourcePolicyNoPublicPrincipal = defineResourceRule({
    name: "resource-policy-no-public-principal",
    description: "Bucket, topic, key, repository and secret policies never Allow Principal \"*\" (or AWS \"*\"), and Lambda permissions never name principal \"*\".",
    severity: "critical",
    enforcementLevel: "mandatory",
    remediation: "Name the account, role or service principal (with aws:SourceArn/aws:SourceAccount for services); exempt a deliberately public resource by name with its reason.",
    requirements: ["SEC-4", "STORE-1", "POL-2"],
    resourceTypes: [...RESOURCE_POLICY_TYPES, LAMBDA_PERMISSION],
    validate({ type, props }, judge) {
        if (type === LAMBDA_PERMISSION) {
            judge.expect(props["principal"], "principal", (v) => v !== "*", "the permission lets anyone (principal \"*\") invoke the function.");
            return;
        }
        for (const doc of rawDocumentsOf(type, props)) {
            if (!doc.statements) {
                if (!doc.invalid) {
                    judge.cannotJudge(doc.where);
                }
                continue;
            }
            doc.statements.forEach((s, i) => {
                if (isUnknown(s["Principal"])) {
                    judge.cannotJudge(`${doc.where} Statement[${i}].Principal`);
                } else if (s["Effect"] === "Allow" && isPublicPrincipal(s["Principal"])) {
                    judge.violation(`${doc.where} Statement[${i}] allows Principal "*" ${JSON.stringify(s["Action"] ?? "")}.`);
                }
            });
        }
    },
});
