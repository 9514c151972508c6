import { defineStackRule } from "../../lib/rule";
import { ofTypes, refersTo, anyLink } from "../../lib/stack";
import { ALB_ANNOTATION, INGRESS_TYPES, annotationsOf, isAlbIngress } from "../../lib/k8s";
import { isUnknown } from "../../lib/values";

/**
 * EDGE-1: every public entry point (internet-facing application load balancer, internet-facing Ingress of
 * the AWS Load Balancer Controller, whose ALB is not a resource of the program, CloudFront distribution)
 * is protected by AWS WAF (AWSGuard, cdk-nag CFR2, Checkov CKV2_AWS_28/CKV_AWS_68). Costs money:
 * advisory in dev, mandatory in staging and prod.
 */
export const wafOnPublicEntry = defineStackRule({
    name: "waf-on-public-entry",
    description:
        "Internet-facing application load balancers have a WAF web ACL association, internet-facing ALB Ingresses a wafv2-acl-arn annotation; CloudFront distributions have a webAclId.",
    severity: "high",
    enforcementLevel: "mandatory",
    costOnly: true,
    remediation:
        "Associate the stack's aws.wafv2.WebAcl (managed rule groups + rate rule) with the load balancer (WebAclAssociation) or annotate the Ingress alb.ingress.kubernetes.io/wafv2-acl-arn, and set webAclId on distributions.",
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
        for (const ingress of ofTypes(resources, INGRESS_TYPES)) {
            const alb = isAlbIngress(ingress.props);
            if (alb === false) {
                continue; // other ingress controllers build no AWS load balancer
            }
            const annotations = annotationsOf(ingress.props);
            const scheme = typeof annotations === "string" ? annotations : annotations[`${ALB_ANNOTATION}scheme`];
            if (alb === "unknown" || isUnknown(scheme)) {
                judge.cannotJudge("the ingress class and scheme", ingress.urn);
                continue;
            }
            if (scheme !== "internet-facing" || typeof annotations === "string") {
                continue; // the controller's default scheme is internal
            }
            judge.expect(
                annotations[`${ALB_ANNOTATION}wafv2-acl-arn`],
                `${ALB_ANNOTATION}wafv2-acl-arn`,
                (v) => typeof v === "string" && v.startsWith("arn:"),
                `ingress ${ingress.name} builds an internet-facing load balancer without ${ALB_ANNOTATION}wafv2-acl-arn.`,
                ingress.urn,
            );
        }
        for (const distribution of ofTypes(resources, ["aws:cloudfront/distribution:Distribution"])) {
            judge.expect(
                distribution.props["webAclId"],
                "webAclId",
                (v) => typeof v === "string" && v !== "",
                `distribution ${distribution.name} has no webAclId.`,
                distribution.urn,
            );
        }
    },
});
