import { defineResourceRule } from "../../lib/rule";
import { asNumber } from "../../lib/values";

/** SEC-3: symmetric KMS keys rotate automatically at least yearly (AWSGuard, cdk-nag KMS5, Checkov CKV_AWS_7). */
export const kmsKeyRotation = defineResourceRule({
    name: "kms-key-rotation",
    description: "Symmetric customer-managed KMS keys have automatic rotation enabled.",
    severity: "high",
    enforcementLevel: "mandatory",
    remediation: "Set enableKeyRotation: true (rotationPeriodInDays 90..365 if you shorten it).",
    requirements: ["SEC-3"],
    config: {
        maxRotationDays: {
            schema: {
                type: "integer",
                minimum: 90,
                maximum: 2560,
                default: 365,
                description: "Longest accepted rotationPeriodInDays.",
            },
            stricter: "lower",
        },
    },
    resourceTypes: ["aws:kms/key:Key"],
    validate({ props }, judge) {
        const spec = props["customerMasterKeySpec"] ?? props["keySpec"];
        if (typeof spec === "string" && spec !== "SYMMETRIC_DEFAULT") {
            return; // asymmetric and HMAC keys cannot rotate automatically
        }
        judge.expect(props["enableKeyRotation"], "enableKeyRotation", (v) => v === true, "enableKeyRotation must be true.");
        const max = judge.number("maxRotationDays");
        judge.expect(
            props["rotationPeriodInDays"],
            "rotationPeriodInDays",
            (v) => v === undefined || (asNumber(v) ?? Infinity) <= max,
            `rotationPeriodInDays must be at most ${max}.`,
        );
    },
});
