/** Security group rules in their three shapes (inline, ec2 SecurityGroupRule, vpc ingress/egress rule) (SEC-6). */
import { asNumber, isRecord, isUnknown, list, type Props } from "./values";

export interface SgRuleView {
    where: string;
    direction: "ingress" | "egress";
    /** CIDRs; contains the sentinel when unknown. */
    cidrs: unknown[];
    fromPort: unknown;
    toPort: unknown;
    protocol: unknown;
    description: unknown;
}

export const SG_TYPES = [
    "aws:ec2/securityGroup:SecurityGroup",
    "aws:ec2/securityGroupRule:SecurityGroupRule",
    "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
    "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule",
];

/** The rules a resource declares; `unknown` lists paths whose rule list is unknown during preview. */
export function sgRulesOf(type: string, props: Props): { rules: SgRuleView[]; unknown: string[] } {
    const rules: SgRuleView[] = [];
    const unknown: string[] = [];
    if (type === "aws:ec2/securityGroup:SecurityGroup" || type === "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup") {
        for (const direction of ["ingress", "egress"] as const) {
            const value = props[direction];
            if (isUnknown(value)) {
                unknown.push(direction);
                continue;
            }
            list(value).forEach((r, i) => {
                if (!isRecord(r)) {
                    unknown.push(`${direction}[${i}]`);
                    return;
                }
                rules.push({
                    where: `${direction}[${i}]`,
                    direction,
                    cidrs: [...list(r["cidrBlocks"]), ...list(r["ipv6CidrBlocks"])],
                    fromPort: r["fromPort"],
                    toPort: r["toPort"],
                    protocol: r["protocol"],
                    description: r["description"],
                });
            });
        }
    } else if (type === "aws:ec2/securityGroupRule:SecurityGroupRule") {
        rules.push({
            where: "rule",
            direction: props["type"] === "egress" ? "egress" : "ingress",
            cidrs: [...list(props["cidrBlocks"]), ...list(props["ipv6CidrBlocks"])],
            fromPort: props["fromPort"],
            toPort: props["toPort"],
            protocol: props["protocol"],
            description: props["description"],
        });
    } else {
        rules.push({
            where: "rule",
            direction: type === "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule" ? "egress" : "ingress",
            cidrs: [props["cidrIpv4"], props["cidrIpv6"]].filter((c) => c !== undefined && c !== null),
            fromPort: props["fromPort"],
            toPort: props["toPort"],
            protocol: props["ipProtocol"],
            description: props["description"],
        });
    }
    return { rules, unknown };
}

export const WORLD_CIDRS = ["0.0.0.0/0", "::/0"];

/** True when the rule's port range lies within the allowed ports (protocol tcp). */
export function onlyPorts(rule: SgRuleView, allowed: number[]): boolean {
    const protocol = String(rule.protocol ?? "").toLowerCase();
    if (protocol === "-1" || protocol === "all") {
        return false;
    }
    const from = asNumber(rule.fromPort);
    const to = asNumber(rule.toPort);
    if (from === undefined || to === undefined) {
        return false;
    }
    for (let port = from; port <= to; port++) {
        if (!allowed.includes(port)) {
            return false;
        }
    }
    return true;
}

/** Elastic Load Balancing security policies that allow TLS 1.2 or newer only (EDGE-1, Checkov CKV_AWS_103). */
export const TLS12_ALB_POLICIES: readonly string[] = [
    "ELBSecurityPolicy-TLS13-1-2-2021-06",
    "ELBSecurityPolicy-TLS13-1-2-Res-2021-06",
    "ELBSecurityPolicy-TLS13-1-3-2021-06",
    "ELBSecurityPolicy-TLS13-1-2-FIPS-2023-04",
    "ELBSecurityPolicy-TLS13-1-3-FIPS-2023-04",
    "ELBSecurityPolicy-TLS-1-2-Ext-2018-06",
    "ELBSecurityPolicy-FS-1-2-Res-2020-10",
];
