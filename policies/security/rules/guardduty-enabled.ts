import { defineResourceRule } from "../../lib/rule";

/** SEC-5: GuardDuty is on (AWSGuard, cdk-nag NIST GuardDutyEnabled). */
export const guarddutyEnabled = defineResourceRule({
    name: "guardduty-enabled",
    description: "GuardDuty detectors are enabled.",
    severity: "high",
    enforcementLevel: "mandatory",
    remediation: "Leave enable at its default (true); findings go to the security topic.",
    requirements: ["SEC-5"],
    resourceTypes: ["aws:guardduty/detector:Detector"],
    validate({ props }, judge) {
        judge.expect(props["enable"], "enable", (v) => v !== false, "enable must not be false.");
    },
});
