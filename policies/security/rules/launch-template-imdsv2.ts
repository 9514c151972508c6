import { defineResourceRule } from "../../lib/rule";
import { asNumber, at } from "../../lib/values";

/** K8S-1: launch templates require IMDSv2 with a small hop limit (Checkov CKV_AWS_79). */
export const launchTemplateImdsv2 = defineResourceRule({
    name: "launch-template-imdsv2",
    description: 'Launch templates require IMDSv2 (httpTokens "required") with a hop limit no higher than configured.',
    severity: "high",
    enforcementLevel: "mandatory",
    remediation: 'Set metadataOptions { httpEndpoint: "enabled", httpTokens: "required", httpPutResponseHopLimit: 1 or 2 }.',
    requirements: ["K8S-1"],
    config: {
        maxHopLimit: {
            schema: {
                type: "integer",
                minimum: 1,
                maximum: 64,
                default: 2,
                description: "Highest accepted httpPutResponseHopLimit.",
            },
            stricter: "lower",
        },
    },
    resourceTypes: ["aws:ec2/launchTemplate:LaunchTemplate"],
    validate({ props }, judge) {
        const options = props["metadataOptions"];
        judge.expect(
            at(options, "httpTokens"),
            "metadataOptions.httpTokens",
            (v) => v === "required",
            'metadataOptions.httpTokens must be "required" (IMDSv1 lets SSRF read node credentials).',
        );
        const max = judge.number("maxHopLimit");
        judge.expect(
            at(options, "httpPutResponseHopLimit"),
            "metadataOptions.httpPutResponseHopLimit",
            (v) => {
                const n = asNumber(v);
                return n !== undefined && n <= max;
            },
            `metadataOptions.httpPutResponseHopLimit must be set and at most ${max}.`,
        );
    },
});
