import { defineResourceRule } from "../../lib/rule";

/**
 * SEC-3, POL-2: keys stay usable and manageable (Checkov CKV_AWS_227, CKV2_AWS_64; Pulumi
 * aws-kms-key-disallow-bypass-policy-lockout-safety-check, aws-kms-key-missing-description): an explicit key policy,
 * the lockout safety check kept, the key enabled, and a description of what it protects.
 */
export const kmsKeyPolicySafe = defineResourceRule({
    name: "kms-key-policy-safe",
    description:
        "KMS keys have an explicit key policy, keep the policy lockout safety check, are enabled and describe what they protect.",
    severity: "medium",
    enforcementLevel: "mandatory",
    remediation:
        "Set policy (account administration plus the service principals that use the key), a description, and leave bypassPolicyLockoutSafetyCheck and isEnabled unset.",
    requirements: ["SEC-3", "POL-2"],
    resourceTypes: ["aws:kms/key:Key"],
    validate({ props }, judge) {
        judge.expect(
            props["policy"],
            "policy",
            (v) => (typeof v === "string" ? v.trim() !== "" : v !== undefined && v !== null),
            "the key has no explicit key policy (the default grants the whole account).",
        );
        judge.expect(
            props["bypassPolicyLockoutSafetyCheck"],
            "bypassPolicyLockoutSafetyCheck",
            (v) => v !== true,
            "the key bypasses the policy lockout safety check.",
        );
        judge.expect(props["isEnabled"], "isEnabled", (v) => v !== false, "the key is disabled.");
        judge.expect(
            props["description"],
            "description",
            (v) => typeof v === "string" && v.trim() !== "",
            "the key has no description of what it protects.",
        );
    },
});
