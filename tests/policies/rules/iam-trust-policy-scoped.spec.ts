import { WIRE, cannotJudge, pinResource } from "./pin";

const RULE = "iam-trust-policy-scoped";
const TYPE = "aws:iam/role:Role";
const OIDC = "arn:aws:iam::111122223333:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLE";
const SAML = "arn:aws:iam::111122223333:saml-provider/corp";
const ISSUER = "oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLE";
const statement = (over: Record<string, unknown> = {}) => ({
    Effect: "Allow",
    Principal: { Service: "ec2.amazonaws.com" },
    Action: "sts:AssumeRole",
    ...over,
});
const pin = (statements: unknown[], verdict: Parameters<typeof pinResource>[3]) =>
    pinResource(RULE, TYPE, { assumeRolePolicy: JSON.stringify({ Version: "2012-10-17", Statement: statements }) }, verdict);
const federated = (Federated: unknown, Condition?: unknown) =>
    statement({ Principal: { Federated }, Action: "sts:AssumeRoleWithWebIdentity", Condition });
const NO_SUB = (i: number) =>
    `assumeRolePolicy Statement[${i}] trusts an OIDC provider without a condition on the token's sub claim: any identity of that provider could assume the role.`;

describe(`${RULE}: the trust policy document (SEC-4, POL-2)`, () => {
    it("reports a role without a trust policy, and one that is not a policy document", async () => {
        await pinResource(RULE, TYPE, {}, { violations: ["the role has no assumeRolePolicy."] });
        for (const assumeRolePolicy of ["not json", "[1]"]) {
            await pinResource(RULE, TYPE, { assumeRolePolicy }, { violations: ["assumeRolePolicy is not a policy document."] });
        }
    });

    it("cannot judge an unknown trust policy", async () => {
        await pinResource(
            RULE,
            TYPE,
            { assumeRolePolicy: WIRE.unknown },
            { cannotJudge: [cannotJudge(RULE, "assumeRolePolicy")] },
        );
    });
});

describe(`${RULE}: principals and actions (SEC-4, POL-2)`, () => {
    it("accepts a named service, and any Deny, and Allow statements without a principal", async () => {
        await pin([statement(), statement({ Effect: "Deny", Principal: "*", Action: "*" })], {});
        await pin([statement({ Principal: null }), statement({ Principal: undefined }), statement({ Principal: "text" })], {});
    });

    it("reports the wildcard principal, the wildcard service and wildcard actions, exactly", async () => {
        await pin([statement({ Principal: "*" }), statement({ Principal: { AWS: ["*"] } })], {
            violations: [
                'assumeRolePolicy Statement[0] lets any principal ("*") assume the role.',
                'assumeRolePolicy Statement[1] lets any principal ("*") assume the role.',
            ],
        });
        await pin([statement({ Principal: { Service: ["ec2.amazonaws.com", "*"] } })], {
            violations: ["assumeRolePolicy Statement[0] lets every AWS service assume the role."],
        });
        await pin(
            [
                statement({ Action: "*" }),
                statement({ Action: ["sts:AssumeRole", "sts:*"] }),
                statement({ Action: ["sts:TagSession"] }),
            ],
            {
                violations: [
                    'assumeRolePolicy Statement[0] allows "*"; name the sts action (e.g. sts:AssumeRole).',
                    'assumeRolePolicy Statement[1] allows ["sts:AssumeRole","sts:*"]; name the sts action (e.g. sts:AssumeRole).',
                ],
            },
        );
    });
});

describe(`${RULE}: web-identity trust pinned by the sub claim (SEC-4, SEC-7)`, () => {
    it("accepts an OIDC provider with a sub condition, in any case and under any operator", async () => {
        await pin([federated(OIDC, { StringEquals: { [`${ISSUER}:sub`]: "system:serviceaccount:api:api" } })], {});
        await pin([federated([OIDC], { StringLike: { [`${ISSUER}:SUB`]: "system:serviceaccount:api:*" } })], {});
    });

    it("leaves federated principals that are not OIDC providers alone", async () => {
        await pin([federated(SAML), federated("cognito-identity.amazonaws.com"), federated([42])], {});
    });

    it("reports an OIDC provider without a sub condition, alone or among other providers", async () => {
        await pin([federated(OIDC)], { violations: [NO_SUB(0)] });
        await pin([statement(), federated([SAML, OIDC], { StringEquals: { [`${ISSUER}:aud`]: "sts.amazonaws.com" } })], {
            violations: [NO_SUB(1)],
        });
        await pin([federated([42, OIDC])], { violations: [NO_SUB(0)] });
    });
});
