import { defineResourceRule } from "../../lib/rule";
import { isUnknown, list } from "../../lib/values";

const SUBNET = "aws:ec2/subnet:Subnet";
const LAUNCH_TEMPLATE = "aws:ec2/launchTemplate:LaunchTemplate";

/**
 * NET-1, POL-2: nothing gets a public address by default (Checkov CKV_AWS_130/88, AWSGuard
 * SUBNET_AUTO_ASSIGN_PUBLIC_IP_DISABLED, Pulumi aws-ec2-launchtemplate-disallow-public-ip): subnets do not map public
 * IPs on launch, and launch templates do not associate one; public entry is the ALB and CloudFront only.
 */
export const noPublicIpOnLaunch = defineResourceRule({
    name: "no-public-ip-on-launch",
    description:
        "Subnets do not assign public IPv4 addresses on launch, and launch templates' network interfaces do not associate one.",
    severity: "high",
    enforcementLevel: "mandatory",
    remediation:
        "Set mapPublicIpOnLaunch false on subnets and associatePublicIpAddress false (or leave it unset) on launch template network interfaces.",
    requirements: ["NET-1", "POL-2"],
    resourceTypes: [SUBNET, LAUNCH_TEMPLATE],
    validate({ type, props }, judge) {
        if (type === SUBNET) {
            judge.expect(
                props["mapPublicIpOnLaunch"],
                "mapPublicIpOnLaunch",
                (v) => v !== true,
                "the subnet assigns a public IPv4 address to every instance launched in it.",
            );
            return;
        }
        const interfaces = props["networkInterfaces"];
        if (isUnknown(interfaces)) {
            judge.cannotJudge("networkInterfaces");
            return;
        }
        list(interfaces).forEach((n, i) => {
            const value =
                typeof n === "object" && n !== null ? (n as Record<string, unknown>)["associatePublicIpAddress"] : undefined;
            judge.expect(
                value,
                `networkInterfaces[${i}].associatePublicIpAddress`,
                (v) => v !== true && v !== "true",
                `networkInterfaces[${i}] associates a public IPv4 address.`,
            );
        });
    },
});
