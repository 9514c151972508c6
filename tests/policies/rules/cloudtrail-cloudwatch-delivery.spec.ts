import { WIRE, cannotJudge, pinResource } from "./pin";

const RULE = "cloudtrail-cloudwatch-delivery";
const TRAIL = "aws:cloudtrail/trail:Trail";
const GOOD = {
    enableLogging: true,
    cloudWatchLogsGroupArn: "arn:aws:logs:eu-west-1:111122223333:log-group:cloudtrail:*",
    cloudWatchLogsRoleArn: "arn:aws:iam::111122223333:role/cloudtrail-logs",
};
const STOPPED = "the trail is stopped (enableLogging false).";
const NO_GROUP = "the trail does not deliver to CloudWatch Logs (no cloudWatchLogsGroupArn).";
const NO_ROLE = "the trail has no cloudWatchLogsRoleArn to deliver with.";

describe(`${RULE}: the trail records and reaches CloudWatch Logs (SEC-5)`, () => {
    it("accepts a logging trail with a group and a role, and an unset enableLogging", async () => {
        await pinResource(RULE, TRAIL, GOOD, {});
        await pinResource(RULE, TRAIL, { ...GOOD, enableLogging: undefined }, {});
    });

    it("reports a stopped trail", async () => {
        await pinResource(RULE, TRAIL, { ...GOOD, enableLogging: false }, { violations: [STOPPED] });
    });

    it("reports a missing, empty or non-string group or role", async () => {
        await pinResource(RULE, TRAIL, {}, { violations: [NO_GROUP, NO_ROLE] });
        await pinResource(RULE, TRAIL, { ...GOOD, cloudWatchLogsGroupArn: "" }, { violations: [NO_GROUP] });
        await pinResource(RULE, TRAIL, { ...GOOD, cloudWatchLogsGroupArn: 1 }, { violations: [NO_GROUP] });
        await pinResource(RULE, TRAIL, { ...GOOD, cloudWatchLogsRoleArn: "" }, { violations: [NO_ROLE] });
        await pinResource(RULE, TRAIL, { ...GOOD, cloudWatchLogsRoleArn: 1 }, { violations: [NO_ROLE] });
        await pinResource(
            RULE,
            TRAIL,
            { enableLogging: false, cloudWatchLogsGroupArn: "", cloudWatchLogsRoleArn: "" },
            { violations: [STOPPED, NO_GROUP, NO_ROLE] },
        );
    });

    it("cannot judge unknown values, naming each", async () => {
        await pinResource(
            RULE,
            TRAIL,
            { enableLogging: WIRE.unknown, cloudWatchLogsGroupArn: WIRE.unknown, cloudWatchLogsRoleArn: WIRE.unknown },
            { cannotJudge: [cannotJudge(RULE, "enableLogging", "cloudWatchLogsGroupArn", "cloudWatchLogsRoleArn")] },
        );
    });
});
