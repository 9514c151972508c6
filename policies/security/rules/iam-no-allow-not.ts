import { defineResourceRule } from "../../lib/rule";
import { POLICY_DOCUMENT_KEYS, rawDocumentsOf } from "../../lib/policy-documents";

const NOT_ELEMENTS = ["NotAction", "NotResource", "NotPrincipal"];

/**
 * SEC-4, POL-2: an Allow with NotAction, NotResource or NotPrincipal grants everything not listed, including
 * actions, resources and principals that appear later (AWSGuard *_NO_ALLOW_PLUS_NOT_*). Deny statements may use them.
 */
export const iamNoAllowNot = defineResourceRule({
    name: "iam-no-allow-not",
    description: "No Allow statement of an identity, trust or resource policy uses NotAction, NotResource or NotPrincipal.",
    severity: "high",
    enforcementLevel: "mandatory",
    remediation: "List the allowed actions, resources and principals explicitly; keep Not* elements for Deny statements.",
    requirements: ["SEC-4", "POL-2"],
    resourceTypes: Object.keys(POLICY_DOCUMENT_KEYS),
    validate({ type, props }, judge) {
        for (const doc of rawDocumentsOf(type, props)) {
            if (!doc.statements) {
                if (!doc.invalid) {
                    judge.cannotJudge(doc.where);
                }
                continue;
            }
            doc.statements.forEach((s, i) => {
                const used = NOT_ELEMENTS.filter((k) => s[k] !== undefined);
                if (s["Effect"] === "Allow" && used.length > 0) {
                    judge.violation(
                        `${doc.where} Statement[${i}] allows with ${used.join(", ")}: it grants everything not listed.`,
                    );
                }
            });
        }
    },
});
