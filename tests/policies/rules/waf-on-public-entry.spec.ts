import { albIngress } from "../cases";
import { WIRE, cannotJudge, pinStack, resource } from "./pin";

const RULE = "waf-on-public-entry";
const INGRESS = "kubernetes:networking.k8s.io/v1:Ingress";
const WAF_ANNOTATION = "alb.ingress.kubernetes.io/wafv2-acl-arn";
const LB_ARN = "arn:aws:elasticloadbalancing:eu-west-1:111122223333:loadbalancer/app/public/1";

const lb = (props: Record<string, unknown>, type = "aws:lb/loadBalancer:LoadBalancer") =>
    resource(type, "public", { arn: LB_ARN, id: "lb-1", ...props });
const association = (resourceArn: unknown) =>
    resource("aws:wafv2/webAclAssociation:WebAclAssociation", "waf", {
        resourceArn,
        webAclArn: "arn:aws:wafv2:eu-west-1:111122223333:regional/webacl/x/1",
    });
const unprotected = (r: ReturnType<typeof lb>) =>
    [r, `load balancer ${r.urn.split("::").pop()} is internet-facing without a WAF web ACL.`] as [typeof r, string];

describe(`${RULE}: load balancers (EDGE-1)`, () => {
    it("judges both load balancer types, and an application load balancer by default", async () => {
        const alb = lb({ internal: false }, "aws:alb/loadBalancer:LoadBalancer");
        await pinStack(RULE, [alb], { violations: [unprotected(alb)] });
        const untyped = lb({ internal: false });
        await pinStack(RULE, [untyped], { violations: [unprotected(untyped)] });
    });

    it("leaves network load balancers alone", async () => {
        await pinStack(RULE, [lb({ loadBalancerType: "network", internal: false })], {});
    });

    it("links an association by the load balancer's arn or id, and not one of another resource", async () => {
        await pinStack(RULE, [lb({ loadBalancerType: "application", internal: false }), association(LB_ARN)], {});
        await pinStack(RULE, [lb({ loadBalancerType: "application", internal: false }), association("lb-1")], {});
        const other = lb({ loadBalancerType: "application", internal: false });
        await pinStack(RULE, [other, association(`${LB_ARN}-other`)], { violations: [unprotected(other)] });
    });

    it("cannot judge an unknown type or scheme, or an association whose target is unknown", async () => {
        const unknownType = lb({ loadBalancerType: WIRE.unknown, internal: false });
        await pinStack(RULE, [unknownType], {
            cannotJudge: [cannotJudge(RULE, ["whether the load balancer is public", unknownType])],
        });
        const unknownScheme = lb({ loadBalancerType: "application", internal: WIRE.unknown });
        await pinStack(RULE, [unknownScheme], {
            cannotJudge: [cannotJudge(RULE, ["whether the load balancer is public", unknownScheme])],
        });
        const alb = lb({ loadBalancerType: "application", internal: false });
        await pinStack(RULE, [alb, association(WIRE.unknown)], {
            cannotJudge: [cannotJudge(RULE, ["which resource a WAF association protects", alb])],
        });
    });
});

describe(`${RULE}: Ingresses of the AWS Load Balancer Controller and distributions (EDGE-1)`, () => {
    const open = (overrides: Record<string, unknown>) => {
        const props = albIngress({ [WAF_ANNOTATION]: undefined });
        return resource(INGRESS, "open", { ...props, ...overrides });
    };
    const MISSING = `ingress open builds an internet-facing load balancer without ${WAF_ANNOTATION}.`;

    it("leaves an internet-facing Ingress of another controller alone", async () => {
        const props = albIngress({ [WAF_ANNOTATION]: undefined });
        await pinStack(
            RULE,
            [resource(INGRESS, "open", { ...props, spec: { ...(props.spec as object), ingressClassName: "nginx" } })],
            {},
        );
    });

    it("cannot judge an Ingress whose class is unknown, even with a known public scheme", async () => {
        const props = albIngress({ [WAF_ANNOTATION]: undefined });
        const pending = resource(INGRESS, "open", {
            ...props,
            spec: { ...(props.spec as object), ingressClassName: WIRE.unknown },
        });
        await pinStack(RULE, [pending], { cannotJudge: [cannotJudge(RULE, ["the ingress class and scheme", pending])] });
    });

    it("wants an ARN in the annotation, and cannot judge an unknown one", async () => {
        const notArn = resource(INGRESS, "open", albIngress({ [WAF_ANNOTATION]: "bookbuddy-api-acl" }));
        await pinStack(RULE, [notArn], { violations: [[notArn, MISSING]] });
        const pending = open({});
        const annotations = {
            ...((pending.inputs.metadata as Record<string, unknown>).annotations as object),
            [WAF_ANNOTATION]: WIRE.unknown,
        };
        const unknownArn = resource(INGRESS, "open", {
            ...pending.inputs,
            metadata: { ...(pending.inputs.metadata as object), annotations },
        });
        await pinStack(RULE, [unknownArn], { cannotJudge: [cannotJudge(RULE, [WAF_ANNOTATION, unknownArn])] });
    });

    it("reports a distribution with an empty webAclId and cannot judge an unknown one", async () => {
        const empty = resource("aws:cloudfront/distribution:Distribution", "cdn", { webAclId: "" });
        await pinStack(RULE, [empty], { violations: [[empty, "distribution cdn has no webAclId."]] });
        const pending = resource("aws:cloudfront/distribution:Distribution", "cdn", { webAclId: WIRE.unknown });
        await pinStack(RULE, [pending], { cannotJudge: [cannotJudge(RULE, ["webAclId", pending])] });
    });
});
