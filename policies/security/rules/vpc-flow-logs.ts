import { defineStackRule } from "../../lib/rule";
import { ofTypes, refersTo } from "../../lib/stack";

/** NET-1: every VPC has a flow log capturing ALL traffic (AWSGuard, cdk-nag VPC7, Checkov CKV2_AWS_11). */
export const vpcFlowLogs = defineStackRule({
    name: "vpc-flow-logs",
    description: "Every VPC has a flow log with trafficType ALL.",
    severity: "high",
    enforcementLevel: "mandatory",
    remediation:
        'Declare aws.ec2.FlowLog { vpcId: vpc.id, trafficType: "ALL" } into a 90-day log group or the log archive bucket.',
    requirements: ["NET-1"],
    validate(resources, judge) {
        const flowLogs = ofTypes(resources, ["aws:ec2/flowLog:FlowLog"]);
        for (const vpc of ofTypes(resources, ["aws:ec2/vpc:Vpc"])) {
            const links = flowLogs.map((f) => ({ f, link: refersTo(f, "vpcId", vpc, ["id"]) }));
            const mine = links.filter((l) => l.link === "yes").map((l) => l.f);
            if (mine.length === 0) {
                if (links.some((l) => l.link === "unknown")) {
                    judge.cannotJudge("which VPC a flow log belongs to", vpc.urn);
                } else {
                    judge.violation(`VPC ${vpc.name} has no flow log.`, vpc.urn);
                }
                continue;
            }
            const traffic = mine.map((f) => f.props["trafficType"]);
            if (!traffic.includes("ALL")) {
                judge.expect(
                    traffic.find((t) => t !== undefined),
                    "flow log trafficType",
                    () => false,
                    `VPC ${vpc.name}: flow logs must capture trafficType ALL.`,
                    vpc.urn,
                );
            }
        }
    },
});
