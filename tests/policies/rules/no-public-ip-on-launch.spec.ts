import { WIRE, cannotJudge, pinResource } from "./pin";

const RULE = "no-public-ip-on-launch";
const SUBNET = "aws:ec2/subnet:Subnet";
const TEMPLATE = "aws:ec2/launchTemplate:LaunchTemplate";
const MAPS = "the subnet assigns a public IPv4 address to every instance launched in it.";
const associates = (i: number) => `networkInterfaces[${i}] associates a public IPv4 address.`;

describe(`${RULE}: nothing gets a public address by default (NET-1)`, () => {
    it("reports a subnet that maps public IPs on launch, and only that", async () => {
        await pinResource(RULE, SUBNET, { mapPublicIpOnLaunch: true }, { violations: [MAPS] });
        await pinResource(RULE, SUBNET, { mapPublicIpOnLaunch: false }, {});
        await pinResource(RULE, SUBNET, {}, {});
        await pinResource(
            RULE,
            SUBNET,
            { mapPublicIpOnLaunch: false, networkInterfaces: [{ associatePublicIpAddress: true }] },
            {},
        );
    });

    it("cannot judge an unknown mapPublicIpOnLaunch", async () => {
        await pinResource(
            RULE,
            SUBNET,
            { mapPublicIpOnLaunch: WIRE.unknown },
            { cannotJudge: [cannotJudge(RULE, "mapPublicIpOnLaunch")] },
        );
    });

    it("judges launch templates by their network interfaces, not by mapPublicIpOnLaunch", async () => {
        await pinResource(RULE, TEMPLATE, { mapPublicIpOnLaunch: true }, {});
        await pinResource(RULE, TEMPLATE, { networkInterfaces: [] }, {});
    });

    it("reports each interface that associates a public address, as a boolean or a string", async () => {
        await pinResource(
            RULE,
            TEMPLATE,
            {
                networkInterfaces: [
                    { associatePublicIpAddress: false },
                    { associatePublicIpAddress: true },
                    { associatePublicIpAddress: "true" },
                    { associatePublicIpAddress: "false" },
                    {},
                    null,
                    undefined,
                    "eni-0123",
                ],
            },
            { violations: [associates(1), associates(2)] },
        );
        await pinResource(
            RULE,
            TEMPLATE,
            { networkInterfaces: { associatePublicIpAddress: true } },
            { violations: [associates(0)] },
        );
    });

    it("cannot judge unknown interfaces or an unknown association, and still reports the known ones", async () => {
        await pinResource(
            RULE,
            TEMPLATE,
            { networkInterfaces: WIRE.unknown },
            { cannotJudge: [cannotJudge(RULE, "networkInterfaces")] },
        );
        await pinResource(
            RULE,
            TEMPLATE,
            { networkInterfaces: [{ associatePublicIpAddress: WIRE.unknown }, { associatePublicIpAddress: true }] },
            {
                violations: [associates(1)],
                cannotJudge: [cannotJudge(RULE, "networkInterfaces[0].associatePublicIpAddress")],
            },
        );
    });
});
