import { defineStackRule } from "../../lib/rule";
import { ofTypes, refersTo, anyLink } from "../../lib/stack";
import { isUnknown } from "../../lib/values";

/**
 * EDGE-1: every public entry point (internet-facing application load balancer, CloudFront distribution)
 * is protected by AWS WAF (AWSGuard, cdk-nag CFR2, Checkov CKV2_AWS_28/CKV_AWS_68). Costs money:
 * advisory in dev, mandatory in staging and prod.
 */
export const wafOnPublicEntry = defineStackRule({
    name: "waf-on-public-entry",
    description: "Internet-facing application load balancers have a WAF web ACL association; CloudFront distributions have a webAclId.",
    severity: "high",
    enforcementLevel: "mandatory",
    costOnly: true,
    remediation: "Associate the stack's aws.wafv2.WebAcl (managed rule groups + rate rule) with the load balancer (WebAclAssociation) and set webAclId on distributions.",
    requirements: ["EDGE-1"],
    validate(resources, judge) {
        const associations = ofTypes(resources, ["aws:wafv2/webAclAssociation:WebAclAssociation"]);
        for (const lb of ofTypes(resources, ["aws:lb/loadBalancer:LoadBalancer", "aws:alb/loadBalancer:LoadBalancer"])) {
            const kind = lb.props["loadBalancerType"];
            const internal = lb.props["internal"];
            if (isUnknown(kind) || isUnknown(internal)) {
                judge.cannotJudge("whether the load balancer is public", lb.urn);
                continue;
            }
            if (internal === true || (kind !== undefined && kind !== "application")) {
                continue;
            }
            const link = anyLink(associations.map((a) => refersTo(a, "resourceArn", lb, ["arn", "id"])));
            if (link === "unknown") {
                judge.cannotJudge("which resource a WAF association protects", lb.urn);
            } else if (link === "no") {
                judge.violation(`load balancer ${lb.name} is internet-facing without a WAF web ACL.`, lb.urn);
            }
        }
        for (const distribution of ofTypes(resources, ["aws:cloudfront/distribution:Distribution"])) {
            judge.expect(distribution.props["webAclId"], "webAclId", (v) => typeof v === "string" && v !== "",
                `distribution ${distribution.name} has no webAclId.`, distribution.urn);
        }
    },
});
