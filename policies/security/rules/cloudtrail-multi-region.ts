import { defineResourceRule } from "../../lib/rule";

/** SEC-5: the audit trail covers every region (AWSGuard, Checkov CKV_AWS_67). */
export const cloudtrailMultiRegion = defineResourceRule({
    name: "cloudtrail-multi-region",
    description: "CloudTrail trails record all regions.",
    severity: "high",
    enforcementLevel: "mandatory",
    remediation: "Set isMultiRegionTrail: true.",
    requirements: ["SEC-5"],
    resourceTypes: ["aws:cloudtrail/trail:Trail"],
    validate({ props }, judge) {
        judge.expect(props["isMultiRegionTrail"], "isMultiRegionTrail", (v) => v === true, "isMultiRegionTrail must be true.");
    },
});
