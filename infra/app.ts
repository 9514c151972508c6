/**
 * Public names, certificates and the application workloads (EDGE-1, APP-1): the Route 53 zone, the ACM
 * certificates (regional for the API load balancer, us-east-1 for CloudFront), and the BookbuddyApp on the
 * cluster, wired to the data tier, the media bucket and the registry.
 */
import * as aws from "@pulumi/aws";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { appSecretNames, BookbuddyApp } from "../components/app";
import { KubernetesCluster } from "../components/cluster";
import { ClusterServices } from "../components/cluster/services";
import { CLOUDFRONT_CERTIFICATE_REGION, DnsValidatedCertificate, HostedZone } from "../components/edge/certificate";
import { ContainerRegistry } from "../components/registry";
import { AwsContext } from "../components/shared/context";
import { EncryptionKey } from "../components/shared/kms";
import { StackConfig } from "./config";
import { DataTier } from "./data";
import { Storage } from "./storage";

/** Fully qualified public names of the environment (CDN-1, EDGE-1). */
export interface Domains {
    web: string;
    media: string;
    api: string;
}

export interface Edge {
    zone: HostedZone;
    domains: Domains;
    /** Regional certificate of the API load balancer. */
    apiCertificate: DnsValidatedCertificate;
    /** us-east-1 certificate of both distributions (web and media names). */
    cdnCertificate: DnsValidatedCertificate;
}

export function domainsOf(cfg: StackConfig): Domains {
    const zone = cfg.dns.zoneName;
    return { web: `${cfg.cdn.webHost}.${zone}`, media: `${cfg.cdn.mediaHost}.${zone}`, api: `${cfg.app.apiHost}.${zone}` };
}

/** The zone and certificates (EDGE-1); ACM renews DNS-validated certificates while the records stay. */
export function buildEdge(cfg: StackConfig, env: { prefix: string; providers: { aws: aws.Provider } }): Edge {
    const opts = { providers: { aws: env.providers.aws } };
    const domains = domainsOf(cfg);
    const zone = new HostedZone(`${env.prefix}-zone`, { zoneName: cfg.dns.zoneName, existingZoneId: cfg.dns.createZone ? undefined : cfg.dns.zoneId }, opts);
    const apiCertificate = new DnsValidatedCertificate(`${env.prefix}-api`, { domainName: domains.api, zoneId: zone.zoneId, region: cfg.region }, opts);
    const cdnCertificate = new DnsValidatedCertificate(
        `${env.prefix}-cdn`,
        { domainName: domains.web, subjectAlternativeNames: [domains.media], zoneId: zone.zoneId, region: CLOUDFRONT_CERTIFICATE_REGION },
        opts,
    );
    return { zone, domains, apiCertificate, cdnCertificate };
}

export interface AppInputs {
    prefix: string;
    context: AwsContext;
    providers: { aws: aws.Provider };
    keys: Record<"data", EncryptionKey>;
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
    if (!apiRepository) throw new pulumi.RunError(`Pulumi.${cfg.stack}.yaml: bookbuddy:registry.repositories must include "api" (APP-1)`);
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
            resources: { cpuRequest: a.cpuRequest, memoryRequest: a.memoryRequest, cpuLimit: a.cpuLimit, memoryLimit: a.memoryLimit },
            autoscaling: { minReplicas: a.minReplicas, maxReplicas: a.maxReplicas, cpuUtilization: a.cpuTarget, memoryUtilization: a.memoryTarget },
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
            mediaBucketArn: env.storage.mediaBucket.arn,
            mediaKeyArn: env.keys.data.arn,
            apiDomain: env.edge.domains.api,
            certificateArn: env.edge.apiCertificate.arn,
            webAclArn: env.apiWebAclArn,
            zoneId: env.edge.zone.zoneId,
            progressiveDelivery: cfg.release.progressive ? cfg.release.strategy : undefined,
            dependsOn: [env.services.secretStore, env.services.loadBalancerController, env.data.databaseObjects],
        },
        { providers: { aws: env.providers.aws, kubernetes: env.cluster.provider as k8s.Provider } },
    );
}
