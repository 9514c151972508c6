import { defineResourceRule } from "../../lib/rule";
import { at } from "../../lib/values";

/** REG-1: images are scanned on push (AWSGuard, Checkov CKV_AWS_163). */
export const ecrScanOnPush = defineResourceRule({
    name: "ecr-scan-on-push",
    description: "ECR repositories scan images on push.",
    severity: "high",
    enforcementLevel: "mandatory",
    remediation: "Set imageScanningConfiguration { scanOnPush: true }.",
    requirements: ["REG-1"],
    resourceTypes: ["aws:ecr/repository:Repository"],
    validate({ props }, judge) {
        judge.expect(
            at(props, "imageScanningConfiguration.scanOnPush"),
            "imageScanningConfiguration.scanOnPush",
            (v) => v === true,
            "imageScanningConfiguration.scanOnPush must be true.",
        );
    },
});
