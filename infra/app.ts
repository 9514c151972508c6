/**
 * The application workloads (APP-1): the BookbuddyApp on the cluster, wired to the data tier, the media bucket,
 * the registry and the public names and certificates of ./edge.ts.
 */
import * as aws from "@pulumi/aws";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { appSecretNames, BookbuddyApp } from "../components/app";
import { KubernetesCluster } from "../components/cluster";
import { ClusterServices } from "../components/cluster/services";
import { secretStoreAccess } from "./secret-stores";
import { ContainerRegistry } from "../components/registry";
import { AwsContext } from "../components/shared/context";
import { EncryptionKey } from "../components/shared/kms";
import { StackConfig } from "./config";
import { DataTier } from "./data";
import { Edge } from "./edge";
import { Storage } from "./storage";

export interface AppInputs {
    prefix: string;
    context: AwsContext;
    providers: { aws: aws.Provider };
    keys: Record<"data" | "secrets", EncryptionKey>;
    cluster: KubernetesCluster;
    services: ClusterServices;
    registry: ContainerRegistry;
    data: DataTier;
    storage: Storage;
    edge: Edge;
    /** WAFv2 web ACL (REGIONAL) for the API load balancer, when the security work provides one (EDGE-1). */
    apiWebAclArn?: pulumi.Input<string>;
}

/** The application workloads (APP-1). */
export function buildApp(cfg: StackConfig, env: AppInputs): BookbuddyApp {
    const apiRepository = env.registry.repositoryUrls["api"];
    if (!apiRepository)
        throw new pulumi.RunError(`Pulumi.${cfg.stack}.yaml: bookbuddy:registry.repositories must include "api" (APP-1)`);
    const a = cfg.app;
    return new BookbuddyApp(
        `${env.prefix}-app`,
        {
            clusterName: env.cluster.name,
            context: env.context,
            apiRepositoryUrl: apiRepository,
            imageTag: a.imageTag,
            port: a.port,
            replicas: a.replicas,
            resources: {
                cpuRequest: a.cpuRequest,
                memoryRequest: a.memoryRequest,
                cpuLimit: a.cpuLimit,
                memoryLimit: a.memoryLimit,
            },
            autoscaling: {
                minReplicas: a.minReplicas,
                maxReplicas: a.maxReplicas,
                cpuUtilization: a.cpuTarget,
                memoryUtilization: a.memoryTarget,
            },
            migration: { activeDeadlineSeconds: a.migrationDeadlineSeconds },
            settings: {
                databaseHost: env.data.database.address,
                databasePort: env.data.database.port,
                databaseName: env.data.databaseObjects.databaseName,
                redisHost: env.data.cache.primaryEndpoint,
                redisPort: env.data.cache.port,
                mediaBucket: env.storage.mediaBucket.name,
                cdnDomain: env.edge.domains.media,
                webOrigin: `https://${env.edge.domains.web}`,
            },
            secretNames: appSecretNames(env.prefix),
            secretStore: secretStoreAccess(env),
            mediaBucketArn: env.storage.mediaBucket.arn,
            mediaKeyArn: env.keys.data.arn,
            apiDomain: env.edge.domains.api,
            certificateArn: env.edge.apiCertificate.arn,
            webAclArn: env.apiWebAclArn,
            zoneId: env.edge.zone.zoneId,
            progressiveDelivery: cfg.release.progressive ? cfg.release.strategy : undefined,
            dependsOn: [env.services.externalSecrets, env.services.loadBalancerController, env.data.databaseObjects],
        },
        { providers: { aws: env.providers.aws, kubernetes: env.cluster.provider as k8s.Provider } },
    );
}
