import { WIRE, cannotJudge, pinResource } from "./pin";

const RULE = "waf-managed-rules";
const TYPE = "aws:wafv2/webAcl:WebAcl";
const COMMON = "AWSManagedRulesCommonRuleSet";
const BAD_INPUTS = "AWSManagedRulesKnownBadInputsRuleSet";
const managed = (name: unknown, over: Record<string, unknown> = {}) => ({
    name: `aws-${String(name)}`,
    priority: 1,
    overrideAction: { none: {} },
    statement: { managedRuleGroupStatement: { name, vendorName: "AWS" } },
    ...over,
});
const rateLimit = (over: Record<string, unknown> = {}) => ({
    name: "rate-limit",
    priority: 10,
    action: { block: {} },
    statement: { rateBasedStatement: { limit: 2000, aggregateKeyType: "IP" } },
    ...over,
});
const pin = (rules: unknown, verdict: Parameters<typeof pinResource>[3]) =>
    pinResource(RULE, TYPE, { scope: "REGIONAL", defaultAction: { allow: {} }, rules }, verdict);
const lacks = (...groups: string[]) => `the web ACL lacks the managed rule groups ${groups.join(", ")}.`;

describe(`${RULE}: the required managed rule groups (EDGE-1, POL-2)`, () => {
    it("accepts both groups next to other rules and entries that are not rules", async () => {
        await pin([managed(COMMON), managed(BAD_INPUTS), rateLimit()], {});
        await pin([null, "text", managed(BAD_INPUTS), managed(COMMON)], {});
    });

    it("names every missing group, in order, for no rules, one group only, or groups of other names", async () => {
        await pin([], { violations: [lacks(COMMON, BAD_INPUTS)] });
        await pin(undefined, { violations: [lacks(COMMON, BAD_INPUTS)] });
        await pin([managed(COMMON)], { violations: [lacks(BAD_INPUTS)] });
        await pin([managed(BAD_INPUTS)], { violations: [lacks(COMMON)] });
        await pin([managed("AWSManagedRulesSQLiRuleSet"), managed(42), rateLimit()], { violations: [lacks(COMMON, BAD_INPUTS)] });
    });

    it("cannot judge unknown rules, an unknown rule or an unknown group name while a group is missing", async () => {
        await pin(WIRE.unknown, { cannotJudge: [cannotJudge(RULE, "rules")] });
        await pin([WIRE.unknown, managed(COMMON)], { cannotJudge: [cannotJudge(RULE, "rules (managed rule groups)")] });
        await pin([managed(WIRE.unknown), managed(BAD_INPUTS)], {
            cannotJudge: [cannotJudge(RULE, "rules (managed rule groups)")],
        });
    });

    it("judges the groups when the unknown parts cannot change the verdict", async () => {
        await pin([WIRE.unknown, managed(COMMON), managed(BAD_INPUTS)], {});
        await pin([managed(WIRE.unknown), managed(COMMON), managed(BAD_INPUTS)], {});
    });
});

describe(`${RULE}: every rule has an action (EDGE-1, POL-2)`, () => {
    const groups = [managed(COMMON), managed(BAD_INPUTS)];

    it("accepts an action or an override action", async () => {
        await pin([...groups, rateLimit(), rateLimit({ action: undefined, overrideAction: { count: {} } })], {});
    });

    it("reports a rule with neither, with its name when it has one", async () => {
        await pin([...groups, rateLimit({ action: undefined })], {
            violations: ["rules[2] (rate-limit) has neither an action nor an override action."],
        });
        await pin([rateLimit({ name: undefined, action: "block" }), ...groups], {
            violations: ["rules[0] has neither an action nor an override action."],
        });
        await pin([managed(COMMON, { name: 7, overrideAction: undefined }), managed(BAD_INPUTS)], {
            violations: ["rules[0] has neither an action nor an override action."],
        });
    });

    it("cannot judge a rule whose action or override action is unknown", async () => {
        await pin([...groups, rateLimit({ action: WIRE.unknown })], { cannotJudge: [cannotJudge(RULE, "rules[2] action")] });
        await pin([managed(COMMON, { overrideAction: WIRE.unknown }), managed(BAD_INPUTS)], {
            cannotJudge: [cannotJudge(RULE, "rules[0] action")],
        });
    });
});
