import { defineResourceRule } from "../../lib/rule";
import { SG_TYPES, WORLD_CIDRS, onlyPorts, sgRulesOf } from "../../lib/network";
import { containsUnknown, isUnknown, tagsOf } from "../../lib/values";

/**
 * SEC-6: no ingress from 0.0.0.0/0 or ::/0, except the configured ports (443, and 80 for the redirect) on
 * public load-balancer security groups, which carry the configured tag (default tier=public-lb)
 * (AWSGuard, cdk-nag EC23, Checkov CKV_AWS_24/CKV_AWS_25/CKV_AWS_260).
 */
export const sgNoWorldIngress = defineResourceRule({
    name: "sg-no-world-ingress",
    description: "Security groups allow no ingress from 0.0.0.0/0 or ::/0, except 80/443 on public load-balancer groups.",
    severity: "critical",
    enforcementLevel: "mandatory",
    remediation: "Restrict the source to a security group or private CIDR; for a public load balancer, tag the group tier=public-lb and open only 443 (and 80 for the redirect).",
    requirements: ["SEC-6", "NET-1"],
    config: {
        publicLbTagKey: { schema: { type: "string", minLength: 1, default: "tier", description: "Tag key marking public load-balancer security groups." } },
        publicLbTagValue: { schema: { type: "string", minLength: 1, default: "public-lb", description: "Tag value marking public load-balancer security groups." } },
        publicLbPorts: { schema: { type: "array", items: { type: "integer", minimum: 1, maximum: 65535 }, default: [80, 443], description: "Ports a public load-balancer group may open to the world." } },
    },
    resourceTypes: SG_TYPES.filter((t) => !t.endsWith("EgressRule")),
    validate({ type, props }, judge) {
        const { rules, unknown } = sgRulesOf(type, props);
        unknown.filter((u) => u.startsWith("ingress")).forEach((u) => judge.cannotJudge(u));
        const tags = tagsOf(props);
        const isPublicLb = tags !== undefined && tags[judge.string("publicLbTagKey")] === judge.string("publicLbTagValue");
        const allowed = judge.numbers("publicLbPorts");
        for (const rule of rules.filter((r) => r.direction === "ingress")) {
            const world = rule.cidrs.filter((c) => typeof c === "string" && WORLD_CIDRS.includes(c));
            if (world.length === 0) {
                if (rule.cidrs.some(isUnknown)) {
                    judge.cannotJudge(`${rule.where} CIDRs`);
                }
                continue;
            }
            if (containsUnknown([rule.fromPort, rule.toPort, rule.protocol]) || tags === undefined) {
                judge.cannotJudge(`${rule.where} ports or tags`);
                continue;
            }
            if (!isPublicLb || !onlyPorts(rule, allowed)) {
                judge.violation(`${rule.where} opens ports ${String(rule.fromPort)}-${String(rule.toPort)} to ${world.join(", ")}` +
                    (isPublicLb ? ` (a public load balancer may open only ${allowed.join("/")}).` : " on a group that is not a tagged public load balancer."));
            }
        }
    },
});

