/**
 * The one schema of stack configuration (ENV-1, ENV-6): every key, its type, default, limits, documentation
 * and the requirement IDs it serves. `Pulumi.<stack>.yaml` sets only what differs from these defaults.
 *
 * Keys live in the `bookbuddy:` namespace; `aws:region` is read from the AWS provider's namespace.
 */
import { boolean, cidr, integer, list, object, secret, string, stringMap, Field, InferFields, ParseContext } from "./spec";
import { RestoreSource } from "../../components/postgres/restore";
import {
    DAILY_WINDOW_PATTERN,
    DAILY_WINDOW_TEXT,
    WEEKLY_WINDOW_PATTERN,
    WEEKLY_WINDOW_TEXT,
} from "../../components/postgres/windows";
import { validateAwsCron } from "../../components/backup/schedule";
import { validateCronSchedule } from "../../components/maintenance/schedule";
import { defaultAlertThresholds } from "../../components/monitoring/rules";
import { defaultAlarmThresholds } from "../../components/alarms";
import { OPERATIONS_THRESHOLDS } from "../../components/shared/thresholds";

const region = (doc: string, ids: string[]) =>
    string({ doc, ids, pattern: /^[a-z]{2}(-gov)?-[a-z]+-\d$/, patternText: 'an AWS region name such as "eu-west-1"' });

const nodeGroup = object(
    {
        name: string({
            doc: "Node group name suffix.",
            ids: ["K8S-1"],
            pattern: /^[a-z][a-z0-9-]{0,30}$/,
            patternText: "lower-case letters, digits and dashes (max 31)",
        }),
        instanceTypes: list(
            string({
                doc: "EC2 instance type.",
                pattern: /^[a-z][a-z0-9-]*\.[a-z0-9]+$/,
                patternText: 'an EC2 instance type such as "m7i.large"',
            }),
            {
                doc: "Instance types, first one preferred.",
                minItems: 1,
            },
        ),
        capacityType: string({
            doc: "ON_DEMAND or SPOT (ENV-4 allows spot in dev).",
            ids: ["ENV-4"],
            oneOf: ["ON_DEMAND", "SPOT"],
            default: "ON_DEMAND",
        }),
        minSize: integer({ doc: "Minimum nodes.", min: 0, max: 100 }),
        desiredSize: integer({ doc: "Desired nodes at creation (autoscaling moves it afterwards).", min: 0, max: 100 }),
        maxSize: integer({ doc: "Maximum nodes.", min: 1, max: 100 }),
        diskSizeGb: integer({ doc: "Root volume size (gp3, encrypted).", min: 20, max: 1000, default: 50 }),
        amiType: string({
            doc: "EKS-optimised AMI type.",
            oneOf: ["AL2023_x86_64_STANDARD", "AL2023_ARM_64_STANDARD", "BOTTLEROCKET_x86_64", "BOTTLEROCKET_ARM_64"],
            default: "AL2023_x86_64_STANDARD",
        }),
    },
    { doc: "A managed node group in the private subnets.", ids: ["K8S-1"] },
);

const dailyWindow = (doc: string, ids: string[], def: string) =>
    string({ doc, ids, pattern: DAILY_WINDOW_PATTERN, patternText: DAILY_WINDOW_TEXT, default: def });
const weeklyWindow = (doc: string, ids: string[], def: string) =>
    string({ doc, ids, pattern: WEEKLY_WINDOW_PATTERN, patternText: WEEKLY_WINDOW_TEXT, default: def });

/**
 * DR-1 restore switch: `none`, `{ snapshotIdentifier }` or `{ pointInTime: { sourceDbInstanceIdentifier |
 * sourceDbiResourceId, restoreTime | useLatestRestorableTime } }`.
 */
function restoreSource(): Field<RestoreSource> {
    const expected =
        '"none", { snapshotIdentifier: <id or ARN> } or { pointInTime: { sourceDbInstanceIdentifier | sourceDbiResourceId, restoreTime (RFC 3339 UTC) | useLatestRestorableTime: true } }';
    const parse = (value: unknown, key: string, ctx: ParseContext): RestoreSource | undefined => {
        const fail = (k = key, given: unknown = value, what = expected) => {
            ctx.problems.push({ key: k, given, expected: what });
            return undefined;
        };
        if (value === "none") return { source: "none" };
        if (value === null || typeof value !== "object" || Array.isArray(value)) return fail();
        const obj = value as Record<string, unknown>;
        const keys = Object.keys(obj);
        if (keys.length !== 1 || !["snapshotIdentifier", "pointInTime"].includes(keys[0])) return fail();
        if (keys[0] === "snapshotIdentifier") {
            const id = obj.snapshotIdentifier;
            if (
                typeof id !== "string" ||
                !/^(arn:aws[a-z-]*:rds:[a-z0-9-]+:\d{12}:snapshot:)?[a-zA-Z][a-zA-Z0-9:-]{0,254}$/.test(id)
            ) {
                return fail(`${key}.snapshotIdentifier`, id, "a DB snapshot identifier or snapshot ARN");
            }
            return { source: "snapshot", snapshotIdentifier: id };
        }
        const pit = obj.pointInTime;
        if (pit === null || typeof pit !== "object" || Array.isArray(pit)) return fail(`${key}.pointInTime`, pit, "an object");
        const p = pit as Record<string, unknown>;
        const allowed = ["sourceDbInstanceIdentifier", "sourceDbiResourceId", "restoreTime", "useLatestRestorableTime"];
        const unknown = Object.keys(p).find((k) => !allowed.includes(k));
        if (unknown) return fail(`${key}.pointInTime.${unknown}`, p[unknown], `no such key (known keys: ${allowed.join(", ")})`);
        const sources = ["sourceDbInstanceIdentifier", "sourceDbiResourceId"].filter((k) => p[k] !== undefined);
        if (sources.length !== 1)
            return fail(`${key}.pointInTime`, pit, "exactly one of sourceDbInstanceIdentifier and sourceDbiResourceId");
        const src = p[sources[0]];
        if (typeof src !== "string" || src.length === 0)
            return fail(`${key}.pointInTime.${sources[0]}`, src, "a non-empty string");
        const latest = p.useLatestRestorableTime === true || p.useLatestRestorableTime === "true";
        const time = p.restoreTime;
        if (latest === (time !== undefined))
            return fail(`${key}.pointInTime`, pit, "exactly one of restoreTime and useLatestRestorableTime: true");
        if (
            time !== undefined &&
            (typeof time !== "string" ||
                !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/.test(time) ||
                Number.isNaN(Date.parse(time)))
        ) {
            return fail(`${key}.pointInTime.restoreTime`, time, 'an RFC 3339 UTC time such as "2025-06-01T03:15:00Z"');
        }
        return {
            source: "pointInTime",
            [sources[0]]: src,
            ...(latest ? { useLatestRestorableTime: true } : { restoreTime: time as string }),
        } as RestoreSource;
    };
    return {
        kind: "restore",
        doc: "Rebuild the database from a snapshot or a point in time (DR-1); `none` for a new, empty instance. Changing it replaces the instance.",
        ids: ["DR-1"],
        required: false,
        defaultValue: { source: "none" },
        expected,
        parse,
    };
}

/** A chart or image version such as "77.6.0" (MON-1, LOG-1). */
const CHART_VERSION = /^\d+\.\d+\.\d+$/;
const CHART_VERSION_TEXT = 'a pinned version such as "1.2.3"';
const EMAIL = /^[^@\s]+@[^@\s]+\.[a-z]{2,}$/;
const EMAIL_TEXT = "an email address";
/** DEP-1: GitHub repository, branch and IAM role name shapes. */
const GITHUB_REPOSITORY = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})\/[A-Za-z0-9._-]{1,100}$/;
const GIT_BRANCH = /^(?!.*\.\.)(?!\/)[A-Za-z0-9._/-]{1,200}(?<![/.])$/;
const IAM_ROLE_NAME = /^[\w+=,.@-]{1,64}$/;

/** A decimal number (e.g. 99.5), given as a YAML number or a string (MON-2, ALARM-1, HC-1). */
function decimal(opts: { doc: string; ids: string[]; min: number; max: number; default: number }): Field<number> {
    const expected = `a number above ${opts.min} and at most ${opts.max}`;
    return {
        kind: "decimal",
        doc: opts.doc,
        ids: opts.ids,
        required: false,
        defaultValue: opts.default,
        expected,
        parse(value: unknown, key: string, ctx: ParseContext): number | undefined {
            const n =
                typeof value === "number"
                    ? value
                    : typeof value === "string" && /^\d+(\.\d+)?$/.test(value.trim())
                      ? Number(value)
                      : NaN;
            if (!Number.isFinite(n) || n <= opts.min || n > opts.max) {
                ctx.problems.push({ key, given: ctx.isSecret(key) ? "[secret]" : value, expected });
                return undefined;
            }
            return n;
        },
    };
}

export const schema = {
    owner: string({ doc: "Team that owns the stack (tag `owner`).", ids: ["ENV-5"], minLength: 1 }),
    costCenter: string({ doc: "Cost centre for billing (tag `cost-center`).", ids: ["ENV-5"], minLength: 1 }),
    service: string({
        doc: "Service name (tag `service`) and the prefix of physical names.",
        ids: ["ENV-5"],
        pattern: /^[a-z][a-z0-9-]{1,20}$/,
        patternText: "lower-case letters, digits and dashes (2-21)",
        default: "bookbuddy",
    }),
    extraTags: stringMap({ doc: "Extra tags added to every taggable resource.", ids: ["ENV-5"], default: {} }),
    drRegion: region("Disaster-recovery region for cross-region copies (DR-1).", ["DR-1", "BKP-1"]),

    network: object(
        {
            cidr: cidr({ doc: "VPC CIDR block.", ids: ["NET-1"], minPrefix: 16, maxPrefix: 20, default: "10.0.0.0/16" }),
            azCount: integer({
                doc: "Availability zones used for subnets and nodes (ENV-3: prod 3).",
                ids: ["NET-1", "ENV-3"],
                min: 2,
                max: 3,
                default: 3,
            }),
            natGateways: string({
                doc: "`single` NAT gateway (ENV-4 dev) or one `perAz` (ENV-3).",
                ids: ["ENV-3", "ENV-4"],
                oneOf: ["single", "perAz"],
                default: "perAz",
            }),
            flowLogRetentionDays: integer({
                doc: "VPC flow log retention (NET-1, BKP-4: 90).",
                ids: ["NET-1", "BKP-4"],
                min: 90,
                max: 3653,
                default: 90,
            }),
        },
        { doc: "The VPC.", ids: ["NET-1"] },
    ),

    cluster: object(
        {
            version: string({
                doc: "EKS Kubernetes version, pinned.",
                ids: ["K8S-1"],
                pattern: /^1\.\d{2}$/,
                patternText: 'a Kubernetes minor version such as "1.33"',
            }),
            endpointPublicAccess: boolean({
                doc: "Expose the API server publicly (limited to publicAccessCidrs).",
                ids: ["K8S-1"],
                default: false,
            }),
            publicAccessCidrs: list(cidr({ doc: "Allowed CIDR.", minPrefix: 8, maxPrefix: 32 }), {
                doc: "CIDRs allowed to reach the public endpoint; never 0.0.0.0/0.",
                ids: ["K8S-1"],
                default: [],
            }),
            logRetentionDays: integer({
                doc: "Control-plane log retention.",
                ids: ["K8S-1", "BKP-4"],
                min: 90,
                max: 3653,
                default: 90,
            }),
            adminRoleArns: list(
                string({
                    doc: "IAM role ARN.",
                    pattern: /^arn:aws[a-z-]*:iam::\d{12}:role\/.+$/,
                    patternText: "an IAM role ARN",
                }),
                { doc: "IAM roles given cluster-admin access entries.", ids: ["K8S-1"], default: [] },
            ),
            nodeGroups: list(nodeGroup, { doc: "Managed node groups.", ids: ["K8S-1", "ENV-3", "ENV-4"], minItems: 1 }),
            addons: object(
                {
                    vpcCni: string({ doc: "vpc-cni add-on version.", default: "v1.19.6-eksbuild.7" }),
                    coredns: string({ doc: "coredns add-on version.", default: "v1.12.1-eksbuild.2" }),
                    kubeProxy: string({ doc: "kube-proxy add-on version.", default: "v1.33.0-eksbuild.2" }),
                    ebsCsiDriver: string({ doc: "aws-ebs-csi-driver add-on version.", default: "v1.45.0-eksbuild.2" }),
                    podIdentityAgent: string({ doc: "eks-pod-identity-agent add-on version.", default: "v1.3.7-eksbuild.2" }),
                },
                { doc: "Pinned EKS add-on versions (match them to the cluster version).", ids: ["K8S-1"] },
            ),
        },
        { doc: "The EKS cluster.", ids: ["K8S-1"] },
    ),

    clusterServices: object(
        {
            awsLoadBalancerController: string({
                doc: "aws-load-balancer-controller chart version.",
                ids: ["K8S-2"],
                default: "1.13.3",
            }),
            clusterAutoscaler: string({ doc: "cluster-autoscaler chart version.", ids: ["K8S-2"], default: "9.46.6" }),
            metricsServer: string({ doc: "metrics-server chart version.", ids: ["K8S-2"], default: "3.12.2" }),
            externalSecrets: string({ doc: "external-secrets chart version.", ids: ["K8S-2"], default: "0.18.2" }),
        },
        { doc: "Pinned Helm chart versions of the cluster services.", ids: ["K8S-2"] },
    ),

    registry: object(
        {
            repositories: list(
                string({
                    doc: "Repository name.",
                    pattern: /^[a-z][a-z0-9-]*$/,
                    patternText: "lower-case letters, digits and dashes",
                }),
                { doc: "ECR repositories.", ids: ["REG-1"], default: ["api", "web"], minItems: 1 },
            ),
            keepImages: integer({
                doc: "Images kept per repository by the lifecycle policy.",
                ids: ["REG-1"],
                min: 5,
                max: 1000,
                default: 30,
            }),
        },
        { doc: "Container registry.", ids: ["REG-1"] },
    ),

    database: object(
        {
            engineVersion: string({
                doc: "PostgreSQL engine version, major.minor pinned (update it after AWS applies a minor upgrade).",
                ids: ["DB-1"],
                pattern: /^1[4-9]\.\d{1,2}$/,
                patternText: 'a PostgreSQL version "major.minor" from 14 on, e.g. "17.5"',
                default: "17.5",
            }),
            instanceClass: string({
                doc: "RDS instance class (ENV-4 dev small; ENV-3 prod e.g. db.r7g.large).",
                ids: ["ENV-3", "ENV-4"],
                pattern: /^db\.[a-z0-9]+\.[a-z0-9]+$/,
                patternText: 'an RDS instance class such as "db.r7g.large"',
                default: "db.r7g.large",
            }),
            allocatedStorageGb: integer({ doc: "Initial gp3 storage.", ids: ["DB-2"], min: 20, max: 65536, default: 100 }),
            maxAllocatedStorageGb: integer({
                doc: "Storage autoscaling ceiling (DB-2).",
                ids: ["DB-2"],
                min: 20,
                max: 65536,
                default: 500,
            }),
            multiAz: boolean({
                doc: "Multi-AZ standby (DB-2, ENV-3; dev single-AZ per ENV-4).",
                ids: ["DB-2", "ENV-3", "ENV-4"],
                default: true,
            }),
            protect: boolean({
                doc: "Pulumi `protect` and retain-on-delete of the instance (DB-2).",
                ids: ["DB-2"],
                default: true,
            }),
            deletionProtection: boolean({
                doc: "RDS deletion protection; free, so on in every stack unless a teardown needs it off (DB-2).",
                ids: ["DB-2"],
                default: true,
            }),
            backupRetentionDays: integer({
                doc: "Automated backups kept for point-in-time recovery (DB-2, DR-1: at least 7).",
                ids: ["DB-2", "DR-1"],
                min: 7,
                max: 35,
                default: 14,
            }),
            backupWindow: dailyWindow(
                "Daily automated-backup window, UTC, at least 30 minutes (DB-2, MNT-2).",
                ["DB-2", "MNT-2"],
                "03:00-04:00",
            ),
            maintenanceWindow: weeklyWindow(
                "Weekly maintenance window, UTC, not overlapping the backup window (DB-2, MNT-2).",
                ["DB-2", "MNT-2"],
                "sun:05:00-sun:06:00",
            ),
            performanceInsightsRetentionDays: integer({
                doc: "Performance Insights retention: 7 (free tier) or a multiple of 31 up to 731 (DB-2).",
                ids: ["DB-2"],
                min: 7,
                max: 731,
                default: 7,
            }),
            monitoringIntervalSeconds: integer({
                doc: "Enhanced monitoring interval: 1, 5, 10, 15, 30 or 60 seconds (DB-2).",
                ids: ["DB-2"],
                min: 1,
                max: 60,
                default: 60,
            }),
            slowQueryMs: integer({
                doc: "log_min_duration_statement: statements slower than this are logged (DB-2).",
                ids: ["DB-2"],
                min: 0,
                max: 600000,
                default: 500,
            }),
            databaseName: string({
                doc: "Application database name (DB-3).",
                ids: ["DB-3"],
                pattern: /^[a-z][a-z0-9_]{0,30}$/,
                patternText: "lower-case letters, digits and underscores (max 31)",
                default: "bookbuddy",
            }),
            restore: restoreSource(),
        },
        { doc: "The PostgreSQL database on RDS.", ids: ["DB-1", "DB-2", "DB-3", "DR-1"] },
    ),

    cache: object(
        {
            engine: string({ doc: "ElastiCache engine.", ids: ["CACHE-1"], oneOf: ["valkey", "redis"], default: "valkey" }),
            engineVersion: string({
                doc: "Engine version, pinned (valkey 7.2/8.0, redis 7.1).",
                ids: ["CACHE-1"],
                pattern: /^\d+\.\d+$/,
                patternText: 'a version "major.minor" such as "8.0"',
                default: "8.0",
            }),
            nodeType: string({
                doc: "Cache node type (ENV-4 dev cache.t4g.micro; ENV-3 prod e.g. cache.r7g.large).",
                ids: ["ENV-3", "ENV-4"],
                pattern: /^cache\.[a-z0-9]+\.[a-z0-9]+$/,
                patternText: 'a cache node type such as "cache.r7g.large"',
                default: "cache.r7g.large",
            }),
            replicas: integer({
                doc: "Read replicas beside the primary; at least 1 enables automatic failover and Multi-AZ (CACHE-1, ENV-3).",
                ids: ["CACHE-1", "ENV-3", "ENV-4"],
                min: 0,
                max: 5,
                default: 2,
            }),
            snapshotRetentionDays: integer({
                doc: "Daily snapshots kept (CACHE-1: at least 7 in prod; 0 disables).",
                ids: ["CACHE-1"],
                min: 0,
                max: 35,
                default: 7,
            }),
            snapshotWindow: dailyWindow(
                "Daily snapshot window, UTC, at least 60 minutes (CACHE-1, MNT-2).",
                ["CACHE-1", "MNT-2"],
                "02:00-03:00",
            ),
            maintenanceWindow: weeklyWindow(
                "Weekly maintenance window, UTC, not overlapping the snapshot window (MNT-2).",
                ["CACHE-1", "MNT-2"],
                "sun:06:30-sun:07:30",
            ),
            maxmemoryPolicy: string({
                doc: "Eviction policy; volatile-lru keeps keys without a TTL (queues, locks) and evicts cached entries (CACHE-1).",
                ids: ["CACHE-1"],
                oneOf: ["volatile-lru", "allkeys-lru", "volatile-lfu", "allkeys-lfu", "volatile-ttl", "noeviction"],
                default: "volatile-lru",
            }),
            logRetentionDays: integer({
                doc: "Slow-log and engine-log retention (CACHE-1, BKP-4: 90).",
                ids: ["CACHE-1", "BKP-4"],
                min: 90,
                max: 3653,
                default: 90,
            }),
        },
        { doc: "The Redis/Valkey cache on ElastiCache.", ids: ["CACHE-1"] },
    ),

    dns: object(
        {
            zoneName: string({
                doc: "Public DNS zone of the environment; hosts are named under it (EDGE-1).",
                ids: ["EDGE-1"],
                pattern: /^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/,
                patternText: 'a lower-case DNS name such as "bookbuddy.example"',
            }),
            createZone: boolean({
                doc: "Create the Route 53 zone (true) or use the existing zone `zoneId` (false) (EDGE-1).",
                ids: ["EDGE-1"],
                default: false,
            }),
            zoneId: string({
                doc: "ID of the existing Route 53 zone; required when createZone is false (EDGE-1).",
                ids: ["EDGE-1"],
                pattern: /^(Z[A-Z0-9]{1,31})?$/,
                patternText: 'a Route 53 zone ID such as "Z0123456789ABCDEFGHIJ", or "" with createZone',
                default: "",
            }),
        },
        { doc: "DNS for certificates and public names.", ids: ["EDGE-1"] },
    ),

    cdn: object(
        {
            priceClass: string({
                doc: "CloudFront price class (ENV-4 dev: PriceClass_100).",
                ids: ["CDN-1", "ENV-4"],
                oneOf: ["PriceClass_All", "PriceClass_200", "PriceClass_100"],
                default: "PriceClass_All",
            }),
            webHost: string({
                doc: "Host label of the React web app under dns.zoneName (CDN-1).",
                ids: ["CDN-1"],
                pattern: /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/,
                patternText: "a DNS label",
                default: "app",
            }),
            mediaHost: string({
                doc: "Host label of the media CDN under dns.zoneName (CDN-1).",
                ids: ["CDN-1"],
                pattern: /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/,
                patternText: "a DNS label",
                default: "media",
            }),
            logFormat: string({
                doc: "CloudFront access log format (CDN-1).",
                ids: ["CDN-1"],
                oneOf: ["parquet", "json", "w3c"],
                default: "parquet",
            }),
        },
        { doc: "CloudFront for the web build and media.", ids: ["CDN-1"] },
    ),

    storage: object(
        {
            mediaNoncurrentDays: integer({
                doc: "Days non-current media versions are kept (STORE-1).",
                ids: ["STORE-1"],
                min: 7,
                max: 3650,
                default: 90,
            }),
            accessLogRetentionDays: integer({
                doc: "Days S3 and CloudFront access logs are kept (STORE-1, BKP-4: at least 90).",
                ids: ["STORE-1", "BKP-4"],
                min: 90,
                max: 3653,
                default: 365,
            }),
            forceDestroy: boolean({
                doc: "Let `pulumi destroy` empty the buckets (ENV-4 dev only; never prod) (STORE-1).",
                ids: ["STORE-1", "ENV-4"],
                default: false,
            }),
        },
        { doc: "Media, web and access-log buckets.", ids: ["STORE-1"] },
    ),

    app: object(
        {
            imageTag: string({
                doc: "API image tag deployed; rollback = set the previous tag (APP-1).",
                ids: ["APP-1"],
                pattern: /^(?!latest$)[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/,
                patternText: 'a fixed image tag such as "1.4.2" or "git-3f2c1ab" (not "latest")',
            }),
            apiHost: string({
                doc: "Host label of the API under dns.zoneName (APP-1, EDGE-1).",
                ids: ["APP-1", "EDGE-1"],
                pattern: /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/,
                patternText: "a DNS label",
                default: "api",
            }),
            port: integer({ doc: "Container port of the API (APP-1).", ids: ["APP-1"], min: 1024, max: 65535, default: 8000 }),
            replicas: integer({
                doc: "API replicas at creation; the HPA moves them afterwards (APP-1, ENV-3).",
                ids: ["APP-1", "ENV-3"],
                min: 1,
                max: 100,
                default: 3,
            }),
            cpuRequest: string({
                doc: "API CPU request (APP-1).",
                ids: ["APP-1"],
                pattern: /^\d+(\.\d+)?m?$/,
                patternText: 'a CPU quantity such as "250m" or "1"',
                default: "250m",
            }),
            memoryRequest: string({
                doc: "API memory request (APP-1).",
                ids: ["APP-1"],
                pattern: /^\d+(Mi|Gi)$/,
                patternText: 'a memory quantity such as "512Mi"',
                default: "512Mi",
            }),
            cpuLimit: string({
                doc: "API CPU limit (APP-1).",
                ids: ["APP-1"],
                pattern: /^\d+(\.\d+)?m?$/,
                patternText: 'a CPU quantity such as "1"',
                default: "1",
            }),
            memoryLimit: string({
                doc: "API memory limit (APP-1).",
                ids: ["APP-1"],
                pattern: /^\d+(Mi|Gi)$/,
                patternText: 'a memory quantity such as "1Gi"',
                default: "1Gi",
            }),
            minReplicas: integer({
                doc: "HPA minimum (APP-1, ENV-3: at least 3 in prod).",
                ids: ["APP-1", "ENV-3"],
                min: 1,
                max: 100,
                default: 3,
            }),
            maxReplicas: integer({ doc: "HPA maximum (APP-1).", ids: ["APP-1"], min: 1, max: 200, default: 12 }),
            cpuTarget: integer({
                doc: "HPA target CPU utilisation, percent of the request (APP-1).",
                ids: ["APP-1"],
                min: 30,
                max: 95,
                default: 70,
            }),
            memoryTarget: integer({
                doc: "HPA target memory utilisation, percent of the request (APP-1).",
                ids: ["APP-1"],
                min: 30,
                max: 95,
                default: 80,
            }),
            migrationDeadlineSeconds: integer({
                doc: "Time a migration Job may run before it fails (APP-1).",
                ids: ["APP-1"],
                min: 60,
                max: 7200,
                default: 900,
            }),
        },
        { doc: "The API workload and its migration Job.", ids: ["APP-1"] },
    ),

    secrets: object(
        {
            databaseRotationDays: integer({
                doc: "Rotation interval of the database role passwords (SEC-1: at most 90, checked with the others in checkRelations).",
                ids: ["SEC-1"],
                min: 1,
                max: 1000,
                default: 30,
            }),
            masterRotationDays: integer({
                doc: "Rotation interval of the RDS-managed master password, set on RDS's managed rotation (SEC-1, DB-3: at most 90).",
                ids: ["SEC-1", "DB-3"],
                min: 1,
                max: 1000,
                default: 30,
            }),
            jwtRotationDays: integer({
                doc: "Rotation interval of the JWT signing secret (SEC-1: at most 90).",
                ids: ["SEC-1"],
                min: 1,
                max: 1000,
                default: 30,
            }),
            redisRotationDays: integer({
                doc: "Rotation interval of the Redis AUTH token (SEC-1: at most 90).",
                ids: ["SEC-1", "CACHE-1"],
                min: 1,
                max: 1000,
                default: 30,
            }),
            grafanaRotationDays: integer({
                doc: "Rotation interval of the Grafana admin password (SEC-1, MON-1: at most 90).",
                ids: ["SEC-1", "MON-1"],
                min: 1,
                max: 1000,
                default: 90,
            }),
            rotationConcurrency: integer({
                doc: "Reserved concurrency of the rotation function (SEC-1).",
                ids: ["SEC-1"],
                min: 1,
                max: 20,
                default: 2,
            }),
            logRetentionDays: integer({
                doc: "Retention of the rotation function's log group (BKP-4: at least 90).",
                ids: ["SEC-1", "BKP-4"],
                min: 90,
                max: 3653,
                default: 90,
            }),
        },
        { doc: "Application secrets and their rotation schedules (SEC-1).", ids: ["SEC-1"] },
    ),

    apiKeys: list(
        object(
            {
                name: string({
                    doc: "Key name; the secret is `<prefix>/api-keys/<name>` (SEC-1).",
                    ids: ["SEC-1"],
                    pattern: /^[a-z][a-z0-9-]{0,39}$/,
                    patternText: "lower-case letters, digits and dashes (max 40)",
                }),
                source: string({
                    doc: "`generated` (a random value rotated by the rotation function) or `supplied` by a third party (value in `value`) (SEC-1).",
                    ids: ["SEC-1"],
                    oneOf: ["generated", "supplied"],
                    default: "generated",
                }),
                rotationDays: integer({
                    doc: "Rotation interval (SEC-1: at most 365); for supplied keys the reminder to fetch a new key from the vendor.",
                    ids: ["SEC-1"],
                    min: 1,
                    max: 1000,
                    default: 180,
                }),
                value: secret({
                    doc: "The vendor's key, only for `supplied` keys: a `secure:` value (SEC-1, SEC-2).",
                    ids: ["SEC-1", "SEC-2"],
                    optional: true,
                }),
            },
            { doc: "One third-party or generated API key.", ids: ["SEC-1"] },
        ),
        {
            doc: "API keys kept in Secrets Manager (SEC-1); a list holding a supplied key is a `secure:`-bearing value in the stack file (SEC-2).",
            ids: ["SEC-1", "SEC-2"],
            default: [],
        },
    ),

    waf: object(
        {
            enabled: boolean({
                doc: "AWS WAF web ACLs in front of the load balancer and the CloudFront distribution (EDGE-1: on in staging and prod; dev may turn it off).",
                ids: ["EDGE-1"],
                default: true,
            }),
            rateLimit: integer({
                doc: "Requests per client IP in any 5-minute window before the rate-based rule blocks it (EDGE-1).",
                ids: ["EDGE-1"],
                min: 100,
                max: 2000000000,
                default: 2000,
            }),
            ipReputation: boolean({
                doc: "Add the AWS IP reputation managed rule group (EDGE-1).",
                ids: ["EDGE-1"],
                default: true,
            }),
            logRetentionDays: integer({
                doc: "Retention of the WAF log groups (EDGE-1, BKP-4: at least 90).",
                ids: ["EDGE-1", "BKP-4"],
                min: 90,
                max: 3653,
                default: 90,
            }),
        },
        { doc: "Web application firewall (EDGE-1).", ids: ["EDGE-1"] },
    ),

    audit: object(
        {
            cloudTrailToLogs: boolean({
                doc: "Also deliver the trail to a CloudWatch log group (SEC-5).",
                ids: ["SEC-5"],
                default: true,
            }),
            guardDuty: boolean({
                doc: "GuardDuty detector with EKS, runtime, S3, RDS and malware protection (SEC-5); false where the account's detector is managed elsewhere.",
                ids: ["SEC-5"],
                default: true,
            }),
            findingSeverity: integer({
                doc: "Lowest GuardDuty finding severity sent to the alert topic (SEC-5: 4 = medium).",
                ids: ["SEC-5", "ALARM-1"],
                min: 1,
                max: 8,
                default: 4,
            }),
            logRetentionDays: integer({
                doc: "Retention of the trail's log group (SEC-5, BKP-4: at least 90).",
                ids: ["SEC-5", "BKP-4"],
                min: 90,
                max: 3653,
                default: 365,
            }),
            trailRetentionDays: integer({
                doc: "Days the trail's objects are kept in the bucket (SEC-5).",
                ids: ["SEC-5"],
                min: 90,
                max: 3653,
                default: 365,
            }),
            objectLockMode: string({
                doc: "S3 Object Lock of the trail bucket: COMPLIANCE (nobody can shorten it; prod), GOVERNANCE (privileged bypass possible) or none; enabled at creation only (SEC-5, STORE-1).",
                ids: ["SEC-5", "STORE-1"],
                oneOf: ["GOVERNANCE", "COMPLIANCE", "none"],
                default: "GOVERNANCE",
            }),
            objectLockDays: integer({
                doc: "Days each trail object stays locked; at most trailRetentionDays (SEC-5).",
                ids: ["SEC-5"],
                min: 1,
                max: 3653,
                default: 365,
            }),
        },
        { doc: "Audit trail and threat detection (SEC-5).", ids: ["SEC-5"] },
    ),

    protection: object(
        {
            protect: boolean({
                doc: "Pulumi `protect` on every KMS key, S3 bucket, backup vault and Secrets Manager secret, so no destroy or replacement removes them (STORE-1, BKP-1, SEC-1, SEC-3; dev turns it off for teardown).",
                ids: ["STORE-1", "BKP-1", "SEC-1", "SEC-3"],
                default: true,
            }),
        },
        { doc: "Keeping the stack's data: resources whose loss loses data or the means to read it.", ids: ["STORE-1", "BKP-1"] },
    ),

    monitoring: object(
        {
            kubePrometheusStackChart: string({
                doc: "kube-prometheus-stack chart version (MON-1).",
                ids: ["MON-1"],
                pattern: CHART_VERSION,
                patternText: CHART_VERSION_TEXT,
                default: "77.6.0",
            }),
            operatorCrdsChart: string({
                doc: "prometheus-operator-crds chart version, matching the operator of kube-prometheus-stack; installs the CRDs the main release skips (MON-1).",
                ids: ["MON-1"],
                pattern: CHART_VERSION,
                patternText: CHART_VERSION_TEXT,
                default: "23.0.0",
            }),
            postgresExporterChart: string({
                doc: "prometheus-postgres-exporter chart version (MON-1).",
                ids: ["MON-1"],
                pattern: CHART_VERSION,
                patternText: CHART_VERSION_TEXT,
                default: "7.1.1",
            }),
            redisExporterChart: string({
                doc: "prometheus-redis-exporter chart version (MON-1).",
                ids: ["MON-1"],
                pattern: CHART_VERSION,
                patternText: CHART_VERSION_TEXT,
                default: "6.15.0",
            }),
            blackboxExporterChart: string({
                doc: "prometheus-blackbox-exporter chart version, probing /health, /health/db and /health/cache (MON-2, HC-1).",
                ids: ["MON-2", "HC-1"],
                pattern: CHART_VERSION,
                patternText: CHART_VERSION_TEXT,
                default: "11.3.1",
            }),
            retention: string({
                doc: "Prometheus retention (MON-1: dev 3d, staging 7d, prod 15d).",
                ids: ["MON-1"],
                pattern: /^[1-9][0-9]*(h|d|w)$/,
                patternText: 'a Prometheus duration in hours, days or weeks such as "15d"',
                default: "15d",
            }),
            prometheusStorageGi: integer({
                doc: "Persistent volume of each Prometheus replica, GiB (MON-1).",
                ids: ["MON-1"],
                min: 10,
                max: 2000,
                default: 100,
            }),
            prometheusReplicas: integer({
                doc: "Prometheus replicas (ENV-3: 2 in prod keeps alerting through a node loss).",
                ids: ["MON-1", "ENV-3"],
                min: 1,
                max: 5,
                default: 2,
            }),
            alertmanagerReplicas: integer({
                doc: "Alertmanager replicas, clustered (MON-3, ENV-3).",
                ids: ["MON-3", "ENV-3"],
                min: 1,
                max: 5,
                default: 3,
            }),
            alertmanagerStorageGi: integer({
                doc: "Persistent volume of each Alertmanager replica (silences, notification log), GiB (MON-3).",
                ids: ["MON-3"],
                min: 1,
                max: 100,
                default: 5,
            }),
            grafanaStorageGi: integer({
                doc: "Persistent volume of Grafana, GiB (MON-1).",
                ids: ["MON-1"],
                min: 1,
                max: 100,
                default: 10,
            }),
            runbookBaseUrl: string({
                doc: "Repository browser URL the alerts' runbook links start with (MON-2).",
                ids: ["MON-2"],
                pattern: /^https:\/\/\S+$/,
                patternText: "an https URL",
                default: "https://github.com/bookbuddy/bookbuddy-infra/blob/main",
            }),
            teamChannel: string({
                doc: "Slack channel of the team for high and critical alerts (MON-3).",
                ids: ["MON-3"],
                pattern: /^#[a-z0-9_-]{1,79}$/,
                patternText: 'a Slack channel such as "#bookbuddy-alerts"',
                default: "#bookbuddy-alerts",
            }),
            dailyReviewTo: string({
                doc: "Mailbox of the daily review of warnings (MON-3, LOG-2 WARN).",
                ids: ["MON-3", "LOG-2"],
                pattern: EMAIL,
                patternText: EMAIL_TEXT,
                default: "platform-review@bookbuddy.example",
            }),
            dailyReviewFrom: string({
                doc: "Sender of the daily review, verified in SES (MON-3).",
                ids: ["MON-3"],
                pattern: EMAIL,
                patternText: EMAIL_TEXT,
                default: "alertmanager@bookbuddy.example",
            }),
            smtpSmarthost: string({
                doc: "SMTP relay host:port with STARTTLS (MON-3).",
                ids: ["MON-3"],
                pattern: /^[a-z0-9.-]+:[0-9]{2,5}$/,
                patternText: 'host:port such as "email-smtp.us-east-1.amazonaws.com:587"',
                default: "email-smtp.us-east-1.amazonaws.com:587",
            }),
            heartbeatUrl: string({
                doc: 'Dead man\'s switch endpoint for the Watchdog alert; "" sends the Watchdog nowhere (MON-3).',
                ids: ["MON-3"],
                pattern: /^(https:\/\/\S+)?$/,
                patternText: 'an https URL or ""',
                default: "",
            }),
            thresholds: object(
                {
                    errorRatePercent: decimal({
                        doc: "API 5xx share over 5 minutes that alerts, percent (MON-2).",
                        ids: ["MON-2"],
                        min: 0,
                        max: 100,
                        default: defaultAlertThresholds.errorRatePercent,
                    }),
                    latencyP95Seconds: decimal({
                        doc: "API P95 latency that alerts, seconds (MON-2).",
                        ids: ["MON-2"],
                        min: 0,
                        max: 60,
                        default: defaultAlertThresholds.latencyP95Seconds,
                    }),
                    cpuPercent: integer({
                        doc: "Node and container CPU that alerts, percent (MON-2).",
                        ids: ["MON-2"],
                        min: 1,
                        max: 99,
                        default: defaultAlertThresholds.cpuPercent,
                    }),
                    memoryWarningPercent: integer({
                        doc: "Memory that warns, percent (MON-2).",
                        ids: ["MON-2"],
                        min: 1,
                        max: 99,
                        default: defaultAlertThresholds.memoryWarningPercent,
                    }),
                    memoryCriticalPercent: integer({
                        doc: "Memory that pages, percent (MON-2).",
                        ids: ["MON-2"],
                        min: 1,
                        max: 99,
                        default: defaultAlertThresholds.memoryCriticalPercent,
                    }),
                    diskPercent: integer({
                        doc: "Disk and volume use that alerts, percent (MON-2).",
                        ids: ["MON-2"],
                        min: 1,
                        max: 99,
                        default: defaultAlertThresholds.diskPercent,
                    }),
                    queueCapacityPercent: integer({
                        doc: "Queue depth against capacity that alerts, percent (MON-2).",
                        ids: ["MON-2"],
                        min: 1,
                        max: 99,
                        default: defaultAlertThresholds.queueCapacityPercent,
                    }),
                    processingRateDropPercent: integer({
                        doc: "Drop of the job processing rate against one offset earlier that alerts, percent (MON-2).",
                        ids: ["MON-2"],
                        min: 1,
                        max: 99,
                        default: defaultAlertThresholds.processingRateDropPercent,
                    }),
                    availabilityObjectivePercent: decimal({
                        doc: "Availability objective watched by the burn-rate and uptime alerts, percent (MON-2, HC-1).",
                        ids: ["MON-2", "HC-1"],
                        min: 90,
                        max: 100,
                        default: defaultAlertThresholds.availabilityObjectivePercent,
                    }),
                    errorLogLinesPer5m: integer({
                        doc: "ERROR lines per app in 5 minutes tolerated before the team is alerted (LOG-2).",
                        ids: ["LOG-2"],
                        min: 0,
                        max: 100000,
                        default: defaultAlertThresholds.errorLogLinesPer5m,
                    }),
                    warnLogLinesPerHour: integer({
                        doc: "WARN lines per app in 1 hour tolerated before the daily review (LOG-2).",
                        ids: ["LOG-2"],
                        min: 0,
                        max: 100000,
                        default: defaultAlertThresholds.warnLogLinesPerHour,
                    }),
                },
                {
                    doc: "Prometheus alert thresholds; the defaults are the operations documents' numbers (MON-2, LOG-2).",
                    ids: ["MON-2", "LOG-2"],
                },
            ),
        },
        { doc: "kube-prometheus-stack, exporters, Alertmanager routing and alert thresholds.", ids: ["MON-1", "MON-2", "MON-3"] },
    ),

    logging: object(
        {
            eckOperatorChart: string({
                doc: "eck-operator chart version (LOG-1).",
                ids: ["LOG-1"],
                pattern: CHART_VERSION,
                patternText: CHART_VERSION_TEXT,
                default: "3.1.0",
            }),
            stackVersion: string({
                doc: "Elasticsearch, Kibana and Logstash version under ECK (LOG-1).",
                ids: ["LOG-1"],
                pattern: CHART_VERSION,
                patternText: CHART_VERSION_TEXT,
                default: "9.1.3",
            }),
            fluentBitChart: string({
                doc: "fluent-bit chart version of the log shipper DaemonSet (LOG-1, LOG-2).",
                ids: ["LOG-1", "LOG-2"],
                pattern: CHART_VERSION,
                patternText: CHART_VERSION_TEXT,
                default: "0.52.0",
            }),
            elasticsearchNodes: integer({
                doc: "Elasticsearch nodes (ENV-3: 3 spread over the zones in prod; ENV-4: 1 in dev).",
                ids: ["LOG-1", "ENV-3", "ENV-4"],
                min: 1,
                max: 30,
                default: 3,
            }),
            elasticsearchStorageGi: integer({
                doc: "Persistent volume of each Elasticsearch node, GiB (LOG-1).",
                ids: ["LOG-1"],
                min: 10,
                max: 16000,
                default: 200,
            }),
            elasticsearchMemory: string({
                doc: "Memory request and limit of each Elasticsearch node; the JVM heap takes half (LOG-1).",
                ids: ["LOG-1"],
                pattern: /^\d+Gi$/,
                patternText: 'a memory quantity in Gi such as "4Gi"',
                default: "4Gi",
            }),
            kibanaReplicas: integer({ doc: "Kibana replicas (LOG-1).", ids: ["LOG-1"], min: 1, max: 5, default: 2 }),
            logstashReplicas: integer({ doc: "Logstash replicas (LOG-1).", ids: ["LOG-1"], min: 1, max: 10, default: 2 }),
            retentionDays: integer({
                doc: "Days log indices are kept before the lifecycle policy deletes them (LOG-1, BKP-4: at least 90).",
                ids: ["LOG-1", "BKP-4"],
                min: 90,
                max: 3653,
                default: 90,
            }),
            snapshotSchedule: string({
                doc: "Elasticsearch cron (UTC) of the daily snapshot to the S3 archive (LOG-1).",
                ids: ["LOG-1"],
                pattern: /^0 [0-5]?[0-9] ([01]?[0-9]|2[0-3]) \* \* \?$/,
                patternText: 'a daily Elasticsearch cron such as "0 30 1 * * ?"',
                default: "0 30 1 * * ?",
            }),
            snapshotRetentionDays: integer({
                doc: "Days snapshots and archive objects are kept (LOG-1, BKP-4: at least 90).",
                ids: ["LOG-1", "BKP-4"],
                min: 90,
                max: 3653,
                default: 90,
            }),
            setupImage: string({
                doc: "Image of the Job that registers the lifecycle, snapshot repository and snapshot policy (LOG-1).",
                ids: ["LOG-1"],
                pattern: /^[a-z0-9./-]+:[A-Za-z0-9._-]+(@sha256:[a-f0-9]{64})?$/,
                patternText: "an image reference with a fixed tag",
                default: "docker.io/curlimages/curl:8.15.0",
            }),
        },
        { doc: "ELK under ECK and the log shipper.", ids: ["LOG-1", "LOG-2"] },
    ),

    alarms: object(
        {
            emails: list(string({ doc: "Email subscriber of the alert topic.", pattern: EMAIL, patternText: EMAIL_TEXT }), {
                doc: "Email subscribers of the alert topic (ALARM-1).",
                ids: ["ALARM-1"],
                default: [],
            }),
            rdsCpuPercent: integer({
                doc: "RDS CPUUtilization that alarms, percent (ALARM-1).",
                ids: ["ALARM-1"],
                min: 1,
                max: 99,
                default: defaultAlarmThresholds.rdsCpuPercent,
            }),
            rdsFreeableMemoryMb: integer({
                doc: "RDS FreeableMemory below which it alarms, MiB (ALARM-1).",
                ids: ["ALARM-1"],
                min: 16,
                max: 1048576,
                default: defaultAlarmThresholds.rdsFreeableMemoryMb,
            }),
            rdsFreeStoragePercent: integer({
                doc: "RDS FreeStorageSpace below this share of the allocated storage alarms, percent (ALARM-1).",
                ids: ["ALARM-1"],
                min: 1,
                max: 99,
                default: defaultAlarmThresholds.rdsFreeStoragePercent,
            }),
            rdsConnections: integer({
                doc: "RDS DatabaseConnections that alarm (ALARM-1).",
                ids: ["ALARM-1"],
                min: 1,
                max: 100000,
                default: defaultAlarmThresholds.rdsConnections,
            }),
            rdsReplicaLagSeconds: integer({
                doc: "ReplicaLag of read replicas that alarms, seconds (ALARM-1).",
                ids: ["ALARM-1"],
                min: 1,
                max: 86400,
                default: defaultAlarmThresholds.rdsReplicaLagSeconds,
            }),
            cacheCpuPercent: integer({
                doc: "ElastiCache CPUUtilization and EngineCPUUtilization that alarm, percent (ALARM-1).",
                ids: ["ALARM-1"],
                min: 1,
                max: 99,
                default: defaultAlarmThresholds.cacheCpuPercent,
            }),
            cacheMemoryWarningPercent: integer({
                doc: "DatabaseMemoryUsagePercentage that warns (ALARM-1).",
                ids: ["ALARM-1"],
                min: 1,
                max: 99,
                default: defaultAlarmThresholds.cacheMemoryWarningPercent,
            }),
            cacheMemoryCriticalPercent: integer({
                doc: "DatabaseMemoryUsagePercentage that is critical (ALARM-1).",
                ids: ["ALARM-1"],
                min: 1,
                max: 99,
                default: defaultAlarmThresholds.cacheMemoryCriticalPercent,
            }),
            cacheEvictions: integer({
                doc: "Evictions per 5 minutes above which it alarms (ALARM-1).",
                ids: ["ALARM-1"],
                min: 0,
                max: 10000000,
                default: defaultAlarmThresholds.cacheEvictions,
            }),
            albErrorRatePercent: decimal({
                doc: "ALB 5xx share of requests over 5 minutes that alarms, percent (ALARM-1).",
                ids: ["ALARM-1"],
                min: 0,
                max: 100,
                default: defaultAlarmThresholds.albErrorRatePercent,
            }),
            albLatencyP95Seconds: decimal({
                doc: "ALB TargetResponseTime p95 that alarms, seconds (ALARM-1).",
                ids: ["ALARM-1"],
                min: 0,
                max: 60,
                default: defaultAlarmThresholds.albLatencyP95Seconds,
            }),
        },
        { doc: "CloudWatch alarms on the managed services and the alert topic's subscribers.", ids: ["ALARM-1"] },
    ),

    alarmHttpsEndpoints: list(
        secret({ doc: "HTTPS endpoint subscribed to the alert topic (a secret: the URL carries its token)." }),
        {
            doc: "HTTPS subscribers of the alert topic, as one `secure:` JSON list (ALARM-1, SEC-2).",
            ids: ["ALARM-1", "SEC-2"],
            default: [],
        },
    ),

    health: object(
        {
            runtimeVersion: string({
                doc: "CloudWatch Synthetics runtime of the canaries (HC-1).",
                ids: ["HC-1"],
                pattern: /^syn-nodejs-puppeteer-\d+\.\d+$/,
                patternText: 'a Node.js Synthetics runtime such as "syn-nodejs-puppeteer-10.0"',
                default: "syn-nodejs-puppeteer-10.0",
            }),
            livenessRateMinutes: integer({
                doc: "Minutes between checks of /health (HC-1: every minute).",
                ids: ["HC-1"],
                min: 1,
                max: 60,
                default: 1,
            }),
            dependencyRateMinutes: integer({
                doc: "Minutes between checks of /health/db and /health/cache (HC-1: every 5 minutes).",
                ids: ["HC-1"],
                min: 1,
                max: 60,
                default: 5,
            }),
            uptimeObjectivePercent: decimal({
                doc: "Daily success share of a health check below which the uptime alarm fires (HC-1: 99.5).",
                ids: ["HC-1"],
                min: 90,
                max: 100,
                default: OPERATIONS_THRESHOLDS.availabilityObjectivePercent,
            }),
            artifactRetentionDays: integer({
                doc: "Days canary run artifacts are kept (HC-1, BKP-4).",
                ids: ["HC-1", "BKP-4"],
                min: 90,
                max: 3653,
                default: 90,
            }),
        },
        { doc: "Health checks of the public API (CloudWatch Synthetics).", ids: ["HC-1"] },
    ),

    backup: object(
        {
            databaseSchedule: awsSchedule(
                "Daily AWS Backup of the database (tag backup=database), AWS cron in UTC (BKP-1, MNT-2).",
                ["BKP-1", "MNT-2"],
                "cron(0 0 ? * * *)",
            ),
            databaseRetentionDays: integer({
                doc: "Days database recovery points are kept (BKP-1: 30).",
                ids: ["BKP-1"],
                min: 1,
                max: 3650,
                default: 30,
            }),
            mediaSchedule: awsSchedule(
                "Daily AWS Backup of media storage (tag backup=media), AWS cron in UTC (BKP-1).",
                ["BKP-1"],
                "cron(0 0 ? * * *)",
            ),
            mediaRetentionDays: integer({
                doc: "Days media recovery points are kept (BKP-1: 90).",
                ids: ["BKP-1"],
                min: 1,
                max: 3650,
                default: 90,
            }),
            startWindowMinutes: integer({
                doc: "Minutes after the scheduled time within which a backup must start (BKP-1, MNT-2).",
                ids: ["BKP-1", "MNT-2"],
                min: 60,
                max: 720,
                default: 60,
            }),
            completionWindowMinutes: integer({
                doc: "Minutes within which a started backup must finish (BKP-1).",
                ids: ["BKP-1"],
                min: 120,
                max: 10080,
                default: 480,
            }),
            copyToDr: boolean({
                doc: "Copy every recovery point to a vault in drRegion (BKP-1, DR-1; dev/staging off for cost).",
                ids: ["BKP-1", "DR-1"],
                default: true,
            }),
            drDatabaseRetentionDays: integer({
                doc: "Days DR-region copies of database recovery points are kept (BKP-1, DR-1).",
                ids: ["BKP-1", "DR-1"],
                min: 1,
                max: 3650,
                default: 30,
            }),
            drMediaRetentionDays: integer({
                doc: "Days DR-region copies of media recovery points are kept (BKP-1, DR-1).",
                ids: ["BKP-1", "DR-1"],
                min: 1,
                max: 3650,
                default: 90,
            }),
            vaultLock: boolean({
                doc: "Compliance-mode lock of the primary vault; irreversible after the grace days (BKP-1).",
                ids: ["BKP-1"],
                default: true,
            }),
            vaultLockChangeableDays: integer({
                doc: "Grace days before the vault lock becomes immutable (BKP-1).",
                ids: ["BKP-1"],
                min: 3,
                max: 365,
                default: 3,
            }),
            vaultLockMaxRetentionDays: integer({
                doc: "Longest retention the locked vault accepts (BKP-1).",
                ids: ["BKP-1"],
                min: 1,
                max: 36500,
                default: 365,
            }),
            restoreTesting: boolean({
                doc: "AWS Backup restore testing of the database (BKP-3).",
                ids: ["BKP-3"],
                default: true,
            }),
            restoreTestingSchedule: awsSchedule(
                "When restore tests run, AWS cron in UTC (BKP-3).",
                ["BKP-3"],
                "cron(0 9 ? * MON *)",
            ),
            restoreTestingInstanceClass: string({
                doc: "Instance class of test restores, kept small (BKP-3).",
                ids: ["BKP-3"],
                pattern: /^db\.[a-z0-9]+\.[a-z0-9]+$/,
                patternText: 'an RDS instance class such as "db.t4g.medium"',
                default: "db.t4g.medium",
            }),
            restoreTestingValidationHours: integer({
                doc: "Hours a test restore is kept for validation before deletion (BKP-3).",
                ids: ["BKP-3"],
                min: 1,
                max: 168,
                default: 4,
            }),
            replicateDatabaseBackups: boolean({
                doc: "Replicate RDS automated backups to drRegion for point-in-time recovery there (DR-1).",
                ids: ["DR-1"],
                default: true,
            }),
            drDatabaseBackupRetentionDays: integer({
                doc: "Days replicated automated backups are kept in drRegion (DR-1).",
                ids: ["DR-1"],
                min: 1,
                max: 35,
                default: 7,
            }),
            replicateMedia: boolean({
                doc: "Replicate the media bucket to a drRegion bucket (DR-1).",
                ids: ["DR-1"],
                default: true,
            }),
            replicationTimeControl: boolean({
                doc: "S3 Replication Time Control (15-minute SLA, extra cost) for media (DR-1).",
                ids: ["DR-1"],
                default: false,
            }),
        },
        { doc: "AWS Backup, restore testing and cross-region copies.", ids: ["BKP-1", "BKP-3", "DR-1"] },
    ),

    databaseJobs: object(
        {
            namespace: string({
                doc: "Namespace of the database CronJobs (Pod Security Admission restricted) (BKP-2, MNT-1).",
                ids: ["BKP-2", "MNT-1"],
                pattern: /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/,
                patternText: "a DNS label",
                default: "database-jobs",
            }),
            image: string({
                doc: "Job image (components/maintenance/image/Dockerfile): psql/pg_dump/pg_restore of the tag's PostgreSQL major, AWS CLI v2, RDS CA bundle; pinned tag `pg<major>...` (BKP-2).",
                ids: ["BKP-2", "MNT-1"],
                pattern: /^[a-z0-9.-]+(:\d+)?(\/[a-z0-9._-]+)+:pg\d{2}[A-Za-z0-9._-]*(@sha256:[a-f0-9]{64})?$/,
                patternText:
                    'an image pinned by a tag naming its PostgreSQL client major, e.g. "ghcr.io/bookbuddy/db-jobs:pg17.5-1"',
                default: "ghcr.io/bookbuddy/db-jobs:pg17.5-1",
            }),
            sslRootCertPath: string({
                doc: "RDS CA bundle inside the image, for PGSSLMODE=verify-full (DB-1).",
                ids: ["DB-1"],
                pattern: /^\/[A-Za-z0-9._/-]+$/,
                patternText: "an absolute path",
                default: "/etc/ssl/certs/rds-global-bundle.pem",
            }),
            startingDeadlineSeconds: integer({
                doc: "Seconds a missed run may still start late; counted in the overlap check (MNT-2).",
                ids: ["MNT-2"],
                min: 60,
                max: 3600,
                default: 600,
            }),
            restoreCheckMaxAgeHours: integer({
                doc: "The restore check fails when the newest dump is this old (BKP-2).",
                ids: ["BKP-2"],
                min: 1,
                max: 168,
                default: 26,
            }),
            dumpVolumeGb: integer({
                doc: "Scratch space of the dump and restore-check pods, one dump (BKP-2).",
                ids: ["BKP-2"],
                min: 1,
                max: 1000,
                default: 20,
            }),
            slowQueryLimit: integer({
                doc: "Statements in the weekly slow-query report (MNT-1).",
                ids: ["MNT-1"],
                min: 1,
                max: 500,
                default: 20,
            }),
            pgDump: jobTiming("Daily pg_dump to the backup bucket (BKP-2).", ["BKP-2", "MNT-2"], "0 1 * * *", 45),
            restoreCheck: jobTiming(
                "Daily restore check of the newest dump, after pgDump (BKP-2).",
                ["BKP-2", "MNT-2"],
                "0 4 * * *",
                50,
            ),
            vacuumAnalyze: jobTiming("Weekly VACUUM ANALYZE (MNT-1).", ["MNT-1", "MNT-2"], "0 5 * * 6", 80),
            analyze: jobTiming("Weekly ANALYZE (MNT-1).", ["MNT-1", "MNT-2"], "0 5 * * 3", 20),
            reindex: jobTiming("Monthly REINDEX CONCURRENTLY (MNT-1).", ["MNT-1", "MNT-2"], "0 8 1 * *", 110),
            slowQueryReport: jobTiming(
                "Weekly pg_stat_statements slow-query report (MNT-1).",
                ["MNT-1", "MNT-2"],
                "0 5 * * 1",
                5,
            ),
        },
        {
            doc: "Logical backups, restore check and database maintenance CronJobs; schedules in UTC.",
            ids: ["BKP-2", "MNT-1", "MNT-2"],
        },
    ),

    deploy: object(
        {
            phase: string({
                doc: "`runner` on the very first `pulumi up` of a stack (keys, network and the deploy runner only, from an operator's machine); `full` afterwards, from the runner (DEP-1).",
                ids: ["DEP-1"],
                oneOf: ["runner", "full"],
                default: "full",
            }),
            repository: string({
                doc: "GitHub repository `owner/name` whose workflows may assume the deploy and preview roles (DEP-1).",
                ids: ["DEP-1", "CI-1"],
                pattern: GITHUB_REPOSITORY,
                patternText: 'a GitHub repository "owner/name"',
            }),
            environment: string({
                doc: "GitHub environment of this stack's deploy job; the deploy role trusts only that environment (DEP-1).",
                ids: ["DEP-1", "CI-1"],
                pattern: /^[A-Za-z0-9._-]{1,255}$/,
                patternText: 'a GitHub environment name such as "production"',
            }),
            branch: string({
                doc: "Branch this stack is deployed from; the drift check refreshes against its stack file (DEP-1, CI-1).",
                ids: ["DEP-1", "CI-1"],
                pattern: GIT_BRANCH,
                patternText: 'a branch name such as "main"',
            }),
            defaultBranch: string({
                doc: "Default branch of the repository, where scheduled workflows (drift) run; the preview role trusts it (DEP-1).",
                ids: ["DEP-1"],
                pattern: GIT_BRANCH,
                patternText: 'a branch name such as "main"',
                default: "main",
            }),
            deployRoleName: string({
                doc: "The deploying identity: IAM role the deploy job assumes through OIDC; gets the cluster-admin access entry (DEP-1).",
                ids: ["DEP-1", "K8S-1"],
                pattern: IAM_ROLE_NAME,
                patternText: "an IAM role name (letters, digits, +=,.@_-; at most 64)",
            }),
            previewRoleName: string({
                doc: "IAM role of the trusted preview and the drift check; gets an admin-view access entry (DEP-1).",
                ids: ["DEP-1", "K8S-1"],
                pattern: IAM_ROLE_NAME,
                patternText: "an IAM role name (letters, digits, +=,.@_-; at most 64)",
            }),
            runnerComputeType: string({
                doc: "CodeBuild compute type of the runner (DEP-1).",
                ids: ["DEP-1"],
                oneOf: ["BUILD_GENERAL1_SMALL", "BUILD_GENERAL1_MEDIUM", "BUILD_GENERAL1_LARGE"],
                default: "BUILD_GENERAL1_MEDIUM",
            }),
            runnerImage: string({
                doc: "CodeBuild-managed image of the runner (DEP-1).",
                ids: ["DEP-1"],
                pattern: /^aws\/codebuild\/[a-z0-9._/:-]+$/,
                patternText: 'a CodeBuild-managed image such as "aws/codebuild/amazonlinux-x86_64-standard:5.0"',
                default: "aws/codebuild/amazonlinux-x86_64-standard:5.0",
            }),
            runnerTimeoutMinutes: integer({
                doc: "Longest job the runner runs, minutes; at least the deploy job's timeout (DEP-1).",
                ids: ["DEP-1"],
                min: 30,
                max: 480,
                default: 150,
            }),
            logRetentionDays: integer({
                doc: "Retention of the runner's build logs (DEP-1, BKP-4).",
                ids: ["DEP-1", "BKP-4"],
                min: 90,
                max: 3653,
                default: 90,
            }),
        },
        {
            doc: "Where `pulumi up`, refresh and trusted previews run: a CodeBuild-hosted GitHub Actions runner in the VPC, and the identities it serves (DEP-1).",
            ids: ["DEP-1"],
        },
    ),

    release: object(
        {
            rolloutsChart: string({
                doc: "argo-rollouts chart version; its CRD schemas are test data (tests/upstream/crds/argo-rollouts) (REL-1).",
                ids: ["REL-1", "UP-1"],
                pattern: CHART_VERSION,
                patternText: CHART_VERSION_TEXT,
                default: "2.41.0",
            }),
            progressive: boolean({
                doc: "Release the API with Argo Rollouts; false keeps the plain rolling update of the Deployment (REL-1).",
                ids: ["REL-1"],
                default: true,
            }),
            strategy: string({
                doc: "`canary` (traffic split at the ALB by weight) or `blueGreen` (switch of the active Service) (REL-1).",
                ids: ["REL-1"],
                oneOf: ["canary", "blueGreen"],
                default: "canary",
            }),
            canaryWeights: list(integer({ doc: "Percent of traffic sent to the new pods at this step.", min: 1, max: 99 }), {
                doc: "Canary weights in increasing order, each followed by a pause; [] sends all traffic at once (dev: straight through) (REL-1).",
                ids: ["REL-1"],
                maxItems: 10,
                default: [10, 50],
            }),
            pauseSeconds: integer({
                doc: "Pause after each canary weight while the analysis measures, seconds (REL-1).",
                ids: ["REL-1"],
                min: 0,
                max: 86400,
                default: 600,
            }),
            previewSeconds: integer({
                doc: "Blue-green: seconds the new pods run as preview before the switch (REL-1).",
                ids: ["REL-1"],
                min: 0,
                max: 86400,
                default: 120,
            }),
            scaleDownDelaySeconds: integer({
                doc: "Blue-green: seconds the old pods stay up after the switch so a failed analysis can switch back (REL-1).",
                ids: ["REL-1"],
                min: 30,
                max: 86400,
                default: 900,
            }),
            analysis: boolean({
                doc: "Automatic analysis on the MON-2 error-rate and P95 thresholds (monitoring.thresholds); a failure aborts and rolls back (REL-1, MON-2).",
                ids: ["REL-1", "MON-2"],
                default: true,
            }),
            analysisInterval: string({
                doc: "Time between two measurements of the analysis (REL-1).",
                ids: ["REL-1"],
                pattern: /^[1-9][0-9]*(s|m)$/,
                patternText: 'seconds or minutes such as "1m"',
                default: "1m",
            }),
            analysisWindow: string({
                doc: "Rate window of the analysis queries (REL-1, MON-2).",
                ids: ["REL-1", "MON-2"],
                pattern: /^[1-9][0-9]*(s|m)$/,
                patternText: 'seconds or minutes such as "2m"',
                default: "2m",
            }),
            analysisInitialDelay: string({
                doc: "Wait before the first measurement, so the window holds the new pods' samples (REL-1).",
                ids: ["REL-1"],
                pattern: /^[0-9]+(s|m)$/,
                patternText: 'seconds or minutes such as "1m"',
                default: "1m",
            }),
            failureLimit: integer({
                doc: "Failed measurements tolerated before the release aborts; 0 aborts on the first (REL-1).",
                ids: ["REL-1"],
                min: 0,
                max: 5,
                default: 0,
            }),
            analysisMeasurements: integer({
                doc: "Blue-green: measurements after the switch before the release counts as good (a canary measures until its last step) (REL-1).",
                ids: ["REL-1"],
                min: 1,
                max: 60,
                default: 5,
            }),
            loadTestRate: integer({
                doc: "Performance gate: requests per second the load test sends to staging (REL-2, MON-2).",
                ids: ["REL-2", "MON-2"],
                min: 1,
                max: 1000,
                default: 20,
            }),
            loadTestSeconds: integer({
                doc: "Performance gate: duration of the load test, seconds (REL-2).",
                ids: ["REL-2"],
                min: 10,
                max: 1800,
                default: 120,
            }),
        },
        {
            doc: "How the API is released (Argo Rollouts canary or blue-green with automatic analysis) and the performance gate.",
            ids: ["REL-1", "REL-2"],
        },
    ),

    web: object(
        {
            release: string({
                doc: "Build of the web front end served: the bucket prefix `releases/<release>/` becomes the CloudFront origin path; rollback = the previous release (REL-1, CDN-1).",
                ids: ["REL-1", "CDN-1"],
                pattern: /^(?!.*\.\.)[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/,
                patternText: 'a build name such as "2026.12.01-3f2c1ab" (letters, digits, dot, dash, underscore)',
            }),
        },
        { doc: "The React web build served at the edge, blue-green by bucket prefix.", ids: ["REL-1", "CDN-1"] },
    ),
};

export type Schema = typeof schema;
export type BookbuddyConfig = InferFields<Schema>;
export type NodeGroupConfig = BookbuddyConfig["cluster"]["nodeGroups"][number];

/** An AWS Backup schedule `cron(...)`, validated with cron-validate's aws-cloud-watch preset (BKP-1, BKP-3). */
function awsSchedule(doc: string, ids: string[], def: string): Field<string> {
    const expected = 'an AWS cron expression such as "cron(0 0 ? * * *)" (UTC)';
    return {
        kind: "awsCron",
        doc,
        ids,
        required: false,
        defaultValue: def,
        expected,
        parse(value: unknown, key: string, ctx: ParseContext): string | undefined {
            const invalid = typeof value === "string" ? validateAwsCron(value) : expected;
            if (invalid) {
                ctx.problems.push({ key, given: value, expected: `${expected}: ${invalid}` });
                return undefined;
            }
            return value as string;
        },
    };
}

/** A CronJob schedule (five fields, UTC) and its run time in minutes (MNT-1, MNT-2). */
function jobTiming(doc: string, ids: string[], schedule: string, durationMinutes: number) {
    const cron: Field<string> = {
        kind: "cron",
        doc: "Five-field cron schedule, UTC (Kubernetes CronJob).",
        ids,
        required: false,
        defaultValue: schedule,
        expected: 'a five-field cron schedule such as "0 1 * * *"',
        parse(value: unknown, key: string, ctx: ParseContext): string | undefined {
            const invalid = typeof value === "string" ? validateCronSchedule(value) : "not a string";
            if (invalid) {
                ctx.problems.push({ key, given: value, expected: `a five-field cron schedule such as "0 1 * * *": ${invalid}` });
                return undefined;
            }
            return value as string;
        },
    };
    return object(
        {
            schedule: cron,
            durationMinutes: integer({
                doc: "Run time limit in minutes (the job's activeDeadlineSeconds) (MNT-2).",
                ids,
                min: 1,
                max: 1440,
                default: durationMinutes,
            }),
        },
        { doc, ids },
    );
}
