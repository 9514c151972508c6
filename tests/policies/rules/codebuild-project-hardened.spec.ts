import { WIRE, cannotJudge, pinResource } from "./pin";

const RULE = "codebuild-project-hardened";
const TYPE = "aws:codebuild/project:Project";
const KEY = "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab";
const project = (over: Record<string, unknown> = {}, environment: Record<string, unknown> = {}) => ({
    name: "deploy-runner",
    serviceRole: "arn:aws:iam::111122223333:role/deploy-runner",
    encryptionKey: KEY,
    environment: {
        computeType: "BUILD_GENERAL1_SMALL",
        image: "aws/codebuild/standard:7.0",
        type: "LINUX_CONTAINER",
        privilegedMode: false,
        ...environment,
    },
    logsConfig: { cloudwatchLogs: { status: "ENABLED", groupName: "/bookbuddy/deploy-runner" } },
    ...over,
});
const pin = (props: Record<string, unknown>, verdict: Parameters<typeof pinResource>[3]) =>
    pinResource(RULE, TYPE, props, verdict);
const variables = (...environmentVariables: unknown[]) => project({}, { environmentVariables });
const plaintext = (i: number, name: string) =>
    `environment.environmentVariables[${i}] passes ${name} as plaintext; use the project's service role.`;

describe(`${RULE}: encryption, privileges and logs (DEP-1, SEC-2, POL-2)`, () => {
    it("accepts the hardened project, and logs or privileges left to their defaults", async () => {
        await pin(project(), {});
        await pin(project({ logsConfig: undefined }, { privilegedMode: undefined }), {});
    });

    it("reports a missing or empty key, a privileged container and disabled logs, each with its message", async () => {
        const NO_KEY = "the project has no encryptionKey: artifacts are encrypted with the AWS-managed S3 key.";
        await pin(project({ encryptionKey: undefined }), { violations: [NO_KEY] });
        await pin(project({ encryptionKey: "" }), { violations: [NO_KEY] });
        await pin(project({}, { privilegedMode: true }), {
            violations: ["the build container runs privileged (environment.privilegedMode true)."],
        });
        await pin(project({ logsConfig: { cloudwatchLogs: { status: "DISABLED" } } }), {
            violations: ["the project's CloudWatch logs are disabled."],
        });
    });

    it("cannot judge an unknown key, privilege flag or log status", async () => {
        await pin(project({ encryptionKey: WIRE.unknown }), { cannotJudge: [cannotJudge(RULE, "encryptionKey")] });
        await pin(project({}, { privilegedMode: WIRE.unknown }), {
            cannotJudge: [cannotJudge(RULE, "environment.privilegedMode")],
        });
        await pin(project({ logsConfig: { cloudwatchLogs: { status: WIRE.unknown } } }), {
            cannotJudge: [cannotJudge(RULE, "logsConfig.cloudwatchLogs.status")],
        });
    });
});

describe(`${RULE}: no AWS credentials as plaintext variables (DEP-1, SEC-2)`, () => {
    it("accepts other variables, credentials from Parameter Store or Secrets Manager, nameless entries and non-entries", async () => {
        await pin(
            variables(
                { name: "STAGE", value: "prod" },
                { name: "AWS_ACCESS_KEY_ID", value: "/deploy/key", type: "PARAMETER_STORE" },
                { name: "AWS_SECRET_ACCESS_KEY", value: "deploy:secret", type: "SECRETS_MANAGER" },
                { value: "x", type: "PLAINTEXT" },
                null,
                "text",
            ),
            {},
        );
    });

    it("reports each credential variable passed as plaintext, explicit or by default, whatever its case", async () => {
        await pin(
            variables(
                { name: "STAGE", value: "prod" },
                { name: "AWS_ACCESS_KEY_ID", value: "AKIA", type: "PLAINTEXT" },
                { name: "aws_secret_access_key", value: "s" },
                { name: "AWS_SESSION_TOKEN", value: "t" },
            ),
            {
                violations: [
                    plaintext(1, "AWS_ACCESS_KEY_ID"),
                    plaintext(2, "aws_secret_access_key"),
                    plaintext(3, "AWS_SESSION_TOKEN"),
                ],
            },
        );
    });

    it("cannot judge unknown variables, or a variable whose name or type is unknown", async () => {
        await pin(project({}, { environmentVariables: WIRE.unknown }), {
            cannotJudge: [cannotJudge(RULE, "environment.environmentVariables")],
        });
        await pin(variables({ name: "STAGE", value: "prod" }, { name: WIRE.unknown, value: "v", type: "PLAINTEXT" }), {
            cannotJudge: [cannotJudge(RULE, "environment.environmentVariables[1]")],
        });
        await pin(variables({ name: "AWS_ACCESS_KEY_ID", value: "v", type: WIRE.unknown }), {
            cannotJudge: [cannotJudge(RULE, "environment.environmentVariables[0]")],
        });
    });

    it("still reports the other findings when the variables are unknown", async () => {
        await pin(project({ encryptionKey: undefined }, { environmentVariables: WIRE.unknown }), {
            violations: ["the project has no encryptionKey: artifacts are encrypted with the AWS-managed S3 key."],
            cannotJudge: [cannotJudge(RULE, "environment.environmentVariables")],
        });
    });
});
