/**
 * Account bootstrap (DEP-1): what must exist before the first `pulumi up` of any Bookbuddy stack.
 *
 * - the Pulumi state bucket (`pulumi login s3://<bucket>`): versioned, SSE-KMS with its own key, TLS only,
 *   no public access, access-logged; the DIY backend locks each stack with lock objects in it;
 * - one KMS key per stack for its secrets provider (`secretsprovider: awskms://alias/<service>-pulumi-<stack>`);
 * - the IAM OIDC provider for GitHub Actions tokens, which the stacks' deploy and preview roles trust;
 * - the GitHub connection (CodeConnections) that CodeBuild uses as the account's GitHub credential, so the
 *   runners each stack declares can receive workflow jobs. A connection starts PENDING: an administrator
 *   completes it once in the console (docs/runbooks/first-deploy.md).
 *
 * The deploy and preview roles themselves belong to each stack (components/deploy), next to the runner.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import {
    GITHUB_OIDC_AUDIENCE,
    GITHUB_OIDC_HOST,
    secretsKeyAlias,
    secretsProviderUrl,
    stateBucketName,
    stateKeyAlias,
} from "../components/deploy/names";
import { AwsContext } from "../components/shared/context";
import { EncryptionKey } from "../components/shared/kms";
import { HardenedBucket } from "../components/storage/bucket";

const config = new pulumi.Config();
const service = config.get("service") ?? "bookbuddy";
const stacks = config.requireObject<string[]>("stacks");
const region = new pulumi.Config("aws").require("region");

async function main(): Promise<Record<string, unknown>> {
    const provider = new aws.Provider("aws", {
        region: region as aws.Region,
        defaultTags: { tags: { service, "managed-by": "pulumi", component: "bootstrap" } },
    });
    const opts = { providers: { aws: provider } };
    const [identity, partition] = await Promise.all([
        aws.getCallerIdentity({}, { provider }),
        aws.getPartition({}, { provider }),
    ]);
    const context: AwsContext = { accountId: identity.accountId, region, partition: partition.partition };

    // State: a key of its own (state holds resource outputs), a log bucket, the versioned state bucket.
    const stateKey = new EncryptionKey(
        `${service}-pulumi-state`,
        {
            description: "Pulumi state bucket (DEP-1)",
            alias: stateKeyAlias(service).replace(/^alias\//, ""),
            context,
            viaServices: ["s3"],
        },
        opts,
    );
    const logs = new HardenedBucket(
        `${service}-pulumi-state-logs`,
        {
            bucketName: `${stateBucketName(service, identity.accountId)}-logs`,
            kmsKeyArn: stateKey.arn,
            dataClass: "logs",
            isLogBucket: true,
            accountId: identity.accountId,
            expirationDays: 365,
        },
        { ...opts, protect: true },
    );
    const state = new HardenedBucket(
        `${service}-pulumi-state`,
        {
            bucketName: stateBucketName(service, identity.accountId),
            kmsKeyArn: stateKey.arn,
            dataClass: "primary",
            accessLogBucket: logs.name,
            // Every checkpoint is a new version: a bad update can be rolled back by restoring one.
            noncurrentVersionExpirationDays: 365,
        },
        { ...opts, protect: true },
    );

    // One secrets-provider key per stack, usable by the account's IAM principals that their policies allow
    // (the stack's deploy role; its preview role may only decrypt, by alias).
    const secretsProviders: Record<string, pulumi.Output<string>> = {};
    for (const stack of stacks) {
        const key = new EncryptionKey(
            `${service}-pulumi-${stack}`,
            {
                description: `Pulumi secrets provider of the ${stack} stack (DEP-1, SEC-2)`,
                alias: secretsKeyAlias(service, stack).replace(/^alias\//, ""),
                context,
            },
            { ...opts, protect: true },
        );
        secretsProviders[stack] = key.alias.name.apply(() => secretsProviderUrl(service, stack, region));
    }

    // GitHub Actions OIDC: AWS validates GitHub's tokens against its own trusted CAs, so no thumbprint is pinned.
    const oidc = new aws.iam.OpenIdConnectProvider(
        "github-actions",
        { url: `https://${GITHUB_OIDC_HOST}`, clientIdLists: [GITHUB_OIDC_AUDIENCE], tags: { Name: "github-actions" } },
        { provider, protect: true },
    );

    // The account's GitHub credential for CodeBuild: a CodeConnections connection (completed in the console).
    const connection = new aws.codeconnections.Connection(
        "github",
        { name: `${service}-github`, providerType: "GitHub" },
        { provider },
    );
    new aws.codebuild.SourceCredential(
        "github",
        { authType: "CODECONNECTIONS", serverType: "GITHUB", token: connection.arn },
        { provider },
    );

    return {
        backendUrl: pulumi.interpolate`s3://${state.name}?region=${region}`,
        stateBucket: state.name,
        secretsProviders,
        oidcProviderArn: oidc.arn,
        githubConnectionArn: connection.arn,
        githubConnectionStatus: connection.connectionStatus,
    };
}

export = main();
