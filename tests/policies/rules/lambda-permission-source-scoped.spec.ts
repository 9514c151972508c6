import { WIRE, cannotJudge, pinResource } from "./pin";

const RULE = "lambda-permission-source-scoped";
const PERMISSION = "aws:lambda/permission:Permission";
const ARN = "arn:aws:s3:::bookbuddy-uploads";
const ACCOUNT = "111122223333";
const unscoped = (principal: string, service: string) =>
    `the permission for ${principal} has neither sourceArn nor sourceAccount: any account's ${service} resource could invoke the function.`;
const CANNOT = cannotJudge(RULE, "sourceArn / sourceAccount");

describe(`${RULE}: service principals scoped to our resource or account (SEC-4)`, () => {
    it("cannot judge an unknown principal", async () => {
        await pinResource(RULE, PERMISSION, { principal: WIRE.unknown }, { cannotJudge: [cannotJudge(RULE, "principal")] });
    });

    it("leaves account principals, a missing principal and a bare amazonaws.com alone", async () => {
        await pinResource(RULE, PERMISSION, { principal: ACCOUNT }, {});
        await pinResource(RULE, PERMISSION, {}, {});
        await pinResource(RULE, PERMISSION, { principal: 42 }, {});
        await pinResource(RULE, PERMISSION, { principal: "amazonaws.com" }, {});
    });

    it("reports a service principal without sourceArn and sourceAccount, naming the service", async () => {
        await pinResource(
            RULE,
            PERMISSION,
            { principal: "s3.amazonaws.com" },
            { violations: [unscoped("s3.amazonaws.com", "s3")] },
        );
        await pinResource(
            RULE,
            PERMISSION,
            { principal: "logs.eu-west-1.amazonaws.com" },
            { violations: [unscoped("logs.eu-west-1.amazonaws.com", "logs")] },
        );
    });

    it("counts an empty sourceArn or sourceAccount as absent", async () => {
        const violations = [unscoped("events.amazonaws.com", "events")];
        await pinResource(RULE, PERMISSION, { principal: "events.amazonaws.com", sourceArn: "" }, { violations });
        await pinResource(RULE, PERMISSION, { principal: "events.amazonaws.com", sourceAccount: "" }, { violations });
        await pinResource(
            RULE,
            PERMISSION,
            { principal: "events.amazonaws.com", sourceArn: "", sourceAccount: "" },
            { violations },
        );
    });

    it("accepts either a sourceArn or a sourceAccount", async () => {
        await pinResource(RULE, PERMISSION, { principal: "s3.amazonaws.com", sourceArn: ARN }, {});
        await pinResource(RULE, PERMISSION, { principal: "s3.amazonaws.com", sourceAccount: ACCOUNT }, {});
        await pinResource(RULE, PERMISSION, { principal: "s3.amazonaws.com", sourceArn: "", sourceAccount: ACCOUNT }, {});
        await pinResource(RULE, PERMISSION, { principal: "s3.amazonaws.com", sourceArn: ARN, sourceAccount: "" }, {});
    });

    it("cannot judge while every given source is unknown", async () => {
        await pinResource(
            RULE,
            PERMISSION,
            { principal: "s3.amazonaws.com", sourceArn: WIRE.unknown },
            { cannotJudge: [CANNOT] },
        );
        await pinResource(
            RULE,
            PERMISSION,
            { principal: "s3.amazonaws.com", sourceAccount: WIRE.unknown },
            { cannotJudge: [CANNOT] },
        );
        await pinResource(
            RULE,
            PERMISSION,
            { principal: "s3.amazonaws.com", sourceArn: WIRE.unknown, sourceAccount: WIRE.unknown },
            { cannotJudge: [CANNOT] },
        );
    });

    it("judges by the known source when the other one is unknown", async () => {
        await pinResource(RULE, PERMISSION, { principal: "s3.amazonaws.com", sourceArn: ARN, sourceAccount: WIRE.unknown }, {});
        await pinResource(
            RULE,
            PERMISSION,
            { principal: "s3.amazonaws.com", sourceArn: WIRE.unknown, sourceAccount: ACCOUNT },
            {},
        );
    });
});
