/**
 * The Bookbuddy application on the cluster (APP-1): namespace, least-privilege service accounts through EKS
 * Pod Identity, configuration without plaintext (ConfigMap + External Secrets), the database migration Job,
 * and the API Deployment with its Service, Ingress (EDGE-1), HPA and PodDisruptionBudget.
 *
 * The React web front end is not a cluster workload: its static build is served from S3 behind CloudFront
 * (CDN-1, components/cdn), which needs no pods, scales without an HPA and keeps one serving path.
 */
import * as aws from "@pulumi/aws";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { podIdentityTrust } from "../cluster";
import { NamespaceSecretStore, SecretStoreAccess } from "../cluster/secret-store";
import { JWT_ENV } from "../secrets";
import { AwsContext, policyDocument } from "../shared/context";
import { podSecurityLabels } from "../shared/k8s";

/** TLS policy of the API load balancer's HTTPS listener: TLS 1.3 and 1.2 only (EDGE-1). */
export const ALB_SSL_POLICY = "ELBSecurityPolicy-TLS13-1-2-2021-06";
/** Where the API answers health checks and probes (APP-1). */
export const HEALTH_PATH = "/health";
/** UID the containers run as (APP-1). */
export const APP_UID = 10001;

/**
 * Where the API finds its database login (SEC-8): the files `username` and `password` of the
 * bookbuddy-database Secret, mounted read-only. The kubelet replaces them when External Secrets refreshes
 * the Secret; the API reads them for every new connection (DATABASE_CREDENTIALS_DIR), so a rotation reaches
 * running pods without a restart, and the alternating logins keep the previous one valid meanwhile.
 */
export const DATABASE_CREDENTIALS_DIR = "/var/run/secrets/bookbuddy/database";
/** How often External Secrets re-reads the database login; far below the rotation interval (SEC-8). */
export const DATABASE_SECRET_REFRESH = "5m";

/**
 * Secrets Manager names the application reads through External Secrets (APP-1, SEC-1). The security and
 * data-tier work create secrets with exactly these names; each holds a JSON object whose keys become
 * environment variables of the pods.
 */
export function appSecretNames(prefix: string): { database: string; migrator: string; redisAuth: string; jwt: string } {
    return {
        database: `${prefix}/database/app`,
        migrator: `${prefix}/database/migrator`,
        redisAuth: `${prefix}/cache/auth`,
        jwt: `${prefix}/app/jwt`,
    };
}

/** CPU and memory of a container (APP-1). */
export interface ContainerResources {
    cpuRequest: string;
    memoryRequest: string;
    cpuLimit: string;
    memoryLimit: string;
}

/** Non-secret settings the API reads from its ConfigMap (APP-1). */
export interface AppSettings {
    databaseHost: pulumi.Input<string>;
    databasePort: pulumi.Input<number>;
    databaseName: pulumi.Input<string>;
    redisHost: pulumi.Input<string>;
    redisPort: pulumi.Input<number>;
    mediaBucket: pulumi.Input<string>;
    /** Public media domain, e.g. `media.bookbuddy.example`. */
    cdnDomain: pulumi.Input<string>;
    /** Web origin allowed by the API's CORS, e.g. `https://app.bookbuddy.example`. */
    webOrigin: pulumi.Input<string>;
}

export interface BookbuddyAppArgs {
    /** EKS cluster name for the Pod Identity associations; required (APP-1). */
    clusterName: pulumi.Input<string>;
    /** Account, region, partition; required (APP-1). */
    context: AwsContext;
    /** Namespace of the app; default `bookbuddy` (APP-1). */
    namespace?: string;
    /** ECR repository URL of the API image; required (APP-1, REG-1). */
    apiRepositoryUrl: pulumi.Input<string>;
    /** Image tag deployed; rollback is setting the previous tag (APP-1). */
    imageTag: string;
    /** Container port of the API; default 8000 (APP-1). */
    port?: number;
    /** Replicas when the HPA is first created; default 3 (APP-1). */
    replicas?: number;
    /** API container resources; required (APP-1). */
    resources: ContainerResources;
    /** HPA bounds and targets; required (APP-1). */
    autoscaling: { minReplicas: number; maxReplicas: number; cpuUtilization: number; memoryUtilization: number };
    /** Migration Job limits; default backoffLimit 2, 900 s deadline, kept 1 day (APP-1). */
    migration?: { backoffLimit?: number; activeDeadlineSeconds?: number; ttlSecondsAfterFinished?: number };
    /** Non-secret settings for the ConfigMap; required (APP-1). */
    settings: AppSettings;
    /** Secrets Manager names read through External Secrets; required, see `appSecretNames` (APP-1, SEC-1). */
    secretNames: ReturnType<typeof appSecretNames>;
    /** The namespace's own SecretStore is built from this: IRSA provider, secrets key; required (SEC-7). */
    secretStore: SecretStoreAccess;
    /** Media bucket ARN the API may read and write; required (APP-1, STORE-1). */
    mediaBucketArn: pulumi.Input<string>;
    /** KMS key of the media bucket, usable by the API only through S3; required (APP-1, SEC-3). */
    mediaKeyArn: pulumi.Input<string>;
    /** Public API host, e.g. `api.bookbuddy.example`; required (APP-1, EDGE-1). */
    apiDomain: string;
    /** Validated regional ACM certificate for `apiDomain`; required (EDGE-1). */
    certificateArn: pulumi.Input<string>;
    /** WAFv2 web ACL (REGIONAL) for the load balancer; default none (EDGE-1). */
    webAclArn?: pulumi.Input<string>;
    /** Route 53 zone for the API's CNAME to the load balancer; default none (no record) (EDGE-1). */
    zoneId?: pulumi.Input<string>;
    /**
     * Argo Rollouts runs the API pods (REL-1, components/release/rollout.ts): the Deployment keeps only the pod
     * template (0 replicas), the HPA scales the Rollout, and for `canary` the Ingress leaves the weights to the
     * controller (backend port `use-annotation`); default none: rolling updates of the Deployment (APP-1).
     */
    progressiveDelivery?: "canary" | "blueGreen";
    /** Cluster services the workloads need first (External Secrets store, load balancer controller); default none (APP-1). */
    dependsOn?: pulumi.Resource[];
}

/**
 * The application workloads (APP-1). The migration Job is named after the image tag, so each new tag runs it
 * once; the Deployment depends on it, so pods of a new version start only after the migration succeeded
 * (the Kubernetes provider waits for a Job to complete).
 */
export class BookbuddyApp extends pulumi.ComponentResource {
    readonly namespace: k8s.core.v1.Namespace;
    readonly apiServiceAccount: k8s.core.v1.ServiceAccount;
    readonly migratorServiceAccount: k8s.core.v1.ServiceAccount;
    readonly apiRole: aws.iam.Role;
    readonly apiRolePolicy: aws.iam.RolePolicy;
    readonly podIdentity: aws.eks.PodIdentityAssociation;
    readonly configMap: k8s.core.v1.ConfigMap;
    /** The namespace's own External Secrets store and its IRSA role (SEC-7). */
    readonly secretStore: NamespaceSecretStore;
    readonly externalSecrets: Record<"database" | "migrator" | "redisAuth" | "jwt", k8s.apiextensions.CustomResource>;
    readonly migrationJob: k8s.batch.v1.Job;
    readonly deployment: k8s.apps.v1.Deployment;
    readonly service: k8s.core.v1.Service;
    readonly ingress: k8s.networking.v1.Ingress;
    readonly hpa: k8s.autoscaling.v2.HorizontalPodAutoscaler;
    readonly pdb: k8s.policy.v1.PodDisruptionBudget;
    /** `apiDomain` → the load balancer the controller created (when `zoneId` is given). */
    readonly dnsRecord?: aws.route53.Record;
    /** The image deployed, `<repository>:<tag>`. */
    readonly image: pulumi.Output<string>;
    /** Labels of the API's objects and the selector of its pods (REL-1: the Rollout's Services reuse them). */
    readonly apiLabels: Record<string, string>;
    readonly podSelector: Record<string, string>;

    constructor(name: string, args: BookbuddyAppArgs, opts?: pulumi.ComponentResourceOptions) {
        validate(name, args);
        super("bookbuddy:app:BookbuddyApp", name, {}, opts);
        const ns = args.namespace ?? "bookbuddy";
        const port = args.port ?? 8000;
        const child = { parent: this };
        const labels = { "app.kubernetes.io/part-of": "bookbuddy", "app.kubernetes.io/managed-by": "pulumi" };
        const apiLabels = { ...labels, "app.kubernetes.io/name": "bookbuddy-api", "app.kubernetes.io/component": "api" };
        const selector = { "app.kubernetes.io/name": "bookbuddy-api" };
        this.image = pulumi.interpolate`${args.apiRepositoryUrl}:${args.imageTag}`;
        this.apiLabels = apiLabels;
        this.podSelector = selector;
        const progressive = args.progressiveDelivery;

        this.namespace = new k8s.core.v1.Namespace(
            name,
            {
                metadata: {
                    name: ns,
                    labels: {
                        ...labels,
                        ...podSecurityLabels("restricted"),
                    },
                },
            },
            { parent: this, dependsOn: args.dependsOn ?? [] },
        );
        const inNs = { parent: this, dependsOn: [this.namespace] };

        this.apiServiceAccount = new k8s.core.v1.ServiceAccount(
            `${name}-api`,
            { metadata: { name: "bookbuddy-api", namespace: ns, labels: apiLabels }, automountServiceAccountToken: false },
            inNs,
        );
        this.migratorServiceAccount = new k8s.core.v1.ServiceAccount(
            `${name}-migrator`,
            {
                metadata: {
                    name: "bookbuddy-migrator",
                    namespace: ns,
                    labels: { ...labels, "app.kubernetes.io/component": "migration" },
                },
                automountServiceAccountToken: false,
            },
            inNs,
        );

        // One role for the API (SEC-4): the media bucket, and its key only when S3 calls it. Secrets arrive
        // through External Secrets, so the API needs no Secrets Manager access of its own.
        this.apiRole = new aws.iam.Role(
            `${name}-api`,
            {
                description: `Bookbuddy API (Pod Identity ${ns}/bookbuddy-api)`,
                assumeRolePolicy: podIdentityTrust({
                    context: args.context,
                    clusterName: args.clusterName,
                    namespace: ns,
                    serviceAccount: "bookbuddy-api",
                }),
            },
            child,
        );
        this.apiRolePolicy = new aws.iam.RolePolicy(`${name}-api`, { role: this.apiRole.id, policy: apiPolicy(args) }, child);
        this.podIdentity = new aws.eks.PodIdentityAssociation(
            `${name}-api`,
            { clusterName: args.clusterName, namespace: ns, serviceAccount: "bookbuddy-api", roleArn: this.apiRole.arn },
            child,
        );

        const s = args.settings;
        this.configMap = new k8s.core.v1.ConfigMap(
            `${name}-api`,
            {
                metadata: { name: "bookbuddy-api-config", namespace: ns, labels: apiLabels },
                data: {
                    DATABASE_HOST: s.databaseHost,
                    DATABASE_PORT: pulumi.output(s.databasePort).apply(String),
                    DATABASE_NAME: s.databaseName,
                    DATABASE_SSLMODE: "verify-full",
                    DATABASE_CREDENTIALS_DIR,
                    REDIS_HOST: s.redisHost,
                    REDIS_PORT: pulumi.output(s.redisPort).apply(String),
                    REDIS_TLS: "true",
                    MEDIA_BUCKET: s.mediaBucket,
                    CDN_DOMAIN: s.cdnDomain,
                    WEB_ORIGIN: s.webOrigin,
                    AWS_REGION: args.context.region,
                    PORT: String(port),
                },
            },
            inNs,
        );

        // SEC-7: the namespace's own store, which may read these four secrets and nothing else.
        this.secretStore = new NamespaceSecretStore(
            `${name}-secret-store`,
            { ...args.secretStore, namespace: ns, secretNames: [...new Set(Object.values(args.secretNames))] },
            inNs,
        );
        const inNsWithStore = { parent: this, dependsOn: [this.namespace, this.secretStore] };
        const externalSecret = (
            key: keyof BookbuddyAppArgs["secretNames"],
            k8sName: string,
            options: { refreshInterval?: string; select?: (secretName: string) => Record<string, unknown> } = {},
        ) =>
            new k8s.apiextensions.CustomResource(
                `${name}-${k8sName}`,
                {
                    apiVersion: "external-secrets.io/v1",
                    kind: "ExternalSecret",
                    metadata: { name: k8sName, namespace: ns, labels },
                    spec: {
                        refreshInterval: options.refreshInterval ?? "1h",
                        secretStoreRef: this.secretStore.ref,
                        target: { name: k8sName, creationPolicy: "Owner", deletionPolicy: "Retain" },
                        ...(options.select
                            ? options.select(args.secretNames[key])
                            : { dataFrom: [{ extract: { key: args.secretNames[key] } }] }),
                    },
                },
                inNsWithStore,
            );
        this.externalSecrets = {
            database: externalSecret("database", "bookbuddy-database", { refreshInterval: DATABASE_SECRET_REFRESH }),
            migrator: externalSecret("migrator", "bookbuddy-database-migrator"),
            redisAuth: externalSecret("redisAuth", "bookbuddy-redis"),
            // SEC-1: the signing key and the one it replaced (the AWSPREVIOUS value), so tokens signed before a rotation verify after it.
            jwt: externalSecret("jwt", "bookbuddy-jwt", { select: (key) => ({ data: jwtSecretData(key) }) }),
        };

        const tmpVolume = { name: "tmp", emptyDir: { sizeLimit: "256Mi" } };
        const podSecurity = {
            runAsNonRoot: true,
            runAsUser: APP_UID,
            runAsGroup: APP_UID,
            fsGroup: APP_UID,
            seccompProfile: { type: "RuntimeDefault" },
        };
        const containerSecurity = {
            runAsNonRoot: true,
            runAsUser: APP_UID,
            allowPrivilegeEscalation: false,
            readOnlyRootFilesystem: true,
            privileged: false,
            capabilities: { drop: ["ALL"] },
            seccompProfile: { type: "RuntimeDefault" },
        };
        const resources = {
            requests: { cpu: args.resources.cpuRequest, memory: args.resources.memoryRequest },
            limits: { cpu: args.resources.cpuLimit, memory: args.resources.memoryLimit },
        };

        // APP-1: a Job per image tag; Kubernetes names allow lower-case, digits, dashes and dots.
        const jobName = `bookbuddy-migrate-${jobSuffix(args.imageTag)}`;
        const m = args.migration ?? {};
        this.migrationJob = new k8s.batch.v1.Job(
            `${name}-migrate-${jobSuffix(args.imageTag)}`,
            {
                metadata: {
                    name: jobName,
                    namespace: ns,
                    labels: {
                        ...labels,
                        "app.kubernetes.io/component": "migration",
                        "bookbuddy.io/image-tag": labelValue(args.imageTag),
                    },
                },
                spec: {
                    backoffLimit: m.backoffLimit ?? 2,
                    activeDeadlineSeconds: m.activeDeadlineSeconds ?? 900,
                    ttlSecondsAfterFinished: m.ttlSecondsAfterFinished ?? 86400,
                    template: {
                        metadata: { labels: { ...labels, "app.kubernetes.io/component": "migration" } },
                        spec: {
                            serviceAccountName: "bookbuddy-migrator",
                            automountServiceAccountToken: false,
                            restartPolicy: "Never",
                            securityContext: podSecurity,
                            containers: [
                                {
                                    name: "migrate",
                                    image: this.image,
                                    command: ["python", "-m", "bookbuddy.migrate"],
                                    envFrom: [
                                        { configMapRef: { name: "bookbuddy-api-config" } },
                                        { secretRef: { name: "bookbuddy-database-migrator" } },
                                    ],
                                    resources,
                                    securityContext: containerSecurity,
                                    volumeMounts: [{ name: "tmp", mountPath: "/tmp" }],
                                },
                            ],
                            volumes: [tmpVolume],
                        },
                    },
                },
            },
            {
                parent: this,
                dependsOn: [this.namespace, this.migratorServiceAccount, this.configMap, this.externalSecrets.migrator],
            },
        );

        const probe = (extra: Record<string, number>) => ({
            httpGet: { path: HEALTH_PATH, port: "http" },
            timeoutSeconds: 2,
            ...extra,
        });
        this.deployment = new k8s.apps.v1.Deployment(
            `${name}-api`,
            {
                metadata: { name: "bookbuddy-api", namespace: ns, labels: apiLabels },
                spec: {
                    // REL-1: under Argo Rollouts the Rollout runs the pods; the Deployment is only their template.
                    replicas: progressive ? 0 : (args.replicas ?? 3),
                    revisionHistoryLimit: 5,
                    selector: { matchLabels: selector },
                    strategy: { type: "RollingUpdate", rollingUpdate: { maxUnavailable: 0, maxSurge: "25%" } },
                    template: {
                        metadata: { labels: { ...apiLabels, "bookbuddy.io/image-tag": labelValue(args.imageTag) } },
                        spec: {
                            serviceAccountName: "bookbuddy-api",
                            // Pod Identity injects credentials through the agent; no Kubernetes API token is needed.
                            automountServiceAccountToken: false,
                            securityContext: podSecurity,
                            terminationGracePeriodSeconds: 30,
                            topologySpreadConstraints: [
                                {
                                    maxSkew: 1,
                                    topologyKey: "topology.kubernetes.io/zone",
                                    whenUnsatisfiable: "ScheduleAnyway",
                                    labelSelector: { matchLabels: selector },
                                },
                                {
                                    maxSkew: 1,
                                    topologyKey: "kubernetes.io/hostname",
                                    whenUnsatisfiable: "ScheduleAnyway",
                                    labelSelector: { matchLabels: selector },
                                },
                            ],
                            containers: [
                                {
                                    name: "api",
                                    image: this.image,
                                    ports: [{ name: "http", containerPort: port, protocol: "TCP" }],
                                    // SEC-8: the database login is a mounted file re-read per connection, not an environment
                                    // variable frozen at pod start.
                                    envFrom: [
                                        { configMapRef: { name: "bookbuddy-api-config" } },
                                        { secretRef: { name: "bookbuddy-redis" } },
                                        { secretRef: { name: "bookbuddy-jwt" } },
                                    ],
                                    startupProbe: probe({ periodSeconds: 5, failureThreshold: 30 }),
                                    readinessProbe: probe({ periodSeconds: 10, failureThreshold: 3 }),
                                    livenessProbe: probe({ periodSeconds: 20, failureThreshold: 3 }),
                                    resources,
                                    securityContext: containerSecurity,
                                    volumeMounts: [
                                        { name: "tmp", mountPath: "/tmp" },
                                        { name: "database-credentials", mountPath: DATABASE_CREDENTIALS_DIR, readOnly: true },
                                    ],
                                },
                            ],
                            volumes: [
                                tmpVolume,
                                // No subPath: only a whole-volume mount is updated in place by the kubelet.
                                {
                                    name: "database-credentials",
                                    secret: {
                                        secretName: "bookbuddy-database",
                                        defaultMode: 0o440,
                                        items: [
                                            { key: "username", path: "username" },
                                            { key: "password", path: "password" },
                                        ],
                                    },
                                },
                            ],
                        },
                    },
                },
            },
            {
                parent: this,
                dependsOn: [
                    this.migrationJob,
                    this.apiServiceAccount,
                    this.configMap,
                    this.externalSecrets.database,
                    this.externalSecrets.redisAuth,
                    this.externalSecrets.jwt,
                    this.podIdentity,
                ],
                // The HPA owns the replica count once it exists (of the Rollout under REL-1).
                ignoreChanges: progressive ? [] : ["spec.replicas"],
            },
        );

        this.service = new k8s.core.v1.Service(
            `${name}-api`,
            {
                metadata: { name: "bookbuddy-api", namespace: ns, labels: apiLabels },
                spec: { type: "ClusterIP", selector, ports: [{ name: "http", port: 80, targetPort: "http", protocol: "TCP" }] },
            },
            inNs,
        );

        const a = args.autoscaling;
        this.hpa = new k8s.autoscaling.v2.HorizontalPodAutoscaler(
            `${name}-api`,
            {
                metadata: { name: "bookbuddy-api", namespace: ns, labels: apiLabels },
                spec: {
                    scaleTargetRef: progressive
                        ? { apiVersion: "argoproj.io/v1alpha1", kind: "Rollout", name: "bookbuddy-api" }
                        : { apiVersion: "apps/v1", kind: "Deployment", name: "bookbuddy-api" },
                    minReplicas: a.minReplicas,
                    maxReplicas: a.maxReplicas,
                    metrics: [
                        {
                            type: "Resource",
                            resource: { name: "cpu", target: { type: "Utilization", averageUtilization: a.cpuUtilization } },
                        },
                        {
                            type: "Resource",
                            resource: {
                                name: "memory",
                                target: { type: "Utilization", averageUtilization: a.memoryUtilization },
                            },
                        },
                    ],
                    behavior: {
                        scaleDown: {
                            stabilizationWindowSeconds: 300,
                            policies: [{ type: "Percent", value: 50, periodSeconds: 60 }],
                        },
                    },
                },
            },
            { parent: this, dependsOn: [this.deployment] },
        );

        this.pdb = new k8s.policy.v1.PodDisruptionBudget(
            `${name}-api`,
            {
                metadata: { name: "bookbuddy-api", namespace: ns, labels: apiLabels },
                spec: { maxUnavailable: 1, selector: { matchLabels: selector } },
            },
            inNs,
        );

        this.ingress = new k8s.networking.v1.Ingress(
            `${name}-api`,
            {
                metadata: {
                    name: "bookbuddy-api",
                    namespace: ns,
                    labels: apiLabels,
                    annotations: pulumi.all([args.certificateArn, args.webAclArn]).apply(([cert, waf]) => ({
                        "alb.ingress.kubernetes.io/scheme": "internet-facing",
                        "alb.ingress.kubernetes.io/target-type": "ip",
                        "alb.ingress.kubernetes.io/listen-ports": JSON.stringify([{ HTTP: 80 }, { HTTPS: 443 }]),
                        "alb.ingress.kubernetes.io/ssl-redirect": "443",
                        "alb.ingress.kubernetes.io/certificate-arn": cert,
                        "alb.ingress.kubernetes.io/ssl-policy": ALB_SSL_POLICY,
                        "alb.ingress.kubernetes.io/backend-protocol": "HTTP",
                        "alb.ingress.kubernetes.io/healthcheck-path": HEALTH_PATH,
                        "alb.ingress.kubernetes.io/success-codes": "200",
                        "alb.ingress.kubernetes.io/load-balancer-attributes":
                            "routing.http.drop_invalid_header_fields.enabled=true,routing.http.desync_mitigation_mode=strictest",
                        "alb.ingress.kubernetes.io/tags": "tier=public-lb",
                        ...(waf ? { "alb.ingress.kubernetes.io/wafv2-acl-arn": waf } : {}),
                    })),
                },
                spec: {
                    ingressClassName: "alb",
                    rules: [
                        {
                            host: args.apiDomain,
                            http: {
                                paths: [
                                    {
                                        path: "/",
                                        pathType: "Prefix",
                                        backend: {
                                            service: {
                                                name: "bookbuddy-api",
                                                port: { name: progressive === "canary" ? "use-annotation" : "http" },
                                            },
                                        },
                                    },
                                ],
                            },
                        },
                    ],
                },
            },
            { parent: this, dependsOn: [this.namespace, this.service] },
        );

        if (args.zoneId !== undefined) {
            // The Kubernetes provider waits until the controller has published the load balancer's name.
            const hostname = this.ingress.status.apply((st) => {
                const lb = st?.loadBalancer?.ingress?.[0]?.hostname;
                if (!lb) throw new Error(`Ingress bookbuddy-api has no load balancer hostname yet (EDGE-1)`);
                return lb;
            });
            this.dnsRecord = new aws.route53.Record(
                `${name}-api`,
                { zoneId: args.zoneId, name: args.apiDomain, type: "CNAME", ttl: 60, records: [hostname] },
                child,
            );
        }

        this.registerOutputs({ image: this.image, namespace: ns });
    }
}

/** The `bookbuddy-jwt` entries: JWT_SECRET signs and verifies, JWT_SECRET_PREVIOUS only verifies (SEC-1). */
export function jwtSecretData(
    secretName: string,
): { secretKey: string; remoteRef: { key: string; property: string; version: string } }[] {
    return [
        { secretKey: JWT_ENV.current, remoteRef: { key: secretName, property: "value", version: "AWSCURRENT" } },
        { secretKey: JWT_ENV.previous, remoteRef: { key: secretName, property: "previous", version: "AWSCURRENT" } },
    ];
}

/** The API's only AWS permissions (APP-1, SEC-4): objects of the media bucket, its key only via S3. */
export function apiPolicy(args: Pick<BookbuddyAppArgs, "mediaBucketArn" | "mediaKeyArn" | "context">): pulumi.Output<string> {
    return policyDocument([
        { Sid: "MediaList", Effect: "Allow", Action: "s3:ListBucket", Resource: args.mediaBucketArn },
        {
            Sid: "MediaObjects",
            Effect: "Allow",
            Action: ["s3:GetObject", "s3:PutObject", "s3:DeleteObject", "s3:AbortMultipartUpload", "s3:ListMultipartUploadParts"],
            Resource: pulumi.interpolate`${args.mediaBucketArn}/*`,
        },
        {
            Sid: "MediaKeyThroughS3",
            Effect: "Allow",
            Action: ["kms:Decrypt", "kms:GenerateDataKey"],
            Resource: args.mediaKeyArn,
            Condition: { StringEquals: { "kms:ViaService": `s3.${args.context.region}.amazonaws.com` } },
        },
    ]);
}

/** A Kubernetes-name-safe form of an image tag (dots and underscores become dashes). */
export function jobSuffix(tag: string): string {
    return tag
        .toLowerCase()
        .replace(/[^a-z0-9-]/g, "-")
        .replace(/^-+|-+$/g, "")
        .slice(0, 40);
}

function labelValue(tag: string): string {
    return tag.replace(/[^A-Za-z0-9._-]/g, "-").slice(0, 63);
}

function validate(name: string, args: BookbuddyAppArgs): void {
    const fail = (what: string) => {
        throw new Error(`BookbuddyApp ${name}: ${what} (APP-1)`);
    };
    if (!/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/.test(args.imageTag) || args.imageTag === "latest")
        fail(`image tag "${args.imageTag}" must be a fixed release tag, not "latest"`);
    if (jobSuffix(args.imageTag).length === 0) fail(`image tag "${args.imageTag}" yields no Job name`);
    const a = args.autoscaling;
    if (!(a.minReplicas >= 1 && a.minReplicas <= a.maxReplicas))
        fail(`autoscaling needs 1 <= minReplicas <= maxReplicas, got ${a.minReplicas}..${a.maxReplicas}`);
}
