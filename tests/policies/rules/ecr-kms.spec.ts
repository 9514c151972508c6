import { WIRE, cannotJudge, pinResource } from "./pin";

const RULE = "ecr-kms";
const ECR = "aws:ecr/repository:Repository";
const KEY = "arn:aws:kms:eu-west-1:111122223333:key/0b1c2d3e-aaaa-bbbb-cccc-444455556666";
const pin = (config: Record<string, unknown>, verdict: Parameters<typeof pinResource>[3]) =>
    pinResource(RULE, ECR, { name: "api", encryptionConfigurations: [config] }, verdict);

describe(`${RULE}: the first encryption configuration (REG-1)`, () => {
    it("accepts KMS_DSSE, and reports an empty key", async () => {
        await pin({ encryptionType: "KMS_DSSE", kmsKey: KEY }, {});
        await pin(
            { encryptionType: "KMS", kmsKey: "" },
            { violations: ["encryptionConfigurations[0].kmsKey must name a customer-managed KMS key."] },
        );
    });

    it("names the unknown field it cannot judge", async () => {
        await pin(
            { encryptionType: WIRE.unknown, kmsKey: KEY },
            { cannotJudge: [cannotJudge(RULE, "encryptionConfigurations[0].encryptionType")] },
        );
        await pin(
            { encryptionType: "KMS", kmsKey: WIRE.unknown },
            { cannotJudge: [cannotJudge(RULE, "encryptionConfigurations[0].kmsKey")] },
        );
    });
});
