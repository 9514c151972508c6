import { defineStackRule, type Judge, type StackResourceView } from "../../lib/rule";
import { SG_TYPES, WORLD_CIDRS, onlyPorts, sgRulesOf, type SgRuleView } from "../../lib/network";
import { ofTypes, refersTo } from "../../lib/stack";
import { containsUnknown, isUnknown, tagsOf } from "../../lib/values";

const GROUP = "aws:ec2/securityGroup:SecurityGroup";
const INGRESS_FORMS = SG_TYPES.filter((t) => !t.endsWith("EgressRule"));

/** The group a rule belongs to: itself (inline rules), or the group its securityGroupId resolves to in the stack. */
type Owner = { group: StackResourceView } | { unknown: true } | { missing: string };

function ownerOf(resource: StackResourceView, groups: StackResourceView[]): Owner {
    if (resource.type === GROUP) {
        return { group: resource };
    }
    const links = groups.map((g) => ({ g, link: refersTo(resource, "securityGroupId", g, ["id", "arn"]) }));
    const found = links.find((l) => l.link === "yes");
    if (found) {
        return { group: found.g };
    }
    if (links.some((l) => l.link === "unknown") || (groups.length === 0 && isUnknown(resource.props["securityGroupId"]))) {
        return { unknown: true };
    }
    const id = resource.props["securityGroupId"];
    return { missing: isUnknown(id) ? "(known after apply)" : String(id ?? "(none)") };
}

/**
 * SEC-6: no ingress from 0.0.0.0/0 or ::/0, except the configured ports (443, and 80 for the redirect) on
 * public load-balancer security groups, which carry the configured tag (default tier=public-lb)
 * (AWSGuard INCOMING_SSH_DISABLED / restricted-common-ports, cdk-nag EC23, Checkov CKV_AWS_24/CKV_AWS_25/CKV_AWS_260).
 * Every form of an ingress rule is judged: inline `ingress` of aws.ec2.SecurityGroup, aws.ec2.SecurityGroupRule
 * (which has no tags) and aws.vpc.SecurityGroupIngressRule; the tag is always read from the rule's security
 * group, resolved in the stack (POL-4), never from the rule resource. A world-open rule whose group is not
 * declared in the stack cannot be shown to belong to a public load balancer and fails closed.
 */
export const sgNoWorldIngress = defineStackRule({
    name: "sg-no-world-ingress",
    description: "Security groups allow no ingress from 0.0.0.0/0 or ::/0, except 80/443 on public load-balancer groups.",
    severity: "critical",
    enforcementLevel: "mandatory",
    remediation:
        "Restrict the source to a security group or private CIDR; for a public load balancer, tag its security group tier=public-lb and open only 443 (and 80 for the redirect).",
    requirements: ["SEC-6", "NET-1", "POL-4"],
    config: {
        publicLbTagKey: {
            schema: {
                type: "string",
                minLength: 1,
                default: "tier",
                description: "Tag key marking public load-balancer security groups.",
            },
        },
        publicLbTagValue: {
            schema: {
                type: "string",
                minLength: 1,
                default: "public-lb",
                description: "Tag value marking public load-balancer security groups.",
            },
        },
        publicLbPorts: {
            schema: {
                type: "array",
                items: { type: "integer", minimum: 1, maximum: 65535 },
                default: [80, 443],
                description: "Ports a public load-balancer group may open to the world.",
            },
        },
    },
    validate(resources, judge) {
        const groups = ofTypes(resources, [GROUP]);
        for (const resource of ofTypes(resources, INGRESS_FORMS)) {
            const { rules, unknown } = sgRulesOf(resource.type, resource.props);
            unknown
                .filter((u) => u.startsWith("ingress"))
                .forEach((u) => judge.cannotJudge(`${resource.name} ${u}`, resource.urn));
            for (const rule of rules.filter((r) => r.direction === "ingress")) {
                judgeRule(resource, rule, groups, judge);
            }
        }
    },
});

function judgeRule(resource: StackResourceView, rule: SgRuleView, groups: StackResourceView[], judge: Judge): void {
    const where = resource.type === GROUP ? `${resource.name} ${rule.where}` : `rule ${resource.name}`;
    const world = rule.cidrs.filter((c): c is string => typeof c === "string" && WORLD_CIDRS.includes(c));
    if (world.length === 0) {
        if (rule.cidrs.some(isUnknown)) {
            judge.cannotJudge(`${where} CIDRs`, resource.urn);
        }
        return;
    }
    if (containsUnknown([rule.fromPort, rule.toPort, rule.protocol])) {
        judge.cannotJudge(`${where} ports`, resource.urn);
        return;
    }
    const allowed = judge.numbers("publicLbPorts");
    const opens = `${where} opens ports ${String(rule.fromPort)}-${String(rule.toPort)} to ${world.join(", ")}`;
    const owner = ownerOf(resource, groups);
    if ("unknown" in owner) {
        judge.cannotJudge(`which security group ${where} belongs to`, resource.urn);
        return;
    }
    if ("missing" in owner) {
        judge.violation(
            `${opens}, and its group ${owner.missing} is not declared in this stack, so it cannot be shown to be a tagged public load balancer.`,
            resource.urn,
        );
        return;
    }
    const tags = tagsOf(owner.group.props);
    if (tags === undefined || isUnknown(tags[judge.string("publicLbTagKey")])) {
        judge.cannotJudge(`the tags of security group ${owner.group.name}`, resource.urn);
        return;
    }
    const isPublicLb = tags[judge.string("publicLbTagKey")] === judge.string("publicLbTagValue");
    if (!isPublicLb || !onlyPorts(rule, allowed)) {
        judge.violation(
            `${opens}` +
                (isPublicLb
                    ? ` (a public load balancer may open only ${allowed.join("/")}).`
                    : ` on a group (${owner.group.name}) that is not a tagged public load balancer.`),
            resource.urn,
        );
    }
}
