import { strict as assert } from "assert";
import * as fs from "fs";
import { ConfigError, parseStackConfig } from "../../infra/config";
import { parseSecret } from "../../lambdas/rotation/src/secret";
import { POSTGRES_PARAMETERS, PostgresDatabase, PostgresDatabaseArgs } from "../../components/postgres";
import {
    BOOTSTRAP_SCRIPT_PATH,
    BOOTSTRAP_SERVICE_ACCOUNT,
    BOOTSTRAP_SQL_PATH,
    DATABASE_ROLES,
    postgresUserSecret,
    PostgresRoles,
    PostgresRolesArgs,
    PULUMI_ADMIN_ROLE,
} from "../../components/postgres/roles";
import { restoreInstanceArgs, restoreSuffix } from "../../components/postgres/restore";
import { windowsOverlap } from "../../components/postgres/windows";
import { readProject, readStackConfig } from "../../tools/plan/render";
import { childrenOf, json, nameOf, one, ofType, renderComponent, renderedStack, REPO_ROOT } from "../support/plan";
import { startPostgres, TestPostgres } from "../support/postgres";

/** kubernetes-models is ESM-only; a real dynamic import keeps ts-node from turning it into require(). */
const esmImport = new Function("specifier", "return import(specifier)") as (specifier: string) => Promise<any>;

/** Validates a manifest against the Kubernetes schema of its kind; throws on any violation. */
async function validateManifest(module: string, kind: string, manifest: Record<string, unknown>): Promise<void> {
    const models = await esmImport(`kubernetes-models/${module}`);
    new models[kind](manifest).validate();
}

const context = { accountId: "123456789012", region: "us-east-1", partition: "aws" };
const KEY = (p: string) => `arn:aws:kms:us-east-1:123456789012:key/${p}`;
const CLUSTER_SG = "sg-0cluster";

function dbArgs(overrides: Partial<PostgresDatabaseArgs> = {}): PostgresDatabaseArgs {
    return {
        identifier: "bb-test-postgres",
        engineVersion: "17.5",
        instanceClass: "db.r7g.large",
        allocatedStorageGb: 100,
        maxAllocatedStorageGb: 500,
        backupWindow: "03:00-04:00",
        maintenanceWindow: "sun:05:00-sun:06:00",
        vpcId: "vpc-1",
        subnetIds: ["subnet-db-a", "subnet-db-b", "subnet-db-c"],
        allowedSecurityGroupIds: [CLUSTER_SG],
        dataKeyArn: KEY("data"),
        secretsKeyArn: KEY("secrets"),
        context,
        ...overrides,
    };
}

const INSTANCE = "aws:rds/instance:Instance";

describe("PostgresDatabase (DB-1, DB-2, DB-3)", () => {
    it("declares exactly the subnet group, security group, parameter group, monitoring role and instance", async () => {
        const doc = await renderComponent(() => new PostgresDatabase("db", dbArgs()));
        const component = one(doc, "bookbuddy:data:PostgresDatabase");
        assert.deepEqual(
            childrenOf(doc, component)
                .map((r) => r.type)
                .sort(),
            [
                "aws:ec2/securityGroup:SecurityGroup",
                "aws:iam/role:Role",
                "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
                INSTANCE,
                "aws:rds/parameterGroup:ParameterGroup",
                "aws:rds/subnetGroup:SubnetGroup",
            ].sort(),
        );
        assert.deepEqual(one(doc, "aws:rds/subnetGroup:SubnetGroup").inputs.subnetIds, [
            "subnet-db-a",
            "subnet-db-b",
            "subnet-db-c",
        ]);
    });

    it("DB-1: encrypted with the CMK, private, TLS-only, 5432 only from the cluster, pinned version", async () => {
        const doc = await renderComponent(() => new PostgresDatabase("db", dbArgs()));
        const db = one(doc, INSTANCE).inputs;
        assert.equal(db.engine, "postgres");
        assert.equal(db.engineVersion, "17.5");
        assert.equal(db.storageEncrypted, true);
        assert.equal(db.kmsKeyId, KEY("data"));
        assert.equal(db.publiclyAccessible, false);
        assert.equal(db.iamDatabaseAuthenticationEnabled, true);
        const sg = one(doc, "aws:ec2/securityGroup:SecurityGroup").inputs;
        assert.deepEqual(sg.ingress, [
            {
                description: "PostgreSQL from the cluster (DB-1)",
                protocol: "tcp",
                fromPort: 5432,
                toPort: 5432,
                securityGroups: [CLUSTER_SG],
            },
        ]);
        assert.deepEqual(sg.egress, []);
        assert.deepEqual(db.vpcSecurityGroupIds, [one(doc, "aws:ec2/securityGroup:SecurityGroup").outputs?.id]);
        const pg = one(doc, "aws:rds/parameterGroup:ParameterGroup").inputs;
        assert.equal(pg.family, "postgres17");
        const params = Object.fromEntries((pg.parameters as { name: string; value: string }[]).map((p) => [p.name, p.value]));
        assert.equal(params["rds.force_ssl"], "1");
        assert.match(params.shared_preload_libraries, /(^|,)pg_stat_statements(,|$)/);
        assert.equal(params.log_min_duration_statement, "500");
        assert.equal(params.log_connections, "1");
        assert.equal(params.log_disconnections, "1");
        assert.equal(params.log_statement, "ddl");
        assert.equal(Object.keys(POSTGRES_PARAMETERS).length + 1, (pg.parameters as unknown[]).length);
        assert.equal(db.parameterGroupName, pg.name);
    });

    it("DB-3: the master password is managed by RDS on the secrets key, never given to Pulumi", async () => {
        const doc = await renderComponent(() => new PostgresDatabase("db", dbArgs()));
        const db = one(doc, INSTANCE).inputs;
        assert.equal(db.manageMasterUserPassword, true);
        assert.equal(db.masterUserSecretKmsKeyId, KEY("secrets"));
        assert.equal(db.password, undefined);
        assert.equal(db.username, "bookbuddy_admin");
    });

    it("DB-2: HA, protection, autoscaling, insights, monitoring, log exports and backups by default", async () => {
        const doc = await renderComponent(() => new PostgresDatabase("db", dbArgs({ backupRetentionDays: 14 })));
        const instance = one(doc, INSTANCE);
        const db = instance.inputs;
        assert.equal(instance.protect, true);
        assert.equal(db.multiAz, true);
        assert.equal(db.deletionProtection, true);
        assert.equal(db.skipFinalSnapshot, false);
        assert.equal(db.finalSnapshotIdentifier, "bb-test-postgres-final");
        assert.equal(db.allocatedStorage, 100);
        assert.equal(db.maxAllocatedStorage, 500);
        assert.equal(db.storageType, "gp3");
        assert.equal(db.performanceInsightsEnabled, true);
        assert.equal(db.performanceInsightsKmsKeyId, KEY("data"));
        assert.equal(db.monitoringInterval, 60);
        assert.deepEqual(db.enabledCloudwatchLogsExports, ["postgresql", "upgrade"]);
        assert.equal(db.autoMinorVersionUpgrade, true);
        assert.equal(db.allowMajorVersionUpgrade, false);
        assert.equal(db.copyTagsToSnapshot, true);
        assert.equal(db.backupRetentionPeriod, 14);
        assert.equal(db.backupWindow, "03:00-04:00");
        assert.equal(db.maintenanceWindow, "sun:05:00-sun:06:00");
        assert.equal(windowsOverlap(db.backupWindow as string, db.maintenanceWindow as string), false);
        assert.deepEqual(db.tags, { Name: "bb-test-postgres", "data-class": "primary", backup: "database" });
        const role = one(doc, "aws:iam/role:Role");
        assert.deepEqual(json(role.inputs.assumeRolePolicy).Statement[0].Principal, { Service: "monitoring.rds.amazonaws.com" });
        assert.equal(db.monitoringRoleArn, role.outputs?.arn);
        assert.equal(
            one(doc, "aws:iam/rolePolicyAttachment:RolePolicyAttachment").inputs.policyArn,
            "arn:aws:iam::aws:policy/service-role/AmazonRDSEnhancedMonitoringRole",
        );
    });

    it("ENV-4: a dev shape is single-AZ without Pulumi protect, but still deletion-protected, encrypted, private and TLS-only", async () => {
        const doc = await renderComponent(
            () => new PostgresDatabase("db", dbArgs({ instanceClass: "db.t4g.small", multiAz: false, protect: false })),
        );
        const instance = one(doc, INSTANCE);
        assert.equal(instance.protect, undefined);
        assert.equal(instance.inputs.multiAz, false);
        assert.equal(instance.inputs.deletionProtection, true, "deletion protection is free and stays on");
        const off = await renderComponent(
            () => new PostgresDatabase("db", dbArgs({ multiAz: false, protect: false, deletionProtection: false })),
        );
        assert.equal(one(off, INSTANCE).inputs.deletionProtection, false, "a teardown can turn it off explicitly");
        assert.equal(instance.inputs.storageEncrypted, true);
        assert.equal(instance.inputs.publiclyAccessible, false);
        const params = one(doc, "aws:rds/parameterGroup:ParameterGroup").inputs.parameters as { name: string; value: string }[];
        assert.ok(params.some((p) => p.name === "rds.force_ssl" && p.value === "1"));
    });

    it("refuses a storage ceiling that leaves no room to grow", () => {
        assert.throws(
            () => new PostgresDatabase("db", dbArgs({ allocatedStorageGb: 100, maxAllocatedStorageGb: 100 })),
            /maxAllocatedStorageGb \(100\) must exceed/,
        );
    });
});

describe("PostgresDatabase restore switch (DR-1)", () => {
    it("builds from a snapshot under a new identifier suffix, keeping the snapshot's master user", async () => {
        const restore = { source: "snapshot" as const, snapshotIdentifier: "bb-prod-postgres-2025-06-01" };
        const doc = await renderComponent(() => new PostgresDatabase("db", dbArgs({ restore })));
        const db = one(doc, INSTANCE).inputs;
        const suffix = restoreSuffix(restore);
        assert.match(suffix!, /^r[0-9a-f]{6}$/);
        assert.equal(db.identifier, `bb-test-postgres-${suffix}`);
        assert.equal(db.snapshotIdentifier, "bb-prod-postgres-2025-06-01");
        assert.equal(db.restoreToPointInTime, undefined);
        assert.equal(db.username, undefined);
        assert.equal(db.finalSnapshotIdentifier, `bb-test-postgres-${suffix}-final`);
        assert.equal((db.tags as Record<string, string>)["restored-from"], "snapshot:bb-prod-postgres-2025-06-01");
        assert.equal(db.storageEncrypted, true);
        assert.equal(db.kmsKeyId, KEY("data"));
    });

    it("restores to a point in time from the source's automated backups", async () => {
        const restore = {
            source: "pointInTime" as const,
            sourceDbiResourceId: "db-ABCDEFGHIJKLMNOP",
            restoreTime: "2025-06-01T03:15:00Z",
        };
        const doc = await renderComponent(() => new PostgresDatabase("db", dbArgs({ restore })));
        const db = one(doc, INSTANCE).inputs;
        assert.deepEqual(db.restoreToPointInTime, {
            sourceDbiResourceId: "db-ABCDEFGHIJKLMNOP",
            restoreTime: "2025-06-01T03:15:00Z",
        });
        assert.equal(db.snapshotIdentifier, undefined);
        assert.equal(db.username, "bookbuddy_admin");
        assert.equal(db.identifier, `bb-test-postgres-${restoreSuffix(restore)}`);
    });

    it("gives every restore source its own stable suffix and none to a new instance", () => {
        const a = { source: "pointInTime" as const, sourceDbInstanceIdentifier: "x", useLatestRestorableTime: true };
        const b = { source: "pointInTime" as const, sourceDbInstanceIdentifier: "x", restoreTime: "2025-06-01T03:15:00Z" };
        assert.equal(restoreSuffix({ source: "none" }), undefined);
        assert.deepEqual(restoreInstanceArgs({ source: "none" }), {});
        assert.equal(restoreSuffix(a), restoreSuffix({ ...a }));
        assert.notEqual(restoreSuffix(a), restoreSuffix(b));
    });
});

function rolesArgs(overrides: Partial<PostgresRolesArgs> = {}): PostgresRolesArgs {
    return {
        host: "bb-test-postgres.cabc.us-east-1.rds.amazonaws.com",
        port: 5432,
        masterSecretArn: "arn:aws:secretsmanager:us-east-1:123456789012:secret:rds!db-1234-abcdef",
        databaseName: "bookbuddy",
        secretsPrefix: "bb-test",
        secretsKeyArn: KEY("secrets"),
        masterSecretKeyArn: KEY("secrets"),
        clusterName: "bb-test",
        bootstrapImage: "ghcr.io/bookbuddy/db-jobs:pg17.5-1",
        sslRootCertPath: "/etc/ssl/certs/rds-global-bundle.pem",
        context,
        ...overrides,
    };
}

describe("PostgresRoles: in-database objects without a password in Pulumi (DB-3)", () => {
    it("bootstraps pulumi_admin with a restricted Job that reads the master secret itself: no Secret holds it (SEC-7)", async () => {
        const doc = await renderComponent(() => new PostgresRoles("db", rolesArgs()));
        const ns = one(doc, "kubernetes:core/v1:Namespace");
        await validateManifest("v1", "Namespace", { apiVersion: "v1", kind: "Namespace", ...ns.inputs });
        assert.equal((ns.inputs.metadata as any).name, "database-admin");
        assert.equal((ns.inputs.metadata as any).labels["pod-security.kubernetes.io/enforce"], "restricted");

        // SEC-7: nothing copies the master secret into the cluster.
        assert.deepEqual(ofType(doc, "kubernetes:external-secrets.io/v1:ExternalSecret"), []);
        assert.deepEqual(ofType(doc, "kubernetes:core/v1:Secret"), []);

        // Its own role, bound by Pod Identity to the Job's service account, reads that one secret.
        const role = one(doc, "aws:iam/role:Role");
        const trust = json(role.inputs.assumeRolePolicy).Statement[0];
        assert.equal(trust.Condition.StringEquals["aws:RequestTag/kubernetes-namespace"], "database-admin");
        assert.equal(trust.Condition.StringEquals["aws:RequestTag/kubernetes-service-account"], BOOTSTRAP_SERVICE_ACCOUNT);
        const read = one(doc, "aws:iam/rolePolicy:RolePolicy").inputs;
        assert.deepEqual(json(read.policy).Statement, [
            {
                Sid: "ReadDatabaseMasterSecret",
                Effect: "Allow",
                Action: "secretsmanager:GetSecretValue",
                Resource: rolesArgs().masterSecretArn,
            },
            {
                Sid: "DecryptViaSecretsManager",
                Effect: "Allow",
                Action: "kms:Decrypt",
                Resource: KEY("secrets"),
                Condition: { StringEquals: { "kms:ViaService": "secretsmanager.us-east-1.amazonaws.com" } },
            },
        ]);
        const assoc = one(doc, "aws:eks/podIdentityAssociation:PodIdentityAssociation").inputs;
        assert.deepEqual(
            [assoc.namespace, assoc.serviceAccount, assoc.roleArn],
            ["database-admin", BOOTSTRAP_SERVICE_ACCOUNT, role.outputs?.arn],
        );

        const jobState = one(doc, "kubernetes:batch/v1:Job");
        const job = jobState.inputs as any;
        await validateManifest("batch/v1", "Job", { apiVersion: "batch/v1", kind: "Job", ...job });
        await assert.rejects(
            validateManifest("batch/v1", "Job", {
                apiVersion: "batch/v1",
                kind: "Job",
                ...job,
                spec: { ...job.spec, backoffLimit: "six" },
            }),
            "the schema check rejects a malformed Job",
        );
        const pod = job.spec.template.spec;
        assert.equal(pod.securityContext.runAsNonRoot, true);
        assert.equal(pod.securityContext.seccompProfile.type, "RuntimeDefault");
        assert.equal(pod.automountServiceAccountToken, false);
        const c = pod.containers[0];
        assert.equal(c.securityContext.allowPrivilegeEscalation, false);
        assert.equal(c.securityContext.readOnlyRootFilesystem, true);
        assert.deepEqual(c.securityContext.capabilities.drop, ["ALL"]);
        assert.ok(c.resources.limits.memory && c.resources.limits.cpu);
        assert.deepEqual(c.command, ["bash", "/sql/bootstrap.sh"]);
        assert.equal(c.image, "ghcr.io/bookbuddy/db-jobs:pg17.5-1");
        const env = Object.fromEntries(c.env.map((e: any) => [e.name, e.value ?? e.valueFrom]));
        // SEC-7, DB-1: TLS verifies the server against the RDS CA bundle of the image.
        assert.equal(env.PGSSLMODE, "verify-full");
        assert.equal(env.PGSSLROOTCERT, "/etc/ssl/certs/rds-global-bundle.pem");
        assert.equal(env.MASTER_SECRET_ARN, rolesArgs().masterSecretArn);
        assert.equal(env.PGPASSWORD, undefined, "no password in the pod spec");
        assert.equal(env.PGUSER, undefined);
        assert.ok(!c.envFrom, "no Secret behind the Job's environment");
        assert.equal(pod.serviceAccountName, BOOTSTRAP_SERVICE_ACCOUNT);
        assert.ok(
            jobState.dependencies.some((u) => u.endsWith("PodIdentityAssociation::db-bootstrap")),
            "the Job waits for its Pod Identity association",
        );

        const cm = one(doc, "kubernetes:core/v1:ConfigMap").inputs as any;
        assert.equal(cm.data["bootstrap.sql"], fs.readFileSync(BOOTSTRAP_SQL_PATH, "utf8"));
        assert.equal(cm.data["bootstrap.sh"], fs.readFileSync(BOOTSTRAP_SCRIPT_PATH, "utf8"));
    });

    it("connects the postgresql provider as pulumi_admin with IAM authentication after the bootstrap", async () => {
        const doc = await renderComponent(() => new PostgresRoles("db", rolesArgs()));
        const provider = one(doc, "pulumi:providers:postgresql");
        assert.equal(provider.inputs.username, PULUMI_ADMIN_ROLE);
        assert.equal(provider.inputs.awsRdsIamAuth, "true");
        assert.equal(provider.inputs.awsRdsIamRegion, "us-east-1");
        assert.equal(provider.inputs.sslmode, "require");
        assert.equal(provider.inputs.superuser, "false");
        assert.equal(provider.inputs.password, undefined);
        assert.ok(provider.dependencies.includes(one(doc, "kubernetes:batch/v1:Job").urn));
        for (const r of ofType(doc, "postgresql:index/role:Role"))
            assert.ok(r.provider?.startsWith(`${provider.urn}::`), `${nameOf(r)} uses the IAM-authenticated provider`);
    });

    it("declares three NOLOGIN group roles with two login roles each (SEC-8), the database owned by the migrator group, grants, default privileges and the extension", async () => {
        const doc = await renderComponent(() => new PostgresRoles("db", rolesArgs()));
        const roles = ofType(doc, "postgresql:index/role:Role");
        const groups = ["bookbuddy_app", "bookbuddy_migrator", "bookbuddy_readonly"];
        assert.deepEqual(roles.map((r) => r.inputs.name).sort(), groups.flatMap((g) => [g, `${g}_a`, `${g}_b`]).sort());
        for (const r of roles) {
            const name = r.inputs.name as string;
            const group = name.replace(/_[ab]$/, "");
            const login = name !== group;
            assert.equal(r.inputs.login, login, name);
            assert.equal(r.inputs.superuser, false);
            assert.equal(r.inputs.createRole, false);
            assert.equal(
                r.inputs.createDatabase,
                false,
                "nobody creates databases: the restore check has its own server (BKP-2)",
            );
            assert.equal(r.inputs.password, login ? "[secret]" : undefined);
            if (login) {
                assert.deepEqual(r.inputs.roles, [group]);
                assert.equal(r.inputs.assumeRole, group, "sessions run as the group role, which owns what they create");
            }
        }
        assert.ok(
            !ofType(doc, "postgresql:index/grant:Grant").some((g) => /_[ab]$/.test(String(g.inputs.role))),
            "privileges go to the group roles only",
        );
        const db = one(doc, "postgresql:index/database:Database").inputs;
        assert.equal(db.name, "bookbuddy");
        assert.equal(db.owner, "bookbuddy_migrator");
        assert.equal(one(doc, "postgresql:index/extension:Extension").inputs.name, "pg_stat_statements");

        const grants = ofType(doc, "postgresql:index/grant:Grant").map((g) => g.inputs);
        const grant = (role: string, objectType: string) =>
            grants.find((g) => g.role === role && g.objectType === objectType)?.privileges;
        assert.deepEqual(grant("public", "database"), []);
        assert.deepEqual(grant("bookbuddy_app", "table"), ["SELECT", "INSERT", "UPDATE", "DELETE"]);
        assert.deepEqual(grant("bookbuddy_readonly", "table"), ["SELECT"]);
        assert.deepEqual(grant("bookbuddy_readonly", "database"), ["CONNECT"]);
        assert.deepEqual(grant("bookbuddy_migrator", "database"), ["CONNECT", "CREATE", "TEMPORARY"]);
        assert.deepEqual(
            ofType(doc, "postgresql:index/grantRole:GrantRole").map((g) => [g.inputs.role, g.inputs.grantRole]),
            [
                ["bookbuddy_readonly", "pg_read_all_stats"],
                [PULUMI_ADMIN_ROLE, "bookbuddy_migrator"],
            ],
            "only the read-only role (the slow-query report, MNT-1) sees every role's statements; the provider acts as the database owner (its REVOKE from PUBLIC)",
        );
        const defaults = ofType(doc, "postgresql:index/defaultPrivileges:DefaultPrivileges").map((d) => d.inputs);
        assert.equal(defaults.length, 4);
        for (const d of defaults) assert.equal(d.owner, "bookbuddy_migrator");
        assert.deepEqual(defaults.find((d) => d.role === "bookbuddy_readonly" && d.objectType === "table")?.privileges, [
            "SELECT",
        ]);
    });

    it("SEC-1: keeps each role's generated password in its own KMS-encrypted secret under the environment prefix", async () => {
        let component: PostgresRoles | undefined;
        const doc = await renderComponent(() => (component = new PostgresRoles("db", rolesArgs())));
        const secrets = ofType(doc, "aws:secretsmanager/secret:Secret");
        assert.deepEqual(secrets.map((s) => s.inputs.name).sort(), DATABASE_ROLES.map((r) => `bb-test/database/${r}`).sort());
        for (const s of secrets) {
            assert.equal(s.inputs.kmsKeyId, KEY("secrets"));
            assert.equal((s.inputs.tags as Record<string, string>)["rotation-class"], "database");
        }
        for (const v of ofType(doc, "aws:secretsmanager/secretVersion:SecretVersion"))
            assert.equal(v.inputs.secretString, "[secret]");
        for (const p of ofType(doc, "random:index/randomPassword:RandomPassword")) assert.equal(p.inputs.length, 40);
        assert.equal(
            ofType(doc, "random:index/randomPassword:RandomPassword").length,
            DATABASE_ROLES.length,
            "one initial password per group, shared by its two logins",
        );
        assert.deepEqual(Object.keys(component!.roleSecrets).sort(), [...DATABASE_ROLES].sort());
    });

    it("writes role secrets in the rotation function's postgres-user shape", () => {
        const raw = postgresUserSecret({
            host: "h.rds.amazonaws.com",
            port: 5432,
            dbname: "bookbuddy",
            groupRole: "bookbuddy_app",
            password: "x".repeat(40),
        });
        const parsed = parseSecret("postgres-user", raw, "AWSCURRENT");
        assert.equal(parsed.kind, "postgres-user");
        assert.deepEqual(parsed.data, {
            host: "h.rds.amazonaws.com",
            port: 5432,
            dbname: "bookbuddy",
            username: "bookbuddy_app_a",
            password: "x".repeat(40),
            sslmode: "verify-full",
            passwordLength: 32,
            strategy: "alternating",
            users: ["bookbuddy_app_a", "bookbuddy_app_b"],
            groupRole: "bookbuddy_app",
        });
    });
});

describe("bootstrap SQL against a real PostgreSQL (DB-3)", function () {
    this.timeout(120_000);
    let pg: TestPostgres;
    const sql = fs.readFileSync(BOOTSTRAP_SQL_PATH, "utf8");

    before(async () => {
        pg = await startPostgres();
        // Vanilla PostgreSQL has no rds_iam: a stand-in role plays it.
        await pg.psql("CREATE ROLE rds_iam NOLOGIN;");
    });
    after(async () => {
        if (pg) await pg.stop();
    });

    it("creates pulumi_admin with LOGIN CREATEROLE CREATEDB, no password, member of rds_iam; twice without error", async () => {
        await pg.psql(sql);
        await pg.psql("ALTER ROLE pulumi_admin WITH PASSWORD 'drifted' NOCREATEDB;");
        await pg.psql(sql);
        // A superuser attribute cannot be removed by the RDS master (not a superuser): the run stops and says so.
        await pg.psql("ALTER ROLE pulumi_admin WITH SUPERUSER;");
        await assert.rejects(
            pg.psql(sql),
            /pulumi_admin has SUPERUSER, REPLICATION or BYPASSRLS; an administrator must remove them/,
        );
        await pg.psql("ALTER ROLE pulumi_admin WITH NOSUPERUSER;");
        await pg.psql(sql);
        const row = await pg.psql(
            "SELECT rolcanlogin, rolcreaterole, rolcreatedb, rolsuper, rolpassword IS NULL FROM pg_authid WHERE rolname = 'pulumi_admin';",
        );
        assert.equal(row.trim(), "t|t|t|f|t");
        const member = await pg.psql("SELECT pg_has_role('pulumi_admin', 'rds_iam', 'MEMBER');");
        assert.equal(member.trim(), "t");
        const count = await pg.psql(
            "SELECT count(*) FROM pg_auth_members m JOIN pg_roles r ON r.oid = m.roleid WHERE r.rolname = 'rds_iam';",
        );
        assert.equal(count.trim(), "1");
    });

    it("lets pulumi_admin create the roles and a database owned by the migrator, which has pg_stat_statements", async () => {
        await pg.psql(sql);
        const asAdmin = (statement: string, database = "postgres") => pg.psql(`SET ROLE pulumi_admin;\n${statement}`, database);
        await asAdmin("CREATE ROLE bookbuddy_migrator LOGIN; GRANT bookbuddy_migrator TO pulumi_admin;");
        await asAdmin("CREATE DATABASE bookbuddy_it OWNER bookbuddy_migrator TEMPLATE template1;");
        const ext = await pg.psql("SELECT extname FROM pg_extension WHERE extname = 'pg_stat_statements';", "bookbuddy_it");
        assert.equal(ext.trim(), "pg_stat_statements");
        const owner = await pg.psql("SELECT pg_get_userbyid(datdba) FROM pg_database WHERE datname = 'bookbuddy_it';");
        assert.equal(owner.trim(), "bookbuddy_migrator");
    });

    it("MNT-1: lets pulumi_admin give the read-only role pg_read_all_stats (with ADMIN OPTION on it)", async () => {
        await pg.psql(sql);
        const asAdmin = (statement: string) => pg.psql(`SET ROLE pulumi_admin;\n${statement}`);
        await asAdmin("CREATE ROLE bookbuddy_readonly_it LOGIN; GRANT pg_read_all_stats TO bookbuddy_readonly_it;");
        assert.equal((await pg.psql("SELECT pg_has_role('bookbuddy_readonly_it', 'pg_read_all_stats', 'MEMBER');")).trim(), "t");
        // PostgreSQL 16+ (RDS's current majors) needs ADMIN OPTION for that grant, even with CREATEROLE.
        const admin = await pg.psql(
            "SELECT m.admin_option FROM pg_auth_members m JOIN pg_roles r ON r.oid = m.roleid JOIN pg_roles u ON u.oid = m.member " +
                "WHERE r.rolname = 'pg_read_all_stats' AND u.rolname = 'pulumi_admin';",
        );
        assert.equal(admin.trim(), "t");
    });
});

describe("database configuration (DB-2, DR-1, ENV-6)", () => {
    // The prod stack file as the engine would hand it over; each case changes only the database group.
    const base = (): Record<string, string> => {
        const { config } = readStackConfig(REPO_ROOT, readProject(REPO_ROOT), "prod");
        delete config["bookbuddy:database"];
        return config;
    };
    const rejected = (database: Record<string, unknown>): string => {
        try {
            parseStackConfig("qa", { ...base(), "bookbuddy:database": JSON.stringify(database) });
        } catch (e) {
            assert.ok(e instanceof ConfigError);
            return (e as Error).message;
        }
        assert.fail("expected the configuration to be rejected");
    };

    it("defaults to production values and no restore", () => {
        const cfg = parseStackConfig("qa", base());
        assert.equal(cfg.database.multiAz, true);
        assert.equal(cfg.database.protect, true);
        assert.ok(cfg.database.backupRetentionDays >= 7);
        assert.deepEqual(cfg.database.restore, { source: "none" });
    });

    it("rejects a maintenance window overlapping the backup window, naming both", () => {
        const message = rejected({ backupWindow: "04:30-05:30", maintenanceWindow: "sun:05:00-sun:06:00" });
        assert.match(message, /Pulumi\.qa\.yaml/);
        assert.match(
            message,
            /bookbuddy:database\.maintenanceWindow: got "sun:05:00-sun:06:00"; expected a maintenance window that does not overlap database\.backupWindow \(04:30-05:30/,
        );
    });

    it("sees overlaps across midnight and the end of the week", () => {
        assert.equal(windowsOverlap("23:30-00:30", "mon:00:00-mon:01:00"), true);
        assert.equal(windowsOverlap("23:30-00:30", "sun:23:45-mon:00:15"), true);
        assert.equal(windowsOverlap("03:00-04:00", "sat:04:00-sat:05:00"), false);
    });

    it("rejects backup retention below 7 days and short windows", () => {
        assert.match(
            rejected({ backupRetentionDays: 3 }),
            /database\.backupRetentionDays: got 3; expected an integer from 7 to 35/,
        );
        assert.match(rejected({ backupWindow: "03:00-03:15" }), /at least 30 minutes/);
    });

    it("parses the restore switch into snapshot and point-in-time sources", () => {
        const parse = (restore: unknown) =>
            parseStackConfig("qa", { ...base(), "bookbuddy:database": JSON.stringify({ restore }) }).database.restore;
        assert.deepEqual(parse("none"), { source: "none" });
        assert.deepEqual(parse({ snapshotIdentifier: "bb-prod-postgres-final" }), {
            source: "snapshot",
            snapshotIdentifier: "bb-prod-postgres-final",
        });
        assert.deepEqual(
            parse({ pointInTime: { sourceDbInstanceIdentifier: "bookbuddy-prod-postgres", useLatestRestorableTime: true } }),
            {
                source: "pointInTime",
                sourceDbInstanceIdentifier: "bookbuddy-prod-postgres",
                useLatestRestorableTime: true,
            },
        );
    });

    it("rejects ambiguous or malformed restore sources with the key path", () => {
        assert.match(
            rejected({
                restore: {
                    pointInTime: { sourceDbInstanceIdentifier: "a", sourceDbiResourceId: "db-X", useLatestRestorableTime: true },
                },
            }),
            /database\.restore\.pointInTime: .*exactly one of sourceDbInstanceIdentifier and sourceDbiResourceId/,
        );
        assert.match(
            rejected({ restore: { pointInTime: { sourceDbInstanceIdentifier: "a" } } }),
            /exactly one of restoreTime and useLatestRestorableTime/,
        );
        assert.match(
            rejected({ restore: { pointInTime: { sourceDbInstanceIdentifier: "a", restoreTime: "yesterday" } } }),
            /database\.restore\.pointInTime\.restoreTime: got "yesterday"; expected an RFC 3339 UTC time/,
        );
        assert.match(rejected({ restore: { snapshot: "x" } }), /database\.restore: .*expected "none", \{ snapshotIdentifier/);
    });
});

describe("PostgreSQL in the stacks (DB-1, DB-2, ENV-3, ENV-4)", () => {
    it("prod: Multi-AZ, protected, db.r7g.large, reachable only from the cluster security group", async () => {
        const doc = await renderedStack("prod");
        const instance = one(doc, INSTANCE);
        assert.equal(instance.inputs.identifier, "bookbuddy-prod-postgres");
        assert.equal(instance.inputs.multiAz, true);
        assert.equal(instance.protect, true);
        assert.equal(instance.inputs.deletionProtection, true);
        assert.equal(instance.inputs.instanceClass, "db.r7g.large");
        const sg = one(doc, "aws:ec2/securityGroup:SecurityGroup", "bookbuddy-prod-postgres");
        // The cluster first; further sources are in-VPC database clients (the secret-rotation function).
        const ingress = sg.inputs.ingress as any[];
        for (const rule of ingress) {
            assert.equal(rule.cidrBlocks, undefined, "no CIDR source");
            assert.equal(rule.ipv6CidrBlocks, undefined, "no CIDR source");
            assert.deepEqual([rule.fromPort, rule.toPort, rule.protocol], [5432, 5432, "tcp"]);
            assert.equal(rule.securityGroups.length, 1);
            assert.ok(rule.description, "every rule is described (SEC-6)");
        }
        assert.match(ingress[0].securityGroups[0], /^sg-[0-9a-f]{17}$/, "the EKS cluster security group");
        // The cache admits the cluster first; the second rule is the secret rotation's AUTH check (tests/lambdas/rotation-redis.spec.ts).
        assert.deepEqual((one(doc, "aws:ec2/securityGroup:SecurityGroup", "bookbuddy-prod-cache").inputs.ingress as any[])[0], {
            ...ingress[0],
            description: "Redis from the cluster (CACHE-1)",
            fromPort: 6379,
            toPort: 6379,
        });
        assert.deepEqual(
            ofType(doc, "aws:secretsmanager/secret:Secret")
                .filter((s) => /\/database\//.test(s.inputs.name as string))
                .map((s) => s.inputs.name)
                .sort(),
            ["bookbuddy-prod/database/app", "bookbuddy-prod/database/migrator", "bookbuddy-prod/database/readonly"],
        );
    });

    it("dev: single-AZ, small, unprotected, still encrypted", async () => {
        const instance = one(await renderedStack("dev"), INSTANCE);
        assert.equal(instance.inputs.multiAz, false);
        assert.equal(instance.protect, undefined);
        assert.match(instance.inputs.instanceClass as string, /^db\.t4g\.(micro|small)$/);
        assert.equal(instance.inputs.storageEncrypted, true);
    });
});
