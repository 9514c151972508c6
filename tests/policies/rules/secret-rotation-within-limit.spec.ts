import type { PlanResourceState } from "../../../tools/plan/types";
import { WIRE, cannotJudge, pinStack, resource } from "./pin";

const RULE = "secret-rotation-within-limit";
const SECRET = "aws:secretsmanager/secret:Secret";
const ROTATION = "aws:secretsmanager/secretRotation:SecretRotation";
const EVENT_RULE = "aws:cloudwatch/eventRule:EventRule";

const secret = (name: string, tags: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
    resource(SECRET, name, { name: `bookbuddy/${name}`, tags, ...extra });
const rotation = (name: string, secretId: unknown, rules: unknown, deps: Record<string, PlanResourceState[]> = {}) =>
    resource(ROTATION, name, { secretId, rotationRules: rules }, { deps });
const alarm = (name: string, props: Record<string, unknown>) => resource(EVENT_RULE, name, props);

describe(`${RULE}: rotations per class, their links and intervals (SEC-1)`, () => {
    const db = secret("db", { "rotation-class": "database" });

    it("links a rotation to its secret by the secret's id, arn or name", async () => {
        for (const [key, value] of [
            ["id", "secret-id-1"],
            ["arn", "arn:aws:secretsmanager:eu-west-1:111122223333:secret:db-AbCdEf"],
            ["name", "bookbuddy/db"],
        ]) {
            const s = secret("db", { "rotation-class": "database" }, { [key]: value });
            await pinStack(RULE, [s, rotation("r", value, { automaticallyAfterDays: 30 })], {});
        }
    });

    it("reports a secret whose only rotation belongs to another secret, with the exact message", async () => {
        await pinStack(RULE, [db, rotation("r", "bookbuddy/other", { automaticallyAfterDays: 30 })], {
            violations: [[db, "secret db (database) has no rotation."]],
        });
    });

    it("cannot judge when some rotation's secret is unknown, even when another rotation is known to belong elsewhere", async () => {
        await pinStack(
            RULE,
            [
                db,
                rotation("r1", WIRE.unknown, { automaticallyAfterDays: 30 }),
                rotation("r2", "bookbuddy/other", { automaticallyAfterDays: 30 }),
            ],
            { cannotJudge: [cannotJudge(RULE, ["which secret a rotation belongs to", db])] },
        );
    });

    it("accepts exactly the class limit and reports one day more", async () => {
        await pinStack(RULE, [db, rotation("r", "bookbuddy/db", { automaticallyAfterDays: 90 })], {});
        await pinStack(RULE, [db, rotation("r", "bookbuddy/db", { automaticallyAfterDays: 91 })], {
            violations: [[db, "secret db (database) rotates every 91 days; the limit is 90."]],
        });
    });

    it("takes automaticallyAfterDays over a schedule when both are given", async () => {
        await pinStack(
            RULE,
            [db, rotation("r", "bookbuddy/db", { automaticallyAfterDays: 30, scheduleExpression: "rate(400 days)" })],
            {},
        );
    });

    it("reports a rotation with neither an interval nor a schedule", async () => {
        await pinStack(RULE, [db, rotation("r", "bookbuddy/db", {})], {
            violations: [[db, "secret db: the rotation has neither automaticallyAfterDays nor scheduleExpression."]],
        });
    });

    it("cannot judge unknown rotation rules, naming the secret", async () => {
        await pinStack(RULE, [db, rotation("r", "bookbuddy/db", WIRE.unknown)], {
            cannotJudge: [cannotJudge(RULE, ["the rotation interval", db])],
        });
        await pinStack(RULE, [db, rotation("r", "bookbuddy/db", { scheduleExpression: WIRE.unknown })], {
            cannotJudge: [cannotJudge(RULE, ["the rotation interval", db])],
        });
    });

    it("cannot judge a secret whose tags are unknown", async () => {
        const s = resource(SECRET, "db", { name: "bookbuddy/db", tags: WIRE.unknown });
        await pinStack(RULE, [s], { cannotJudge: [cannotJudge(RULE, ["the secret's rotation class", s])] });
    });
});

describe(`${RULE}: external (vendor-issued) secrets and their age alarms (SEC-1)`, () => {
    const NAME = "bookbuddy/maps";
    const key = (maxAge: unknown) => secret("maps", { "rotation-class": "external", "max-age-days": maxAge });
    const ageAlarm = (schedule: unknown, watches: unknown = NAME) =>
        alarm("maps-age", { scheduleExpression: schedule, tags: { "age-alarm-for": watches } });

    it("accepts an alarm firing exactly at the key's maximum age and reports one firing later", async () => {
        await pinStack(RULE, [key("180"), ageAlarm("rate(180 days)")], {});
        const k = key("180");
        await pinStack(RULE, [k, ageAlarm("rate(181 days)")], {
            violations: [[k, "external secret maps: the age alarm fires every 181 days; the limit is 180."]],
        });
    });

    it("accepts a maximum age equal to the class limit and reports one above it", async () => {
        await pinStack(RULE, [key("365"), ageAlarm("rate(365 days)")], {});
        const k = key("366");
        await pinStack(RULE, [k, ageAlarm("rate(30 days)")], {
            violations: [[k, "external secret maps needs a max-age-days tag of at most 365 days."]],
        });
    });

    it("reports an alarm without a schedule and one with an invalid schedule", async () => {
        const k = key("180");
        await pinStack(RULE, [k, alarm("maps-age", { tags: { "age-alarm-for": NAME } })], {
            violations: [[k, "external secret maps: the age alarm has no scheduleExpression."]],
        });
        await pinStack(RULE, [k, ageAlarm("every monday")], {
            violations: [[k, 'external secret maps: "every monday" is neither rate(...) nor cron(...).']],
        });
    });

    it("cannot judge an unknown alarm schedule, an unknown name or an unknown max-age-days", async () => {
        const k = key("180");
        await pinStack(RULE, [k, ageAlarm(WIRE.unknown)], { cannotJudge: [cannotJudge(RULE, ["the age alarm's schedule", k])] });
        const unnamed = resource(SECRET, "maps", {
            name: WIRE.unknown,
            tags: { "rotation-class": "external", "max-age-days": "180" },
        });
        await pinStack(RULE, [unnamed], {
            cannotJudge: [cannotJudge(RULE, ["the external secret's name or max-age-days", unnamed])],
        });
        const unknownAge = key(WIRE.unknown);
        await pinStack(RULE, [unknownAge], {
            cannotJudge: [cannotJudge(RULE, ["the external secret's name or max-age-days", unknownAge])],
        });
    });

    it("cannot judge a missing alarm while some alarm's target is unknown; an alarm of another secret does not count", async () => {
        const k = key("180");
        await pinStack(
            RULE,
            [
                k,
                ageAlarm("rate(30 days)", WIRE.unknown),
                alarm("other-age", { scheduleExpression: "rate(30 days)", tags: { "age-alarm-for": "bookbuddy/other" } }),
            ],
            { cannotJudge: [cannotJudge(RULE, ["which secret an age alarm watches", k])] },
        );
        await pinStack(
            RULE,
            [k, alarm("other-age", { scheduleExpression: "rate(30 days)", tags: { "age-alarm-for": "bookbuddy/other" } })],
            {
                violations: [
                    [k, "external secret maps has no age alarm (an EventBridge rule tagged age-alarm-for=bookbuddy/maps)."],
                ],
            },
        );
    });

    it("is not confused by event rules whose tags are unknown or absent", async () => {
        const k = key("180");
        await pinStack(
            RULE,
            [
                k,
                ageAlarm("rate(30 days)"),
                alarm("untagged", { scheduleExpression: "rate(1 day)" }),
                alarm("unknown-tags", { scheduleExpression: "rate(1 day)", tags: WIRE.unknown }),
            ],
            {},
        );
    });
});
