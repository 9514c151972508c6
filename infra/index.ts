/**
 * The Bookbuddy infrastructure program (ENV-1): load and validate the stack configuration (ENV-6), compose
 * the environment, export its outputs. Run with `pulumi up --stack <dev|staging|prod>`, or offline with
 * `npm run plan -- --stack <name>`.
 */
import * as pulumi from "@pulumi/pulumi";
import { loadStackConfig } from "./config";
import { buildEnvironment } from "./environment";

async function main(): Promise<Record<string, unknown>> {
    // Validation happens before any resource is declared: a bad stack file stops here with one message.
    const config = loadStackConfig();
    const env = await buildEnvironment(config);
    return {
        vpcId: env.network.vpcId,
        privateSubnetIds: env.network.privateSubnetIds,
        clusterName: env.cluster.name,
        kubeconfig: pulumi.secret(env.cluster.kubeconfig),
        repositoryUrls: env.registry.repositoryUrls,
        // DB-1, CACHE-1, DR-1: endpoints and identifiers (no credentials: those stay in Secrets Manager).
        databaseIdentifier: env.data.database.identifier,
        databaseEndpoint: env.data.database.address,
        databaseRoleSecretArns: Object.fromEntries(Object.entries(env.data.databaseObjects.roleSecrets).map(([role, s]) => [role, s.arn])),
        cacheEndpoint: env.data.cache.primaryEndpoint,
        cacheAuthSecretArn: env.data.cache.authSecret.arn,
        // REL-2: what the release workflow needs: the on-demand backup, the web upload and invalidation, the
        // notification, and the released versions (the "before" of the next release's change summary).
        release: {
            databaseArn: env.data.database.instance.arn,
            backupVaultName: env.resilience.backup.vault.name,
            backupRoleArn: env.resilience.backup.role.arn,
            webBucket: env.storage.webBucket.name,
            webDistributionId: env.storage.webCdn.distributionId,
            alertsTopicArn: env.alerts.arn,
            apiImageTag: config.app.imageTag,
            webRelease: config.web.release,
        },
    };
}

export = main();
