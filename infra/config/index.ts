/**
 * Loads and validates the stack configuration before any resource is declared (ENV-6).
 *
 * Errors name the stack file, the key, the value given and what was expected, all in one message, and are
 * raised as a `pulumi.RunError` so the engine prints them without a stack trace.
 */
import * as pulumi from "@pulumi/pulumi";
import { closest, ConfigProblem, Field, ParseContext } from "./spec";
import { BookbuddyConfig, schema } from "./schema";
import { dailyWindowMinutes, weeklyWindowMinutes, windowsOverlap } from "../../components/postgres/windows";
import { configuredConflicts } from "../../components/maintenance/timing";

export { BookbuddyConfig, NodeGroupConfig } from "./schema";

export const PROJECT_NAMESPACE = "bookbuddy";

/** Namespaces that belong to providers and the engine; their keys are theirs to validate. */
const FOREIGN_NAMESPACES = ["aws", "kubernetes", "postgresql", "random", "pulumi"];

/**
 * The configuration keys a provider reads, taken from the provider package's own `config/vars` module (one
 * getter per key), so the list follows the pinned provider version. Providers without that module (kubernetes,
 * random) are not checked here. A typo such as `aws:regin` is otherwise ignored by the provider (ENV-6).
 */
export function providerConfigKeys(namespace: string): string[] | undefined {
    if (namespace !== "aws" && namespace !== "postgresql") return undefined;
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const vars = require(`@pulumi/${namespace}/config/vars`) as Record<string, unknown>;
    return Object.keys(vars).filter((k) => k !== "__esModule");
}

/** True when a field (or anything inside it) is a secret, i.e. when a `secure:` value belongs there. */
export function holdsSecret(field: Field<unknown>): boolean {
    const f = field as Field<unknown> & { item?: Field<unknown>; fields?: Record<string, Field<unknown>> };
    if (f.kind === "secret") return true;
    if (f.item) return holdsSecret(f.item);
    if (f.fields) return Object.values(f.fields).some(holdsSecret);
    return false;
}

/** The validated configuration of one stack. */
export interface StackConfig extends BookbuddyConfig {
    stack: string;
    /** `aws:region`. */
    region: string;
}

export class ConfigError extends pulumi.RunError {
    constructor(
        readonly stackFile: string,
        readonly problems: ConfigProblem[],
    ) {
        super(formatProblems(stackFile, problems));
        this.name = "ConfigError";
    }
}

export function formatProblems(stackFile: string, problems: ConfigProblem[]): string {
    const lines = problems.map((p) => {
        if (p.expected.startsWith("no such key")) {
            // The value of a mistyped key is never repeated: it may be a secret given under the wrong name.
            return `  - ${p.key}: unknown key${p.expected.slice("no such key".length)}`;
        }
        const given = p.given === undefined ? "missing" : `got ${JSON.stringify(p.given)}`;
        return `  - ${p.key}: ${given}; expected ${p.expected}`;
    });
    const noun = problems.length === 1 ? "problem" : "problems";
    return `${stackFile}: invalid stack configuration (${problems.length} ${noun}):\n${lines.join("\n")}`;
}

/**
 * Validates a raw configuration map as the engine hands it over (`namespace:key` → string, structured values
 * as JSON text) and returns the typed configuration, or throws one ConfigError listing every problem.
 */
export function parseStackConfig(
    stack: string,
    raw: Record<string, string>,
    secretKeys: ReadonlySet<string> = new Set(),
    stackFile = `Pulumi.${stack}.yaml`,
): StackConfig {
    const problems: ConfigProblem[] = [];
    const ctx: ParseContext = { problems, isSecret: (key) => secretKeys.has(key.split(/[.[]/)[0]) };
    const known = Object.keys(schema);
    const given: Record<string, unknown> = {};

    for (const [fullKey, value] of Object.entries(raw)) {
        const [ns, ...rest] = fullKey.split(":");
        const key = rest.join(":");
        if (ns === PROJECT_NAMESPACE) {
            if (!(key in schema)) {
                const hint = closest(key, known);
                problems.push({
                    key: fullKey,
                    given: secretKeys.has(fullKey) ? "[secret]" : value,
                    expected: `no such key${hint ? `; did you mean "${PROJECT_NAMESPACE}:${hint}"?` : ` (known keys: ${known.join(", ")})`}`,
                });
                continue;
            }
            if (secretKeys.has(fullKey) && !holdsSecret(schema[key as keyof typeof schema] as Field<unknown>)) {
                // A secret in a plain key would flow into tags, names or outputs (as ciphertext or worse).
                problems.push({
                    key: fullKey,
                    given: "[secret]",
                    expected:
                        "a plain value: this key is not a secret, so it must not be set with `secure:` (pulumi config set without --secret)",
                });
                continue;
            }
            given[key] = parseStructured(value);
        } else if (FOREIGN_NAMESPACES.includes(ns)) {
            const keys = providerConfigKeys(ns);
            const base = key.split(/[.[]/)[0];
            if (keys && !keys.includes(base)) {
                const hint = closest(base, keys);
                problems.push({
                    key: fullKey,
                    expected: `no such key of the ${ns} provider${hint ? `; did you mean "${ns}:${hint}"?` : ""}`,
                });
            }
        } else {
            problems.push({
                key: fullKey,
                expected: `no such key (the namespace "${ns}" is none of ${[PROJECT_NAMESPACE, ...FOREIGN_NAMESPACES].join(", ")})`,
            });
        }
    }

    const region = raw["aws:region"];
    if (region === undefined) {
        problems.push({ key: "aws:region", expected: 'a value (required): an AWS region name such as "eu-west-1"' });
    } else if (!/^[a-z]{2}(-gov)?-[a-z]+-\d$/.test(region)) {
        problems.push({ key: "aws:region", given: region, expected: 'an AWS region name such as "eu-west-1"' });
    }

    const out: Record<string, unknown> = {};
    for (const [key, spec] of Object.entries(schema)) {
        const fullKey = `${PROJECT_NAMESPACE}:${key}`;
        if (given[key] === undefined) {
            if (spec.required) problems.push({ key: fullKey, expected: `a value (required): ${spec.expected}` });
            else out[key] = spec.defaultValue;
            continue;
        }
        const parsed = (spec.parse as (v: unknown, k: string, c: ParseContext) => unknown)(given[key], fullKey, ctx);
        if (parsed !== undefined) out[key] = parsed;
    }

    if (problems.length === 0) {
        checkRelations(out as unknown as BookbuddyConfig, region, problems);
    }
    if (problems.length > 0) throw new ConfigError(stackFile, problems);
    return { ...(out as unknown as BookbuddyConfig), stack, region: region as string };
}

/** Structured values arrive as JSON text; plain strings stay strings. */
function parseStructured(value: string): unknown {
    const trimmed = value.trim();
    if (trimmed.startsWith("{") || trimmed.startsWith("[")) {
        try {
            return JSON.parse(trimmed);
        } catch {
            return value;
        }
    }
    return value;
}

/** Rules that span several keys. */
function checkRelations(cfg: BookbuddyConfig, region: string | undefined, problems: ConfigProblem[]): void {
    const ns = PROJECT_NAMESPACE;
    if (cfg.audit.objectLockMode !== "none" && cfg.audit.objectLockDays > cfg.audit.trailRetentionDays) {
        problems.push({
            key: `${ns}:audit.objectLockDays`,
            given: cfg.audit.objectLockDays,
            expected: `at most audit.trailRetentionDays (${cfg.audit.trailRetentionDays}): objects cannot expire while locked`,
        });
    }
    if (cfg.drRegion === region) {
        problems.push({ key: `${ns}:drRegion`, given: cfg.drRegion, expected: `a region other than aws:region (${region})` });
    }
    cfg.cluster.nodeGroups.forEach((g, i) => {
        if (!(g.minSize <= g.desiredSize && g.desiredSize <= g.maxSize)) {
            problems.push({
                key: `${ns}:cluster.nodeGroups[${i}]`,
                given: { minSize: g.minSize, desiredSize: g.desiredSize, maxSize: g.maxSize },
                expected: "minSize <= desiredSize <= maxSize",
            });
        }
    });
    const names = cfg.cluster.nodeGroups.map((g) => g.name);
    const dup = names.find((n, i) => names.indexOf(n) !== i);
    if (dup)
        problems.push({ key: `${ns}:cluster.nodeGroups`, given: names, expected: `unique node group names ("${dup}" repeats)` });
    if (cfg.cluster.endpointPublicAccess && cfg.cluster.publicAccessCidrs.length === 0) {
        problems.push({
            key: `${ns}:cluster.publicAccessCidrs`,
            given: [],
            expected: "at least one CIDR when cluster.endpointPublicAccess is true (K8S-1)",
        });
    }
    cfg.cluster.publicAccessCidrs.forEach((c, i) => {
        if (c.endsWith("/0"))
            problems.push({
                key: `${ns}:cluster.publicAccessCidrs[${i}]`,
                given: c,
                expected: "a limited CIDR, not the whole internet (K8S-1)",
            });
    });
    checkDataWindows(cfg, problems);
    checkResilience(cfg, problems);
    checkEdgeAndApp(cfg, problems);
    checkSecrets(cfg, problems);
    checkDeploy(cfg, problems);
    checkRelease(cfg, problems);
}

/**
 * The deploying identity must end up with access (DEP-1, K8S-1): it is declared (a required key), differs
 * from the preview identity (which only gets a view policy), and is not listed again in cluster.adminRoleArns,
 * where a second access entry for the same principal would make EKS refuse the deploy half-way.
 */
function checkDeploy(cfg: BookbuddyConfig, problems: ConfigProblem[]): void {
    const ns = PROJECT_NAMESPACE;
    const d = cfg.deploy;
    if (d.deployRoleName === d.previewRoleName) {
        problems.push({
            key: `${ns}:deploy.previewRoleName`,
            given: d.previewRoleName,
            expected: `a role other than deploy.deployRoleName: the preview role gets view access only, so the deploying identity would have no cluster-admin access entry (DEP-1)`,
        });
    }
    cfg.cluster.adminRoleArns.forEach((arn, i) => {
        const roleName = arn.split("/").pop();
        for (const [key, name] of [
            ["deployRoleName", d.deployRoleName],
            ["previewRoleName", d.previewRoleName],
        ] as const) {
            if (roleName === name) {
                problems.push({
                    key: `${ns}:cluster.adminRoleArns[${i}]`,
                    given: arn,
                    expected: `no entry for deploy.${key} (${name}): the program gives it its access entry already, and EKS refuses a second entry for one principal (DEP-1)`,
                });
            }
        }
    });
}

/** Seconds of a "30s" / "2m" duration of the release keys. */
export function durationSeconds(value: string): number {
    const m = /^([0-9]+)(s|m)$/.exec(value);
    return m ? Number(m[1]) * (m[2] === "m" ? 60 : 1) : NaN;
}

/** Canary weights in order; the analysis fits the blue-green switch-back window (REL-1). */
function checkRelease(cfg: BookbuddyConfig, problems: ConfigProblem[]): void {
    const ns = PROJECT_NAMESPACE;
    const r = cfg.release;
    r.canaryWeights.forEach((w, i) => {
        if (i > 0 && w <= r.canaryWeights[i - 1]) {
            problems.push({
                key: `${ns}:release.canaryWeights[${i}]`,
                given: w,
                expected: `a weight above the one before (${r.canaryWeights[i - 1]}): weights only grow (REL-1)`,
            });
        }
    });
    if (r.strategy === "blueGreen" && r.analysis) {
        const needed = durationSeconds(r.analysisInitialDelay) + r.analysisMeasurements * durationSeconds(r.analysisInterval);
        if (r.scaleDownDelaySeconds <= needed) {
            problems.push({
                key: `${ns}:release.scaleDownDelaySeconds`,
                given: r.scaleDownDelaySeconds,
                expected: `more than the analysis after the switch (analysisInitialDelay + analysisMeasurements x analysisInterval = ${needed} s), so a failed analysis can switch back to the old pods (REL-1)`,
            });
        }
    }
}

/** SEC-1 maximum rotation intervals per rotation class, in days (database passwords, JWT, Redis AUTH: 90; API keys: 365). */
export const ROTATION_MAXIMUM_DAYS = { database: 90, jwt: 90, "redis-auth": 90, "api-key": 365 } as const;

/** Rotation intervals within the SEC-1 maximums, and API keys that are well formed (SEC-1, SEC-2). */
function checkSecrets(cfg: BookbuddyConfig, problems: ConfigProblem[]): void {
    const ns = PROJECT_NAMESPACE;
    const s = cfg.secrets;
    const intervals: [keyof typeof s, number, string][] = [
        ["databaseRotationDays", ROTATION_MAXIMUM_DAYS.database, "database passwords"],
        ["masterRotationDays", ROTATION_MAXIMUM_DAYS.database, "the RDS master password"],
        ["jwtRotationDays", ROTATION_MAXIMUM_DAYS.jwt, "the JWT signing secret"],
        ["redisRotationDays", ROTATION_MAXIMUM_DAYS["redis-auth"], "the Redis AUTH token"],
        ["grafanaRotationDays", ROTATION_MAXIMUM_DAYS.database, "the Grafana admin password"],
    ];
    for (const [key, max, what] of intervals) {
        if (s[key] > max)
            problems.push({
                key: `${ns}:secrets.${key}`,
                given: s[key],
                expected: `at most ${max} days: SEC-1 rotates ${what} at least every ${max} days`,
            });
    }
    const names = new Set<string>();
    cfg.apiKeys.forEach((k, i) => {
        const key = `${ns}:apiKeys[${i}]`;
        if (k.rotationDays > ROTATION_MAXIMUM_DAYS["api-key"]) {
            problems.push({
                key: `${key}.rotationDays`,
                given: k.rotationDays,
                expected: `at most ${ROTATION_MAXIMUM_DAYS["api-key"]} days: SEC-1 rotates API keys at least yearly`,
            });
        }
        if (names.has(k.name))
            problems.push({ key: `${key}.name`, given: k.name, expected: "a name no other API key uses (SEC-1)" });
        names.add(k.name);
        if (k.source === "supplied" && k.value === undefined) {
            problems.push({
                key: `${key}.value`,
                expected:
                    "the vendor's key as a secure value (`pulumi config set --secret --path 'apiKeys[" +
                    i +
                    "].value' ...`) for a supplied key (SEC-1, SEC-2)",
            });
        }
        if (k.source === "generated" && k.value !== undefined) {
            problems.push({
                key: `${key}.value`,
                given: "[secret]",
                expected:
                    "no value for a generated key (the program generates it; set source: supplied for a vendor's key) (SEC-1)",
            });
        }
    });
}

/** DNS zone choice, distinct public names and API sizing (EDGE-1, CDN-1, APP-1). */
function checkEdgeAndApp(cfg: BookbuddyConfig, problems: ConfigProblem[]): void {
    const ns = PROJECT_NAMESPACE;
    if (!cfg.dns.createZone && cfg.dns.zoneId === "") {
        problems.push({
            key: `${ns}:dns.zoneId`,
            given: "",
            expected: "the ID of the existing Route 53 zone, or dns.createZone: true (EDGE-1)",
        });
    }
    if (cfg.dns.createZone && cfg.dns.zoneId !== "") {
        problems.push({
            key: `${ns}:dns.zoneId`,
            given: cfg.dns.zoneId,
            expected: `no zone ID when dns.createZone is true (a new zone gets its own) (EDGE-1)`,
        });
    }
    const hosts = [cfg.cdn.webHost, cfg.cdn.mediaHost, cfg.app.apiHost];
    if (new Set(hosts).size !== hosts.length) {
        problems.push({
            key: `${ns}:cdn`,
            given: { webHost: cfg.cdn.webHost, mediaHost: cfg.cdn.mediaHost, apiHost: cfg.app.apiHost },
            expected: "three different host labels for web, media and API (CDN-1, EDGE-1)",
        });
    }
    const app = cfg.app;
    if (app.minReplicas > app.maxReplicas) {
        problems.push({
            key: `${ns}:app.maxReplicas`,
            given: app.maxReplicas,
            expected: `at least app.minReplicas (${app.minReplicas}) (APP-1)`,
        });
    }
    if (app.replicas < app.minReplicas || app.replicas > app.maxReplicas) {
        problems.push({
            key: `${ns}:app.replicas`,
            given: app.replicas,
            expected: `between app.minReplicas (${app.minReplicas}) and app.maxReplicas (${app.maxReplicas}) (APP-1)`,
        });
    }
}

/** Backup/snapshot windows of the data stores against their maintenance windows and AWS's limits (DB-2, CACHE-1, MNT-2). */
function checkDataWindows(cfg: BookbuddyConfig, problems: ConfigProblem[]): void {
    const ns = PROJECT_NAMESPACE;
    const db = cfg.database;
    if (dailyWindowMinutes(db.backupWindow) < 30) {
        problems.push({
            key: `${ns}:database.backupWindow`,
            given: db.backupWindow,
            expected: "a window of at least 30 minutes (RDS minimum)",
        });
    }
    if (weeklyWindowMinutes(db.maintenanceWindow) < 30) {
        problems.push({
            key: `${ns}:database.maintenanceWindow`,
            given: db.maintenanceWindow,
            expected: "a window of at least 30 minutes (RDS minimum)",
        });
    }
    if (windowsOverlap(db.backupWindow, db.maintenanceWindow)) {
        problems.push({
            key: `${ns}:database.maintenanceWindow`,
            given: db.maintenanceWindow,
            expected: `a maintenance window that does not overlap database.backupWindow (${db.backupWindow}, every day) (DB-2, MNT-2)`,
        });
    }
    if (db.maxAllocatedStorageGb <= db.allocatedStorageGb) {
        problems.push({
            key: `${ns}:database.maxAllocatedStorageGb`,
            given: db.maxAllocatedStorageGb,
            expected: `more than database.allocatedStorageGb (${db.allocatedStorageGb}) so storage can grow (DB-2)`,
        });
    }
    if (![1, 5, 10, 15, 30, 60].includes(db.monitoringIntervalSeconds)) {
        problems.push({
            key: `${ns}:database.monitoringIntervalSeconds`,
            given: db.monitoringIntervalSeconds,
            expected: "one of 1, 5, 10, 15, 30, 60 (DB-2)",
        });
    }
    if (db.performanceInsightsRetentionDays !== 7 && db.performanceInsightsRetentionDays % 31 !== 0) {
        problems.push({
            key: `${ns}:database.performanceInsightsRetentionDays`,
            given: db.performanceInsightsRetentionDays,
            expected: "7 or a multiple of 31 up to 731 (DB-2)",
        });
    }
    const cache = cfg.cache;
    if (dailyWindowMinutes(cache.snapshotWindow) < 60) {
        problems.push({
            key: `${ns}:cache.snapshotWindow`,
            given: cache.snapshotWindow,
            expected: "a window of at least 60 minutes (ElastiCache minimum)",
        });
    }
    if (weeklyWindowMinutes(cache.maintenanceWindow) < 60) {
        problems.push({
            key: `${ns}:cache.maintenanceWindow`,
            given: cache.maintenanceWindow,
            expected: "a window of at least 60 minutes (ElastiCache minimum)",
        });
    }
    if (windowsOverlap(cache.snapshotWindow, cache.maintenanceWindow)) {
        problems.push({
            key: `${ns}:cache.maintenanceWindow`,
            given: cache.maintenanceWindow,
            expected: `a maintenance window that does not overlap cache.snapshotWindow (${cache.snapshotWindow}, every day) (CACHE-1, MNT-2)`,
        });
    }
}

/**
 * Backups, DR copies and database jobs (BKP-1, BKP-2, MNT-1, MNT-2): the vault lock admits every rule's
 * retention, the job image's PostgreSQL client is not older than the server, and no job schedule (with its
 * start delay and deadline) or AWS Backup start window overlaps the database backup window, the ElastiCache
 * snapshot window or a maintenance window, and the restore check follows the dump.
 */
function checkResilience(cfg: BookbuddyConfig, problems: ConfigProblem[]): void {
    const ns = PROJECT_NAMESPACE;
    const b = cfg.backup;
    if (b.completionWindowMinutes < b.startWindowMinutes + 60) {
        problems.push({
            key: `${ns}:backup.completionWindowMinutes`,
            given: b.completionWindowMinutes,
            expected: `at least backup.startWindowMinutes + 60 (${b.startWindowMinutes + 60}) (AWS Backup)`,
        });
    }
    if (b.vaultLock) {
        const longest = Math.max(b.databaseRetentionDays, b.mediaRetentionDays);
        if (b.vaultLockMaxRetentionDays < longest) {
            problems.push({
                key: `${ns}:backup.vaultLockMaxRetentionDays`,
                given: b.vaultLockMaxRetentionDays,
                expected: `at least the longest rule, backup.databaseRetentionDays/mediaRetentionDays (${longest}) (BKP-1)`,
            });
        }
    }
    const clientMajor = Number(/:pg(\d{2})/.exec(cfg.databaseJobs.image)?.[1]);
    const serverMajor = Number(cfg.database.engineVersion.split(".")[0]);
    if (clientMajor < serverMajor) {
        problems.push({
            key: `${ns}:databaseJobs.image`,
            given: cfg.databaseJobs.image,
            expected: `a PostgreSQL client major >= database.engineVersion's (${serverMajor}); pg_dump refuses a newer server (BKP-2)`,
        });
    }
    for (const conflict of configuredConflicts(cfg)) {
        // The sentence names the keys involved; the first one is the key reported.
        const path = /"((?:databaseJobs|backup|database|cache)\.[A-Za-z.]+)"|^((?:databaseJobs|backup)\.[A-Za-z.]+)/.exec(
            conflict,
        );
        const keyPath = path?.[1] ?? path?.[2] ?? "databaseJobs";
        const given = keyPath.split(".").reduce<unknown>((v, k) => (v as Record<string, unknown> | undefined)?.[k], cfg);
        problems.push({
            key: `${ns}:${keyPath}`,
            given,
            expected: `a schedule clear of the other jobs and of the backup and maintenance windows (MNT-1, MNT-2): ${conflict}`,
        });
    }
}

/** Reads the configuration the engine (or the offline preview) gives this program. */
export function loadStackConfig(): StackConfig {
    const stack = pulumi.getStack();
    const raw = pulumi.runtime.allConfig();
    // isConfigSecret is not in the SDK's public typings, but it is what the engine's secret marking feeds.
    const runtime = pulumi.runtime as unknown as { isConfigSecret(key: string): boolean };
    const secretKeys = new Set(Object.keys(raw).filter((k) => runtime.isConfigSecret(k)));
    return parseStackConfig(stack, raw, secretKeys);
}
