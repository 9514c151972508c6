import { defineResourceRule } from "../../lib/rule";
import { at } from "../../lib/values";

/** CDN-1: access logs are written (cdk-nag CFR3, Checkov CKV_AWS_86). */
export const cloudfrontLogging = defineResourceRule({
    name: "cloudfront-access-logging",
    description: "CloudFront distributions write access logs.",
    severity: "medium",
    enforcementLevel: "mandatory",
    remediation: "Set loggingConfig { bucket: <log bucket>.bucketDomainName, prefix: \"cloudfront/\" }.",
    requirements: ["CDN-1"],
    resourceTypes: ["aws:cloudfront/distribution:Distribution"],
    validate({ props }, judge) {
        judge.expect(at(props, "loggingConfig.bucket"), "loggingConfig.bucket", (v) => typeof v === "string" && v !== "",
            "loggingConfig.bucket must name the log bucket.");
    },
});
