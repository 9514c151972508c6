import * as aws from "@pulumi/aws";
import * as k8s from "@pulumi/kubernetes";
import * as postgresql from "@pulumi/postgresql";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { createHash } from "crypto";
import * as fs from "fs";
import * as path from "path";
import { AwsContext, policyDocument } from "../shared/context";
import { podSecurityLabels, restrictedContainerSecurityContext } from "../shared/k8s";
import { podIdentityTrust } from "../cluster";
import { scramSha256Verifier } from "../../lambdas/rotation/src/scram";

/**
 * The in-database roles (DB-3): app read-write, read-only, and the migration role owning the schema. Each is
 * a NOLOGIN group role holding the privileges, with two login roles `<group>_a` and `<group>_b` that rotate
 * in turn (alternating users, SEC-8). The restore check needs no role: it restores into its own throw-away
 * server (BKP-2, docs/database-jobs.md).
 */
export const DATABASE_ROLES = ["app", "readonly", "migrator"] as const;

/** Suffixes of the two login roles of each group role (SEC-8). */
export const ALTERNATING_SUFFIXES = ["a", "b"] as const;

/** Attributes every application role has, group and login alike: no superuser, database or role creation, replication or RLS bypass (SEC-4). */
const UNPRIVILEGED_ROLE = {
    superuser: false,
    createDatabase: false,
    createRole: false,
    inherit: true,
    replication: false,
    bypassRowLevelSecurity: false,
} as const;
export type DatabaseRole = (typeof DATABASE_ROLES)[number];

/** The role @pulumi/postgresql connects as; created by the bootstrap SQL, IAM authentication only. */
export const PULUMI_ADMIN_ROLE = "pulumi_admin";

/** The bootstrap SQL run by the Job (tested against a real PostgreSQL). */
export const BOOTSTRAP_SQL_PATH = path.join(__dirname, "sql", "bootstrap.sql");

/** The bootstrap Job's script: reads the master secret from Secrets Manager and runs the SQL (DB-3, SEC-7). */
export const BOOTSTRAP_SCRIPT_PATH = path.join(__dirname, "bootstrap.sh");

/** Namespace and service account of the bootstrap Job (its Pod Identity binding) (SEC-7). */
export const BOOTSTRAP_SERVICE_ACCOUNT = "postgres-bootstrap";

/**
 * What the bootstrap Job's role may do (DB-3, SEC-7, SEC-4): read the value of the RDS master secret, that
 * secret alone, and decrypt it with its key only through Secrets Manager.
 */
export function bootstrapRolePolicy(
    ctx: AwsContext,
    masterSecretArn: pulumi.Input<string>,
    keyArn: pulumi.Input<string>,
): pulumi.Output<string> {
    return policyDocument([
        { Sid: "ReadDatabaseMasterSecret", Effect: "Allow", Action: "secretsmanager:GetSecretValue", Resource: masterSecretArn },
        {
            Sid: "DecryptViaSecretsManager",
            Effect: "Allow",
            Action: "kms:Decrypt",
            Resource: keyArn,
            Condition: { StringEquals: { "kms:ViaService": `secretsmanager.${ctx.region}.amazonaws.com` } },
        },
    ]);
}

export interface PostgresRolesArgs {
    /** Instance address (host name) (DB-3). */
    host: pulumi.Input<string>;
    /** Instance port; default 5432. */
    port?: pulumi.Input<number>;
    /** ARN of the RDS-managed master secret, read at run time by the bootstrap Job's own role only (DB-3, SEC-7). */
    masterSecretArn: pulumi.Input<string>;
    /** KMS key of the master secret (the instance's masterUserSecretKmsKeyId) (DB-3, SEC-7). */
    masterSecretKeyArn: pulumi.Input<string>;
    /** Application database name; default `bookbuddy` (DB-3). */
    databaseName?: string;
    /** Prefix of the role secrets, e.g. `bookbuddy-prod`; secrets are `<prefix>/database/<role>` (SEC-1). */
    secretsPrefix: string;
    /** KMS key of the role secrets (SEC-1). */
    secretsKeyArn: pulumi.Input<string>;
    /** EKS cluster of the bootstrap Job's Pod Identity association (K8S-1, SEC-7). */
    clusterName: pulumi.Input<string>;
    /** Image of the bootstrap Job: bash, psql, AWS CLI v2 and the RDS CA bundle (the database jobs' image), pinned (DB-3). */
    bootstrapImage: string;
    /** Path of the RDS CA bundle inside that image, for PGSSLMODE=verify-full (DB-1, SEC-7). */
    sslRootCertPath: string;
    /** Namespace of the bootstrap Job; default `database-admin`. */
    namespace?: string;
    /** Length of generated role passwords; default 40 (SEC-1). */
    passwordLength?: number;
    /** Account, region and partition. */
    context: AwsContext;
}

/** Privileges of the login roles on tables and sequences of the application schema (DB-3). */
export const TABLE_PRIVILEGES: Record<Exclude<DatabaseRole, "migrator">, string[]> = {
    app: ["SELECT", "INSERT", "UPDATE", "DELETE"],
    readonly: ["SELECT"],
};
export const SEQUENCE_PRIVILEGES: Record<Exclude<DatabaseRole, "migrator">, string[]> = {
    app: ["USAGE", "SELECT", "UPDATE"],
    readonly: ["SELECT"],
};

/**
 * The JSON of a role secret, in the rotation function's `postgres-user` shape with the alternating-users
 * strategy (SEC-1, SEC-8, DB-3): the first version names login `<group>_a`; both logins start with the same
 * password, and each rotation sets a new password on the login not named by AWSCURRENT, then names it.
 */
export function postgresUserSecret(fields: {
    host: string;
    port: number;
    dbname: string;
    groupRole: string;
    password: string;
}): Record<string, unknown> {
    const users = ALTERNATING_SUFFIXES.map((s) => `${fields.groupRole}_${s}`);
    // verify-full: the rotation function checks the server certificate against the RDS CA bundle.
    return {
        kind: "postgres-user",
        host: fields.host,
        port: fields.port,
        dbname: fields.dbname,
        username: users[0],
        password: fields.password,
        sslmode: "verify-full",
        strategy: "alternating",
        users,
        groupRole: fields.groupRole,
    };
}

/**
 * The password value handed to the provider for a login role (SEC-2): the SCRAM-SHA-256 verifier of the
 * password with a stable random salt, so the statement the provider sends, and the server logs with
 * log_statement=ddl, carries no plaintext, and the value does not change between runs.
 */
export function providerPassword(password: string, salt: Buffer): string {
    return scramSha256Verifier(password, salt);
}

/**
 * The database's own objects (DB-3), declared with @pulumi/postgresql without any password in Pulumi's hands:
 *
 * 1. A bootstrap Job in the `database-admin` namespace (restricted Pod Security, non-root, read-only root)
 *    reads the RDS-managed master secret from Secrets Manager at run time with its own Pod Identity role
 *    (that one secret only; no Kubernetes Secret ever holds it, SEC-7), connects with verify-full TLS against
 *    the RDS CA bundle, and runs sql/bootstrap.sql: it creates `pulumi_admin` (LOGIN CREATEROLE CREATEDB,
 *    member of rds_iam, no password).
 * 2. A postgresql Provider logs in as pulumi_admin with an IAM token (awsRdsIamAuth, TLS required).
 * 3. Roles app (read-write), readonly and migrator (owner of the application database), grants, default
 *    privileges for what the migrator creates, and the pg_stat_statements extension.
 * 4. Each role's password comes from a RandomPassword (secret) and is kept in a Secrets Manager secret
 *    `<prefix>/database/<role>` (KMS secrets key, tag rotation-class=database), in the JSON shape of the
 *    rotation function's `postgres-user` kind.
 */
export class PostgresRoles extends pulumi.ComponentResource {
    readonly namespace: k8s.core.v1.Namespace;
    readonly bootstrapJob: k8s.batch.v1.Job;
    /** IAM role of the bootstrap Job: reads the master secret only (SEC-7). */
    readonly bootstrapRole: aws.iam.Role;
    readonly provider: postgresql.Provider;
    readonly database: postgresql.Database;
    /** The NOLOGIN group roles holding the privileges (SEC-8). */
    readonly roles: Record<DatabaseRole, postgresql.Role>;
    /** The two login roles of each group, `<group>_a` and `<group>_b` (SEC-8). */
    readonly logins: Record<DatabaseRole, postgresql.Role[]>;
    /** Secrets Manager secrets of the roles, for rotation and External Secrets (SEC-1). */
    readonly roleSecrets: Record<DatabaseRole, aws.secretsmanager.Secret>;
    readonly databaseName: string;

    constructor(name: string, args: PostgresRolesArgs, opts?: pulumi.ComponentResourceOptions) {
        super("bookbuddy:data:PostgresRoles", name, {}, opts);
        const parent = { parent: this };
        const port = args.port ?? 5432;
        const databaseName = args.databaseName ?? "bookbuddy";
        this.databaseName = databaseName;
        const ns = args.namespace ?? "database-admin";
        const sql = fs.readFileSync(BOOTSTRAP_SQL_PATH, "utf8");
        const bootstrapScript = fs.readFileSync(BOOTSTRAP_SCRIPT_PATH, "utf8");
        const sqlHash = createHash("sha256").update(sql).update(bootstrapScript).digest("hex").slice(0, 16);

        this.namespace = new k8s.core.v1.Namespace(
            `${name}-namespace`,
            {
                metadata: {
                    name: ns,
                    labels: {
                        ...podSecurityLabels("restricted"),
                    },
                },
            },
            parent,
        );
        const inNs = { namespace: this.namespace.metadata.name };
        const serviceAccount = new k8s.core.v1.ServiceAccount(
            `${name}-bootstrap`,
            { metadata: { ...inNs, name: BOOTSTRAP_SERVICE_ACCOUNT }, automountServiceAccountToken: false },
            parent,
        );
        // SEC-7: the Job's own role, bound by Pod Identity to its service account, reads the master secret at run time.
        this.bootstrapRole = new aws.iam.Role(
            `${name}-bootstrap`,
            {
                description: `Database bootstrap Job: reads the RDS master secret (Pod Identity ${ns}/${BOOTSTRAP_SERVICE_ACCOUNT}) (DB-3)`,
                assumeRolePolicy: podIdentityTrust({
                    context: args.context,
                    clusterName: args.clusterName,
                    namespace: ns,
                    serviceAccount: BOOTSTRAP_SERVICE_ACCOUNT,
                }),
            },
            parent,
        );
        const bootstrapAccess = new aws.iam.RolePolicy(
            `${name}-bootstrap`,
            {
                role: this.bootstrapRole.id,
                policy: bootstrapRolePolicy(args.context, args.masterSecretArn, args.masterSecretKeyArn),
            },
            parent,
        );
        const association = new aws.eks.PodIdentityAssociation(
            `${name}-bootstrap`,
            {
                clusterName: args.clusterName,
                namespace: ns,
                serviceAccount: BOOTSTRAP_SERVICE_ACCOUNT,
                roleArn: this.bootstrapRole.arn,
            },
            { parent: this, dependsOn: [bootstrapAccess] },
        );
        const script = new k8s.core.v1.ConfigMap(
            `${name}-bootstrap-sql`,
            {
                metadata: { ...inNs, labels: { app: "postgres-bootstrap" } },
                data: { "bootstrap.sql": sql, "bootstrap.sh": bootstrapScript },
            },
            parent,
        );

        this.bootstrapJob = new k8s.batch.v1.Job(
            `${name}-bootstrap`,
            {
                metadata: { ...inNs, labels: { app: "postgres-bootstrap" } },
                spec: {
                    backoffLimit: 6,
                    activeDeadlineSeconds: 900,
                    template: {
                        metadata: { labels: { app: "postgres-bootstrap" }, annotations: { "bookbuddy.io/sql-sha256": sqlHash } },
                        spec: {
                            serviceAccountName: serviceAccount.metadata.name,
                            automountServiceAccountToken: false,
                            restartPolicy: "Never",
                            securityContext: {
                                runAsNonRoot: true,
                                runAsUser: 10001,
                                runAsGroup: 10001,
                                seccompProfile: { type: "RuntimeDefault" },
                            },
                            containers: [
                                {
                                    name: "psql",
                                    image: args.bootstrapImage,
                                    command: ["bash", "/sql/bootstrap.sh"],
                                    env: [
                                        { name: "MASTER_SECRET_ARN", value: args.masterSecretArn },
                                        { name: "BOOTSTRAP_SQL", value: "/sql/bootstrap.sql" },
                                        { name: "AWS_REGION", value: args.context.region },
                                        { name: "PGHOST", value: args.host },
                                        { name: "PGPORT", value: pulumi.output(port).apply(String) },
                                        { name: "PGDATABASE", value: "postgres" },
                                        // SEC-7, DB-1: the server's certificate and name are checked against the RDS CA bundle.
                                        { name: "PGSSLMODE", value: "verify-full" },
                                        { name: "PGSSLROOTCERT", value: args.sslRootCertPath },
                                        { name: "PGCONNECT_TIMEOUT", value: "15" },
                                        { name: "PGAPPNAME", value: "bookbuddy-bootstrap" },
                                        { name: "HOME", value: "/tmp" },
                                    ],
                                    securityContext: restrictedContainerSecurityContext(),
                                    resources: {
                                        requests: { cpu: "100m", memory: "128Mi" },
                                        limits: { cpu: "500m", memory: "384Mi" },
                                    },
                                    volumeMounts: [
                                        { name: "sql", mountPath: "/sql", readOnly: true },
                                        { name: "tmp", mountPath: "/tmp" },
                                    ],
                                },
                            ],
                            volumes: [
                                { name: "sql", configMap: { name: script.metadata.name } },
                                { name: "tmp", emptyDir: { sizeLimit: "16Mi" } },
                            ],
                        },
                    },
                },
            },
            { parent: this, dependsOn: [association, serviceAccount] },
        );

        // No password anywhere: the provider signs an IAM token for pulumi_admin (the runner needs rds-db:connect).
        this.provider = new postgresql.Provider(
            `${name}-postgresql`,
            {
                host: args.host,
                port,
                database: "postgres",
                username: PULUMI_ADMIN_ROLE,
                awsRdsIamAuth: true,
                awsRdsIamRegion: args.context.region,
                sslmode: "require",
                superuser: false,
                connectTimeout: 30,
            },
            { parent: this, dependsOn: [this.bootstrapJob] },
        );
        const pg = { parent: this, provider: this.provider };

        const passwords = {} as Record<DatabaseRole, random.RandomPassword>;
        const roles = {} as Record<DatabaseRole, postgresql.Role>;
        const logins = {} as Record<DatabaseRole, postgresql.Role[]>;
        for (const role of DATABASE_ROLES) {
            const group = `${databaseName}_${role}`;
            // SEC-8: the group role holds every privilege and owns what its members create; nobody logs in as it.
            roles[role] = new postgresql.Role(
                `${name}-${role}`,
                {
                    name: group,
                    login: false,
                    ...UNPRIVILEGED_ROLE,
                    connectionLimit: -1,
                },
                pg,
            );
            // The keeper ties the initial password to the server: a restored (new) instance gets fresh
            // passwords written to the roles and the secrets together (DR-1); otherwise the value never changes.
            passwords[role] = new random.RandomPassword(
                `${name}-${role}`,
                {
                    length: args.passwordLength ?? 40,
                    special: false,
                    minLower: 2,
                    minUpper: 2,
                    minNumeric: 2,
                    keepers: { host: args.host },
                },
                parent,
            );
            const salt = new random.RandomId(
                `${name}-${role}-scram-salt`,
                { byteLength: 16, keepers: { host: args.host } },
                parent,
            );
            // SEC-2: the provider sends CREATE ROLE ... PASSWORD '<value>', which log_statement=ddl writes to the
            // exported server log; it gets the SCRAM-SHA-256 verifier, which PostgreSQL stores as it is, never
            // the password itself.
            const verifier = pulumi
                .all([passwords[role].result, salt.b64Std])
                .apply(([password, b64]) => pulumi.secret(providerPassword(password, Buffer.from(b64, "base64"))));
            // SEC-8: two login roles per group (alternating users); rotation changes the one not in use.
            logins[role] = ALTERNATING_SUFFIXES.map(
                (suffix) =>
                    new postgresql.Role(
                        `${name}-${role}-${suffix}`,
                        {
                            name: `${group}_${suffix}`,
                            login: true,
                            password: verifier,
                            ...UNPRIVILEGED_ROLE,
                            connectionLimit: role === "migrator" ? 5 : -1,
                            statementTimeout: role === "readonly" ? 300000 : 0,
                            roles: [group],
                            // Every session runs as the group role, so what either login creates belongs to the group.
                            assumeRole: group,
                        },
                        { ...pg, dependsOn: [roles[role]] },
                    ),
            );
        }
        this.roles = roles;
        this.logins = logins;

        // DB-3: the provider revokes PUBLIC's CONNECT as a member of the database owner; a non-owner's REVOKE on
        // the database is a silent no-op (PostgreSQL only warns), which left PUBLIC able to connect.
        const providerOwns = new postgresql.GrantRole(
            `${name}-provider-owns`,
            { role: PULUMI_ADMIN_ROLE, grantRole: roles.migrator.name, withAdminOption: false },
            { ...pg, dependsOn: [roles.migrator] },
        );
        this.database = new postgresql.Database(
            `${name}-database`,
            {
                name: databaseName,
                owner: roles.migrator.name,
                encoding: "UTF8",
                template: "template1",
                allowConnections: true,
                connectionLimit: -1,
            },
            pg,
        );
        const inDb = { ...pg, dependsOn: [this.database] };
        new postgresql.Extension(
            `${name}-pg-stat-statements`,
            { name: "pg_stat_statements", database: this.database.name, schema: "public" },
            inDb,
        );

        // Nobody connects by default (PUBLIC loses CONNECT and TEMPORARY); the three roles are let in by name.
        new postgresql.Grant(
            `${name}-public-database`,
            { database: this.database.name, role: "public", objectType: "database", privileges: [] },
            { ...inDb, dependsOn: [this.database, providerOwns] },
        );
        for (const role of ["app", "readonly"] as const) {
            const roleName = roles[role].name;
            new postgresql.Grant(
                `${name}-${role}-connect`,
                { database: this.database.name, role: roleName, objectType: "database", privileges: ["CONNECT"] },
                inDb,
            );
            new postgresql.Grant(
                `${name}-${role}-schema`,
                { database: this.database.name, role: roleName, schema: "public", objectType: "schema", privileges: ["USAGE"] },
                inDb,
            );
            new postgresql.Grant(
                `${name}-${role}-tables`,
                {
                    database: this.database.name,
                    role: roleName,
                    schema: "public",
                    objectType: "table",
                    privileges: TABLE_PRIVILEGES[role],
                },
                inDb,
            );
            new postgresql.Grant(
                `${name}-${role}-sequences`,
                {
                    database: this.database.name,
                    role: roleName,
                    schema: "public",
                    objectType: "sequence",
                    privileges: SEQUENCE_PRIVILEGES[role],
                },
                inDb,
            );
            // What the migrator creates later is usable at once.
            new postgresql.DefaultPrivileges(
                `${name}-${role}-default-tables`,
                {
                    database: this.database.name,
                    owner: roles.migrator.name,
                    role: roleName,
                    schema: "public",
                    objectType: "table",
                    privileges: TABLE_PRIVILEGES[role],
                },
                inDb,
            );
            new postgresql.DefaultPrivileges(
                `${name}-${role}-default-sequences`,
                {
                    database: this.database.name,
                    owner: roles.migrator.name,
                    role: roleName,
                    schema: "public",
                    objectType: "sequence",
                    privileges: SEQUENCE_PRIVILEGES[role],
                },
                inDb,
            );
        }
        // MNT-1: the slow-query report runs as the read-only role and must see every role's statements.
        new postgresql.GrantRole(
            `${name}-readonly-stats`,
            { role: roles.readonly.name, grantRole: "pg_read_all_stats", withAdminOption: false },
            pg,
        );
        new postgresql.Grant(
            `${name}-migrator-connect`,
            {
                database: this.database.name,
                role: roles.migrator.name,
                objectType: "database",
                privileges: ["CONNECT", "CREATE", "TEMPORARY"],
            },
            inDb,
        );

        // SEC-1: one secret per role in the rotation function's postgres-user shape.
        const secrets = {} as Record<DatabaseRole, aws.secretsmanager.Secret>;
        for (const role of DATABASE_ROLES) {
            secrets[role] = new aws.secretsmanager.Secret(
                `${name}-${role}`,
                {
                    name: `${args.secretsPrefix}/database/${role}`,
                    description: `PostgreSQL login of the ${role} role of ${databaseName} (DB-3)`,
                    kmsKeyId: args.secretsKeyArn,
                    recoveryWindowInDays: 7,
                    tags: { "rotation-class": "database", "rotation-kind": "postgres-user", "database-role": role },
                },
                parent,
            );
            new aws.secretsmanager.SecretVersion(
                `${name}-${role}`,
                {
                    secretId: secrets[role].id,
                    secretString: pulumi.all([args.host, port, passwords[role].result]).apply(([host, p, password]) =>
                        JSON.stringify(
                            postgresUserSecret({
                                host,
                                port: p,
                                dbname: databaseName,
                                groupRole: `${databaseName}_${role}`,
                                password,
                            }),
                        ),
                    ),
                },
                // Rotation moves AWSCURRENT to its own versions; Pulumi must not move it back.
                { parent: this, dependsOn: logins[role], ignoreChanges: ["versionStages"] },
            );
        }
        this.roleSecrets = secrets;

        this.registerOutputs({
            databaseName,
            roleSecretArns: Object.fromEntries(DATABASE_ROLES.map((r) => [r, secrets[r].arn])),
        });
    }
}
