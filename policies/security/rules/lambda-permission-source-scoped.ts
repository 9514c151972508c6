import { defineResourceRule } from "../../lib/rule";
import { isUnknown } from "../../lib/values";

/**
 * SEC-4, POL-2: a service may invoke a function only on behalf of our account or resource (Checkov CKV_AWS_364,
 * Pulumi aws-lambda-permission-configure-source-arn): without sourceArn or sourceAccount, any account's resource
 * of that service could invoke it (the confused-deputy problem).
 */
export const lambdaPermissionSourceScoped = defineResourceRule({
    name: "lambda-permission-source-scoped",
    description: "Lambda permissions granted to an AWS service principal carry a sourceArn or a sourceAccount.",
    severity: "high",
    enforcementLevel: "mandatory",
    remediation:
        "Set sourceArn to the invoking resource (or sourceAccount to this account when the service gives no resource ARN).",
    requirements: ["SEC-4", "POL-2"],
    resourceTypes: ["aws:lambda/permission:Permission"],
    validate({ props }, judge) {
        const principal = props["principal"];
        if (isUnknown(principal)) {
            judge.cannotJudge("principal");
            return;
        }
        if (typeof principal !== "string" || !principal.endsWith(".amazonaws.com")) {
            return;
        }
        const arn = props["sourceArn"];
        const account = props["sourceAccount"];
        if ((arn === undefined || arn === "") && (account === undefined || account === "")) {
            judge.violation(
                `the permission for ${principal} has neither sourceArn nor sourceAccount: any account's ${principal.split(".")[0]} resource could invoke the function.`,
            );
        } else if ((arn === undefined || isUnknown(arn)) && (account === undefined || isUnknown(account))) {
            judge.cannotJudge("sourceArn / sourceAccount");
        }
    },
});
