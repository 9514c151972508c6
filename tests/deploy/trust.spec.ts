/**
 * The trust of the deploy and preview roles (DEP-1, SEC-4), evaluated by an IAM policy evaluator (pbac, every
 * key of a condition block evaluated: tests/support/iam.ts) with the claims GitHub puts into a job's OIDC token:
 * the deploy role admits only jobs of the stack's GitHub environment in this repository; the preview role only pull requests and the default branch; neither
 * admits another repository, another audience, another identity provider or a plain sts:AssumeRole.
 */
import { strict as assert } from "assert";
import { GITHUB_OIDC_HOST } from "../../components/deploy/names";
import { PlanDocument } from "../../tools/plan/types";
import { json, one, renderedStack } from "../support/plan";
import { evaluator, PolicyDocument, Statement } from "../support/iam";

const REPO = "bookbuddy/bookbuddy-infra";
const PROVIDER = `arn:aws:iam::123456789012:oidc-provider/${GITHUB_OIDC_HOST}`;

/** Whether a web-identity assumption with these claims is allowed by the role's trust policy. */
function admits(trust: PolicyDocument, claims: { sub: string; aud?: string; provider?: string; action?: string }): boolean {
    return evaluator([trust]).evaluate({
        action: claims.action ?? "sts:AssumeRoleWithWebIdentity",
        principal: { Federated: [claims.provider ?? PROVIDER] },
        context: { [GITHUB_OIDC_HOST]: { sub: claims.sub, aud: claims.aud ?? "sts.amazonaws.com" } },
    });
}

describe("GitHub OIDC trust of the deploy and preview roles, evaluated (DEP-1, SEC-4)", function () {
    this.timeout(240_000);
    let prod: PlanDocument;
    let deployTrust: PolicyDocument;
    let previewTrust: PolicyDocument;
    before(async () => {
        prod = await renderedStack("prod");
        deployTrust = json<PolicyDocument>(
            one(prod, "aws:iam/role:Role", "bookbuddy-prod-deploy-deploy").inputs.assumeRolePolicy,
        );
        previewTrust = json<PolicyDocument>(
            one(prod, "aws:iam/role:Role", "bookbuddy-prod-deploy-preview").inputs.assumeRolePolicy,
        );
    });

    it("the deploy role admits jobs of the production environment of this repository only", () => {
        assert.equal(admits(deployTrust, { sub: `repo:${REPO}:environment:production` }), true);
        for (const sub of [
            `repo:${REPO}:environment:staging`,
            `repo:${REPO}:pull_request`,
            `repo:${REPO}:ref:refs/heads/main`,
            `repo:someone/bookbuddy-infra:environment:production`,
            `repo:${REPO}:environment:production-copy`,
        ]) {
            assert.equal(admits(deployTrust, { sub }), false, sub);
        }
    });

    it("the preview role may use the state bucket's key only through S3, so it reads the checkpoint and writes its lock (DEP-1)", () => {
        const policy = json<{ Statement: Statement[] }>(
            one(prod, "aws:iam/rolePolicy:RolePolicy", "bookbuddy-prod-deploy-preview-state").inputs.policy,
        );
        const stateKey = policy.Statement.find((s) => (s as { Sid?: string }).Sid === "StateKey") as unknown as {
            Action: string[];
            Condition: Record<string, Record<string, string>>;
        };
        assert.ok(stateKey, "no StateKey statement in the preview role's policy");
        assert.deepEqual([...stateKey.Action].sort(), ["kms:Decrypt", "kms:GenerateDataKey"]);
        assert.equal(stateKey.Condition["ForAnyValue:StringEquals"]["kms:ResourceAliases"], "alias/bookbuddy-pulumi-state");
        assert.equal(stateKey.Condition.StringEquals["kms:ViaService"], "s3.us-east-1.amazonaws.com");
    });

    it("the preview role admits pull requests and the default branch only", () => {
        assert.equal(admits(previewTrust, { sub: `repo:${REPO}:pull_request` }), true);
        assert.equal(admits(previewTrust, { sub: `repo:${REPO}:ref:refs/heads/main` }), true);
        for (const sub of [
            `repo:${REPO}:ref:refs/heads/develop`,
            `repo:${REPO}:environment:production`,
            `repo:fork/bookbuddy-infra:pull_request`,
        ]) {
            assert.equal(admits(previewTrust, { sub }), false, sub);
        }
    });

    it("neither admits another audience, another identity provider or sts:AssumeRole", () => {
        for (const trust of [deployTrust, previewTrust]) {
            const sub = trust === deployTrust ? `repo:${REPO}:environment:production` : `repo:${REPO}:pull_request`;
            assert.equal(admits(trust, { sub, aud: "https://github.com/bookbuddy" }), false);
            assert.equal(admits(trust, { sub, provider: "arn:aws:iam::123456789012:oidc-provider/example.com" }), false);
            assert.equal(admits(trust, { sub, action: "sts:AssumeRole" }), false);
        }
    });
});
