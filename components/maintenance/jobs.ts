/**
 * The database CronJobs (BKP-2, MNT-1, MNT-2): logical backup, restore check and maintenance, running the
 * scripts and SQL of jobs/db/ in a restricted namespace with credentials from Secrets Manager.
 */
import * as aws from "@pulumi/aws";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import * as fs from "fs";
import * as path from "path";
import { podIdentityTrust } from "../cluster";
import { NamespaceSecretStore, SecretStoreAccess } from "../cluster/secret-store";
import { AwsContext, policyDocument } from "../shared/context";
import { DATABASE_JOB_NAMES, DatabaseJobName, JobTimings } from "./timing";
import { validateCronSchedule } from "./schedule";
import { podSecurityLabels } from "../shared/k8s";

/** Where the job scripts live in the repository; read when the program runs, so files stay files (BKP-2, MNT-1). */
export const JOB_SCRIPTS_DIR = path.resolve(__dirname, "..", "..", "jobs", "db");

/** PGOPTIONS of the dump's sessions (BKP-2): no statement or idle-in-transaction timeout for this job alone. */
export const DUMP_PGOPTIONS = "-c statement_timeout=0 -c idle_in_transaction_session_timeout=0";

/** Where the scripts are mounted in the job containers. */
export const SCRIPTS_MOUNT = "/opt/db-jobs";

/** Database credentials by purpose; each is the name of a Secrets Manager secret in the postgres-user JSON shape. */
export interface JobCredentials {
    /** Role of pg-dump: reads every table (the read-only role is enough) (BKP-2, SEC-4). */
    dump: string;
    /** Role of VACUUM, ANALYZE and REINDEX: the owner of the tables (migration owner) (MNT-1). */
    maintenance: string;
    /** Role of the slow-query report: reads pg_stat_statements (pg_read_all_stats) (MNT-1). */
    report: string;
}

export interface DatabaseJobsArgs {
    /** Namespace of the jobs, Pod Security Admission `restricted`; default `database-jobs` (BKP-2, MNT-1). */
    namespace?: string;
    /** Job image: bash, GNU coreutils, psql/pg_dump/pg_restore >= the server major, AWS CLI v2, the RDS CA bundle; pinned tag (BKP-2). */
    image: string;
    /** Path of the RDS CA bundle inside the image, for PGSSLMODE=verify-full (DB-1). */
    sslRootCertPath?: string;
    /** Secrets Manager secret names of the roles the jobs use (SEC-1, SEC-4). */
    credentials: JobCredentials;
    /** Name of the application database; names the dumps the restore check looks for (BKP-2). */
    databaseName: string;
    /** The namespace's own SecretStore is built from this: IRSA provider, secrets key; required (SEC-1, SEC-7). */
    secretStore: SecretStoreAccess;
    /** How often External Secrets re-reads the secrets (rotation); default `15m` (SEC-1). */
    secretRefreshInterval?: string;
    /** Bucket of the logical backups (30-day lifecycle) (BKP-2). */
    backupBucket: { name: pulumi.Input<string>; arn: pulumi.Input<string> };
    /** Key prefix of the dumps in the bucket; default `postgres/` (BKP-2). */
    backupPrefix?: string;
    /** KMS key of the backup bucket: dumps are uploaded with SSE-KMS under it (BKP-2, SEC-3). */
    backupKmsKeyArn: pulumi.Input<string>;
    /** EKS cluster of the Pod Identity associations (K8S-1). */
    clusterName: pulumi.Input<string>;
    /** Schedules and run times of the six jobs (MNT-1, MNT-2). */
    timings: JobTimings;
    /** Seconds a missed run may still start late; default 600 (MNT-2: counted in the overlap check). */
    startingDeadlineSeconds?: number;
    /** Newest dump must be younger than this for the restore check to pass; default 26 (BKP-2). */
    restoreCheckMaxAgeHours?: number;
    /** Size of the scratch volume holding one dump (emptyDir and ephemeral storage); default `20Gi` (BKP-2). */
    dumpVolumeSize?: string;
    /** Number of statements in the slow-query report; default 20 (MNT-1). */
    slowQueryLimit?: number;
    /** UID/GID the jobs run as (non-root); default 10001 (SEC-4). */
    runAsUser?: number;
    /** Account, region and partition. */
    context: AwsContext;
}

/** What each job runs and needs. */
interface JobSpec {
    command: string[];
    /** The database login of the job; none for the restore check, which never connects to the database. */
    credentials?: keyof JobCredentials;
    serviceAccount: "pg-dump" | "restore-check" | "db-maintenance";
    backoffLimit: number;
    resources: { requests: Record<string, string>; limits: Record<string, string> };
    env: Record<string, pulumi.Input<string>>;
    scratch: boolean;
}

const SMALL = { requests: { cpu: "50m", memory: "64Mi" }, limits: { cpu: "500m", memory: "256Mi" } };

/**
 * The database jobs (BKP-2, MNT-1, MNT-2) in their own namespace under Pod Security Admission `restricted`:
 * a ConfigMap with the scripts and SQL of jobs/db/ (read from the repository when the program runs), one
 * ExternalSecret per database role the jobs use, service accounts (pg-dump and restore-check each with their own
 * Pod Identity IAM role limited to the backup prefix; maintenance without AWS access), and six CronJobs with
 * concurrencyPolicy Forbid, deadlines, retries, history limits, resources, timeZone Etc/UTC and a non-root,
 * read-only, capability-free security context.
 */
export class DatabaseJobs extends pulumi.ComponentResource {
    readonly namespace: k8s.core.v1.Namespace;
    readonly scripts: k8s.core.v1.ConfigMap;
    readonly externalSecrets: Record<keyof JobCredentials, k8s.apiextensions.CustomResource>;
    /** The namespace's own External Secrets store and its IRSA role (SEC-7). */
    readonly secretStore: NamespaceSecretStore;
    readonly roles: Record<"pg-dump" | "restore-check", aws.iam.Role>;
    readonly cronJobs: Record<DatabaseJobName, k8s.batch.v1.CronJob>;

    constructor(name: string, args: DatabaseJobsArgs, opts?: pulumi.ComponentResourceOptions) {
        validate(name, args);
        super("bookbuddy:maintenance:DatabaseJobs", name, {}, opts);
        const parent = { parent: this };
        const ns = args.namespace ?? "database-jobs";
        const prefix = (args.backupPrefix ?? "postgres/").replace(/^\/+/, "");
        const ctx = args.context;
        const labels = { "app.kubernetes.io/part-of": "bookbuddy", "app.kubernetes.io/name": "database-jobs" };

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
            parent,
        );
        const inNs = { parent: this, dependsOn: [this.namespace] };

        const files = readJobFiles(JOB_SCRIPTS_DIR);
        this.scripts = new k8s.core.v1.ConfigMap(
            `${name}-scripts`,
            {
                metadata: { name: "db-jobs-scripts", namespace: ns, labels },
                data: Object.fromEntries(files.map((f) => [f.key, f.content])),
            },
            inNs,
        );

        // SEC-1: credentials come from Secrets Manager, refreshed so a rotation reaches the next run.
        const secretName = (purpose: keyof JobCredentials) =>
            `db-${purpose.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}-credentials`;
        const purposes = Object.keys(args.credentials) as (keyof JobCredentials)[];
        // SEC-7: the namespace's own store, which may read the jobs' role secrets and nothing else.
        this.secretStore = new NamespaceSecretStore(
            `${name}-secret-store`,
            { ...args.secretStore, namespace: ns, secretNames: [...new Set(purposes.map((p) => args.credentials[p]))] },
            inNs,
        );
        const withStore = { parent: this, dependsOn: [this.namespace, this.secretStore] };
        this.externalSecrets = {} as Record<keyof JobCredentials, k8s.apiextensions.CustomResource>;
        for (const purpose of purposes) {
            const remote = args.credentials[purpose];
            this.externalSecrets[purpose] = new k8s.apiextensions.CustomResource(
                `${name}-${purpose}`,
                {
                    apiVersion: "external-secrets.io/v1",
                    kind: "ExternalSecret",
                    metadata: { name: secretName(purpose), namespace: ns, labels },
                    spec: {
                        refreshInterval: args.secretRefreshInterval ?? "15m",
                        secretStoreRef: this.secretStore.ref,
                        target: { name: secretName(purpose), creationPolicy: "Owner" },
                        data: [
                            ["PGHOST", "host"],
                            ["PGPORT", "port"],
                            ["PGDATABASE", "dbname"],
                            ["PGUSER", "username"],
                            ["PGPASSWORD", "password"],
                        ].map(([secretKey, property]) => ({ secretKey, remoteRef: { key: remote, property } })),
                    },
                },
                withStore,
            );
        }

        // SEC-4: one IAM role per backup workload, bound to its own service account by Pod Identity.
        const objects = pulumi.interpolate`${args.backupBucket.arn}/${prefix}*`;
        const s3Via = { StringEquals: { "kms:ViaService": `s3.${ctx.region}.amazonaws.com` } };
        const rolePolicies: Record<"pg-dump" | "restore-check", pulumi.Input<Record<string, unknown>>[]> = {
            "pg-dump": [
                { Sid: "WriteDumps", Effect: "Allow", Action: "s3:PutObject", Resource: objects },
                {
                    Sid: "EncryptDumps",
                    Effect: "Allow",
                    Action: ["kms:GenerateDataKey", "kms:Decrypt"],
                    Resource: args.backupKmsKeyArn,
                    Condition: s3Via,
                },
            ],
            "restore-check": [
                {
                    Sid: "ListDumps",
                    Effect: "Allow",
                    Action: "s3:ListBucket",
                    Resource: args.backupBucket.arn,
                    Condition: { StringLike: { "s3:prefix": [`${prefix}*`] } },
                },
                { Sid: "ReadDumps", Effect: "Allow", Action: "s3:GetObject", Resource: objects },
                { Sid: "DecryptDumps", Effect: "Allow", Action: "kms:Decrypt", Resource: args.backupKmsKeyArn, Condition: s3Via },
            ],
        };
        this.roles = {} as Record<"pg-dump" | "restore-check", aws.iam.Role>;
        const serviceAccounts: k8s.core.v1.ServiceAccount[] = [];
        for (const sa of ["pg-dump", "restore-check", "db-maintenance"] as const) {
            serviceAccounts.push(
                new k8s.core.v1.ServiceAccount(
                    `${name}-${sa}`,
                    { metadata: { name: sa, namespace: ns, labels }, automountServiceAccountToken: false },
                    inNs,
                ),
            );
            if (sa === "db-maintenance") continue;
            const role = new aws.iam.Role(
                `${name}-${sa}`,
                {
                    description: `${sa} database job (Pod Identity ${ns}/${sa}) (BKP-2)`,
                    assumeRolePolicy: podIdentityTrust({
                        context: args.context,
                        clusterName: args.clusterName,
                        namespace: ns,
                        serviceAccount: sa,
                    }),
                },
                parent,
            );
            new aws.iam.RolePolicy(`${name}-${sa}`, { role: role.id, policy: policyDocument(rolePolicies[sa]) }, parent);
            new aws.eks.PodIdentityAssociation(
                `${name}-${sa}`,
                { clusterName: args.clusterName, namespace: ns, serviceAccount: sa, roleArn: role.arn },
                parent,
            );
            this.roles[sa] = role;
        }

        const target = pulumi.interpolate`s3://${args.backupBucket.name}/${prefix}`;
        const dumpSize = args.dumpVolumeSize ?? "20Gi";
        const scratchResources = {
            requests: { cpu: "250m", memory: "256Mi", "ephemeral-storage": dumpSize },
            limits: { cpu: "1", memory: "1Gi", "ephemeral-storage": dumpSize },
        };
        // The restore check holds the archive and the restored database: twice the dump volume, and memory for a server.
        const gi = /^(\d+)Gi$/.exec(dumpSize);
        const restoreSize = gi ? `${2 * Number(gi[1])}Gi` : dumpSize;
        const restoreResources = {
            requests: { cpu: "250m", memory: "512Mi", "ephemeral-storage": restoreSize },
            limits: { cpu: "1", memory: "1Gi", "ephemeral-storage": restoreSize },
        };
        const maintenance = (task: string): JobSpec => ({
            command: ["bash", `${SCRIPTS_MOUNT}/maintenance.sh`, task],
            credentials: task === "slow-query-report" ? "report" : "maintenance",
            serviceAccount: "db-maintenance",
            backoffLimit: 0,
            resources: SMALL,
            env: task === "slow-query-report" ? { SLOW_QUERY_LIMIT: String(args.slowQueryLimit ?? 20) } : {},
            scratch: false,
        });
        const specs: Record<DatabaseJobName, JobSpec> = {
            "pg-dump": {
                command: ["bash", `${SCRIPTS_MOUNT}/pg-dump.sh`],
                credentials: "dump",
                serviceAccount: "pg-dump",
                backoffLimit: 1,
                resources: scratchResources,
                // The read-only role's statement timeout must not cut the manifest of a large table short, and the
                // server's idle_in_transaction_session_timeout must not end the session holding the dump's snapshot
                // while pg_dump works (BKP-2; both are user-settable, for this job's sessions only).
                env: { BACKUP_TARGET: target, BACKUP_KMS_KEY_ID: args.backupKmsKeyArn, PGOPTIONS: DUMP_PGOPTIONS },
                scratch: true,
            },
            // BKP-2: restores into a throw-away server inside its own scratch volume; no database credentials at all.
            "restore-check": {
                command: ["bash", `${SCRIPTS_MOUNT}/restore-check.sh`],
                serviceAccount: "restore-check",
                backoffLimit: 1,
                resources: restoreResources,
                env: {
                    BACKUP_TARGET: target,
                    PGDATABASE: args.databaseName,
                    RESTORE_CHECK_MAX_AGE_HOURS: String(args.restoreCheckMaxAgeHours ?? 26),
                },
                scratch: true,
            },
            "vacuum-analyze": maintenance("vacuum-analyze"),
            analyze: maintenance("analyze"),
            reindex: maintenance("reindex"),
            "slow-query-report": maintenance("slow-query-report"),
        };

        const uid = args.runAsUser ?? 10001;
        const scriptItems = files.map((f) => ({ key: f.key, path: f.path }));
        this.cronJobs = {} as Record<DatabaseJobName, k8s.batch.v1.CronJob>;
        for (const job of DATABASE_JOB_NAMES) {
            const spec = specs[job];
            const timing = args.timings[job];
            const jobLabels = { ...labels, "app.kubernetes.io/component": job };
            const env = {
                PGSSLMODE: "verify-full",
                PGSSLROOTCERT: args.sslRootCertPath ?? "/etc/ssl/certs/rds-global-bundle.pem",
                PGCONNECT_TIMEOUT: "15",
                PGAPPNAME: `bookbuddy-${job}`,
                HOME: "/tmp",
                TMPDIR: spec.scratch ? "/work" : "/tmp",
                AWS_REGION: ctx.region,
                ...spec.env,
            };
            this.cronJobs[job] = new k8s.batch.v1.CronJob(
                `${name}-${job}`,
                {
                    metadata: { name: job, namespace: ns, labels: jobLabels },
                    spec: {
                        schedule: timing.schedule,
                        timeZone: "Etc/UTC",
                        concurrencyPolicy: "Forbid",
                        startingDeadlineSeconds: args.startingDeadlineSeconds ?? 600,
                        successfulJobsHistoryLimit: 3,
                        failedJobsHistoryLimit: 3,
                        suspend: false,
                        jobTemplate: {
                            metadata: { labels: jobLabels },
                            spec: {
                                activeDeadlineSeconds: timing.durationMinutes * 60,
                                backoffLimit: spec.backoffLimit,
                                template: {
                                    metadata: { labels: jobLabels },
                                    spec: {
                                        serviceAccountName: spec.serviceAccount,
                                        automountServiceAccountToken: false,
                                        restartPolicy: "Never",
                                        securityContext: {
                                            runAsNonRoot: true,
                                            runAsUser: uid,
                                            runAsGroup: uid,
                                            fsGroup: uid,
                                            seccompProfile: { type: "RuntimeDefault" },
                                        },
                                        containers: [
                                            {
                                                name: job,
                                                image: args.image,
                                                imagePullPolicy: "IfNotPresent",
                                                command: spec.command,
                                                env: Object.entries(env).map(([k, value]) => ({ name: k, value })),
                                                envFrom: spec.credentials
                                                    ? [{ secretRef: { name: secretName(spec.credentials) } }]
                                                    : [],
                                                resources: spec.resources,
                                                securityContext: {
                                                    runAsNonRoot: true,
                                                    runAsUser: uid,
                                                    allowPrivilegeEscalation: false,
                                                    readOnlyRootFilesystem: true,
                                                    privileged: false,
                                                    capabilities: { drop: ["ALL"] },
                                                    seccompProfile: { type: "RuntimeDefault" },
                                                },
                                                volumeMounts: [
                                                    { name: "scripts", mountPath: SCRIPTS_MOUNT, readOnly: true },
                                                    { name: "tmp", mountPath: "/tmp" },
                                                    ...(spec.scratch ? [{ name: "work", mountPath: "/work" }] : []),
                                                ],
                                            },
                                        ],
                                        volumes: [
                                            {
                                                name: "scripts",
                                                configMap: { name: "db-jobs-scripts", defaultMode: 0o555, items: scriptItems },
                                            },
                                            { name: "tmp", emptyDir: { sizeLimit: "256Mi" } },
                                            ...(spec.scratch
                                                ? [
                                                      {
                                                          name: "work",
                                                          emptyDir: {
                                                              sizeLimit: job === "restore-check" ? restoreSize : dumpSize,
                                                          },
                                                      },
                                                  ]
                                                : []),
                                        ],
                                    },
                                },
                            },
                        },
                    },
                },
                {
                    parent: this,
                    dependsOn: [
                        this.namespace,
                        this.scripts,
                        ...(spec.credentials ? [this.externalSecrets[spec.credentials]] : []),
                        ...serviceAccounts,
                    ],
                },
            );
        }

        this.registerOutputs({ namespace: ns });
    }
}

/** One file of jobs/db/ as a ConfigMap key and its path under the mount. */
export interface JobFile {
    key: string;
    path: string;
    content: string;
}

/** The scripts (`*.sh`) and their SQL (`sql/*.sql`) of a jobs directory; the SQL keeps its `sql/` layout. */
export function readJobFiles(dir: string): JobFile[] {
    const read = (sub: string, ext: string): JobFile[] =>
        fs
            .readdirSync(path.join(dir, sub))
            .filter((f) => f.endsWith(ext))
            .sort()
            .map((f) => ({ key: f, path: sub ? `${sub}/${f}` : f, content: fs.readFileSync(path.join(dir, sub, f), "utf8") }));
    const files = [...read("", ".sh"), ...read("sql", ".sql")];
    const keys = files.map((f) => f.key);
    const dup = keys.find((k, i) => keys.indexOf(k) !== i);
    if (dup) throw new Error(`jobs directory ${dir}: ${dup} appears twice; ConfigMap keys must be unique`);
    return files;
}

function validate(name: string, args: DatabaseJobsArgs): void {
    const fail = (what: string): never => {
        throw new Error(`DatabaseJobs ${name}: ${what}`);
    };
    if (!/:[A-Za-z0-9_][A-Za-z0-9_.-]*$/.test(args.image.split("@")[0]) || /:latest$/.test(args.image))
        fail(`image "${args.image}" must be pinned by a tag other than latest (BKP-2)`);
    for (const job of DATABASE_JOB_NAMES) {
        const t = args.timings[job];
        if (!t) fail(`timings.${job} is missing (MNT-1)`);
        const invalid = validateCronSchedule(t.schedule);
        if (invalid) fail(`timings.${job}: ${invalid} (MNT-1)`);
        if (!Number.isInteger(t.durationMinutes) || t.durationMinutes < 1)
            fail(`timings.${job}.durationMinutes must be a whole number >= 1 (MNT-2)`);
    }
}
