import { WIRE, cannotJudge, pinResource } from "./pin";

const RULE = "eks-nodegroup-launch-template";
const NG = "aws:eks/nodeGroup:NodeGroup";
const MISSING = "launchTemplate is missing: the default template does not require IMDSv2 or encrypt volumes.";
const NO_ID = "launchTemplate needs an id or name.";
const pin = (props: Record<string, unknown>, verdict: Parameters<typeof pinResource>[3]) =>
    pinResource(RULE, NG, { clusterName: "bookbuddy", nodeRoleArn: "arn:aws:iam::111122223333:role/nodes", ...props }, verdict);

describe(`${RULE}: the launch template reference and SSH access (K8S-1)`, () => {
    it("reports a null template once, as missing", async () => {
        await pin({ launchTemplate: null }, { violations: [MISSING] });
    });

    it("reports an empty template {}, an empty id and an id that is not a string", async () => {
        await pin({ launchTemplate: {} }, { violations: [NO_ID] });
        await pin({ launchTemplate: { id: "", version: "1" } }, { violations: [NO_ID] });
        await pin({ launchTemplate: { id: 5, version: "1" } }, { violations: [NO_ID] });
    });

    it("accepts a template by name, and a null remoteAccess", async () => {
        await pin({ launchTemplate: { name: "bookbuddy-nodes", version: "1" }, remoteAccess: null }, {});
    });

    it("reports remote access exactly and cannot judge an unknown template id", async () => {
        await pin(
            { launchTemplate: { id: "lt-1", version: "1" }, remoteAccess: { ec2SshKey: "ops" } },
            { violations: ["remoteAccess opens SSH to the nodes; use SSM Session Manager instead."] },
        );
        await pin(
            { launchTemplate: { id: WIRE.unknown, version: "1" } },
            { cannotJudge: [cannotJudge(RULE, "launchTemplate.id")] },
        );
    });
});
