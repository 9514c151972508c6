import { defineResourceRule } from "../../lib/rule";
import { SG_TYPES, sgRulesOf } from "../../lib/network";

/** SEC-6: every security group and every rule is described (cdk-nag EC27, Checkov CKV_AWS_23). */
export const sgRuleDescription = defineResourceRule({
    name: "sg-rule-description",
    description: "Security groups and every ingress/egress rule carry a description.",
    severity: "low",
    enforcementLevel: "mandatory",
    remediation: "Add description to the security group and to each rule, saying who talks to whom and why.",
    requirements: ["SEC-6"],
    resourceTypes: SG_TYPES,
    validate({ type, props }, judge) {
        const described = (v: unknown) => typeof v === "string" && v.trim() !== "" && v !== "Managed by Pulumi";
        if (type === "aws:ec2/securityGroup:SecurityGroup") {
            judge.expect(
                props["description"],
                "description",
                described,
                'the security group needs a description (the default "Managed by Pulumi" says nothing).',
            );
        }
        const { rules, unknown } = sgRulesOf(type, props);
        unknown.forEach((u) => judge.cannotJudge(u));
        for (const rule of rules) {
            judge.expect(rule.description, `${rule.where}.description`, described, `${rule.where} has no description.`);
        }
    },
});
