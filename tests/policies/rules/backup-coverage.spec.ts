import type { PlanResourceState } from "../../../tools/plan/types";
import { rdsOk } from "../cases";
import { WIRE, cannotJudge, pinStack, resource } from "./pin";

const RULE = "backup-coverage";
const db = resource("aws:rds/instance:Instance", "db", rdsOk);
const plan = (deleteAfter: unknown) =>
    resource("aws:backup/plan:Plan", "daily", {
        name: "daily",
        rules: [{ ruleName: "database", targetVaultName: "v", schedule: "cron(0 3 * * ? *)", lifecycle: { deleteAfter } }],
    });
const selection = (p: PlanResourceState | undefined, selectionTags: unknown) =>
    resource(
        "aws:backup/selection:Selection",
        "sel",
        { planId: WIRE.unknown, iamRoleArn: "arn:aws:iam::111122223333:role/backup", selectionTags },
        p ? { deps: { planId: [p] } } : {},
    );
const BY_TAG = [{ type: "STRINGEQUALS", key: "backup", value: "database" }];
const CANNOT = cannotJudge(RULE, ["backup selection or plan retention", db]);

describe(`${RULE}: what it cannot judge and the zero-day boundary (BKP-1)`, () => {
    it("cannot judge a selection whose tags are unknown", async () => {
        await pinStack(RULE, [db, selection(plan(30), WIRE.unknown)], { cannotJudge: [CANNOT] });
    });

    it("cannot judge a covering selection whose plan is unknown", async () => {
        await pinStack(RULE, [db, plan(30), selection(undefined, BY_TAG)], { cannotJudge: [CANNOT] });
    });

    it("cannot judge a plan whose retention is unknown", async () => {
        const p = plan(WIRE.unknown);
        await pinStack(RULE, [db, p, selection(p, BY_TAG)], { cannotJudge: [CANNOT] });
    });

    it("reports a plan keeping zero days as too short, not as missing, and accepts exactly the required days", async () => {
        const zero = plan(0);
        await pinStack(RULE, [db, zero, selection(zero, BY_TAG)], {
            violations: [[db, "db holds primary data (it is tagged primary) and is backed up for 0 days; 30 are required."]],
        });
        const exact = plan(30);
        await pinStack(RULE, [db, exact, selection(exact, BY_TAG)], {});
    });
});
