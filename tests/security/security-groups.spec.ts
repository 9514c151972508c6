/**
 * SEC-6 over all three rendered stacks: every security group rule (inline ingress/egress, the aws:vpc rule
 * resources and aws:ec2 SecurityGroupRule) has a description, and no ingress comes from 0.0.0.0/0 or ::/0
 * except 80 and 443 on groups tagged tier=public-lb.
 */
import { strict as assert } from "assert";
import { PlanDocument, PlanResourceState } from "../../tools/plan/types";
import { nameOf, ofType, renderedStack, resources, STACKS } from "../support/plan";

interface Rule {
    where: string;
    direction: "ingress" | "egress";
    description?: unknown;
    fromPort?: number;
    toPort?: number;
    cidrs: string[];
    /** Tags of the group the rule belongs to (undefined when that group is not in the stack). */
    groupTags?: Record<string, string>;
}

const WORLD = new Set(["0.0.0.0/0", "::/0"]);

/** Every rule of a rendered stack, whatever resource declares it. */
export function securityGroupRules(doc: PlanDocument): Rule[] {
    const all = resources(doc);
    const byUrn = new Map(all.map((r) => [r.urn, r]));
    const tagsOf = (r?: PlanResourceState) => (r?.inputs.tags as Record<string, string> | undefined) ?? undefined;
    const out: Rule[] = [];
    for (const type of ["aws:ec2/securityGroup:SecurityGroup", "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup"]) {
        for (const sg of ofType(doc, type)) {
            for (const direction of ["ingress", "egress"] as const) {
                for (const [i, r] of ((sg.inputs[direction] as Record<string, unknown>[] | undefined) ?? []).entries()) {
                    out.push({
                        where: `${nameOf(sg)}.${direction}[${i}]`,
                        direction,
                        description: r.description,
                        fromPort: r.fromPort as number,
                        toPort: r.toPort as number,
                        cidrs: [...((r.cidrBlocks as string[]) ?? []), ...((r.ipv6CidrBlocks as string[]) ?? [])],
                        groupTags: tagsOf(sg),
                    });
                }
            }
        }
    }
    const group = (r: PlanResourceState) => byUrn.get((r.propertyDependencies.securityGroupId ?? [])[0] ?? "");
    for (const [type, direction] of [
        ["aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", "ingress"],
        ["aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule", "egress"],
    ] as const) {
        for (const r of ofType(doc, type)) {
            out.push({
                where: nameOf(r),
                direction,
                description: r.inputs.description,
                fromPort: r.inputs.fromPort as number,
                toPort: r.inputs.toPort as number,
                cidrs: [r.inputs.cidrIpv4, r.inputs.cidrIpv6].filter((c): c is string => typeof c === "string"),
                groupTags: tagsOf(group(r)),
            });
        }
    }
    for (const r of ofType(doc, "aws:ec2/securityGroupRule:SecurityGroupRule")) {
        out.push({
            where: nameOf(r),
            direction: r.inputs.type === "egress" ? "egress" : "ingress",
            description: r.inputs.description,
            fromPort: r.inputs.fromPort as number,
            toPort: r.inputs.toPort as number,
            cidrs: [...((r.inputs.cidrBlocks as string[]) ?? []), ...((r.inputs.ipv6CidrBlocks as string[]) ?? [])],
            groupTags: tagsOf(group(r)),
        });
    }
    return out;
}

/** The SEC-6 problems of a list of rules. */
export function ruleProblems(rules: Rule[]): string[] {
    const problems: string[] = [];
    for (const r of rules) {
        if (typeof r.description !== "string" || r.description.trim().length === 0) problems.push(`${r.where}: no description`);
        if (r.direction !== "ingress" || !r.cidrs.some((c) => WORLD.has(c))) continue;
        const webPort = r.fromPort === r.toPort && (r.fromPort === 443 || r.fromPort === 80);
        if (!webPort || r.groupTags?.tier !== "public-lb")
            problems.push(
                `${r.where}: ingress from the internet on ${r.fromPort}-${r.toPort} (only 80/443 on tier=public-lb groups)`,
            );
    }
    return problems;
}

describe("SEC-6: security group hygiene of every stack", function () {
    this.timeout(300_000);

    it("the checks catch what they look for", () => {
        const problems = ruleProblems([
            { where: "a", direction: "ingress", description: "", fromPort: 5432, toPort: 5432, cidrs: ["10.0.0.0/16"] },
            {
                where: "b",
                direction: "ingress",
                description: "ssh",
                fromPort: 22,
                toPort: 22,
                cidrs: ["0.0.0.0/0"],
                groupTags: { tier: "public-lb" },
            },
            {
                where: "c",
                direction: "ingress",
                description: "https",
                fromPort: 443,
                toPort: 443,
                cidrs: ["::/0"],
                groupTags: { tier: "app" },
            },
            {
                where: "d",
                direction: "ingress",
                description: "https",
                fromPort: 443,
                toPort: 443,
                cidrs: ["0.0.0.0/0"],
                groupTags: { tier: "public-lb" },
            },
            { where: "e", direction: "egress", description: "out", fromPort: 443, toPort: 443, cidrs: ["0.0.0.0/0"] },
        ]);
        assert.deepEqual(
            problems.map((p) => p.split(":")[0]),
            ["a", "b", "c"],
        );
    });

    for (const stack of STACKS) {
        it(`${stack}: every rule is described and none admits the internet outside public load balancers`, async () => {
            const doc = await renderedStack(stack);
            const rules = securityGroupRules(doc);
            assert.ok(rules.length >= 5, `${stack}: found only ${rules.length} rules`);
            assert.ok(
                rules.some((r) => r.where.includes("rotation")),
                `${stack}: the rotation function's rules are missing`,
            );
            assert.deepEqual(ruleProblems(rules), []);
        });
    }
});
