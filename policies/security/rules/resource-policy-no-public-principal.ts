import { defineResourceRule } from "../../lib/rule";
import { RESOURCE_POLICY_TYPES, isPublicPrincipal, rawDocumentsOf } from "../../lib/policy-documents";
import { isUnknown } from "../../lib/values";

const LAMBDA_PERMISSION = "aws:lambda/permission:Permission";
/** Resources whose only purpose is the policy document: a missing one is not a default, it is a broken declaration. */
const STANDALONE_POLICIES = RESOURCE_POLICY_TYPES.filter((t) => /Policy$/.test(t));

/**
 * SEC-4, STORE-1, POL-2: no resource policy grants to everyone (Checkov CKV_AWS_33/70/169/301, AWSGuard
 * *_NO_WILDCARD_PRINCIPAL, LAMBDA_FUNCTION_PUBLIC_ACCESS_PROHIBITED). Deny statements with "*" are fine.
 * The one rule of the "no anonymous access" concerns of policies/lib/forms.json (POL-4), in every form: bucket
 * policies (BucketPolicy, inline on Bucket/BucketV2; CDN-1: CloudFront reads through its service principal),
 * KMS key policies (Key `policy`, KeyPolicy; SEC-3), topic, repository and secret policies, Lambda permissions.
 * Stricter than a Condition check: an Allow to "*" is public whatever its Condition. Fails closed: a document
 * that is not a policy, or a standalone policy resource without one, is a violation.
 */
export const resourcePolicyNoPublicPrincipal = defineResourceRule({
    name: "resource-policy-no-public-principal",
    description:
        'Bucket, topic, key, repository and secret policies never Allow Principal "*" (or AWS "*"), and Lambda permissions never name principal "*".',
    severity: "critical",
    enforcementLevel: "mandatory",
    remediation:
        "Name the account, role or service principal (with aws:SourceArn/aws:SourceAccount for services); exempt a deliberately public resource by name with its reason.",
    requirements: ["SEC-3", "SEC-4", "STORE-1", "CDN-1", "POL-2", "POL-4"],
    resourceTypes: [...RESOURCE_POLICY_TYPES, LAMBDA_PERMISSION],
    validate({ type, props }, judge) {
        if (type === LAMBDA_PERMISSION) {
            judge.expect(
                props["principal"],
                "principal",
                (v) => v !== "*",
                'the permission lets anyone (principal "*") invoke the function.',
            );
            return;
        }
        const docs = rawDocumentsOf(type, props);
        if (docs.length === 0 && STANDALONE_POLICIES.includes(type)) {
            judge.violation("the resource declares no policy document.");
        }
        for (const doc of docs) {
            if (!doc.statements) {
                if (doc.invalid) {
                    judge.violation(`${doc.where} is not a policy document.`);
                } else {
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
