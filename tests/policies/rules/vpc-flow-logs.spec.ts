import { WIRE, cannotJudge, pinStack, resource } from "./pin";

const RULE = "vpc-flow-logs";
const vpc = (name: string, id: string) => resource("aws:ec2/vpc:Vpc", name, { id, cidrBlock: "10.20.0.0/16" });
const flow = (name: string, vpcId: unknown, trafficType?: unknown) =>
    resource("aws:ec2/flowLog:FlowLog", name, { vpcId, ...(trafficType === undefined ? {} : { trafficType }) });

describe(`${RULE}: which flow log belongs to which VPC, and what it captures (NET-1)`, () => {
    it("tells two VPCs apart by id", async () => {
        const main = vpc("main", "vpc-1");
        const dr = vpc("dr", "vpc-2");
        await pinStack(RULE, [main, dr, flow("f", "vpc-1", "ALL")], { violations: [[dr, "VPC dr has no flow log."]] });
    });

    it("cannot judge a VPC while some flow log's VPC is unknown, even when another flow log belongs elsewhere", async () => {
        const main = vpc("main", "vpc-1");
        await pinStack(RULE, [main, flow("f1", WIRE.unknown, "ALL"), flow("f2", "vpc-9", "ALL")], {
            cannotJudge: [cannotJudge(RULE, ["which VPC a flow log belongs to", main])],
        });
    });

    it("reports flow logs that capture only part of the traffic, or do not say", async () => {
        const main = vpc("main", "vpc-1");
        const partial = [[main, "VPC main: flow logs must capture trafficType ALL."]] as [typeof main, string][];
        await pinStack(RULE, [main, flow("f", "vpc-1", "REJECT")], { violations: partial });
        await pinStack(RULE, [main, flow("f", "vpc-1")], { violations: partial });
        await pinStack(RULE, [main, flow("f1", "vpc-1"), flow("f2", "vpc-1", "ACCEPT")], { violations: partial });
    });

    it("cannot judge an unknown trafficType, also next to a flow log that does not say", async () => {
        const main = vpc("main", "vpc-1");
        const what = cannotJudge(RULE, ["flow log trafficType", main]);
        await pinStack(RULE, [main, flow("f", "vpc-1", WIRE.unknown)], { cannotJudge: [what] });
        await pinStack(RULE, [main, flow("f1", "vpc-1"), flow("f2", "vpc-1", WIRE.unknown)], { cannotJudge: [what] });
    });
});
