import { WIRE, cannotJudge, pinResource } from "./pin";

const RULE = "eks-secrets-encryption";
const EKS = "aws:eks/cluster:Cluster";
const KEY = "arn:aws:kms:eu-west-1:111122223333:key/0b1c2d3e-aaaa-bbbb-cccc-444455556666";
const NO_KEY = "encryptionConfig.provider.keyArn must name a KMS key.";

describe(`${RULE}: envelope encryption of Kubernetes secrets (K8S-1)`, () => {
    it("reports a null encryptionConfig as missing", async () => {
        await pinResource(
            RULE,
            EKS,
            { name: "bookbuddy", encryptionConfig: null },
            { violations: ["encryptionConfig is missing: secrets are stored without envelope encryption."] },
        );
    });

    it("cannot judge unknown resources even with a known key", async () => {
        await pinResource(
            RULE,
            EKS,
            { name: "bookbuddy", encryptionConfig: { resources: WIRE.unknown, provider: { keyArn: KEY } } },
            { cannotJudge: [cannotJudge(RULE, "encryptionConfig.resources")] },
        );
    });

    it("reports an empty or non-string key, and cannot judge an unknown one", async () => {
        for (const keyArn of ["", 5]) {
            await pinResource(
                RULE,
                EKS,
                { name: "bookbuddy", encryptionConfig: { resources: ["secrets"], provider: { keyArn } } },
                { violations: [NO_KEY] },
            );
        }
        await pinResource(
            RULE,
            EKS,
            { name: "bookbuddy", encryptionConfig: { resources: ["secrets"], provider: { keyArn: WIRE.unknown } } },
            { cannotJudge: [cannotJudge(RULE, "encryptionConfig.provider.keyArn")] },
        );
    });
});
