import { defineResourceRule } from "../../lib/rule";
import { isUnknown, list } from "../../lib/values";

/** NET-1: the default security group of every VPC allows nothing (AWSGuard, Checkov CKV2_AWS_12). */
export const defaultSgClosed = defineResourceRule({
    name: "default-sg-closed",
    description: "The adopted default security group has no ingress and no egress rules.",
    severity: "high",
    enforcementLevel: "mandatory",
    remediation: "Declare aws.ec2.DefaultSecurityGroup for the VPC with no ingress and no egress blocks.",
    requirements: ["NET-1"],
    resourceTypes: ["aws:ec2/defaultSecurityGroup:DefaultSecurityGroup"],
    validate({ props }, judge) {
        for (const key of ["ingress", "egress"]) {
            const value = props[key];
            if (isUnknown(value)) {
                judge.cannotJudge(key);
            } else if (list(value).length > 0) {
                judge.violation(`${key} must be empty: the default group is attached to anything created without a group.`);
            }
        }
    },
});
