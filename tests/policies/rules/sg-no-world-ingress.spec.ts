import type { PlanResourceState } from "../../../tools/plan/types";
import { WIRE, cannotJudge, pinStack, resource } from "./pin";

const RULE = "sg-no-world-ingress";
const GROUP = "aws:ec2/securityGroup:SecurityGroup";
const SG_RULE = "aws:ec2/securityGroupRule:SecurityGroupRule";
const VPC_RULE = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule";
const LB_ARN = "arn:aws:ec2:eu-west-1:111122223333:security-group/sg-0alb";

const group = (name: string, props: Record<string, unknown>, id = `sg-0${name}`) =>
    resource(GROUP, name, { description: name, vpcId: "vpc-1", ...props }, { outputs: { id, arn: `${LB_ARN}-${name}` } });
const lbGroup = resource(
    GROUP,
    "public-alb",
    { description: "public ALB", vpcId: "vpc-1", tags: { tier: "public-lb" } },
    { outputs: { id: "sg-0alb", arn: LB_ARN } },
);
const https = { protocol: "tcp", fromPort: 443, toPort: 443 };
const sgRule = (name: string, props: Record<string, unknown>) =>
    resource(SG_RULE, name, { type: "ingress", description: name, ...https, cidrBlocks: ["0.0.0.0/0"], ...props });
const vpcRule = (name: string, props: Record<string, unknown>) =>
    resource(VPC_RULE, name, {
        description: name,
        ipProtocol: "tcp",
        fromPort: 443,
        toPort: 443,
        cidrIpv4: "0.0.0.0/0",
        ...props,
    });
const at = (r: PlanResourceState, message: string): [PlanResourceState, string] => [r, message];

describe(`${RULE}: which group a rule resource belongs to (SEC-6, POL-4)`, () => {
    it("resolves the group by its id or its arn, and accepts 443 on the tagged public load-balancer group", async () => {
        await pinStack(RULE, [lbGroup, sgRule("by-id", { securityGroupId: "sg-0alb" })], {});
        await pinStack(RULE, [lbGroup, vpcRule("by-arn", { securityGroupId: LB_ARN })], {});
    });

    it("fails closed on a group not declared in the stack, named by id or not named at all", async () => {
        const elsewhere = sgRule("elsewhere", { securityGroupId: "sg-0elsewhere" });
        const missing = (r: PlanResourceState, id: string) =>
            at(
                r,
                `rule ${r.urn.split("::").pop()} opens ports 443-443 to 0.0.0.0/0, and its group ${id} is not declared in this stack, so it cannot be shown to be a tagged public load balancer.`,
            );
        await pinStack(RULE, [elsewhere], { violations: [missing(elsewhere, "sg-0elsewhere")] });
        await pinStack(RULE, [lbGroup, elsewhere], { violations: [missing(elsewhere, "sg-0elsewhere")] });
        const unnamed = vpcRule("unnamed", {});
        await pinStack(RULE, [unnamed], { violations: [missing(unnamed, "(none)")] });
    });

    it("cannot judge a world-open rule whose group id is unknown, with or without groups in the stack", async () => {
        const unlinked = sgRule("unlinked", { securityGroupId: WIRE.unknown });
        const which = cannotJudge(RULE, ["which security group rule unlinked belongs to", unlinked]);
        await pinStack(RULE, [unlinked], { cannotJudge: [which] });
        await pinStack(RULE, [lbGroup, unlinked], { cannotJudge: [which] });
    });
    it("fails closed on an unknown group id that comes from a resource other than the stack's groups, naming it as known after apply", async () => {
        const cluster = resource("aws:eks/cluster:Cluster", "cluster", { name: "bookbuddy" });
        const fromCluster = resource(
            SG_RULE,
            "from-cluster",
            { type: "ingress", description: "x", ...https, cidrBlocks: ["0.0.0.0/0"], securityGroupId: WIRE.unknown },
            { deps: { securityGroupId: [cluster] } },
        );
        await pinStack(RULE, [lbGroup, cluster, fromCluster], {
            violations: [
                at(
                    fromCluster,
                    `rule from-cluster opens ports 443-443 to 0.0.0.0/0, and its group (known after apply) is not declared in this stack, so it cannot be shown to be a tagged public load balancer.`,
                ),
            ],
        });
    });
});

describe(`${RULE}: the rules judged and their messages (SEC-6, NET-1)`, () => {
    it("names a rule resource by its name and every world CIDR it opens", async () => {
        const app = group("app", { tags: { tier: "app" } });
        const both = sgRule("both", {
            securityGroupId: "sg-0app",
            ...https,
            ipv6CidrBlocks: ["::/0"],
            cidrBlocks: ["0.0.0.0/0"],
        });
        await pinStack(RULE, [app, both], {
            violations: [
                at(
                    both,
                    "rule both opens ports 443-443 to 0.0.0.0/0, ::/0 on a group (app) that is not a tagged public load balancer.",
                ),
            ],
        });
    });

    it("leaves egress alone, inline and as a rule resource, even when it is world-open or unknown", async () => {
        const open = { protocol: "-1", fromPort: 0, toPort: 0, cidrBlocks: ["0.0.0.0/0"] };
        await pinStack(RULE, [group("egress", { tags: { tier: "app" }, ingress: [], egress: [open] })], {});
        await pinStack(RULE, [group("egress", { tags: { tier: "app" }, egress: WIRE.unknown })], {});
        await pinStack(RULE, [group("egress", { tags: { tier: "app" }, egress: [WIRE.unknown] })], {});
        await pinStack(RULE, [sgRule("out", { type: "egress", securityGroupId: "sg-0nowhere", ...open })], {});
    });

    it("cannot judge unknown inline ingress, or an unknown entry of it", async () => {
        const pending = group("pending", { tags: { tier: "app" }, ingress: WIRE.unknown });
        await pinStack(RULE, [pending], { cannotJudge: [cannotJudge(RULE, ["pending ingress", pending])] });
        const entry = group("entry", { tags: { tier: "app" }, ingress: [WIRE.unknown] });
        await pinStack(RULE, [entry], { cannotJudge: [cannotJudge(RULE, ["entry ingress[0]", entry])] });
    });

    it("cannot judge a rule with an unknown CIDR and no world CIDR, but judges a known private one", async () => {
        const mixed = group("mixed", {
            tags: { tier: "app" },
            ingress: [
                { ...https, cidrBlocks: ["10.0.0.0/8", WIRE.unknown] },
                { ...https, cidrBlocks: ["10.0.0.0/8"] },
            ],
        });
        await pinStack(RULE, [mixed], { cannotJudge: [cannotJudge(RULE, ["mixed ingress[0] CIDRs", mixed])] });
    });

    it("cannot judge a world-open rule with an unknown port or protocol", async () => {
        for (const port of [{ fromPort: WIRE.unknown }, { toPort: WIRE.unknown }, { protocol: WIRE.unknown }]) {
            const pending = group("ports", {
                tags: { tier: "public-lb" },
                ingress: [{ ...https, cidrBlocks: ["0.0.0.0/0"], ...port }],
            });
            await pinStack(RULE, [pending], { cannotJudge: [cannotJudge(RULE, ["ports ingress[0] ports", pending])] });
        }
    });
});

describe(`${RULE}: the tags of the owning group (SEC-6, POL-4)`, () => {
    it("cannot judge when the group's tags, or the tag itself, are unknown", async () => {
        for (const tags of [WIRE.unknown, { tier: WIRE.unknown }]) {
            const pending = group("pending", { tags });
            const r = sgRule("r", { securityGroupId: "sg-0pending" });
            await pinStack(RULE, [pending, r], {
                cannotJudge: [cannotJudge(RULE, ["the tags of security group pending", r])],
            });
        }
    });

    it("reports a group without tags, or with another tier, as not a public load balancer", async () => {
        for (const tags of [undefined, { tier: "app" }]) {
            const plain = group("plain", { tags, ingress: [{ ...https, cidrBlocks: ["0.0.0.0/0"] }] });
            await pinStack(RULE, [plain], {
                violations: [
                    at(
                        plain,
                        "plain ingress[0] opens ports 443-443 to 0.0.0.0/0 on a group (plain) that is not a tagged public load balancer.",
                    ),
                ],
            });
        }
    });

    it("reports other ports on the public load-balancer group with the allowed list", async () => {
        const ssh = sgRule("ssh", { securityGroupId: "sg-0alb", fromPort: 22, toPort: 22 });
        await pinStack(RULE, [lbGroup, ssh], {
            violations: [at(ssh, "rule ssh opens ports 22-22 to 0.0.0.0/0 (a public load balancer may open only 80/443).")],
        });
    });
});
