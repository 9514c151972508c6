/**
 * Composes one environment from validated configuration (ENV-1): providers, keys, network, cluster, cluster
 * services, registry, and what later parts add. This is the only place that maps configuration to component
 * arguments; components never see the stack name.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { AlertTopic, ALERT_PUBLISHERS } from "../components/alarms/topic";
import { KubernetesCluster } from "../components/cluster";
import { ClusterServices } from "../components/cluster/services";
import { DEFAULT_INTERFACE_ENDPOINTS, Network } from "../components/network";
import { ContainerRegistry } from "../components/registry";
import { AwsContext } from "../components/shared/context";
import { EncryptionKey } from "../components/shared/kms";
import { DeployRunner } from "../components/deploy";
import { runnerProjectName, secretsKeyAlias, stateBucketName, stateKeyAlias } from "../components/deploy/names";
import { StackConfig } from "./config";
import { buildDataTier, DataTier } from "./data";
import { protectData } from "./protection";
import { buildObservability, Observability } from "./observability";
import { BookbuddyApp } from "../components/app";
import { buildApp } from "./app";
import { buildEdge, Edge } from "./edge";
import { buildStorage, Storage } from "./storage";
import { buildRelease, Release } from "./release";
import { buildResilience, Resilience } from "./resilience";
import { buildFirewalls, buildRotationSecurityGroup, buildSecurity, Firewalls, rotationRoleArn, Security } from "./security";

/** The five tags every taggable resource carries (ENV-5), applied as provider default tags. */
export function requiredTags(cfg: StackConfig): Record<string, string> {
    return {
        ...cfg.extraTags,
        environment: cfg.stack,
        service: cfg.service,
        owner: cfg.owner,
        "cost-center": cfg.costCenter,
        "managed-by": "pulumi",
    };
}

export interface Environment {
    prefix: string;
    context: AwsContext;
    providers: { aws: aws.Provider; awsDr: aws.Provider };
    keys: Record<"logs" | "eks" | "data" | "secrets" | "backup" | "alerts", EncryptionKey>;
    /** The SNS topic every alarm, backup notification and finding goes to (ALARM-1). */
    alerts: AlertTopic;
    network: Network;
    /** The deploy location: CodeBuild-hosted runner in the VPC, deploy and preview identities (DEP-1). */
    deployRunner: DeployRunner;
    cluster: KubernetesCluster;
    services: ClusterServices;
    registry: ContainerRegistry;
    /** PostgreSQL (instance, in-database roles and their secrets) and the Redis cache (DB-1..3, CACHE-1). */
    data: DataTier;
    /** Route 53 zone, public names and ACM certificates (EDGE-1). */
    edge: Edge;
    /** Access-log, media and web buckets with their CloudFront distributions (STORE-1, CDN-1). */
    storage: Storage;
    /** The API workloads on the cluster (APP-1). */
    app: BookbuddyApp;
    /** Argo Rollouts and the API's Rollout with its analysis; absent when `release.progressive` is false (REL-1). */
    release?: Release;
    /** Prometheus/Grafana, ELK, CloudWatch alarms, subscriptions and health checks (MON-1..3, LOG-1, LOG-2, ALARM-1, HC-1). */
    observability: Observability;
    /** Web ACLs of the load balancer and the distributions; absent when `waf.enabled` is false (EDGE-1). */
    firewalls?: Firewalls;
    /** Application secrets, the rotation of every secret, CloudTrail and GuardDuty (SEC-1, SEC-5). */
    security: Security;
    /** AWS Backup, DR-region copies, logical backups and database maintenance jobs (BKP-1..3, DR-1, MNT-1, MNT-2). */
    resilience: Resilience;
}

/**
 * What exists before anything that needs the private endpoints (DEP-1): providers, keys, the network and the
 * deploy runner inside it. `deploy.phase: runner` stops here, so the first `pulumi up` of a stack, run from an
 * operator's machine, creates the runner that every later deploy runs on.
 */
export interface Foundation {
    prefix: string;
    tags: Record<string, string>;
    context: AwsContext;
    providers: { aws: aws.Provider; awsDr: aws.Provider };
    keys: Environment["keys"];
    network: Network;
    /** The CodeBuild-hosted runner in the VPC and the deploy and preview identities (DEP-1). */
    deployRunner: DeployRunner;
}

export async function buildFoundation(cfg: StackConfig): Promise<Foundation> {
    const prefix = `${cfg.service}-${cfg.stack}`;
    // STORE-1, BKP-1, SEC-1, SEC-3: keys, buckets, vaults and secrets protected where the stack says so.
    protectData(cfg.protection.protect);
    const tags = requiredTags(cfg);
    const awsProvider = new aws.Provider("aws", { region: cfg.region as aws.Region, defaultTags: { tags } });
    const awsDr = new aws.Provider("aws-dr", { region: cfg.drRegion as aws.Region, defaultTags: { tags } });
    const withAws: pulumi.ComponentResourceOptions = { providers: { aws: awsProvider } };

    const [identity, partition, zones] = await Promise.all([
        aws.getCallerIdentity({}, { provider: awsProvider }),
        aws.getPartition({}, { provider: awsProvider }),
        aws.getAvailabilityZones(
            { state: "available", filters: [{ name: "opt-in-status", values: ["opt-in-not-required"] }] },
            { provider: awsProvider },
        ),
    ]);
    if (zones.names.length < cfg.network.azCount) {
        throw new pulumi.RunError(
            `Pulumi.${cfg.stack}.yaml: bookbuddy:network.azCount is ${cfg.network.azCount} but region ${cfg.region} offers ${zones.names.length} zones (${zones.names.join(", ")})`,
        );
    }
    const context: AwsContext = { accountId: identity.accountId, region: cfg.region, partition: partition.partition };

    // SEC-3: one customer-managed key per purpose, rotating yearly.
    const logsArnPattern = `arn:${partition.partition}:logs:${cfg.region}:${identity.accountId}:log-group:*`;
    const key = (purpose: string, description: string, extra: Partial<ConstructorParameters<typeof EncryptionKey>[1]> = {}) =>
        new EncryptionKey(`${prefix}-${purpose}`, { description, alias: `${prefix}/${purpose}`, context, ...extra }, withAws);
    const keys = {
        logs: key("logs", "CloudWatch Logs of the environment", {
            services: [
                {
                    service: `logs.${cfg.region}.amazonaws.com`,
                    condition: { ArnLike: { "kms:EncryptionContext:aws:logs:arn": logsArnPattern } },
                },
                // STORE-1, CDN-1: S3 server access logs and CloudFront log delivery write into the SSE-KMS log bucket.
                {
                    service: "logging.s3.amazonaws.com",
                    actions: ["kms:GenerateDataKey*"],
                    condition: { StringEquals: { "aws:SourceAccount": identity.accountId } },
                },
                {
                    service: "delivery.logs.amazonaws.com",
                    actions: ["kms:GenerateDataKey*"],
                    condition: { StringEquals: { "aws:SourceAccount": identity.accountId } },
                },
            ],
        }),
        // SEC-3: each key names the services through which the account's principals may use it.
        eks: key("eks", "EKS secrets envelope encryption", { viaServices: ["eks"] }),
        data: key("data", "Data at rest: databases, caches, buckets, volumes, images", {
            // CDN-1: origin access control reads SSE-KMS objects; the bucket policies name each distribution.
            services: [
                {
                    service: "cloudfront.amazonaws.com",
                    actions: ["kms:Decrypt"],
                    condition: { StringEquals: { "aws:SourceAccount": identity.accountId } },
                },
            ],
            userRoleArns: [
                `arn:${partition.partition}:iam::${identity.accountId}:role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling`,
            ],
            viaServices: ["rds", "elasticache", "s3", "ec2", "ecr"],
        }),
        // SEC-1, SEC-4: only through Secrets Manager; the rotation function's role is named (it exists later).
        secrets: key("secrets", "Secrets Manager secrets", {
            viaServices: ["secretsmanager"],
            viaServiceRoleArns: [rotationRoleArn(prefix, context)],
        }),
        backup: key("backup", "AWS Backup vaults", { viaServices: ["backup"] }),
        alerts: key("alerts", "Alert notifications (SNS)", {
            services: ALERT_PUBLISHERS.map((service) => ({ service, actions: ["kms:Decrypt", "kms:GenerateDataKey*"] })),
        }),
    };
    const network = new Network(
        prefix,
        {
            cidr: cfg.network.cidr,
            availabilityZones: zones.names.slice(0, cfg.network.azCount),
            natGateways: cfg.network.natGateways,
            flowLogRetentionDays: cfg.network.flowLogRetentionDays,
            // SEC-1: the redis-auth rotation calls the ElastiCache API from the private subnets.
            interfaceEndpoints: [...DEFAULT_INTERFACE_ENDPOINTS, "elasticache"],
            logsKeyArn: keys.logs.arn,
            context,
        },
        withAws,
    );

    const d = cfg.deploy;
    const deployRunner = new DeployRunner(
        `${prefix}-deploy`,
        {
            projectName: runnerProjectName(prefix),
            vpcId: network.vpcId,
            // Private subnets: their route to the NAT gateway gives the builds GitHub and the AWS APIs (DEP-1).
            subnetIds: network.privateSubnetIds,
            repository: d.repository,
            environment: d.environment,
            defaultBranch: d.defaultBranch,
            deployRoleName: d.deployRoleName,
            previewRoleName: d.previewRoleName,
            computeType: d.runnerComputeType,
            image: d.runnerImage,
            timeoutMinutes: d.runnerTimeoutMinutes,
            logRetentionDays: d.logRetentionDays,
            logsKeyArn: keys.logs.arn,
            encryptionKeyArn: keys.data.arn,
            stateBucketName: stateBucketName(cfg.service, identity.accountId),
            secretsKeyAlias: secretsKeyAlias(cfg.service, cfg.stack),
            stateKeyAlias: stateKeyAlias(cfg.service),
            context,
        },
        withAws,
    );

    return { prefix, tags, context, providers: { aws: awsProvider, awsDr }, keys, network, deployRunner };
}

export async function buildEnvironment(cfg: StackConfig, foundation?: Foundation): Promise<Environment> {
    const f = foundation ?? (await buildFoundation(cfg));
    const { prefix, tags, context, keys, network, deployRunner } = f;
    const { aws: awsProvider, awsDr } = f.providers;
    const withAws: pulumi.ComponentResourceOptions = { providers: { aws: awsProvider } };
    const alerts = new AlertTopic(
        `${prefix}-alerts`,
        { topicName: `${prefix}-alerts`, kmsKeyArn: keys.alerts.arn, context },
        withAws,
    );

    const cluster = new KubernetesCluster(
        prefix,
        {
            clusterName: prefix,
            version: cfg.cluster.version,
            vpcId: network.vpcId,
            privateSubnetIds: network.privateSubnetIds,
            endpointPublicAccess: cfg.cluster.endpointPublicAccess,
            publicAccessCidrs: cfg.cluster.publicAccessCidrs,
            logRetentionDays: cfg.cluster.logRetentionDays,
            secretsKeyArn: keys.eks.arn,
            logsKeyArn: keys.logs.arn,
            volumeKeyArn: keys.data.arn,
            nodeGroups: cfg.cluster.nodeGroups,
            addons: cfg.cluster.addons,
            adminRoleArns: cfg.cluster.adminRoleArns,
            // DEP-1: the deploying identity administers the cluster; the preview identity reads it (Helm keeps
            // release records in Secrets, which the plain view policy hides, hence admin view).
            accessEntries: [
                { name: "deploy", principalArn: deployRunner.deployRoleArn, policy: "AmazonEKSClusterAdminPolicy" },
                { name: "preview", principalArn: deployRunner.previewRoleArn, policy: "AmazonEKSAdminViewPolicy" },
            ],
            apiClients: [
                {
                    name: "deploy-runner",
                    securityGroupId: deployRunner.securityGroupId,
                    description: "Kubernetes API from the deploy runner (DEP-1)",
                },
            ],
            context,
        },
        withAws,
    );

    const services = new ClusterServices(
        prefix,
        {
            clusterName: cluster.name,
            vpcId: network.vpcId,
            charts: cfg.clusterServices,
            context,
        },
        { providers: { aws: awsProvider, kubernetes: cluster.provider } },
    );

    const registry = new ContainerRegistry(
        prefix,
        {
            namePrefix: prefix,
            repositories: cfg.registry.repositories,
            keepImages: cfg.registry.keepImages,
            kmsKeyArn: keys.data.arn,
        },
        withAws,
    );

    const rotationSecurityGroup = buildRotationSecurityGroup({ prefix, network, providers: { aws: awsProvider } });
    const data = buildDataTier(cfg, {
        prefix,
        context,
        providers: { aws: awsProvider },
        keys,
        network,
        cluster,
        services,
        databaseClientSecurityGroupIds: [rotationSecurityGroup.id, deployRunner.securityGroupId],
        cacheClientSecurityGroupIds: [rotationSecurityGroup.id],
    });
    // DEP-1: the runner's way to the private endpoints, matching the rules that admit it.
    deployRunner.allowEgressTo("kubernetes-api", {
        securityGroupId: cluster.controlPlaneSecurityGroupId,
        port: 443,
        description: "Kubernetes API of the cluster (DEP-1)",
    });
    deployRunner.allowEgressTo("postgres", {
        securityGroupId: data.database.securityGroup.id,
        port: 5432,
        description: "PostgreSQL for the database provider (DEP-1)",
    });

    const edge = buildEdge(cfg, { prefix, providers: { aws: awsProvider } });
    const firewalls = buildFirewalls(cfg, { prefix, context, tags, providers: { aws: awsProvider }, keys });
    const storage = buildStorage(cfg, {
        prefix,
        context,
        providers: { aws: awsProvider },
        keys,
        edge,
        cdnWebAclArn: firewalls?.cdn.arn,
    });
    const app = buildApp(cfg, {
        prefix,
        context,
        providers: { aws: awsProvider },
        keys,
        cluster,
        services,
        registry,
        data,
        storage,
        edge,
        apiWebAclArn: firewalls?.api.arn,
    });
    const release = buildRelease(cfg, { prefix, cluster, app });
    const security = buildSecurity(cfg, {
        prefix,
        context,
        providers: { aws: awsProvider },
        keys,
        alerts,
        network,
        data,
        storage,
        rotationSecurityGroup,
    });

    const resilience = buildResilience(cfg, {
        prefix,
        context,
        providers: { aws: awsProvider, awsDr },
        keys,
        alerts,
        cluster,
        services,
        data,
        storage,
    });

    const observability = buildObservability(cfg, {
        prefix,
        context,
        providers: { aws: awsProvider },
        keys,
        alerts,
        cluster,
        services,
        data,
        logBucket: storage.logBucket,
        app,
        apiDomain: edge.domains.api,
    });

    return {
        prefix,
        context,
        providers: { aws: awsProvider, awsDr },
        keys,
        alerts,
        network,
        deployRunner,
        cluster,
        services,
        registry,
        data,
        edge,
        storage,
        app,
        release,
        firewalls,
        security,
        resilience,
        observability,
    };
}
