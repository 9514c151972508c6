import { defineResourceRule } from "../../lib/rule";
import { at, isUnknown, list } from "../../lib/values";

/** K8S-1: node volumes are encrypted (cdk-nag EC26, AWSGuard EBS encryption). */
export const launchTemplateEbsEncrypted = defineResourceRule({
    name: "launch-template-ebs-encrypted",
    description: "Launch templates declare their EBS volumes encrypted.",
    severity: "high",
    enforcementLevel: "mandatory",
    remediation: 'Declare blockDeviceMappings for the root device with ebs { encrypted: "true", kmsKeyId: <CMK> }.',
    requirements: ["K8S-1"],
    resourceTypes: ["aws:ec2/launchTemplate:LaunchTemplate"],
    validate({ props }, judge) {
        const mappings = props["blockDeviceMappings"];
        if (isUnknown(mappings)) {
            judge.cannotJudge("blockDeviceMappings");
            return;
        }
        const withEbs = list(mappings).filter((m) => at(m, "ebs") !== undefined);
        if (withEbs.length === 0) {
            judge.violation("no EBS volume is declared: the root volume would take the AMI default, which may be unencrypted.");
        }
        withEbs.forEach((m, i) => {
            judge.expect(
                at(m, "ebs.encrypted"),
                `blockDeviceMappings[${i}].ebs.encrypted`,
                (v) => v === true || v === "true",
                `blockDeviceMappings[${i}].ebs.encrypted must be "true".`,
            );
        });
    },
});
