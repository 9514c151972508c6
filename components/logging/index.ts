/**
 * ELK under ECK with a Fluent Bit shipper (LOG-1, LOG-2, BKP-4).
 *
 * The eck-operator chart (pinned) runs Elasticsearch, Kibana and Logstash as ECK resources at one pinned
 * stack version, with ECK's default TLS and persistent volumes on the encrypted StorageClass. Fluent Bit
 * (DaemonSet) tails every container log, ships it to Logstash, which parses the severity and writes the
 * `logs-bookbuddy-default` data stream; Fluent Bit also counts FATAL/ERROR/WARN lines into
 * `bookbuddy_log_lines_total{severity, namespace, app}` for the alert rules (LOG-2).
 *
 * Lifecycle and snapshots are cluster state, not Kubernetes objects: a Job (./setup.sh) PUTs the ILM policy
 * (delete after `retentionDays`), attaches it to every `logs-*-*` data stream through the `logs@custom`
 * component template, registers the S3 repository on the archive bucket and the daily SLM policy. It is
 * named after the hash of its bodies, so a changed policy runs it again. (ECK's StackConfigPolicy would do the
 * same declaratively but needs an Enterprise licence.)
 */
import * as aws from "@pulumi/aws";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { createHash } from "crypto";
import * as fs from "fs";
import * as path from "path";
import { AwsContext, policyDocument, webIdentityTrust } from "../shared/context";
import { HardenedBucket } from "../storage/bucket";
import { podSecurityLabels } from "../shared/k8s";

/** IRSA trust, kept in the shared context; re-exported for callers of this module. */
export { webIdentityTrust };

/** Chart repositories (LOG-1). */
export const ELASTIC_REPO = "https://helm.elastic.co";
export const FLUENT_REPO = "https://fluent.github.io/helm-charts";
/** Name of the Elasticsearch, Kibana and Logstash resources; ECK derives service and secret names from it. */
export const ELK_NAME = "bookbuddy";
/** Service account of the Elasticsearch pods, the subject the snapshot role trusts (IRSA, LOG-1). */
export const ES_SERVICE_ACCOUNT = "elasticsearch";
/** Port of Fluent Bit's Prometheus exporter of the log-derived metric (LOG-2). */
export const LOG_METRICS_PORT = 2021;
/** The metric the LOG-2 alert rules read (components/monitoring/rules.ts). */
export const LOG_METRIC = { namespace: "bookbuddy", name: "log_lines_total", severities: ["FATAL", "ERROR", "WARN"] } as const;
/**
 * How repository-s3 of the pinned stack gets AWS credentials (LOG-1): IAM roles for service accounts. The
 * plugin may only read files below its config directory, so the web identity token must be at
 * `config/repository-s3/aws-web-identity-token-file`: a projected service-account token with the STS audience
 * is mounted there, and `AWS_ROLE_ARN` names the role. (EKS Pod Identity needs Elasticsearch 9.6 or later;
 * tests/upstream/elasticsearch/repository-s3.yaml keeps the facts with their sources.)
 */
export const ES_CONFIG_DIR = "/usr/share/elasticsearch/config";
export const S3_TOKEN_DIR = `${ES_CONFIG_DIR}/repository-s3`;
export const S3_TOKEN_FILE = "aws-web-identity-token-file";
/** The setup script shipped to the Job. */
export const SETUP_SCRIPT_PATH = path.join(__dirname, "setup.sh");

export interface LoggingArgs {
    /** Pinned versions: eck-operator and fluent-bit charts, Elastic stack; required (LOG-1). */
    versions: { eckOperator: string; stack: string; fluentBit: string };
    /** Namespace of the ELK resources and the shipper; default `logging` (LOG-1). */
    namespace?: string;
    /** The cluster's IAM OIDC provider and issuer host (no scheme), trusted by the snapshot role (IRSA); required (LOG-1, SEC-4). */
    oidc: { providerArn: pulumi.Input<string>; issuer: pulumi.Input<string> };
    /** Account, region, partition; required. */
    context: AwsContext;
    /** Encrypted StorageClass of the volumes; required (LOG-1). */
    storageClassName: string;
    /** Elasticsearch nodes; default 3, spread over zones when more than one (LOG-1, ENV-3). */
    elasticsearchNodes?: number;
    /** Volume per Elasticsearch node, GiB; default 200 (LOG-1). */
    elasticsearchStorageGi?: number;
    /** Memory request and limit per Elasticsearch node; default `4Gi` (LOG-1). */
    elasticsearchMemory?: string;
    /** Kibana replicas; default 2 (LOG-1). */
    kibanaReplicas?: number;
    /** Logstash replicas; default 2 (LOG-1). */
    logstashReplicas?: number;
    /** Days indices are kept before deletion; default 90 (LOG-1, BKP-4). */
    retentionDays?: number;
    /** Elasticsearch cron of the daily snapshot; default `0 30 1 * * ?` (LOG-1). */
    snapshotSchedule?: string;
    /** Days snapshots and archive objects are kept; default 90 (LOG-1, BKP-4). */
    snapshotRetentionDays?: number;
    /** Image of the setup Job (curl); required (LOG-1). */
    setupImage: string;
    /** Archive bucket: KMS key, access-log bucket, physical name, force destroy (LOG-1, STORE-1). */
    archive: {
        kmsKeyArn: pulumi.Input<string>;
        accessLogBucket: pulumi.Input<string>;
        bucketName?: pulumi.Input<string>;
        forceDestroy?: boolean;
    };
}

/** The ILM policy: roll over daily or at 50 GB, delete `retentionDays` after rollover (LOG-1). */
export function lifecyclePolicy(retentionDays: number): Record<string, unknown> {
    if (!Number.isInteger(retentionDays) || retentionDays < 90)
        throw new Error(`log retention must be at least 90 days (BKP-4), got ${retentionDays}`);
    return {
        policy: {
            _meta: { description: `Bookbuddy logs: delete ${retentionDays} days after rollover (LOG-1)`, managed_by: "pulumi" },
            phases: {
                hot: { min_age: "0ms", actions: { rollover: { max_age: "1d", max_primary_shard_size: "50gb" } } },
                delete: { min_age: `${retentionDays}d`, actions: { delete: { delete_searchable_snapshot: true } } },
            },
        },
    };
}

/** The SLM policy: a daily snapshot of every index, kept `retentionDays` (LOG-1). */
export function snapshotPolicy(schedule: string, retentionDays: number): Record<string, unknown> {
    return {
        schedule,
        name: "<daily-snap-{now/d}>",
        repository: "s3-archive",
        config: { indices: ["*"], include_global_state: true },
        retention: { expire_after: `${retentionDays}d`, min_count: 1, max_count: Math.max(retentionDays + 10, 100) },
    };
}

/** The S3 snapshot repository on the archive bucket; objects are encrypted by the bucket's default SSE-KMS (LOG-1). */
export function snapshotRepository(bucket: string): Record<string, unknown> {
    return { type: "s3", settings: { bucket, base_path: "elasticsearch", storage_class: "standard_ia", canned_acl: "private" } };
}

/**
 * The Logstash pipeline: HTTP input from Fluent Bit, the raw line to ECS `message`, severity normalised to ECS
 * `log.level`, data stream output (LOG-1, LOG-2).
 */
export function logstashPipeline(): string {
    return [
        "input {",
        "  http { port => 8080 codec => json }",
        "}",
        "filter {",
        // Fluent Bit sends the container line in the string field `log`; ECS keeps it in `message` (or, when a
        // merged JSON line brought its own message, in `event.original`), which frees `log` for the ECS object.
        "  if [log] and [message] {",
        '    mutate { rename => { "log" => "[event][original]" } }',
        "  } else if [log] {",
        '    mutate { rename => { "log" => "message" } }',
        "  }",
        "  if ![severity] {",
        '    grok { match => { "message" => "\\b(?<severity>FATAL|CRITICAL|ERROR|WARN|INFO|DEBUG)(?:ING)?\\b" } tag_on_failure => [] }',
        "  }",
        '  if [severity] == "CRITICAL" { mutate { replace => { "severity" => "FATAL" } } }',
        '  if [severity] { mutate { rename => { "severity" => "[log][level]" } } }',
        "}",
        "output {",
        "  elasticsearch {",
        '    hosts => ["${ECK_ES_HOSTS}"]',
        '    user => "${ECK_ES_USER}"',
        '    password => "${ECK_ES_PASSWORD}"',
        '    ssl_certificate_authorities => "${ECK_ES_SSL_CERTIFICATE_AUTHORITY}"',
        "    data_stream => true",
        '    data_stream_type => "logs"',
        '    data_stream_dataset => "bookbuddy"',
        '    data_stream_namespace => "default"',
        "  }",
        "}",
    ].join("\n");
}

/** Fluent Bit pipeline (classic format): tail, Kubernetes metadata, severity, LOG-2 counter, outputs (LOG-1, LOG-2). */
export function fluentBitConfig(logstashHost: string): {
    inputs: string;
    filters: string;
    outputs: string;
    customParsers: string;
} {
    const section = (name: string, entries: Array<[string, string | number]>) =>
        [`[${name}]`, ...entries.map(([k, v]) => `    ${k} ${v}`)].join("\n") + "\n";
    return {
        customParsers: section("PARSER", [
            ["Name", "severity"],
            ["Format", "regex"],
            ["Regex", "\\b(?<severity>FATAL|CRITICAL|ERROR|WARN)(?:ING)?\\b"],
        ]),
        inputs: section("INPUT", [
            ["Name", "tail"],
            ["Path", "/var/log/containers/*.log"],
            ["Exclude_Path", "/var/log/containers/fluent-bit*"],
            ["multiline.parser", "docker, cri"],
            ["Tag", "kube.*"],
            ["Mem_Buf_Limit", "50MB"],
            ["Skip_Long_Lines", "On"],
        ]),
        filters: [
            section("FILTER", [
                ["Name", "kubernetes"],
                ["Match", "kube.*"],
                ["Merge_Log", "On"],
                ["Keep_Log", "On"],
                ["K8S-Logging.Parser", "On"],
                ["K8S-Logging.Exclude", "On"],
                ["Labels", "On"],
                ["Annotations", "Off"],
            ]),
            section("FILTER", [
                ["Name", "parser"],
                ["Match", "kube.*"],
                ["Key_Name", "log"],
                ["Parser", "severity"],
                ["Reserve_Data", "On"],
                ["Preserve_Key", "On"],
            ]),
            section("FILTER", [
                ["Name", "modify"],
                ["Match", "kube.*"],
                ["Condition", "Key_Value_Equals severity CRITICAL"],
                ["Set", "severity FATAL"],
            ]),
            section("FILTER", [
                ["Name", "log_to_metrics"],
                ["Match", "kube.*"],
                ["Tag", "log_metrics"],
                ["Metric_Mode", "counter"],
                ["Metric_Namespace", LOG_METRIC.namespace],
                ["Metric_Name", LOG_METRIC.name],
                ["Metric_Description", "Container log lines by severity (LOG-2)"],
                ["Regex", `severity ^(${LOG_METRIC.severities.join("|")})$`],
                ["Add_Label", "severity $severity"],
                ["Add_Label", "namespace $kubernetes['namespace_name']"],
                ["Add_Label", "app $kubernetes['labels']['app.kubernetes.io/name']"],
            ]),
        ].join("\n"),
        outputs: [
            section("OUTPUT", [
                ["Name", "http"],
                ["Match", "kube.*"],
                ["Host", logstashHost],
                ["Port", 8080],
                ["URI", "/"],
                ["Format", "json"],
                ["Json_Date_Key", "@timestamp"],
                ["Json_Date_Format", "iso8601"],
                ["Retry_Limit", "False"],
            ]),
            section("OUTPUT", [
                ["Name", "prometheus_exporter"],
                ["Match", "log_metrics"],
                ["Host", "0.0.0.0"],
                ["Port", LOG_METRICS_PORT],
            ]),
        ].join("\n"),
    };
}

/** What the snapshot role may do: the archive bucket's objects and its key through S3 only (LOG-1, SEC-4). */
export function snapshotRolePolicy(
    bucketArn: pulumi.Input<string>,
    keyArn: pulumi.Input<string>,
    region: string,
): pulumi.Output<string> {
    return policyDocument([
        {
            Sid: "Bucket",
            Effect: "Allow",
            Action: ["s3:ListBucket", "s3:GetBucketLocation", "s3:ListBucketMultipartUploads", "s3:ListBucketVersions"],
            Resource: bucketArn,
        },
        {
            Sid: "Objects",
            Effect: "Allow",
            Action: ["s3:GetObject", "s3:PutObject", "s3:DeleteObject", "s3:AbortMultipartUpload", "s3:ListMultipartUploadParts"],
            Resource: pulumi.interpolate`${bucketArn}/*`,
        },
        {
            Sid: "KeyViaS3",
            Effect: "Allow",
            Action: ["kms:Decrypt", "kms:GenerateDataKey"],
            Resource: keyArn,
            Condition: { StringEquals: { "kms:ViaService": `s3.${region}.amazonaws.com` } },
        },
    ]);
}

/**
 * The ELK stack (LOG-1, LOG-2): operator, Elasticsearch (zone-aware when it has more than one node), Kibana,
 * Logstash, Fluent Bit, the S3 archive with its Pod Identity role, and the lifecycle/snapshot setup Job.
 */
export class LoggingStack extends pulumi.ComponentResource {
    readonly namespace: k8s.core.v1.Namespace;
    readonly operator: k8s.helm.v3.Release;
    readonly archive: HardenedBucket;
    readonly snapshotRole: aws.iam.Role;
    readonly elasticsearch: k8s.apiextensions.CustomResource;
    readonly kibana: k8s.apiextensions.CustomResource;
    readonly logstash: k8s.apiextensions.CustomResource;
    readonly shipper: k8s.helm.v3.Release;
    readonly setupJob: k8s.batch.v1.Job;

    constructor(name: string, args: LoggingArgs, opts?: pulumi.ComponentResourceOptions) {
        super("bookbuddy:logging:LoggingStack", name, {}, opts);
        const ns = args.namespace ?? "logging";
        const nodes = args.elasticsearchNodes ?? 3;
        const retention = args.retentionDays ?? 90;
        const snapshotRetention = args.snapshotRetentionDays ?? 90;
        if (snapshotRetention < 90)
            throw new Error(
                `LoggingStack ${name}: snapshots must be kept at least 90 days (LOG-1, BKP-4), got ${snapshotRetention}`,
            );
        const parent = { parent: this };

        this.namespace = new k8s.core.v1.Namespace(
            `${name}-namespace`,
            // Fluent Bit reads host log files, so the namespace enforces "privileged" and warns on "restricted".
            { metadata: { name: ns, labels: podSecurityLabels("privileged") } },
            parent,
        );
        const operatorNs = new k8s.core.v1.Namespace(`${name}-elastic-system`, { metadata: { name: "elastic-system" } }, parent);
        this.operator = new k8s.helm.v3.Release(
            `${name}-eck-operator`,
            {
                name: "elastic-operator",
                chart: "eck-operator",
                version: args.versions.eckOperator,
                repositoryOpts: { repo: ELASTIC_REPO },
                namespace: operatorNs.metadata.name,
                atomic: true,
                values: {
                    installCRDs: true,
                    // Node zone labels reach the Elasticsearch pods for shard allocation awareness (LOG-1).
                    config: { exposedNodeLabels: ["topology.kubernetes.io/.*"] },
                    podMonitor: { enabled: false },
                },
            },
            parent,
        );

        // LOG-1, BKP-4: the snapshot archive keeps 90 days, like every log of the program.
        this.archive = new HardenedBucket(
            `${name}-archive`,
            {
                bucketName: args.archive.bucketName,
                kmsKeyArn: args.archive.kmsKeyArn,
                dataClass: "logs",
                dataClassReason: "Elasticsearch snapshots of application logs expired by lifecycle",
                accessLogBucket: args.archive.accessLogBucket,
                expirationDays: snapshotRetention,
                noncurrentVersionExpirationDays: 7,
                forceDestroy: args.archive.forceDestroy ?? false,
            },
            parent,
        );
        this.snapshotRole = new aws.iam.Role(
            `${name}-snapshots`,
            {
                description: `Elasticsearch snapshots to the log archive (IRSA ${ns}/${ES_SERVICE_ACCOUNT})`,
                assumeRolePolicy: webIdentityTrust(args.oidc.providerArn, args.oidc.issuer, ns, ES_SERVICE_ACCOUNT),
            },
            parent,
        );
        const snapshotAccess = new aws.iam.RolePolicy(
            `${name}-snapshots`,
            {
                role: this.snapshotRole.id,
                policy: snapshotRolePolicy(this.archive.arn, args.archive.kmsKeyArn, args.context.region),
            },
            parent,
        );
        const serviceAccount = new k8s.core.v1.ServiceAccount(
            `${name}-elasticsearch`,
            { metadata: { name: ES_SERVICE_ACCOUNT, namespace: ns } },
            { parent: this, dependsOn: [this.namespace] },
        );

        const afterOperator = { parent: this, dependsOn: [this.namespace, this.operator] };
        const zoneAware = nodes > 1;
        const esLabels = { "elasticsearch.k8s.elastic.co/cluster-name": ELK_NAME };
        this.elasticsearch = new k8s.apiextensions.CustomResource(
            `${name}-elasticsearch`,
            {
                apiVersion: "elasticsearch.k8s.elastic.co/v1",
                kind: "Elasticsearch",
                metadata: {
                    name: ELK_NAME,
                    namespace: ns,
                    // Zone of the node as a pod annotation, for allocation awareness (LOG-1, ENV-3).
                    annotations: zoneAware ? { "eck.k8s.elastic.co/downward-node-labels": "topology.kubernetes.io/zone" } : {},
                },
                spec: {
                    version: args.versions.stack,
                    // TLS on the HTTP layer stays ECK's default: a self-signed CA per cluster.
                    nodeSets: [
                        {
                            name: "default",
                            count: nodes,
                            config: {
                                "node.roles": ["master", "data", "ingest"],
                                ...(zoneAware
                                    ? {
                                          "node.attr.zone": "${ZONE}",
                                          "cluster.routing.allocation.awareness.attributes": "k8s_node_name,zone",
                                      }
                                    : {}),
                            },
                            podTemplate: {
                                spec: {
                                    serviceAccountName: ES_SERVICE_ACCOUNT,
                                    containers: [
                                        {
                                            name: "elasticsearch",
                                            resources: {
                                                requests: { cpu: "500m", memory: args.elasticsearchMemory ?? "4Gi" },
                                                limits: { memory: args.elasticsearchMemory ?? "4Gi" },
                                            },
                                            env: [
                                                ...(zoneAware
                                                    ? [
                                                          {
                                                              name: "ZONE",
                                                              valueFrom: {
                                                                  fieldRef: {
                                                                      fieldPath:
                                                                          "metadata.annotations['topology.kubernetes.io/zone']",
                                                                  },
                                                              },
                                                          },
                                                      ]
                                                    : []),
                                                // repository-s3 (IRSA): the role, and the token where the plugin may read it (LOG-1).
                                                { name: "AWS_ROLE_ARN", value: this.snapshotRole.arn },
                                                {
                                                    name: "AWS_WEB_IDENTITY_TOKEN_FILE",
                                                    value: `${S3_TOKEN_DIR}/${S3_TOKEN_FILE}`,
                                                },
                                            ],
                                            volumeMounts: [
                                                { name: "aws-web-identity-token", mountPath: S3_TOKEN_DIR, readOnly: true },
                                            ],
                                        },
                                    ],
                                    volumes: [
                                        {
                                            name: "aws-web-identity-token",
                                            projected: {
                                                sources: [
                                                    {
                                                        serviceAccountToken: {
                                                            audience: "sts.amazonaws.com",
                                                            expirationSeconds: 86400,
                                                            path: S3_TOKEN_FILE,
                                                        },
                                                    },
                                                ],
                                            },
                                        },
                                    ],
                                    topologySpreadConstraints: zoneAware
                                        ? [
                                              {
                                                  maxSkew: 1,
                                                  topologyKey: "topology.kubernetes.io/zone",
                                                  whenUnsatisfiable: "DoNotSchedule",
                                                  labelSelector: { matchLabels: esLabels },
                                              },
                                          ]
                                        : [],
                                },
                            },
                            volumeClaimTemplates: [
                                {
                                    metadata: { name: "elasticsearch-data" },
                                    spec: {
                                        accessModes: ["ReadWriteOnce"],
                                        storageClassName: args.storageClassName,
                                        resources: { requests: { storage: `${args.elasticsearchStorageGi ?? 200}Gi` } },
                                    },
                                },
                            ],
                        },
                    ],
                },
            },
            { parent: this, dependsOn: [this.namespace, this.operator, serviceAccount, snapshotAccess] },
        );

        this.kibana = new k8s.apiextensions.CustomResource(
            `${name}-kibana`,
            {
                apiVersion: "kibana.k8s.elastic.co/v1",
                kind: "Kibana",
                metadata: { name: ELK_NAME, namespace: ns },
                spec: {
                    version: args.versions.stack,
                    count: args.kibanaReplicas ?? 2,
                    elasticsearchRef: { name: ELK_NAME },
                    podTemplate: {
                        spec: {
                            containers: [
                                {
                                    name: "kibana",
                                    resources: { requests: { cpu: "250m", memory: "1Gi" }, limits: { memory: "1Gi" } },
                                },
                            ],
                        },
                    },
                },
            },
            afterOperator,
        );

        this.logstash = new k8s.apiextensions.CustomResource(
            `${name}-logstash`,
            {
                apiVersion: "logstash.k8s.elastic.co/v1alpha1",
                kind: "Logstash",
                metadata: { name: ELK_NAME, namespace: ns },
                spec: {
                    version: args.versions.stack,
                    count: args.logstashReplicas ?? 2,
                    elasticsearchRefs: [{ name: ELK_NAME, clusterName: "eck" }],
                    pipelines: [{ "pipeline.id": "bookbuddy", "config.string": logstashPipeline() }],
                    services: [
                        {
                            name: "fluent",
                            service: { spec: { type: "ClusterIP", ports: [{ name: "http", port: 8080, targetPort: 8080 }] } },
                        },
                    ],
                    volumeClaimTemplates: [
                        {
                            metadata: { name: "logstash-data" },
                            spec: {
                                accessModes: ["ReadWriteOnce"],
                                storageClassName: args.storageClassName,
                                resources: { requests: { storage: "10Gi" } },
                            },
                        },
                    ],
                    podTemplate: {
                        spec: {
                            containers: [
                                {
                                    name: "logstash",
                                    resources: { requests: { cpu: "500m", memory: "2Gi" }, limits: { memory: "2Gi" } },
                                },
                            ],
                        },
                    },
                },
            },
            { parent: this, dependsOn: [this.namespace, this.operator, this.elasticsearch] },
        );

        // ECK names the Logstash service <name>-ls-<service>.
        const fb = fluentBitConfig(`${ELK_NAME}-ls-fluent.${ns}.svc`);
        this.shipper = new k8s.helm.v3.Release(
            `${name}-fluent-bit`,
            {
                name: "fluent-bit",
                chart: "fluent-bit",
                version: args.versions.fluentBit,
                repositoryOpts: { repo: FLUENT_REPO },
                namespace: ns,
                atomic: true,
                values: {
                    kind: "DaemonSet",
                    config: { inputs: fb.inputs, filters: fb.filters, outputs: fb.outputs, customParsers: fb.customParsers },
                    extraPorts: [
                        { name: "log-metrics", port: LOG_METRICS_PORT, containerPort: LOG_METRICS_PORT, protocol: "TCP" },
                    ],
                    serviceMonitor: { enabled: true },
                    tolerations: [{ operator: "Exists" }],
                    securityContext: {
                        readOnlyRootFilesystem: true,
                        allowPrivilegeEscalation: false,
                        capabilities: { drop: ["ALL"] },
                    },
                },
            },
            { parent: this, dependsOn: [this.namespace, this.logstash] },
        );
        // LOG-2: the counter carries its own namespace label, so Prometheus must keep it (honorLabels).
        new k8s.apiextensions.CustomResource(
            `${name}-log-metrics`,
            {
                apiVersion: "monitoring.coreos.com/v1",
                kind: "PodMonitor",
                metadata: { name: "fluent-bit-log-metrics", namespace: ns },
                spec: {
                    selector: {
                        matchLabels: { "app.kubernetes.io/name": "fluent-bit", "app.kubernetes.io/instance": "fluent-bit" },
                    },
                    podMetricsEndpoints: [{ port: "log-metrics", path: "/metrics", interval: "30s", honorLabels: true }],
                },
            },
            { parent: this, dependsOn: [this.shipper] },
        );

        // LOG-1: lifecycle, repository and snapshot policy, registered by a Job named after their content.
        const bodies = pulumi.output(this.archive.name).apply((bucket) => ({
            "ilm-policy.json": JSON.stringify(lifecyclePolicy(retention)),
            "logs-custom.json": JSON.stringify({
                template: { settings: { "index.lifecycle.name": "bookbuddy-logs" } },
                _meta: { managed_by: "pulumi" },
            }),
            "repository.json": JSON.stringify(snapshotRepository(bucket)),
            "slm-policy.json": JSON.stringify(snapshotPolicy(args.snapshotSchedule ?? "0 30 1 * * ?", snapshotRetention)),
        }));
        const script = fs.readFileSync(SETUP_SCRIPT_PATH, "utf8");
        const bodiesMap = new k8s.core.v1.ConfigMap(
            `${name}-setup`,
            {
                metadata: { namespace: ns, labels: { app: "elasticsearch-setup" } },
                data: bodies.apply((b) => ({ ...b, "setup.sh": script })),
            },
            { parent: this, dependsOn: [this.namespace] },
        );
        const digest = bodies.apply((b) =>
            createHash("sha256").update(script).update(JSON.stringify(b)).digest("hex").slice(0, 10),
        );
        this.setupJob = new k8s.batch.v1.Job(
            `${name}-setup`,
            {
                metadata: {
                    name: pulumi.interpolate`elasticsearch-setup-${digest}`,
                    namespace: ns,
                    labels: { app: "elasticsearch-setup" },
                },
                spec: {
                    backoffLimit: 4,
                    activeDeadlineSeconds: 1800,
                    ttlSecondsAfterFinished: 86400,
                    template: {
                        metadata: { labels: { app: "elasticsearch-setup" } },
                        spec: {
                            restartPolicy: "Never",
                            automountServiceAccountToken: false,
                            securityContext: {
                                runAsNonRoot: true,
                                runAsUser: 100,
                                runAsGroup: 101,
                                seccompProfile: { type: "RuntimeDefault" },
                            },
                            containers: [
                                {
                                    name: "setup",
                                    image: args.setupImage,
                                    command: ["/bin/sh", "/bodies/setup.sh"],
                                    env: [
                                        { name: "ES_URL", value: `https://${ELK_NAME}-es-http.${ns}.svc:9200` },
                                        {
                                            name: "ELASTIC_PASSWORD",
                                            valueFrom: { secretKeyRef: { name: `${ELK_NAME}-es-elastic-user`, key: "elastic" } },
                                        },
                                        { name: "CA_FILE", value: "/certs/ca.crt" },
                                    ],
                                    securityContext: {
                                        allowPrivilegeEscalation: false,
                                        readOnlyRootFilesystem: true,
                                        capabilities: { drop: ["ALL"] },
                                    },
                                    resources: {
                                        requests: { cpu: "10m", memory: "32Mi" },
                                        limits: { cpu: "200m", memory: "64Mi" },
                                    },
                                    volumeMounts: [
                                        { name: "bodies", mountPath: "/bodies", readOnly: true },
                                        { name: "certs", mountPath: "/certs", readOnly: true },
                                    ],
                                },
                            ],
                            volumes: [
                                { name: "bodies", configMap: { name: bodiesMap.metadata.name } },
                                { name: "certs", secret: { secretName: `${ELK_NAME}-es-http-certs-public` } },
                            ],
                        },
                    },
                },
            },
            { parent: this, dependsOn: [this.elasticsearch, bodiesMap] },
        );

        this.registerOutputs({ archiveBucket: this.archive.name, snapshotRoleArn: this.snapshotRole.arn });
    }
}
