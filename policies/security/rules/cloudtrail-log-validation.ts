import { defineResourceRule } from "../../lib/rule";

/** SEC-5: trail log files carry digest files for integrity validation (AWSGuard, Checkov CKV_AWS_36, cdk-nag NIST). */
export const cloudtrailLogValidation = defineResourceRule({
    name: "cloudtrail-log-validation",
    description: "CloudTrail trails enable log-file integrity validation.",
    severity: "high",
    enforcementLevel: "mandatory",
    remediation: "Set enableLogFileValidation: true.",
    requirements: ["SEC-5"],
    resourceTypes: ["aws:cloudtrail/trail:Trail"],
    validate({ props }, judge) {
        judge.expect(
            props["enableLogFileValidation"],
            "enableLogFileValidation",
            (v) => v === true,
            "enableLogFileValidation must be true.",
        );
    },
});
