import { WIRE, cannotJudge, pinResource } from "./pin";

const RULE = "eks-endpoint-restricted";
const EKS = "aws:eks/cluster:Cluster";
const pin = (publicAccessCidrs: unknown[], verdict: Parameters<typeof pinResource>[3]) =>
    pinResource(
        RULE,
        EKS,
        {
            name: "bookbuddy",
            vpcConfig: { subnetIds: ["subnet-a"], endpointPrivateAccess: true, endpointPublicAccess: true, publicAccessCidrs },
        },
        verdict,
    );

describe(`${RULE}: every public CIDR counts (K8S-1)`, () => {
    it("reports the world among listed ranges", async () => {
        await pin(["203.0.113.0/24", "0.0.0.0/0"], {
            violations: [
                "the public endpoint is open to the internet: set endpointPublicAccess: false or restrict publicAccessCidrs.",
            ],
        });
    });

    it("cannot judge a list with one unknown range", async () => {
        await pin(["203.0.113.0/24", WIRE.unknown], { cannotJudge: [cannotJudge(RULE, "vpcConfig.publicAccessCidrs")] });
    });
});
