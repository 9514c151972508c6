import { defineStackRule } from "../../lib/rule";
import { longestGapDays } from "../../lib/schedule";
import { ROTATION_CLASS_TAG, ROTATION_LIMITS_SCHEMA } from "../../lib/secrets";
import { ofTypes, refersTo } from "../../lib/stack";
import { asNumber, at, isUnknown, tagsOf } from "../../lib/values";

/**
 * SEC-1: every secret has a SecretRotation whose interval (automaticallyAfterDays or schedule) is within
 * the limit of the secret's rotation class (cdk-nag SMG4 and its HIPAA/NIST rotation rules, which only
 * require rotation; the per-class limit comes from the operations documents).
 */
export const secretRotationWithinLimit = defineStackRule({
    name: "secret-rotation-within-limit",
    description: "Every secret has a rotation whose interval is within its rotation class limit (database/JWT/Redis AUTH 90 days, API keys 365).",
    severity: "high",
    enforcementLevel: "mandatory",
    remediation: "Declare aws.secretsmanager.SecretRotation { secretId: secret.id, rotationRules: { automaticallyAfterDays: <= limit } } (RDS-managed secrets rotate through the database's own rotation).",
    requirements: ["SEC-1", "POL-2"],
    config: { limits: { schema: ROTATION_LIMITS_SCHEMA } },
    validate(resources, judge) {
        const limits = judge.record("limits");
        const rotations = ofTypes(resources, ["aws:secretsmanager/secretRotation:SecretRotation"]);
        for (const secret of ofTypes(resources, ["aws:secretsmanager/secret:Secret"])) {
            const tags = tagsOf(secret.props);
            if (tags === undefined || isUnknown(tags[ROTATION_CLASS_TAG])) {
                judge.cannotJudge("the secret's rotation class", secret.urn);
                continue;
            }
            const rotationClass = tags[ROTATION_CLASS_TAG];
            const limit = typeof rotationClass === "string" ? asNumber(limits[rotationClass]) : undefined;
            if (limit === undefined) {
                judge.violation(`secret ${secret.name} has no known ${ROTATION_CLASS_TAG} tag, so no rotation limit applies.`, secret.urn);
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
                judge.violation(`secret ${secret.name}: the rotation has neither automaticallyAfterDays nor scheduleExpression.`, secret.urn);
            } else if (interval > limit) {
                judge.violation(`secret ${secret.name} (${String(rotationClass)}) rotates every ${interval} days; the limit is ${limit}.`, secret.urn);
            }
        }
    },
});
