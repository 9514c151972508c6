import { rdsOk } from "../cases";
import { pinStack, resource, type Verdict } from "./pin";

const RULE = "backup-coverage";
const store = (tags: Record<string, string>) => resource("aws:rds/instance:Instance", "db", { ...rdsOk, tags });
const uncovered = (why: string): Verdict => ({
    violations: [[store({}), `db holds primary data (it ${why}) but no backup selection (with its plan) covers it.`]],
});

describe(`${RULE}: a store leaves the primary class only with a class and a reason (BKP-1, POL-4)`, () => {
    it("treats a store with a reason but no data-class tag as primary, and says so", async () => {
        await pinStack(
            RULE,
            [store({ "data-class-reason": "rebuilt from the catalogue" })],
            uncovered("has no data-class tag, so it is treated as primary"),
        );
    });

    it("treats a non-primary class without a reason, or with a blank one, as primary, and names the missing tag", async () => {
        const why = "data-class=cache has no data-class-reason tag, so it is treated as primary";
        await pinStack(RULE, [store({ "data-class": "cache" })], uncovered(why));
        await pinStack(RULE, [store({ "data-class": "cache", "data-class-reason": "   " })], uncovered(why));
    });

    it("lets a non-primary class with a written reason go without a backup", async () => {
        await pinStack(RULE, [store({ "data-class": "cache", "data-class-reason": "rebuilt from the catalogue" })], {});
    });
});

describe(`${RULE}: a reason never excuses the primary class itself (BKP-1, POL-4)`, () => {
    it("still requires a backup of a store tagged primary with a reason", async () => {
        await pinStack(
            RULE,
            [store({ "data-class": "primary", "data-class-reason": "orders and loans" })],
            uncovered("is tagged primary"),
        );
    });
});
