import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { ConfigError, parseStackConfig, StackConfig } from "../../infra/config";
import {
    configuredConflicts,
    configuredTimings,
    DATABASE_JOB_NAMES,
    DatabaseJobs,
    DatabaseJobsArgs,
    databaseJobConflicts,
    JobTimings,
    JOB_SCRIPTS_DIR,
    occupiedMinutes,
} from "../../components/maintenance";
import { readProject, readStackConfig } from "../../tools/plan/render";
import { PlanDocument, PlanResourceState } from "../../tools/plan/types";
import {
    childrenOf,
    json,
    nameOf,
    one as oneOf,
    ofType as ofTypeOf,
    renderComponent,
    renderedStack,
    REPO_ROOT,
    STACKS,
} from "../support/plan";

/** Recorded resources with their inputs and outputs open for assertions. */
type Recorded = PlanResourceState & { inputs: any; outputs?: any };
const one = (doc: PlanDocument, type: string, name?: string | RegExp): Recorded => oneOf(doc, type, name) as Recorded;
const ofType = (doc: PlanDocument, type: string): Recorded[] => ofTypeOf(doc, type) as Recorded[];

const T = {
    component: "bookbuddy:maintenance:DatabaseJobs",
    namespace: "kubernetes:core/v1:Namespace",
    configMap: "kubernetes:core/v1:ConfigMap",
    externalSecret: "kubernetes:external-secrets.io/v1:ExternalSecret",
    serviceAccount: "kubernetes:core/v1:ServiceAccount",
    cronJob: "kubernetes:batch/v1:CronJob",
    role: "aws:iam/role:Role",
    rolePolicy: "aws:iam/rolePolicy:RolePolicy",
    pia: "aws:eks/podIdentityAssociation:PodIdentityAssociation",
};
const KEY = "arn:aws:kms:us-east-1:123456789012:key/11111111-2222-4333-8444-555555555555";
const timings: JobTimings = {
    "pg-dump": { schedule: "0 1 * * *", durationMinutes: 45 },
    "restore-check": { schedule: "0 4 * * *", durationMinutes: 50 },
    "vacuum-analyze": { schedule: "0 5 * * 6", durationMinutes: 80 },
    analyze: { schedule: "0 5 * * 3", durationMinutes: 20 },
    reindex: { schedule: "0 8 1 * *", durationMinutes: 110 },
    "slow-query-report": { schedule: "0 5 * * 1", durationMinutes: 5 },
};
const args: DatabaseJobsArgs = {
    image: "ghcr.io/bookbuddy/db-jobs:pg17.5-1",
    credentials: { dump: "bb/database/readonly", report: "bb/database/readonly", maintenance: "bb/database/migrator" },
    databaseName: "bookbuddy",
    secretStore: {
        oidcProviderArn: "arn:aws:iam::123456789012:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/ABC",
        oidcIssuer: "oidc.eks.us-east-1.amazonaws.com/id/ABC",
        secretsKeyArn: "arn:aws:kms:us-east-1:123456789012:key/secrets",
        context: { accountId: "123456789012", region: "us-east-1", partition: "aws" },
    },
    backupBucket: { name: "bb-db-dumps", arn: "arn:aws:s3:::bb-db-dumps" },
    backupPrefix: "postgres/bookbuddy/",
    backupKmsKeyArn: KEY,
    clusterName: "bb",
    timings,
    context: { accountId: "123456789012", region: "us-east-1", partition: "aws" },
};

/** kubernetes-models is ESM-only; a real dynamic import keeps ts-node from turning it into require(). */
const esmImport = new Function("specifier", "return import(specifier)") as (specifier: string) => Promise<any>;
type Model = { validate(): void };
let CronJob: new (o: unknown) => Model;
before(async () => {
    CronJob = (await esmImport("kubernetes-models/batch/v1")).CronJob;
});

/** The recorded CronJob as the API server would receive it. */
function manifest(r: Recorded): Model {
    return new CronJob({ apiVersion: "batch/v1", kind: "CronJob", metadata: r.inputs.metadata, spec: r.inputs.spec });
}

function podOf(r: Recorded): any {
    return r.inputs.spec.jobTemplate.spec.template.spec;
}

describe("DatabaseJobs (BKP-2, MNT-1, MNT-2)", () => {
    let doc: PlanDocument;
    before(async () => {
        doc = await renderComponent(() => {
            new DatabaseJobs("db-jobs", args);
        });
    });

    it("has exactly the expected children (BKP-2, MNT-1)", () => {
        const kids = childrenOf(doc, one(doc, T.component))
            .map((r) => `${r.type}::${nameOf(r)}`)
            .sort();
        const expected = [
            `${T.namespace}::db-jobs`,
            `${T.configMap}::db-jobs-scripts`,
            ...["dump", "report", "maintenance"].map((p) => `${T.externalSecret}::db-jobs-${p}`),
            ...["pg-dump", "restore-check", "db-maintenance"].map((sa) => `${T.serviceAccount}::db-jobs-${sa}`),
            ...["pg-dump", "restore-check"].flatMap((sa) => [T.role, T.rolePolicy, T.pia].map((t) => `${t}::db-jobs-${sa}`)),
            ...DATABASE_JOB_NAMES.map((j) => `${T.cronJob}::db-jobs-${j}`),
            // SEC-7: the namespace's own store.
            "bookbuddy:platform:NamespaceSecretStore::db-jobs-secret-store",
        ].sort();
        assert.deepStrictEqual(kids, expected);
    });

    it("enforces Pod Security Admission restricted on its namespace", () => {
        const labels = one(doc, T.namespace).inputs.metadata.labels;
        assert.strictEqual(one(doc, T.namespace).inputs.metadata.name, "database-jobs");
        for (const mode of ["enforce", "audit", "warn"])
            assert.strictEqual(labels[`pod-security.kubernetes.io/${mode}`], "restricted");
    });

    it("ships the scripts and SQL of jobs/db/ unchanged, SQL under sql/ (BKP-2, MNT-1)", () => {
        const data = one(doc, T.configMap).inputs.data;
        const scripts = fs.readdirSync(JOB_SCRIPTS_DIR).filter((f) => f.endsWith(".sh"));
        const sql = fs.readdirSync(path.join(JOB_SCRIPTS_DIR, "sql")).filter((f) => f.endsWith(".sql"));
        assert.deepStrictEqual(Object.keys(data).sort(), [...scripts, ...sql].sort());
        for (const f of scripts) assert.strictEqual(data[f], fs.readFileSync(path.join(JOB_SCRIPTS_DIR, f), "utf8"), f);
        for (const f of sql) assert.strictEqual(data[f], fs.readFileSync(path.join(JOB_SCRIPTS_DIR, "sql", f), "utf8"), f);
        const items = podOf(one(doc, T.cronJob, "db-jobs-pg-dump")).volumes.find((v: any) => v.name === "scripts").configMap
            .items;
        assert.deepStrictEqual(
            items.find((i: any) => i.key === "table-manifest.sql"),
            { key: "table-manifest.sql", path: "sql/table-manifest.sql" },
        );
        assert.deepStrictEqual(
            items.find((i: any) => i.key === "pg-dump.sh"),
            { key: "pg-dump.sh", path: "pg-dump.sh" },
        );
    });

    it("reads each role's credentials from Secrets Manager through the namespace's own SecretStore (SEC-1, SEC-7)", () => {
        const es = one(doc, T.externalSecret, "db-jobs-maintenance").inputs;
        assert.strictEqual(es.apiVersion, "external-secrets.io/v1");
        assert.deepStrictEqual(es.spec.secretStoreRef, { kind: "SecretStore", name: "aws-secrets-manager" });
        const store = ofType(doc, "kubernetes:external-secrets.io/v1:SecretStore").map((s) => s.inputs.metadata);
        assert.deepStrictEqual(store, [{ name: "aws-secrets-manager", namespace: "database-jobs" }]);
        const read = ofType(doc, "aws:iam/rolePolicy:RolePolicy")
            .map((p) => JSON.parse(String(p.inputs.policy)))
            .find((p) => p.Statement[0].Sid === "ReadNamespaceSecrets");
        assert.deepStrictEqual(read.Statement[0].Resource, [
            "arn:aws:secretsmanager:us-east-1:123456789012:secret:bb/database/readonly-??????",
            "arn:aws:secretsmanager:us-east-1:123456789012:secret:bb/database/migrator-??????",
        ]);
        assert.strictEqual(es.spec.refreshInterval, "15m");
        assert.deepStrictEqual(
            es.spec.data.map((d: any) => [d.secretKey, d.remoteRef.key, d.remoteRef.property]),
            [
                ["PGHOST", "bb/database/migrator", "host"],
                ["PGPORT", "bb/database/migrator", "port"],
                ["PGDATABASE", "bb/database/migrator", "dbname"],
                ["PGUSER", "bb/database/migrator", "username"],
                ["PGPASSWORD", "bb/database/migrator", "password"],
            ],
        );
    });

    it("gives each job the least-privileged role: dump and report read, maintenance owns, the check has no database login (SEC-4, BKP-2)", () => {
        const secretOf = (job: string) => podOf(one(doc, T.cronJob, `db-jobs-${job}`)).containers[0].envFrom[0]?.secretRef.name;
        const remoteOf = (secret: string | undefined) =>
            secret
                ? ofType(doc, T.externalSecret).find((e) => e.inputs.metadata.name === secret)!.inputs.spec.data[0].remoteRef.key
                : "none";
        assert.deepStrictEqual(Object.fromEntries(DATABASE_JOB_NAMES.map((j) => [j, remoteOf(secretOf(j))])), {
            "pg-dump": "bb/database/readonly",
            "restore-check": "none",
            "vacuum-analyze": "bb/database/migrator",
            analyze: "bb/database/migrator",
            reindex: "bb/database/migrator",
            "slow-query-report": "bb/database/readonly",
        });
    });

    it("lets pg-dump only write and the restore check only list and read the backup prefix, keys through S3 (BKP-2, SEC-4)", () => {
        const dump = json(one(doc, T.rolePolicy, "db-jobs-pg-dump").inputs.policy).Statement;
        assert.deepStrictEqual(
            dump.map((s: any) => [s.Action, s.Resource]),
            [
                ["s3:PutObject", "arn:aws:s3:::bb-db-dumps/postgres/bookbuddy/*"],
                [["kms:GenerateDataKey", "kms:Decrypt"], KEY],
            ],
        );
        const check = json(one(doc, T.rolePolicy, "db-jobs-restore-check").inputs.policy).Statement;
        assert.deepStrictEqual(
            check.map((s: any) => [s.Action, s.Resource]),
            [
                ["s3:ListBucket", "arn:aws:s3:::bb-db-dumps"],
                ["s3:GetObject", "arn:aws:s3:::bb-db-dumps/postgres/bookbuddy/*"],
                ["kms:Decrypt", KEY],
            ],
        );
        assert.deepStrictEqual(check[0].Condition, { StringLike: { "s3:prefix": ["postgres/bookbuddy/*"] } });
        for (const s of [...dump, ...check].filter((x: any) => String(x.Action).includes("kms"))) {
            assert.deepStrictEqual(s.Condition, { StringEquals: { "kms:ViaService": "s3.us-east-1.amazonaws.com" } });
        }
        for (const sa of ["pg-dump", "restore-check"]) {
            const pia = one(doc, T.pia, `db-jobs-${sa}`).inputs;
            assert.deepStrictEqual(
                [pia.namespace, pia.serviceAccount, pia.roleArn],
                ["database-jobs", sa, one(doc, T.role, `db-jobs-${sa}`).outputs?.arn],
            );
        }
        assert.strictEqual(
            ofType(doc, T.pia).filter((p) => p.inputs.serviceAccount === "db-maintenance").length,
            0,
            "maintenance has no AWS access",
        );
    });

    it("produces CronJobs that pass the Kubernetes schema (kubernetes-models) (MNT-1)", () => {
        for (const job of DATABASE_JOB_NAMES) {
            const r = one(doc, T.cronJob, `db-jobs-${job}`);
            assert.doesNotThrow(() => manifest(r).validate(), job);
        }
    });

    it("the schema check catches a broken CronJob (negative control)", () => {
        const r = one(doc, T.cronJob, "db-jobs-pg-dump");
        const broken = JSON.parse(JSON.stringify(r.inputs.spec));
        broken.jobTemplate.spec.template.spec.containers[0].resources = { limits: { cpu: ["1"] } };
        assert.throws(() =>
            new CronJob({ apiVersion: "batch/v1", kind: "CronJob", metadata: r.inputs.metadata, spec: broken }).validate(),
        );
    });

    it("runs each job on its UTC schedule, never twice at once, within its deadlines (MNT-1, MNT-2)", () => {
        for (const job of DATABASE_JOB_NAMES) {
            const spec = one(doc, T.cronJob, `db-jobs-${job}`).inputs.spec;
            assert.strictEqual(spec.schedule, timings[job].schedule, job);
            assert.strictEqual(spec.timeZone, "Etc/UTC", job);
            assert.strictEqual(spec.concurrencyPolicy, "Forbid", job);
            assert.strictEqual(spec.startingDeadlineSeconds, 600, job);
            assert.strictEqual(spec.jobTemplate.spec.activeDeadlineSeconds, timings[job].durationMinutes * 60, job);
            assert.ok([0, 1].includes(spec.jobTemplate.spec.backoffLimit), job);
            assert.deepStrictEqual([spec.successfulJobsHistoryLimit, spec.failedJobsHistoryLimit], [3, 3], job);
        }
    });

    it("runs non-root, read-only, without capabilities or privilege escalation, with requests and limits (MNT-1, SEC-4)", () => {
        for (const job of DATABASE_JOB_NAMES) {
            const pod = podOf(one(doc, T.cronJob, `db-jobs-${job}`));
            assert.strictEqual(pod.restartPolicy, "Never");
            assert.strictEqual(pod.automountServiceAccountToken, false);
            assert.deepStrictEqual(pod.securityContext.seccompProfile, { type: "RuntimeDefault" });
            assert.strictEqual(pod.securityContext.runAsNonRoot, true);
            const c = pod.containers[0];
            assert.strictEqual(c.image, "ghcr.io/bookbuddy/db-jobs:pg17.5-1");
            assert.deepStrictEqual(
                (({ runAsNonRoot, runAsUser, readOnlyRootFilesystem, allowPrivilegeEscalation, capabilities }) => ({
                    runAsNonRoot,
                    runAsUser,
                    readOnlyRootFilesystem,
                    allowPrivilegeEscalation,
                    capabilities,
                }))(c.securityContext),
                {
                    runAsNonRoot: true,
                    runAsUser: 10001,
                    readOnlyRootFilesystem: true,
                    allowPrivilegeEscalation: false,
                    capabilities: { drop: ["ALL"] },
                },
                job,
            );
            for (const k of ["cpu", "memory"]) assert.ok(c.resources.requests[k] && c.resources.limits[k], `${job} ${k}`);
            const env = Object.fromEntries(c.env.map((e: any) => [e.name, e.value]));
            assert.strictEqual(env.PGSSLMODE, "verify-full", job);
            assert.ok(
                pod.volumes.some((v: any) => v.name === "tmp" && v.emptyDir),
                `${job} has a writable /tmp`,
            );
        }
        const dump = podOf(one(doc, T.cronJob, "db-jobs-pg-dump"));
        const env = Object.fromEntries(dump.containers[0].env.map((e: any) => [e.name, e.value]));
        assert.strictEqual(env.BACKUP_TARGET, "s3://bb-db-dumps/postgres/bookbuddy/");
        assert.strictEqual(env.BACKUP_KMS_KEY_ID, KEY);
        assert.strictEqual(env.TMPDIR, "/work");
        assert.deepStrictEqual(dump.volumes.find((v: any) => v.name === "work").emptyDir, { sizeLimit: "20Gi" });
        assert.strictEqual(dump.containers[0].resources.limits["ephemeral-storage"], "20Gi");
        assert.deepStrictEqual(dump.containers[0].command, ["bash", "/opt/db-jobs/pg-dump.sh"]);
        assert.deepStrictEqual(podOf(one(doc, T.cronJob, "db-jobs-reindex")).containers[0].command, [
            "bash",
            "/opt/db-jobs/maintenance.sh",
            "reindex",
        ]);
    });

    it("rejects an unpinned image and an invalid schedule", () => {
        assert.throws(() => new DatabaseJobs("x", { ...args, image: "ghcr.io/bookbuddy/db-jobs:latest" }), /pinned/);
        assert.throws(() => new DatabaseJobs("x", { ...args, image: "ghcr.io/bookbuddy/db-jobs" }), /pinned/);
        assert.throws(
            () =>
                new DatabaseJobs("x", {
                    ...args,
                    timings: { ...timings, reindex: { schedule: "0 25 1 * *", durationMinutes: 10 } },
                }),
            /timings.reindex: invalid cron schedule/,
        );
    });
});

/** The validated configuration of a stack file, as the program sees it. */
function stackConfig(stack: string, override: Record<string, string> = {}): StackConfig {
    const { config, secretKeys } = readStackConfig(REPO_ROOT, readProject(REPO_ROOT), stack);
    return parseStackConfig(stack, { ...config, ...override }, new Set(secretKeys));
}

describe("Job schedules against the backup and maintenance windows, every stack (MNT-1, MNT-2, BKP-2)", () => {
    for (const stack of STACKS) {
        it(`${stack}: no job, counting its start delay and deadline, overlaps a window, another job or the AWS Backup start window`, () => {
            const cfg = stackConfig(stack);
            assert.deepStrictEqual(configuredConflicts(cfg), []);
        });
    }

    it("a run occupies its start delay plus its deadline", () => {
        assert.strictEqual(occupiedMinutes({ schedule: "0 1 * * *", durationMinutes: 45 }, 600), 55);
        assert.strictEqual(occupiedMinutes({ schedule: "0 1 * * *", durationMinutes: 45 }, 61), 47);
    });

    const windows = {
        databaseBackupWindow: { key: "database.backupWindow", window: "03:00-04:00" },
        backupWindows: [{ key: "cache.snapshotWindow", window: "02:00-03:00" }],
        maintenanceWindows: [
            { key: "database.maintenanceWindow", window: "sun:05:00-sun:06:00" },
            { key: "cache.maintenanceWindow", window: "sun:06:30-sun:07:30" },
        ],
        awsBackupRules: [{ key: "backup.databaseSchedule", schedule: "cron(0 0 ? * * *)", startWindowMinutes: 60 }],
    };

    it("reports a job that runs into the RDS backup window, naming both keys", () => {
        const conflicts = databaseJobConflicts(
            { ...timings, "restore-check": { schedule: "30 2 * * *", durationMinutes: 30 } },
            600,
            windows,
        );
        assert.ok(
            conflicts.some((c) => /job "databaseJobs.restoreCheck".*overlaps backup window "database.backupWindow"/.test(c)),
            conflicts.join("\n"),
        );
    });

    it("reports a job that is still running when its start delay pushes it into a maintenance window", () => {
        // Sunday 06:00 + 25 min ends 06:25; a start up to 10 minutes late reaches into the 06:30 cache window.
        const late = { ...timings, "vacuum-analyze": { schedule: "0 6 * * 0", durationMinutes: 25 } };
        const conflicts = databaseJobConflicts(late, 600, windows);
        assert.ok(
            conflicts.some((c) => /"databaseJobs.vacuumAnalyze".*overlaps maintenance window "cache.maintenanceWindow"/.test(c)),
            conflicts.join("\n"),
        );
        assert.deepStrictEqual(databaseJobConflicts(late, 60, windows), [], "punctual within a minute, it fits");
    });

    it("reports a monthly job on a day that can fall on Sunday's maintenance window", () => {
        const conflicts = databaseJobConflicts(
            { ...timings, reindex: { schedule: "30 5 1 * *", durationMinutes: 60 } },
            600,
            windows,
        );
        assert.ok(
            conflicts.some((c) => /"databaseJobs.reindex".*maintenance window "database.maintenanceWindow"/.test(c)),
            conflicts.join("\n"),
        );
    });

    it("reports the AWS Backup start window overlapping the RDS backup window", () => {
        const conflicts = databaseJobConflicts(timings, 600, {
            ...windows,
            awsBackupRules: [{ key: "backup.databaseSchedule", schedule: "cron(30 2 ? * * *)", startWindowMinutes: 60 }],
        });
        assert.ok(
            conflicts.some((c) => /"backup.databaseSchedule".*backup window "database.backupWindow"/.test(c)),
            conflicts.join("\n"),
        );
    });

    it("reports a restore check that does not follow the day's dump (BKP-2)", () => {
        // The dump starting 03:30 is still running (up to 40 minutes) when the check starts at 04:00.
        const conflicts = databaseJobConflicts(
            { ...timings, "pg-dump": { schedule: "30 3 * * *", durationMinutes: 30 } },
            600,
            windows,
        );
        assert.ok(
            conflicts.some((c) => /restoreCheck .* does not follow a finished databaseJobs.pgDump run/.test(c)),
            conflicts.join("\n"),
        );
    });

    it("the stack configuration check rejects a conflicting schedule with a message naming the keys (MNT-2, ENV-6)", () => {
        const cfg = stackConfig("prod");
        const jobs = { ...cfg.databaseJobs, reindex: { schedule: "30 3 1 * *", durationMinutes: 60 } };
        assert.throws(
            () => stackConfig("prod", { "bookbuddy:databaseJobs": JSON.stringify(jobs) }),
            (err: unknown) => {
                assert.ok(err instanceof ConfigError);
                assert.match(err.message, /^Pulumi\.prod\.yaml: invalid stack configuration/);
                assert.match(err.message, /bookbuddy:databaseJobs\.reindex/);
                assert.match(err.message, /backup window "database\.backupWindow"/);
                return true;
            },
        );
    });

    it("the stack configuration check rejects an AWS Backup schedule in the RDS backup window and a job image older than the server", () => {
        assert.throws(
            () => stackConfig("dev", { "bookbuddy:backup": JSON.stringify({ databaseSchedule: "cron(15 3 ? * * *)" }) }),
            /bookbuddy:backup\.databaseSchedule.*backup window "database\.backupWindow"/s,
        );
        assert.throws(
            () =>
                stackConfig("dev", { "bookbuddy:databaseJobs": JSON.stringify({ image: "ghcr.io/bookbuddy/db-jobs:pg16.9-1" }) }),
            /bookbuddy:databaseJobs\.image.*client major >= /s,
        );
        assert.throws(
            () => stackConfig("dev", { "bookbuddy:backup": JSON.stringify({ databaseSchedule: "cron(0 0 * * * *)" }) }),
            /bookbuddy:backup\.databaseSchedule/,
        );
    });
});

describe("Stacks: database jobs (BKP-2, MNT-1)", () => {
    it("every stack has the six CronJobs from its configuration, valid by the Kubernetes schema, and a 30-day dump bucket", async () => {
        for (const stack of STACKS) {
            const doc = await renderedStack(stack);
            const cfg = stackConfig(stack);
            const expected = configuredTimings(cfg);
            for (const job of DATABASE_JOB_NAMES) {
                const r = ofType(doc, T.cronJob).find((c) => c.inputs.metadata.name === job);
                assert.ok(r, `${stack}: CronJob ${job}`);
                assert.strictEqual(r!.inputs.spec.schedule, expected[job].schedule, `${stack} ${job}`);
                assert.doesNotThrow(() => manifest(r!).validate(), `${stack} ${job}`);
            }
            const rules = one(doc, "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration", /-db-dumps$/).inputs.rules;
            assert.deepStrictEqual(rules.find((x: any) => x.id === "current-versions").expiration, { days: 30 }, stack);
            assert.strictEqual(one(doc, "aws:s3/bucket:Bucket", /-db-dumps$/).inputs.tags["data-class"], "backup", stack);
        }
    });
});
