import { defineResourceRule } from "../../lib/rule";

/** REG-1: a tag always names the same image (Checkov CKV_AWS_51). */
export const ecrImmutableTags = defineResourceRule({
    name: "ecr-immutable-tags",
    description: "ECR repositories use immutable image tags.",
    severity: "medium",
    enforcementLevel: "mandatory",
    remediation: 'Set imageTagMutability: "IMMUTABLE" (rollback is a config change back to the previous tag).',
    requirements: ["REG-1", "APP-1"],
    resourceTypes: ["aws:ecr/repository:Repository"],
    validate({ props }, judge) {
        judge.expect(
            props["imageTagMutability"],
            "imageTagMutability",
            (v) => v === "IMMUTABLE" || v === "IMMUTABLE_WITH_EXCLUSION",
            "imageTagMutability must be IMMUTABLE.",
        );
    },
});
