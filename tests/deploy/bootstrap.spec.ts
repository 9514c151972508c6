/**
 * The account bootstrap (DEP-1), rendered offline like the stacks: the state bucket with versioning, SSE-KMS,
 * TLS-only policy, public access blocked, protected; one secrets-provider key per stack whose alias is the one
 * each `Pulumi.<stack>.yaml` names; the GitHub OIDC provider the stacks' roles trust; the GitHub connection.
 * The security pack judges it too.
 */
import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import * as YAML from "yaml";
import { runPolicyPacks } from "../../tools/policy/runner";
import { GITHUB_OIDC_HOST, secretsProviderUrl, stateBucketName } from "../../components/deploy/names";
import { MOCK_ACCOUNT_ID } from "../../tools/plan/mocks";
import { renderStack } from "../../tools/plan/render";
import { PlanDocument, PlanResourceState } from "../../tools/plan/types";
import { REPO_ROOT, STACKS, json, ofType, one, resources } from "../support/plan";

const BOOTSTRAP = path.join(REPO_ROOT, "bootstrap");

describe("account bootstrap (DEP-1)", function () {
    this.timeout(120_000);
    let doc: PlanDocument;
    before(async () => {
        doc = await renderStack({ projectDir: BOOTSTRAP, stack: "account" });
    });

    const bucketNamed = (name: string): PlanResourceState => one(doc, "aws:s3/bucket:Bucket", name);
    const forBucket = (type: string, bucket: PlanResourceState) =>
        ofType(doc, type).find((r) => r.inputs.bucket === bucket.outputs!.id);

    it("creates the state bucket the stacks log in to: versioned, SSE-KMS, no public access, TLS only, protected", () => {
        const bucket = bucketNamed("bookbuddy-pulumi-state");
        assert.equal(bucket.inputs.bucket, stateBucketName("bookbuddy", MOCK_ACCOUNT_ID));
        assert.equal(bucket.protect, true);
        assert.equal(
            (forBucket("aws:s3/bucketVersioning:BucketVersioning", bucket)!.inputs.versioningConfiguration as { status: string })
                .status,
            "Enabled",
        );
        const sse = forBucket("aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration", bucket)!
            .inputs.rules as { applyServerSideEncryptionByDefault: { sseAlgorithm: string } }[];
        assert.equal(sse[0].applyServerSideEncryptionByDefault.sseAlgorithm, "aws:kms");
        const block = forBucket("aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", bucket)!.inputs;
        assert.deepEqual(
            [block.blockPublicAcls, block.blockPublicPolicy, block.ignorePublicAcls, block.restrictPublicBuckets],
            [true, true, true, true],
        );
        const policy = json(forBucket("aws:s3/bucketPolicy:BucketPolicy", bucket)!.inputs.policy);
        assert.ok(
            policy.Statement.some(
                (s: { Effect: string; Condition?: { Bool?: Record<string, string> } }) =>
                    s.Effect === "Deny" && s.Condition?.Bool?.["aws:SecureTransport"] === "false",
            ),
        );
        assert.ok(forBucket("aws:s3/bucketLogging:BucketLogging", bucket), "access-logged");
        assert.match(String(doc.outputs!.backendUrl), /^s3:\/\/bookbuddy-pulumi-state-123456789012\?region=us-east-1$/);
    });

    it("creates one rotating secrets-provider key per stack, under the alias its stack file names", () => {
        const aliases = ofType(doc, "aws:kms/alias:Alias").map((a) => a.inputs.name);
        for (const stack of STACKS) {
            const file = YAML.parse(fs.readFileSync(path.join(REPO_ROOT, `Pulumi.${stack}.yaml`), "utf8"));
            assert.equal(
                file.secretsprovider,
                secretsProviderUrl("bookbuddy", stack, file.config["aws:region"]),
                `Pulumi.${stack}.yaml secretsprovider`,
            );
            assert.ok(aliases.includes(`alias/bookbuddy-pulumi-${stack}`), `no key alias for ${stack}: ${aliases.join(", ")}`);
            assert.equal((doc.outputs!.secretsProviders as Record<string, string>)[stack], file.secretsprovider);
        }
        for (const key of ofType(doc, "aws:kms/key:Key")) assert.equal(key.inputs.enableKeyRotation, true, key.urn);
    });

    it("registers GitHub's OIDC issuer for the sts.amazonaws.com audience, and the GitHub connection for CodeBuild", () => {
        const oidc = one(doc, "aws:iam/openIdConnectProvider:OpenIdConnectProvider");
        assert.equal(oidc.inputs.url, `https://${GITHUB_OIDC_HOST}`);
        assert.deepEqual(oidc.inputs.clientIdLists, ["sts.amazonaws.com"]);
        const connection = one(doc, "aws:codeconnections/connection:Connection");
        assert.equal(connection.inputs.providerType, "GitHub");
        const credential = one(doc, "aws:codebuild/sourceCredential:SourceCredential");
        assert.deepEqual([credential.inputs.authType, credential.inputs.serverType], ["CODECONNECTIONS", "GITHUB"]);
        // The token input is secret by schema: the render shows where it comes from, not its value.
        assert.equal(credential.inputs.token, "[secret]");
        assert.deepEqual(credential.propertyDependencies.token, [connection.urn]);
    });

    it("has no mandatory violation of the security pack", async () => {
        const violations = await runPolicyPacks(resources(doc), { packs: ["security"], stack: "prod" });
        const mandatory = violations.filter((v) => v.enforcementLevel === "mandatory");
        assert.deepEqual(
            mandatory.map((v) => `${v.policy}: ${v.urn}: ${v.message}`),
            [],
        );
    });
});
