import { WIRE, cannotJudge, pinResource } from "./pin";

const RULE = "kms-key-policy-safe";
const KEY = "aws:kms/key:Key";
const POLICY = JSON.stringify({
    Version: "2012-10-17",
    Statement: [{ Effect: "Allow", Principal: { AWS: "arn:aws:iam::111122223333:root" }, Action: "kms:*", Resource: "*" }],
});
const GOOD = { policy: POLICY, description: "Bookbuddy uploads" };
const NO_POLICY = "the key has no explicit key policy (the default grants the whole account).";
const BYPASS = "the key bypasses the policy lockout safety check.";
const DISABLED = "the key is disabled.";
const NO_DESCRIPTION = "the key has no description of what it protects.";

describe(`${RULE}: keys stay usable and manageable (SEC-3)`, () => {
    it("accepts a described key with a policy, explicit safe flags or none", async () => {
        await pinResource(RULE, KEY, GOOD, {});
        await pinResource(RULE, KEY, { ...GOOD, bypassPolicyLockoutSafetyCheck: false, isEnabled: true }, {});
        await pinResource(RULE, KEY, { ...GOOD, policy: { Version: "2012-10-17", Statement: [] } }, {});
    });

    it("reports a missing, null, empty or blank policy", async () => {
        await pinResource(RULE, KEY, { description: GOOD.description }, { violations: [NO_POLICY] });
        await pinResource(RULE, KEY, { ...GOOD, policy: null }, { violations: [NO_POLICY] });
        await pinResource(RULE, KEY, { ...GOOD, policy: "" }, { violations: [NO_POLICY] });
        await pinResource(RULE, KEY, { ...GOOD, policy: " \n" }, { violations: [NO_POLICY] });
    });

    it("reports a bypassed lockout check and a disabled key", async () => {
        await pinResource(RULE, KEY, { ...GOOD, bypassPolicyLockoutSafetyCheck: true }, { violations: [BYPASS] });
        await pinResource(RULE, KEY, { ...GOOD, isEnabled: false }, { violations: [DISABLED] });
    });

    it("reports a missing, blank or non-string description", async () => {
        await pinResource(RULE, KEY, { policy: POLICY }, { violations: [NO_DESCRIPTION] });
        await pinResource(RULE, KEY, { ...GOOD, description: "  " }, { violations: [NO_DESCRIPTION] });
        await pinResource(RULE, KEY, { ...GOOD, description: 7 }, { violations: [NO_DESCRIPTION] });
    });

    it("reports every failing check of one key, in order", async () => {
        await pinResource(
            RULE,
            KEY,
            { bypassPolicyLockoutSafetyCheck: true, isEnabled: false },
            { violations: [NO_POLICY, BYPASS, DISABLED, NO_DESCRIPTION] },
        );
    });

    it("cannot judge unknown values, naming each", async () => {
        await pinResource(
            RULE,
            KEY,
            {
                policy: WIRE.unknown,
                bypassPolicyLockoutSafetyCheck: WIRE.unknown,
                isEnabled: WIRE.unknown,
                description: WIRE.unknown,
            },
            { cannotJudge: [cannotJudge(RULE, "policy", "bypassPolicyLockoutSafetyCheck", "isEnabled", "description")] },
        );
    });
});
