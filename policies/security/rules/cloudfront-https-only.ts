import { defineResourceRule } from "../../lib/rule";
import { at, isUnknown, list } from "../../lib/values";

/** CDN-1, EDGE-1: viewers use HTTPS on every cache behaviour (AWSGuard, Checkov CKV_AWS_34). */
export const cloudfrontHttpsOnly = defineResourceRule({
    name: "cloudfront-https-only",
    description: "CloudFront cache behaviours use viewerProtocolPolicy https-only or redirect-to-https.",
    severity: "high",
    enforcementLevel: "mandatory",
    remediation:
        'Set viewerProtocolPolicy: "redirect-to-https" (or "https-only") on the default and every ordered cache behaviour.',
    requirements: ["CDN-1", "EDGE-1"],
    resourceTypes: ["aws:cloudfront/distribution:Distribution"],
    validate({ props }, judge) {
        const ok = (v: unknown) => v === "https-only" || v === "redirect-to-https";
        judge.expect(
            at(props, "defaultCacheBehavior.viewerProtocolPolicy"),
            "defaultCacheBehavior.viewerProtocolPolicy",
            ok,
            "defaultCacheBehavior.viewerProtocolPolicy must be https-only or redirect-to-https.",
        );
        const ordered = props["orderedCacheBehaviors"];
        if (isUnknown(ordered)) {
            judge.cannotJudge("orderedCacheBehaviors");
            return;
        }
        list(ordered).forEach((b, i) =>
            judge.expect(
                at(b, "viewerProtocolPolicy"),
                `orderedCacheBehaviors[${i}].viewerProtocolPolicy`,
                ok,
                `orderedCacheBehaviors[${i}].viewerProtocolPolicy must be https-only or redirect-to-https.`,
            ),
        );
    },
});
