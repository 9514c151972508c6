/**
 * The Bookbuddy infrastructure program (ENV-1): load and validate the stack configuration (ENV-6), compose
 * the environment, export its outputs. Run with `pulumi up --stack <dev|staging|prod>`, or offline with
 * `npm run plan -- --stack <name>`.
 *
 * `bookbuddy:deploy.phase: runner` (the first `pulumi up` of a stack, docs/runbooks/first-deploy.md) stops
 * after the foundation: keys, network and the deploy runner, nothing that needs the private endpoints (DEP-1).
 */
import * as pulumi from "@pulumi/pulumi";
import { loadStackConfig } from "./config";
import { buildEnvironment, buildFoundation, Foundation } from "./environment";

/** DEP-1: where deploys run and as whom; the offline deploy-path check reads this output. */
function deployOutputs(f: Foundation, phase: string): Record<string, unknown> {
    return {
        phase,
        runnerProject: f.deployRunner.projectName,
        runnerSecurityGroupId: f.deployRunner.securityGroupId,
        deployRoleArn: f.deployRunner.deployRoleArn,
        previewRoleArn: f.deployRunner.previewRoleArn,
    };
}

async function main(): Promise<Record<string, unknown>> {
    // Validation happens before any resource is declared: a bad stack file stops here with one message.
    const config = loadStackConfig();
    const foundation = await buildFoundation(config);
    const deploy = deployOutputs(foundation, config.deploy.phase);
    if (config.deploy.phase === "runner") {
        return { vpcId: foundation.network.vpcId, privateSubnetIds: foundation.network.privateSubnetIds, deploy };
    }
    const env = await buildEnvironment(config, foundation);
    return {
        vpcId: env.network.vpcId,
        privateSubnetIds: env.network.privateSubnetIds,
        deploy,
        clusterName: env.cluster.name,
        kubeconfig: pulumi.secret(env.cluster.kubeconfig),
        repositoryUrls: env.registry.repositoryUrls,
        // DB-1, CACHE-1, DR-1: endpoints and identifiers (no credentials: those stay in Secrets Manager).
        databaseIdentifier: env.data.database.identifier,
        databaseEndpoint: env.data.database.address,
        databaseRoleSecretArns: Object.fromEntries(
            Object.entries(env.data.databaseObjects.roleSecrets).map(([role, s]) => [role, s.arn]),
        ),
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
