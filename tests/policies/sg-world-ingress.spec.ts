/**
 * sg-no-world-ingress judges a world-open rule by the security group it belongs to (SEC-6, NET-1, POL-4):
 * a separate rule resource (aws.ec2.SecurityGroupRule has no tags at all; aws.vpc.SecurityGroupIngressRule
 * has its own) is allowed 443/80 from the world only when its group, resolved in the stack, is tagged as a
 * public load balancer.
 */
import * as assert from "assert";
import type { PlanResourceState } from "../../tools/plan/types";
import { ruleNamed } from "./cases";
import { WIRE, checkResource, checkStack, resource, type Outcome } from "./harness";

const rule = ruleNamed("sg-no-world-ingress");

/** Runs the rule the way the engine would, whichever kind it is: per resource, or once over the stack. */
async function judge(resources: PlanResourceState[], config?: Record<string, unknown>): Promise<Outcome> {
    if (rule.kind === "stack") {
        return checkStack(rule, resources, { config });
    }
    const all: Outcome = { violations: [], cannotJudge: [] };
    for (const r of resources) {
        const o = await checkResource(rule, r, { config, others: resources });
        all.violations.push(...o.violations.map((v) => ({ ...v, urn: v.urn ?? r.urn })));
        all.cannotJudge.push(...o.cannotJudge);
    }
    return all;
}

const lbGroup = resource(
    "aws:ec2/securityGroup:SecurityGroup",
    "public-alb",
    { description: "public ALB", vpcId: "vpc-1", tags: { tier: "public-lb" } },
    { outputs: { id: "sg-0alb", arn: "arn:aws:ec2:eu-west-1:111122223333:security-group/sg-0alb" } },
);
const appGroup = resource(
    "aws:ec2/securityGroup:SecurityGroup",
    "api-pods",
    { description: "API pods", vpcId: "vpc-1", tags: { tier: "app" } },
    { outputs: { id: "sg-0app" } },
);

function vpcRule(
    name: string,
    group: PlanResourceState,
    port: number,
    extra: Record<string, unknown> = {},
    byDependency = true,
): PlanResourceState {
    return resource(
        "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
        name,
        {
            securityGroupId: byDependency ? WIRE.unknown : group.outputs?.["id"],
            description: `${port} from anywhere`,
            ipProtocol: "tcp",
            fromPort: port,
            toPort: port,
            cidrIpv4: "0.0.0.0/0",
            ...extra,
        },
        byDependency ? { deps: { securityGroupId: [group] } } : {},
    );
}

function ec2Rule(name: string, group: PlanResourceState, port: number, byDependency = true): PlanResourceState {
    return resource(
        "aws:ec2/securityGroupRule:SecurityGroupRule",
        name,
        {
            type: "ingress",
            securityGroupId: byDependency ? WIRE.unknown : group.outputs?.["id"],
            description: `${port} from anywhere`,
            protocol: "tcp",
            fromPort: port,
            toPort: port,
            cidrBlocks: ["0.0.0.0/0"],
            ipv6CidrBlocks: ["::/0"],
        },
        byDependency ? { deps: { securityGroupId: [group] } } : {},
    );
}

describe("sg-no-world-ingress reads the public-load-balancer tag from the rule's security group (SEC-6, POL-4)", () => {
    it("accepts 443 from the world as aws.vpc.SecurityGroupIngressRule on a tagged public LB group (its own tags say nothing)", async () => {
        const outcome = await judge([lbGroup, vpcRule("alb-https", lbGroup, 443, { tags: { Name: "alb-https" } })]);
        assert.deepStrictEqual(outcome.violations, []);
        assert.deepStrictEqual(outcome.cannotJudge, []);
    });

    it("accepts 80 and 443 from the world as aws.ec2.SecurityGroupRule (which has no tags) on a tagged public LB group", async () => {
        const outcome = await judge([lbGroup, ec2Rule("alb-http", lbGroup, 80), ec2Rule("alb-https", lbGroup, 443)]);
        assert.deepStrictEqual(outcome.violations, []);
        assert.deepStrictEqual(outcome.cannotJudge, []);
    });

    it("resolves the group by its id when no property dependency is recorded", async () => {
        const outcome = await judge([
            lbGroup,
            ec2Rule("alb-https", lbGroup, 443, false),
            vpcRule("alb-https-v", lbGroup, 443, {}, false),
        ]);
        assert.deepStrictEqual(outcome.violations, []);
    });

    it("rejects 443 from the world on a group that is not a public LB, even when the rule itself carries the tag", async () => {
        const tagged = vpcRule("api-https", appGroup, 443, { tags: { tier: "public-lb" } });
        const outcome = await judge([appGroup, tagged, ec2Rule("api-https-2", appGroup, 443)]);
        assert.deepStrictEqual(outcome.violations.map((v) => v.urn).sort(), [tagged.urn, urnOfRule("api-https-2")].sort());
        outcome.violations.forEach((v) => assert.match(v.message, /not a tagged public load balancer/));
    });

    it("rejects other ports from the world on a public LB group", async () => {
        const outcome = await judge([lbGroup, ec2Rule("alb-ssh", lbGroup, 22)]);
        assert.strictEqual(outcome.violations.length, 1);
        assert.match(outcome.violations[0].message, /may open only 80\/443/);
    });

    it("fails closed on a world-open 443 rule whose group is not declared in the stack", async () => {
        const outcome = await judge([
            resource("aws:ec2/securityGroupRule:SecurityGroupRule", "imported", {
                type: "ingress",
                securityGroupId: "sg-0elsewhere",
                description: "x",
                protocol: "tcp",
                fromPort: 443,
                toPort: 443,
                cidrBlocks: ["0.0.0.0/0"],
            }),
        ]);
        assert.strictEqual(outcome.violations.length, 1);
        assert.match(outcome.violations[0].message, /group sg-0elsewhere is not declared in this stack/);
    });

    it("judges inline ingress of aws.ec2.SecurityGroup by the group's own tags", async () => {
        const lb = resource("aws:ec2/securityGroup:SecurityGroup", "alb-inline", {
            description: "public ALB",
            tags: { tier: "public-lb" },
            ingress: [
                {
                    description: "HTTPS",
                    protocol: "tcp",
                    fromPort: 443,
                    toPort: 443,
                    cidrBlocks: ["0.0.0.0/0"],
                    ipv6CidrBlocks: ["::/0"],
                },
                { description: "HTTP redirect", protocol: "tcp", fromPort: 80, toPort: 80, cidrBlocks: ["0.0.0.0/0"] },
            ],
        });
        assert.deepStrictEqual((await judge([lb])).violations, []);
        const ssh = resource("aws:ec2/securityGroup:SecurityGroup", "app-inline", {
            description: "app",
            ingress: [{ description: "ssh", protocol: "tcp", fromPort: 22, toPort: 22, cidrBlocks: ["0.0.0.0/0"] }],
        });
        const lbAll = resource("aws:ec2/securityGroup:SecurityGroup", "alb-all", {
            description: "x",
            tags: { tier: "public-lb" },
            ingress: [{ description: "all", protocol: "-1", fromPort: 0, toPort: 0, ipv6CidrBlocks: ["::/0"] }],
        });
        const outcome = await judge([ssh, lbAll]);
        assert.deepStrictEqual(
            outcome.violations.map((v) => v.message),
            [
                "app-inline ingress[0] opens ports 22-22 to 0.0.0.0/0 on a group (app-inline) that is not a tagged public load balancer.",
                "alb-all ingress[0] opens ports 0-0 to ::/0 (a public load balancer may open only 80/443).",
            ],
        );
    });

    it("lets a private-CIDR rule pass whatever its group", async () => {
        const pg = resource("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", "pg", {
            securityGroupId: "sg-unknown-elsewhere",
            description: "Postgres from nodes",
            ipProtocol: "tcp",
            fromPort: 5432,
            toPort: 5432,
            cidrIpv4: "10.20.0.0/16",
        });
        assert.deepStrictEqual(await judge([pg]), { violations: [], cannotJudge: [] });
    });

    it("cannot judge (preview) a world-open 443 rule whose group id is unknown and not a recorded dependency", async () => {
        const outcome = await judge(
            [
                lbGroup,
                resource("aws:ec2/securityGroupRule:SecurityGroupRule", "unlinked", {
                    type: "ingress",
                    securityGroupId: WIRE.unknown,
                    description: "x",
                    protocol: "tcp",
                    fromPort: 443,
                    toPort: 443,
                    cidrBlocks: ["0.0.0.0/0"],
                }),
            ],
            { unknowns: "advisory" },
        );
        assert.deepStrictEqual(outcome.violations, []);
        assert.match(outcome.cannotJudge[0] ?? "", /security group/);
    });
});

function urnOfRule(name: string): string {
    return resource("aws:ec2/securityGroupRule:SecurityGroupRule", name, {}).urn;
}
