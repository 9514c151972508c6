import { defineStackRule, type Judge, type StackResourceView } from "../../lib/rule";
import { longestGapDays } from "../../lib/schedule";
import { AGE_ALARM_TAG, EXTERNAL_CLASS, MAX_AGE_TAG, ROTATION_CLASS_TAG, ROTATION_LIMITS_SCHEMA } from "../../lib/secrets";
import { ofTypes, refersTo } from "../../lib/stack";
import { asNumber, at, isUnknown, tagsOf } from "../../lib/values";

/**
 * SEC-1, POL-4: every secret has a SecretRotation whose interval (automaticallyAfterDays or schedule) is within
 * the limit of the secret's rotation class (cdk-nag SMG4 and its HIPAA/NIST rotation rules, which only
 * require rotation; the per-class limit comes from the operations documents). A secret of the `external`
 * class (a vendor-issued key no code of ours can rotate) needs no rotation but a `max-age-days` tag within
 * the limit and an age alarm: an EventBridge rule tagged `age-alarm-for=<secret name>` whose schedule fires
 * within that age. A secret without a known class gets the strictest limit of all classes (fails closed).
 */
export const secretRotationWithinLimit = defineStackRule({
    name: "secret-rotation-within-limit",
    description:
        "Every secret has a rotation whose interval is within its rotation class limit (database/JWT/Redis AUTH 90 days, API keys 365; an unclassified secret the strictest); an external (vendor-issued) secret has an age alarm within its limit instead.",
    severity: "high",
    enforcementLevel: "mandatory",
    remediation:
        "Declare aws.secretsmanager.SecretRotation { secretId: secret.id, rotationRules: { automaticallyAfterDays: <= limit } } (RDS-managed secrets rotate through the database's own rotation); for a vendor-issued key, tag it rotation-class=external and max-age-days=<days> and declare an aws.cloudwatch.EventRule tagged age-alarm-for=<secret name> with a schedule within that age.",
    requirements: ["SEC-1", "POL-2", "POL-4"],
    config: { limits: { schema: ROTATION_LIMITS_SCHEMA } },
    validate(resources, judge) {
        const limits = judge.record("limits");
        const rotations = ofTypes(resources, ["aws:secretsmanager/secretRotation:SecretRotation"]);
        const ageAlarms = ofTypes(resources, ["aws:cloudwatch/eventRule:EventRule"]).filter(
            (r) => tagsOf(r.props)?.[AGE_ALARM_TAG] !== undefined,
        );
        for (const secret of ofTypes(resources, ["aws:secretsmanager/secret:Secret"])) {
            const tags = tagsOf(secret.props);
            if (tags === undefined || isUnknown(tags[ROTATION_CLASS_TAG])) {
                judge.cannotJudge("the secret's rotation class", secret.urn);
                continue;
            }
            const tagged = tags[ROTATION_CLASS_TAG];
            const known = typeof tagged === "string" && asNumber(limits[tagged]) !== undefined;
            // POL-4: an unclassified secret gets the strictest limit of any class (fail closed).
            const strictest = Math.min(...Object.values(limits).map((v) => asNumber(v) ?? Infinity));
            const limit = known ? (asNumber(limits[tagged as string]) as number) : strictest;
            const rotationClass = known ? String(tagged) : `no known ${ROTATION_CLASS_TAG}, so the strictest limit`;
            if (known && tagged === EXTERNAL_CLASS) {
                checkExternal(secret, limit, ageAlarms, judge);
                continue;
            }
            const links = rotations.map((r) => ({ r, link: refersTo(r, "secretId", secret, ["id", "arn", "name"]) }));
            const mine = links.filter((l) => l.link === "yes").map((l) => l.r);
            if (mine.length === 0) {
                if (links.some((l) => l.link === "unknown")) {
                    judge.cannotJudge("which secret a rotation belongs to", secret.urn);
                } else {
                    judge.violation(`secret ${secret.name} (${String(rotationClass)}) has no rotation.`, secret.urn);
                }
                continue;
            }
            const rules = at(mine[0].props, "rotationRules");
            const days = at(rules, "automaticallyAfterDays");
            const schedule = at(rules, "scheduleExpression");
            if (isUnknown(rules) || isUnknown(days) || isUnknown(schedule)) {
                judge.cannotJudge("the rotation interval", secret.urn);
                continue;
            }
            let interval: number | undefined = asNumber(days);
            if (interval === undefined && typeof schedule === "string") {
                const gap = longestGapDays(schedule);
                if (typeof gap !== "number") {
                    judge.violation(`secret ${secret.name}: ${gap.error}.`, secret.urn);
                    continue;
                }
                interval = gap;
            }
            if (interval === undefined) {
                judge.violation(
                    `secret ${secret.name}: the rotation has neither automaticallyAfterDays nor scheduleExpression.`,
                    secret.urn,
                );
            } else if (interval > limit) {
                judge.violation(
                    `secret ${secret.name} (${String(rotationClass)}) rotates every ${interval} days; the limit is ${limit}.`,
                    secret.urn,
                );
            }
        }
    },
});

/** An external secret: a max-age-days tag within the limit, and an age alarm firing within that age. */
function checkExternal(secret: StackResourceView, limit: number, ageAlarms: StackResourceView[], judge: Judge): void {
    const name = at(secret.props, "name");
    const maxAge = asNumber(tagsOf(secret.props)?.[MAX_AGE_TAG]);
    if (isUnknown(name) || isUnknown(tagsOf(secret.props)?.[MAX_AGE_TAG])) {
        judge.cannotJudge("the external secret's name or max-age-days", secret.urn);
        return;
    }
    if (maxAge === undefined || maxAge > limit) {
        judge.violation(`external secret ${secret.name} needs a ${MAX_AGE_TAG} tag of at most ${limit} days.`, secret.urn);
        return;
    }
    const alarms = ageAlarms.filter((r) => tagsOf(r.props)?.[AGE_ALARM_TAG] === name);
    if (alarms.length === 0) {
        if (ageAlarms.some((r) => isUnknown(tagsOf(r.props)?.[AGE_ALARM_TAG])))
            judge.cannotJudge("which secret an age alarm watches", secret.urn);
        else
            judge.violation(
                `external secret ${secret.name} has no age alarm (an EventBridge rule tagged ${AGE_ALARM_TAG}=${String(name)}).`,
                secret.urn,
            );
        return;
    }
    const schedule = at(alarms[0].props, "scheduleExpression");
    if (isUnknown(schedule)) {
        judge.cannotJudge("the age alarm's schedule", secret.urn);
        return;
    }
    const gap = typeof schedule === "string" ? longestGapDays(schedule) : { error: "the age alarm has no scheduleExpression" };
    if (typeof gap !== "number") judge.violation(`external secret ${secret.name}: ${gap.error}.`, secret.urn);
    else if (gap > maxAge)
        judge.violation(
            `external secret ${secret.name}: the age alarm fires every ${gap} days; the limit is ${maxAge}.`,
            secret.urn,
        );
}
