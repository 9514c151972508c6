import { defineResourceRule } from "../../lib/rule";
import { isRecord, isUnknown, list } from "../../lib/values";

/**
 * DB-1: TLS enforced through a custom PostgreSQL parameter group with rds.force_ssl=1, and every instance uses a custom (non-default) parameter group.
 */
export const rdsForceSsl = defineResourceRule({
    name: "rds-force-ssl",
    description: "PostgreSQL parameter groups set rds.force_ssl=1 and RDS instances use such a custom group.",
    severity: "high",
    enforcementLevel: "mandatory",
    remediation:
        "Create an aws.rds.ParameterGroup with a postgres family and parameter rds.force_ssl = 1, and set the instance's parameterGroupName to it.",
    requirements: ["DB-1"],
    resourceTypes: ["aws:rds/parameterGroup:ParameterGroup", "aws:rds/instance:Instance"],
    validate({ type, props }, judge) {
        if (type === "aws:rds/instance:Instance") {
            judge.expect(
                props["parameterGroupName"],
                "parameterGroupName",
                (v) => typeof v === "string" && v !== "" && !v.startsWith("default."),
                "parameterGroupName must name a custom parameter group (the default group cannot force TLS).",
            );
            return;
        }
        judge.expect(
            props["family"],
            "family",
            (v) => typeof v === "string" && v.startsWith("postgres"),
            "family must be a postgres family (e.g. postgres16).",
        );
        const parameters = props["parameters"];
        if (isUnknown(parameters)) {
            judge.cannotJudge("parameters");
            return;
        }
        const forceSsl = list(parameters)
            .filter(isRecord)
            .find((p) => p["name"] === "rds.force_ssl");
        if (!forceSsl) {
            judge.violation("parameter rds.force_ssl is missing; set it to 1.");
            return;
        }
        judge.expect(forceSsl["value"], "parameters[rds.force_ssl].value", (v) => String(v) === "1", "rds.force_ssl must be 1.");
    },
});
