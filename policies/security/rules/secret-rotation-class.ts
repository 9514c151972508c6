import { defineResourceRule } from "../../lib/rule";
import { ROTATION_CLASS_TAG, ROTATION_LIMITS_SCHEMA } from "../../lib/secrets";
import { tagsOf } from "../../lib/values";

/** SEC-1: every secret says which rotation class (and so which interval limit) applies to it. */
export const secretRotationClass = defineResourceRule({
    name: "secret-rotation-class",
    description: `Secrets carry a '${ROTATION_CLASS_TAG}' tag naming a known rotation class (database, jwt, api-key, redis-auth).`,
    severity: "medium",
    enforcementLevel: "mandatory",
    remediation: `Tag the secret ${ROTATION_CLASS_TAG}=<class>; add a class to the policy config (limits) only with its limit.`,
    requirements: ["SEC-1"],
    config: { limits: { schema: ROTATION_LIMITS_SCHEMA } },
    resourceTypes: ["aws:secretsmanager/secret:Secret"],
    validate({ props }, judge) {
        const tags = tagsOf(props);
        if (tags === undefined) {
            judge.cannotJudge("tags");
            return;
        }
        const classes = Object.keys(judge.record("limits"));
        judge.expect(
            tags[ROTATION_CLASS_TAG],
            `tags.${ROTATION_CLASS_TAG}`,
            (v) => typeof v === "string" && classes.includes(v),
            `tag ${ROTATION_CLASS_TAG} must be one of ${classes.join(", ")}.`,
        );
    },
});
