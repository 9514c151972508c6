import { defineResourceRule } from "../../lib/rule";
import { at, isRecord, isUnknown, list } from "../../lib/values";

/** Environment variable names that carry AWS credentials. */
const CREDENTIAL_VARIABLES = ["AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN"];

/**
 * DEP-1, SEC-2, POL-2: the deploy runner's build project (Checkov CKV_AWS_78/147/314/316, cdk-nag CB4, AWSGuard
 * CODEBUILD_*): artifacts and logs encrypted with our key, an unprivileged build container, CloudWatch logs kept,
 * and no AWS credentials as plaintext environment variables (the project's service role provides them).
 */
export const codebuildProjectHardened = defineResourceRule({
    name: "codebuild-project-hardened",
    description:
        "CodeBuild projects set a KMS encryptionKey, run unprivileged, keep CloudWatch logs enabled and hold no plaintext AWS credential variables.",
    severity: "high",
    enforcementLevel: "mandatory",
    remediation:
        "Set encryptionKey to a customer-managed key ARN, environment.privilegedMode false, logsConfig.cloudwatchLogs.status ENABLED, and use the service role instead of credential variables.",
    requirements: ["DEP-1", "SEC-2", "POL-2"],
    resourceTypes: ["aws:codebuild/project:Project"],
    validate({ props }, judge) {
        judge.expect(
            props["encryptionKey"],
            "encryptionKey",
            (v) => typeof v === "string" && v !== "",
            "the project has no encryptionKey: artifacts are encrypted with the AWS-managed S3 key.",
        );
        judge.expect(
            at(props, "environment.privilegedMode"),
            "environment.privilegedMode",
            (v) => v !== true,
            "the build container runs privileged (environment.privilegedMode true).",
        );
        judge.expect(
            at(props, "logsConfig.cloudwatchLogs.status"),
            "logsConfig.cloudwatchLogs.status",
            (v) => v !== "DISABLED",
            "the project's CloudWatch logs are disabled.",
        );
        const variables = at(props, "environment.environmentVariables");
        if (isUnknown(variables)) {
            judge.cannotJudge("environment.environmentVariables");
            return;
        }
        list(variables).forEach((v, i) => {
            if (!isRecord(v)) {
                return;
            }
            const name = v["name"];
            const kind = v["type"];
            if (isUnknown(name) || isUnknown(kind)) {
                judge.cannotJudge(`environment.environmentVariables[${i}]`);
            } else if (
                typeof name === "string" &&
                CREDENTIAL_VARIABLES.includes(name.toUpperCase()) &&
                (kind === undefined || kind === "PLAINTEXT")
            ) {
                judge.violation(
                    `environment.environmentVariables[${i}] passes ${name} as plaintext; use the project's service role.`,
                );
            }
        });
    },
});
