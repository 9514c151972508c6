import { defineResourceRule } from "../../lib/rule";
import { at, isUnknown, list } from "../../lib/values";

/** CDN-1: S3 origins are reached through origin access control, not public buckets or legacy OAI (cdk-nag CFR7). */
export const cloudfrontOriginAccessControl = defineResourceRule({
    name: "cloudfront-origin-access-control",
    description: "CloudFront S3 origins use an origin access control.",
    severity: "high",
    enforcementLevel: "mandatory",
    remediation:
        "Create an aws.cloudfront.OriginAccessControl (signingBehavior always, sigv4) and set originAccessControlId on each S3 origin.",
    requirements: ["CDN-1", "STORE-1"],
    resourceTypes: ["aws:cloudfront/distribution:Distribution"],
    validate({ props }, judge) {
        const origins = props["origins"];
        if (isUnknown(origins)) {
            judge.cannotJudge("origins");
            return;
        }
        list(origins).forEach((origin, i) => {
            const domain = at(origin, "domainName");
            if (isUnknown(domain)) {
                judge.cannotJudge(`origins[${i}].domainName`);
                return;
            }
            const isS3 =
                (typeof domain === "string" && /\.s3[.-]([a-z0-9-]+\.)?amazonaws\.com$/.test(domain)) ||
                at(origin, "s3OriginConfig") !== undefined;
            if (!isS3) {
                return;
            }
            judge.expect(
                at(origin, "originAccessControlId"),
                `origins[${i}].originAccessControlId`,
                (v) => typeof v === "string" && v !== "",
                `origins[${i}] is an S3 origin without an origin access control.`,
            );
        });
    },
});
