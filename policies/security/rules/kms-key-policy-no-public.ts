import { defineResourceRule } from "../../lib/rule";
import { allowsEveryone, rawStatements } from "../../lib/iam";

/**
 * SEC-3: a KMS key policy never allows everyone (Principal "*" or { AWS: "*" }) without a Condition (Checkov
 * CKV_AWS_33, AWSGuard KMS key policy checks), in both forms: aws.kms.Key `policy` and aws.kms.KeyPolicy. A key
 * without a policy gets the account-root default, which is not public.
 */
export const kmsKeyPolicyNoPublic = defineResourceRule({
    name: "kms-key-policy-no-public",
    description: "KMS key policies (Key policy and KeyPolicy) never Allow Principal \"*\" without a Condition.",
    severity: "critical",
    enforcementLevel: "mandatory",
    remediation: "Grant the account root, named roles or service principals with kms:ViaService / aws:SourceArn conditions instead of \"*\".",
    requirements: ["SEC-3", "SEC-4", "POL-4"],
    resourceTypes: ["aws:kms/key:Key", "aws:kms/keyPolicy:KeyPolicy"],
    validate({ type, props }, judge) {
        const policy = props["policy"];
        if (type === "aws:kms/key:Key" && (policy === undefined || policy === "")) {
            return;
        }
        const statements = rawStatements(policy);
        if (statements === "unknown") {
            judge.cannotJudge("policy");
        } else if (statements === "invalid") {
            judge.violation("policy is not a JSON policy document.");
        } else {
            statements.forEach((s, i) => {
                if (allowsEveryone(s)) {
                    judge.violation(`policy Statement[${i}] allows everyone (Principal "*") without a Condition.`);
                }
            });
        }
    },
});
