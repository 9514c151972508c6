import { pinResource } from "./pin";

const RULE = "kms-key-rotation";
const KEY = "aws:kms/key:Key";

describe(`${RULE}: which keys must rotate, and the longest period (SEC-3)`, () => {
    it("leaves asymmetric and HMAC keys alone, by either spec property", async () => {
        await pinResource(RULE, KEY, { keySpec: "RSA_2048", keyUsage: "SIGN_VERIFY" }, {});
        await pinResource(RULE, KEY, { customerMasterKeySpec: "HMAC_256", keyUsage: "GENERATE_VERIFY_MAC" }, {});
    });

    it("judges a SYMMETRIC_DEFAULT key like a key without a spec", async () => {
        await pinResource(RULE, KEY, { keySpec: "SYMMETRIC_DEFAULT" }, { violations: ["enableKeyRotation must be true."] });
    });

    it("accepts exactly the longest period and reports one day more", async () => {
        await pinResource(RULE, KEY, { enableKeyRotation: true, rotationPeriodInDays: 365 }, {});
        await pinResource(
            RULE,
            KEY,
            { enableKeyRotation: true, rotationPeriodInDays: 366 },
            { violations: ["rotationPeriodInDays must be at most 365."] },
        );
    });
});
