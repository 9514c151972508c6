/**
 * Monthly cost estimate of a preview document (CI-2).
 *
 * Prices every resource it can from its inputs alone, at 730 hours a month, from the versioned price
 * table in `prices/` (region, currency, as-of date, public sources). Charges that depend on usage
 * (requests, data processed or transferred, storage that grows, events analysed) are listed in
 * `notEstimated` with a reason and never invented. See docs/cost.md.
 *
 * Pure: input is a `PlanDocument` of either format (offline or `pulumi preview --json`), output is data
 * and text; no Pulumi runtime.
 */
import * as fs from "fs";
import * as path from "path";
import { normalisePlan, NormalisedResource, urnName } from "./normalise";
import { CostEstimate, CostLine, PlanDocument, SECRET_PLACEHOLDER } from "./types";
import { isRecord } from "../../policies/lib/values";
import priceTableJson from "./prices/aws-us-east-1.json";

/** The shape of a price table file in tools/plan/prices/ (one region). All rates in `currency`. */
export interface PriceTable {
    version: string;
    region: string;
    currency: string;
    asOf: string;
    asOfNote?: string;
    hoursPerMonth: number;
    sources: Record<string, string>;
    /** `on-demand`: spot priced at on-demand (upper bound); `discount`: on-demand × discountFactor. */
    spot: { rule: string; discountFactor?: number; note?: string };
    ec2: {
        instancePerHour: Record<string, number>;
        ebsPerGbMonth: Record<string, number>;
        eksDefaultDiskGb: number;
        eksDefaultInstanceType: string;
        eksDefaultVolumeType: string;
        publicIpv4PerHour: number;
    };
    eks: { controlPlanePerHour: number; extendedSupportPerHour: number };
    vpc: { natGatewayPerHour: number; interfaceEndpointPerAzHour: number };
    rds: {
        /** Per engine, per instance class, Single-AZ. */
        instancePerHour: Record<string, Record<string, number>>;
        /** Single-AZ storage per GB-month, by storage type. */
        storagePerGbMonth: Record<string, number>;
        multiAzFactor: number;
        performanceInsightsFreeRetentionDays: number;
    };
    elasticache: { nodePerHour: Record<string, number>; engineFactor: Record<string, number> };
    elb: { albPerHour: number; nlbPerHour: number };
    secretsManager: { secretPerMonth: number };
    kms: { keyPerMonth: number };
    cloudwatch: {
        standardAlarmMetricPerMonth: number;
        highResolutionAlarmMetricPerMonth: number;
        compositeAlarmPerMonth: number;
        anomalyDetectionMetricsPerAlarmMetric: number;
    };
    waf: { webAclPerMonth: number; rulePerMonth: number };
    route53: {
        hostedZonePerMonth: number;
        healthCheck: {
            awsEndpointPerMonth: number;
            awsEndpointFeaturePerMonth: number;
            otherEndpointPerMonth: number;
            otherEndpointFeaturePerMonth: number;
        };
    };
}

/** The price table of the default region (us-east-1). */
export const defaultPrices: PriceTable = priceTableJson;

export const PRICES_DIR = path.join(__dirname, "prices");

/** Every price table of tools/plan/prices/ (`aws-<region>.json`), by region. */
export function loadPriceTables(dir: string = PRICES_DIR): Record<string, PriceTable> {
    const out: Record<string, PriceTable> = {};
    for (const file of fs.readdirSync(dir).filter((f) => /^aws-[a-z0-9-]+\.json$/.test(f))) {
        const table = JSON.parse(fs.readFileSync(path.join(dir, file), "utf8")) as PriceTable;
        out[table.region] = table;
    }
    return out;
}

const INGRESS = "kubernetes:networking.k8s.io/v1:Ingress";
const SERVICE = "kubernetes:core/v1:Service";
const LAUNCH_TEMPLATE = "aws:ec2/launchTemplate:LaunchTemplate";
const ALB_GROUP_ANNOTATION = "alb.ingress.kubernetes.io/group.name";

interface Priced {
    lines: { description: string; monthlyUsd: number }[];
    notEstimated: string[];
}

interface Context {
    prices: PriceTable;
    resources: Map<string, NormalisedResource>;
    /** ALB groups already priced (Ingresses sharing `group.name` share one ALB). */
    albGroups: Map<string, string[]>;
}

type Pricer = (res: NormalisedResource, ctx: Context) => Priced;

function cents(v: number): number {
    return Math.round(v * 100) / 100;
}

function str(v: unknown): string | undefined {
    return typeof v === "string" && v !== SECRET_PLACEHOLDER && v !== "" ? v : undefined;
}

function num(v: unknown): number | undefined {
    if (typeof v === "number" && Number.isFinite(v)) {
        return v;
    }
    if (typeof v === "string" && /^\d+(\.\d+)?$/.test(v)) {
        return Number(v);
    }
    return undefined;
}

function hourly(ratePerHour: number, ctx: Context): number {
    return ratePerHour * ctx.prices.hoursPerMonth;
}

function priced(lines: Priced["lines"], notEstimated: string[] = []): Priced {
    return { lines, notEstimated };
}

function only(...reasons: string[]): Priced {
    return { lines: [], notEstimated: reasons };
}

function missingClass(kind: string, cls: string): string {
    return `${kind} ${cls} is missing from the price table; add it to tools/plan/prices/ (see docs/cost.md)`;
}

/** The launch template a node group refers to, found through its property dependencies. */
function launchTemplateOf(res: NormalisedResource, ctx: Context): NormalisedResource | undefined {
    const urns = [...(res.propertyDependencies.launchTemplate ?? []), ...res.dependencies];
    for (const urn of urns) {
        const dep = ctx.resources.get(urn);
        if (dep?.type === LAUNCH_TEMPLATE) {
            return dep;
        }
    }
    return undefined;
}

function rootVolume(lt: NormalisedResource): { gb?: number; type?: string } {
    const mappings = lt.inputs.blockDeviceMappings;
    if (!Array.isArray(mappings)) {
        return {};
    }
    for (const m of mappings) {
        if (isRecord(m) && isRecord(m.ebs)) {
            return { gb: num(m.ebs.volumeSize), type: str(m.ebs.volumeType) };
        }
    }
    return {};
}

const priceNodeGroup: Pricer = (res, ctx) => {
    const p = ctx.prices;
    const scaling = isRecord(res.inputs.scalingConfig) ? res.inputs.scalingConfig : {};
    const desired = num(scaling.desiredSize);
    const lt = launchTemplateOf(res, ctx);
    const types = Array.isArray(res.inputs.instanceTypes) ? res.inputs.instanceTypes.map(str) : [];
    const instanceType =
        types[0] ?? (lt ? str(lt.inputs.instanceType) : undefined) ?? (lt ? undefined : p.ec2.eksDefaultInstanceType);
    const notes: string[] = ["EBS snapshots and data transfer are usage"];
    if (desired === undefined) {
        return only("desired node count is not known from the inputs", ...notes);
    }
    if (!instanceType) {
        return only("instance type is not known from the inputs", ...notes);
    }
    const rate = p.ec2.instancePerHour[instanceType];
    if (rate === undefined) {
        return only(missingClass("EC2 instance type", instanceType), ...notes);
    }
    const spot = str(res.inputs.capacityType) === "SPOT";
    let factor = 1;
    let spotNote = "";
    if (spot) {
        if (p.spot.rule === "discount" && typeof p.spot.discountFactor === "number") {
            factor = p.spot.discountFactor;
            spotNote = ` (spot, ${Math.round(factor * 100)}% of on-demand)`;
        } else {
            spotNote = " (spot, priced at on-demand: upper bound)";
        }
    }
    const lines: Priced["lines"] = [
        { description: `${desired} × ${instanceType} node${spotNote}`, monthlyUsd: desired * hourly(rate, ctx) * factor },
    ];
    let gb: number | undefined;
    let volumeType: string | undefined;
    if (lt) {
        ({ gb, type: volumeType } = rootVolume(lt));
        volumeType = volumeType ?? "gp2";
    } else {
        gb = num(res.inputs.diskSize) ?? p.ec2.eksDefaultDiskGb;
        volumeType = p.ec2.eksDefaultVolumeType;
    }
    if (gb === undefined) {
        notes.unshift("root volume size comes from the AMI (not set in the launch template)");
    } else if (p.ec2.ebsPerGbMonth[volumeType] === undefined) {
        notes.unshift(`EBS volume type ${volumeType} is missing from the price table`);
    } else {
        lines.push({
            description: `${desired} × ${gb} GB ${volumeType} root volume`,
            monthlyUsd: desired * gb * p.ec2.ebsPerGbMonth[volumeType],
        });
    }
    return priced(lines, notes);
};

const priceEc2Instance: Pricer = (res, ctx) => {
    const type = str(res.inputs.instanceType);
    if (!type) {
        return only("instance type is not known from the inputs");
    }
    const rate = ctx.prices.ec2.instancePerHour[type];
    if (rate === undefined) {
        return only(missingClass("EC2 instance type", type));
    }
    return priced(
        [{ description: `${type} instance`, monthlyUsd: hourly(rate, ctx) }],
        ["root and data volumes (size from the AMI) and data transfer"],
    );
};

const priceRds: Pricer = (res, ctx) => {
    const p = ctx.prices.rds;
    const engine = str(res.inputs.engine) ?? "postgres";
    const cls = str(res.inputs.instanceClass);
    const multiAz = res.inputs.multiAz === true;
    const factor = multiAz ? p.multiAzFactor : 1;
    const az = multiAz ? "Multi-AZ" : "Single-AZ";
    const notes: string[] = ["backup storage beyond the database size, snapshot exports and data transfer are usage"];
    const lines: Priced["lines"] = [];
    const engineTable = p.instancePerHour[engine];
    if (!engineTable) {
        notes.unshift(`engine ${engine} is missing from the price table`);
    } else if (!cls) {
        notes.unshift("instance class is not known from the inputs");
    } else if (engineTable[cls] === undefined) {
        notes.unshift(missingClass(`RDS ${engine} instance class`, cls));
    } else {
        lines.push({ description: `${cls} ${engine} ${az}`, monthlyUsd: hourly(engineTable[cls], ctx) * factor });
    }
    const gb = num(res.inputs.allocatedStorage);
    const storageType = str(res.inputs.storageType) ?? "gp2";
    if (gb !== undefined) {
        const rate = p.storagePerGbMonth[storageType];
        if (rate === undefined) {
            notes.unshift(`storage type ${storageType} is missing from the price table`);
        } else {
            lines.push({ description: `${gb} GB ${storageType} storage ${az}`, monthlyUsd: gb * rate * factor });
        }
        if (num(res.inputs.iops) !== undefined || num(res.inputs.storageThroughput) !== undefined) {
            notes.push("provisioned IOPS/throughput above the storage baseline are not in the price table");
        }
    } else if (!str(res.inputs.replicateSourceDb)) {
        notes.unshift("allocated storage is not known from the inputs");
    }
    if (num(res.inputs.maxAllocatedStorage) !== undefined) {
        notes.push("storage autoscaling growth above the allocated size is usage");
    }
    const piRetention = num(res.inputs.performanceInsightsRetentionPeriod);
    if (
        res.inputs.performanceInsightsEnabled === true &&
        piRetention !== undefined &&
        piRetention > p.performanceInsightsFreeRetentionDays
    ) {
        notes.push(
            `Performance Insights retention of ${piRetention} days exceeds the free ${p.performanceInsightsFreeRetentionDays} days and is billed per vCPU`,
        );
    }
    const monitoring = num(res.inputs.monitoringInterval);
    if (monitoring !== undefined && monitoring > 0) {
        notes.push("enhanced monitoring is billed as CloudWatch Logs ingestion (usage)");
    }
    return priced(lines, notes);
};

/** Node count of a replication group: numCacheClusters, or (replicasPerNodeGroup + 1) × numNodeGroups. */
export function cacheNodeCount(inputs: Record<string, unknown>): number {
    const clusters = num(inputs.numCacheClusters);
    if (clusters !== undefined) {
        return clusters;
    }
    const groups = num(inputs.numNodeGroups);
    const replicas = num(inputs.replicasPerNodeGroup);
    if (groups !== undefined || replicas !== undefined) {
        return ((replicas ?? 0) + 1) * (groups ?? 1);
    }
    return 1;
}

const priceElastiCache: Pricer = (res, ctx) => {
    const p = ctx.prices.elasticache;
    const nodeType = str(res.inputs.nodeType);
    const engine = str(res.inputs.engine) ?? "redis";
    const notes = ["snapshot storage beyond the free copy and data transfer are usage"];
    if (!nodeType) {
        return only("node type is not known from the inputs", ...notes);
    }
    const rate = p.nodePerHour[nodeType];
    if (rate === undefined) {
        return only(missingClass("ElastiCache node type", nodeType), ...notes);
    }
    const factor = p.engineFactor[engine];
    if (factor === undefined) {
        return only(`engine ${engine} is missing from the price table`, ...notes);
    }
    const count = cacheNodeCount(res.inputs);
    return priced(
        [{ description: `${count} × ${nodeType} ${engine} node`, monthlyUsd: count * hourly(rate, ctx) * factor }],
        notes,
    );
};

const priceEks: Pricer = (res, ctx) => {
    const notes: string[] = [];
    const upgrade = isRecord(res.inputs.upgradePolicy) ? res.inputs.upgradePolicy : {};
    if (str(upgrade.supportType) === "EXTENDED") {
        notes.push(
            `extended support ($${ctx.prices.eks.extendedSupportPerHour}/h instead of $${ctx.prices.eks.controlPlanePerHour}/h) applies once the Kubernetes version leaves standard support`,
        );
    }
    return priced(
        [{ description: "EKS control plane (standard support)", monthlyUsd: hourly(ctx.prices.eks.controlPlanePerHour, ctx) }],
        notes,
    );
};

const priceNat: Pricer = (_res, ctx) =>
    priced(
        [{ description: "NAT gateway hours", monthlyUsd: hourly(ctx.prices.vpc.natGatewayPerHour, ctx) }],
        ["data processed per GB is usage"],
    );

const priceEip: Pricer = (_res, ctx) =>
    priced([{ description: "public IPv4 address hours", monthlyUsd: hourly(ctx.prices.ec2.publicIpv4PerHour, ctx) }]);

const priceVpcEndpoint: Pricer = (res, ctx) => {
    const kind = str(res.inputs.vpcEndpointType) ?? "Gateway";
    if (kind !== "Interface") {
        return only();
    }
    const subnets = Array.isArray(res.inputs.subnetIds) ? res.inputs.subnetIds.length : 0;
    if (subnets === 0) {
        return only(
            "number of endpoint network interfaces (subnets) is not known from the inputs",
            "data processed per GB is usage",
        );
    }
    return priced(
        [
            {
                description: `interface endpoint in ${subnets} AZ${subnets === 1 ? "" : "s"}`,
                monthlyUsd: subnets * hourly(ctx.prices.vpc.interfaceEndpointPerAzHour, ctx),
            },
        ],
        ["data processed per GB is usage"],
    );
};

const priceLoadBalancer: Pricer = (res, ctx) => {
    const kind = str(res.inputs.loadBalancerType) ?? "application";
    if (kind === "application") {
        return priced([{ description: "ALB hours", monthlyUsd: hourly(ctx.prices.elb.albPerHour, ctx) }], ["LCU usage"]);
    }
    if (kind === "network") {
        return priced([{ description: "NLB hours", monthlyUsd: hourly(ctx.prices.elb.nlbPerHour, ctx) }], ["NLCU usage"]);
    }
    return only(`load balancer type ${kind} is missing from the price table`);
};

function annotations(res: NormalisedResource): Record<string, unknown> {
    const meta = isRecord(res.inputs.metadata) ? res.inputs.metadata : {};
    return isRecord(meta.annotations) ? meta.annotations : {};
}

/**
 * One ALB per Ingress of class `alb` (or without a class, served by the controller's default
 * IngressClass): the AWS Load Balancer Controller creates it, so it is no Pulumi resource. Ingresses
 * sharing `alb.ingress.kubernetes.io/group.name` share one ALB, priced on the first of them.
 */
const priceIngress: Pricer = (res, ctx) => {
    const spec = isRecord(res.inputs.spec) ? res.inputs.spec : {};
    const cls = str(spec.ingressClassName) ?? str(annotations(res)["kubernetes.io/ingress.class"]);
    if (cls !== undefined && cls !== "alb") {
        return only();
    }
    const group = str(annotations(res)[ALB_GROUP_ANNOTATION]);
    if (group !== undefined) {
        const members = ctx.albGroups.get(group) ?? [];
        if (members[0] !== res.urn) {
            return only(`shares the ALB of Ingress group ${group} (priced on ${urnName(members[0] ?? "")})`);
        }
        return priced(
            [
                {
                    description: `ALB hours (AWS Load Balancer Controller, Ingress group ${group}: ${members.length} Ingress${members.length === 1 ? "" : "es"})`,
                    monthlyUsd: hourly(ctx.prices.elb.albPerHour, ctx),
                },
            ],
            ["LCU usage"],
        );
    }
    return priced(
        [
            {
                description: "ALB hours (created by the AWS Load Balancer Controller)",
                monthlyUsd: hourly(ctx.prices.elb.albPerHour, ctx),
            },
        ],
        ["LCU usage"],
    );
};

/** Services of type LoadBalancer handled by the AWS Load Balancer Controller become NLBs. */
const priceService: Pricer = (res, ctx) => {
    const spec = isRecord(res.inputs.spec) ? res.inputs.spec : {};
    if (str(spec.type) !== "LoadBalancer") {
        return only();
    }
    const lbType = str(annotations(res)["service.beta.kubernetes.io/aws-load-balancer-type"]);
    if (
        str(spec.loadBalancerClass) === "service.k8s.aws/nlb" ||
        lbType === "external" ||
        lbType === "nlb" ||
        lbType === "nlb-ip"
    ) {
        return priced(
            [
                {
                    description: "NLB hours (created by the AWS Load Balancer Controller)",
                    monthlyUsd: hourly(ctx.prices.elb.nlbPerHour, ctx),
                },
            ],
            ["NLCU usage"],
        );
    }
    return only("the kind of load balancer depends on the cluster's service controller; not priced");
};

const priceSecret: Pricer = (res, ctx) => {
    const replicas = Array.isArray(res.inputs.replicas) ? res.inputs.replicas.length : 0;
    const n = 1 + replicas;
    return priced(
        [
            {
                description: replicas > 0 ? `secret + ${replicas} replica${replicas === 1 ? "" : "s"}` : "secret",
                monthlyUsd: n * ctx.prices.secretsManager.secretPerMonth,
            },
        ],
        ["API calls are usage"],
    );
};

const priceKmsKey: Pricer = (res, ctx) => {
    const notes = ["requests are usage"];
    if (res.inputs.enableKeyRotation === true) {
        notes.push("each of the first two automatic rotations adds one key-month from the rotation on");
    }
    return priced([{ description: "customer managed key", monthlyUsd: ctx.prices.kms.keyPerMonth }], notes);
};

function alarmMetricCount(inputs: Record<string, unknown>, ctx: Context): { metrics: number; highRes: boolean; what: string } {
    const cw = ctx.prices.cloudwatch;
    const periods: number[] = [];
    const period = num(inputs.period);
    if (period !== undefined) {
        periods.push(period);
    }
    let metrics = 0;
    let anomaly = false;
    if (Array.isArray(inputs.metricQueries) && inputs.metricQueries.length > 0) {
        for (const q of inputs.metricQueries) {
            if (!isRecord(q)) {
                continue;
            }
            if (isRecord(q.metric)) {
                metrics++;
                const p = num(q.metric.period);
                if (p !== undefined) {
                    periods.push(p);
                }
            }
            if (typeof q.expression === "string" && q.expression.includes("ANOMALY_DETECTION_BAND")) {
                anomaly = true;
            }
        }
    } else {
        metrics = 1;
    }
    if (anomaly) {
        metrics *= cw.anomalyDetectionMetricsPerAlarmMetric;
    }
    const highRes = periods.some((p) => p < 60);
    const what = `${highRes ? "high-resolution" : "standard"} alarm, ${metrics} metric${metrics === 1 ? "" : "s"}${anomaly ? " (anomaly detection)" : ""}`;
    return { metrics, highRes, what };
}

const priceMetricAlarm: Pricer = (res, ctx) => {
    const cw = ctx.prices.cloudwatch;
    const { metrics, highRes, what } = alarmMetricCount(res.inputs, ctx);
    const rate = highRes ? cw.highResolutionAlarmMetricPerMonth : cw.standardAlarmMetricPerMonth;
    return priced([{ description: what, monthlyUsd: metrics * rate }]);
};

const priceCompositeAlarm: Pricer = (_res, ctx) =>
    priced([{ description: "composite alarm", monthlyUsd: ctx.prices.cloudwatch.compositeAlarmPerMonth }]);

/** Managed rule groups that carry a subscription and per-request fee on top of the rule price. */
const PREMIUM_WAF_GROUPS = ["AWSManagedRulesBotControlRuleSet", "AWSManagedRulesATPRuleSet", "AWSManagedRulesACFPRuleSet"];

const priceWebAcl: Pricer = (res, ctx) => {
    const rules = Array.isArray(res.inputs.rules) ? res.inputs.rules : [];
    const notes = ["requests are usage"];
    const text = JSON.stringify(rules);
    for (const group of PREMIUM_WAF_GROUPS) {
        if (text.includes(group)) {
            notes.push(`${group} adds a subscription and per-request fee not in the price table`);
        }
    }
    const w = ctx.prices.waf;
    return priced(
        [
            {
                description: `web ACL + ${rules.length} rule${rules.length === 1 ? "" : "s"}`,
                monthlyUsd: w.webAclPerMonth + rules.length * w.rulePerMonth,
            },
        ],
        notes,
    );
};

const priceHostedZone: Pricer = (_res, ctx) =>
    priced([{ description: "hosted zone", monthlyUsd: ctx.prices.route53.hostedZonePerMonth }], ["DNS queries are usage"]);

/**
 * Route 53 health checks: calculated and CloudWatch-metric checks at the AWS-endpoint rate; endpoint
 * checks at the non-AWS rate (the inputs cannot tell whether the target is an AWS resource of this
 * account, so the higher rate is the safe bound), plus each optional feature: HTTPS, string matching,
 * fast interval, latency measurement.
 */
const priceHealthCheck: Pricer = (res, ctx) => {
    const hc = ctx.prices.route53.healthCheck;
    const type = str(res.inputs.type) ?? "HTTP";
    if (type === "CALCULATED" || type === "CLOUDWATCH_METRIC" || type === "RECOVERY_CONTROL") {
        return priced([{ description: `${type} health check`, monthlyUsd: hc.awsEndpointPerMonth }]);
    }
    const features: string[] = [];
    if (type.startsWith("HTTPS")) {
        features.push("HTTPS");
    }
    if (type.endsWith("_STR_MATCH")) {
        features.push("string matching");
    }
    if (num(res.inputs.requestInterval) === 10) {
        features.push("fast interval");
    }
    if (res.inputs.measureLatency === true) {
        features.push("latency measurement");
    }
    const extra = features.length > 0 ? ` + ${features.join(", ")}` : "";
    return priced([
        {
            description: `endpoint health check (non-AWS endpoint rate)${extra}`,
            monthlyUsd: hc.otherEndpointPerMonth + features.length * hc.otherEndpointFeaturePerMonth,
        },
    ]);
};

const usage =
    (reason: string): Pricer =>
    () =>
        only(reason);

/** Pricing rules per resource type. Types absent here are free or not recognised. */
export const PRICERS: Record<string, Pricer> = {
    "aws:eks/cluster:Cluster": priceEks,
    "aws:eks/nodeGroup:NodeGroup": priceNodeGroup,
    "aws:ec2/instance:Instance": priceEc2Instance,
    "aws:ec2/natGateway:NatGateway": priceNat,
    "aws:ec2/eip:Eip": priceEip,
    "aws:ec2/vpcEndpoint:VpcEndpoint": priceVpcEndpoint,
    "aws:rds/instance:Instance": priceRds,
    "aws:elasticache/replicationGroup:ReplicationGroup": priceElastiCache,
    "aws:lb/loadBalancer:LoadBalancer": priceLoadBalancer,
    "aws:alb/loadBalancer:LoadBalancer": priceLoadBalancer,
    [INGRESS]: priceIngress,
    [SERVICE]: priceService,
    "aws:secretsmanager/secret:Secret": priceSecret,
    "aws:kms/key:Key": priceKmsKey,
    "aws:kms/replicaKey:ReplicaKey": priceKmsKey,
    "aws:cloudwatch/metricAlarm:MetricAlarm": priceMetricAlarm,
    "aws:cloudwatch/compositeAlarm:CompositeAlarm": priceCompositeAlarm,
    "aws:wafv2/webAcl:WebAcl": priceWebAcl,
    "aws:route53/zone:Zone": priceHostedZone,
    "aws:route53/healthCheck:HealthCheck": priceHealthCheck,
    "aws:cloudfront/distribution:Distribution": usage("requests and data transfer out are usage; no monthly fee"),
    "aws:s3/bucket:Bucket": usage("storage, requests and transfer are usage (bucket size unknown)"),
    "aws:s3/bucketV2:BucketV2": usage("storage, requests and transfer are usage (bucket size unknown)"),
    "aws:cloudwatch/logGroup:LogGroup": usage("ingestion per GB and storage per GB-month are usage"),
    "aws:backup/vault:Vault": usage("backup storage (GB-month), cross-region copies and restores are usage"),
    "aws:backup/restoreTestingPlan:RestoreTestingPlan": usage("restore jobs and the restored resources while they run are usage"),
    "aws:cloudtrail/trail:Trail": usage(
        "the first copy of management events is free; data events, Insights and further copies are billed per event",
    ),
    "aws:guardduty/detector:Detector": usage("billed by analysed events and data volume"),
    "aws:ecr/repository:Repository": usage("image storage per GB-month and data transfer are usage"),
    "aws:sns/topic:Topic": usage("publishes and deliveries are usage"),
    // DEP-1: the deploy runner costs per build minute of each deploy, preview and drift job; nothing idles.
    "aws:codebuild/project:Project": usage("build minutes of the deploy runner's jobs are usage; no monthly fee"),
    "aws:lambda/function:Function": usage("requests and duration are usage"),
    "aws:ec2/flowLog:FlowLog": usage("log delivery per GB is usage"),
};

/** Collects Ingress groups so that Ingresses sharing one ALB are priced once. */
function albGroups(resources: Map<string, NormalisedResource>): Map<string, string[]> {
    const groups = new Map<string, string[]>();
    for (const res of resources.values()) {
        if (res.type !== INGRESS) {
            continue;
        }
        const group = str(annotations(res)[ALB_GROUP_ANNOTATION]);
        if (group !== undefined) {
            groups.set(group, [...(groups.get(group) ?? []), res.urn]);
        }
    }
    return groups;
}

/** Reasons that mean "this has a fixed price we could not compute", as opposed to usage-based charges. */
const UNPRICED = /missing from the price table|is not known from the inputs|no price table for region|price table \(.*\) has no /;

/** Options of `estimateCost`. */
export interface CostOptions {
    /** Price tables by region (default: every table of tools/plan/prices/, plus `prices`). */
    tables?: Record<string, PriceTable>;
    /** Region of resources without an explicit provider (the stack's `aws:region`; default: the table's region). */
    defaultRegion?: string;
    /** The moment the estimate is made, for the age of the price tables (default: now). */
    now?: Date;
}

/** A price table older than this many days is flagged in every printout (docs/cost.md). */
export const PRICE_TABLE_MAX_AGE_DAYS = 180;

/** Whole days from the table's `asOf` date to `now`. */
export function priceTableAgeDays(table: Pick<PriceTable, "asOf">, now: Date): number {
    return Math.max(0, Math.floor((now.getTime() - Date.parse(`${table.asOf}T00:00:00Z`)) / 86_400_000));
}

/** A figure a region's table does not have (the table is partial: only what could be justified for that region). */
export class MissingPrice extends Error {
    constructor(readonly figure: string) {
        super(`missing price figure ${figure}`);
        this.name = "MissingPrice";
    }
}

/** Maps looked up by a key the inputs choose (class, volume type, engine): a missing key is an expected answer. */
const LOOKUP_MAPS = new Set(["instancePerHour", "nodePerHour", "ebsPerGbMonth", "storagePerGbMonth", "engineFactor", "sources"]);

/**
 * The table as the pricers see it: reading a figure the table lacks throws MissingPrice (caught per resource and
 * reported as not priced), so a partial regional table can never yield `undefined` arithmetic or another region's rate.
 */
export function guardTable<T extends object>(table: T, prefix = ""): T {
    return new Proxy(table, {
        get(target, key, receiver) {
            if (typeof key !== "string") return Reflect.get(target, key, receiver);
            const figure = prefix ? `${prefix}.${key}` : key;
            if (!(key in target)) {
                if (key === "toJSON" || key === "then") return undefined;
                throw new MissingPrice(figure);
            }
            const value = Reflect.get(target, key, receiver) as unknown;
            if (value !== null && typeof value === "object" && !Array.isArray(value) && !LOOKUP_MAPS.has(key))
                return guardTable(value as object, figure);
            return value;
        },
    });
}

/** The region of a resource: its explicit provider's `region` input, else the default region. */
function regionOf(res: NormalisedResource, resources: Map<string, NormalisedResource>, fallback: string): string {
    if (res.provider) {
        const providerUrn = res.provider.slice(0, res.provider.lastIndexOf("::"));
        const provider = resources.get(providerUrn);
        const region = provider ? str(provider.inputs.region) : undefined;
        if (region) {
            return region;
        }
    }
    return fallback;
}

/** The top-level component a resource belongs to: `<Type> <name>` of its outermost component ancestor. */
export function componentOf(res: NormalisedResource, resources: Map<string, NormalisedResource>): string {
    let top: NormalisedResource | undefined;
    let cur: NormalisedResource | undefined = res;
    const seen = new Set<string>();
    while (cur && !seen.has(cur.urn)) {
        seen.add(cur.urn);
        if (!cur.custom) {
            top = cur;
        }
        cur = cur.parent ? resources.get(cur.parent) : undefined;
    }
    if (!top) {
        return "(stack)";
    }
    return `${top.type.split(":").pop()} ${urnName(top.urn)}`;
}

/**
 * Estimates the monthly cost of every resource of `doc` that can be priced from its inputs (CI-2), each at the
 * prices of its own region (the region of its provider). Fixed charges that cannot be priced (an instance class
 * or a region missing from the tables) are listed in `unpriced` and mark the total as partial; usage-based
 * charges are listed in `notEstimated`.
 */
export function estimateCost(doc: PlanDocument, prices: PriceTable = defaultPrices, options: CostOptions = {}): CostEstimate {
    const plan = normalisePlan(doc);
    const tables: Record<string, PriceTable> = { ...(options.tables ?? loadPriceTables()), [prices.region]: prices };
    const fallback = options.defaultRegion ?? prices.region;
    const groups = albGroups(plan.resources);
    const resources: CostLine[] = [];
    const notEstimated: CostEstimate["notEstimated"] = [];
    const unpriced: NonNullable<CostEstimate["unpriced"]> = [];
    const used: Record<string, string> = {};
    const ages: Record<string, number> = {};
    const now = options.now ?? new Date();
    for (const res of plan.resources.values()) {
        const pricer = PRICERS[res.type];
        if (!pricer || !res.custom) {
            continue;
        }
        const region = regionOf(res, plan.resources, fallback);
        const table = tables[region];
        const component = componentOf(res, plan.resources);
        // Without a table for the region, price with the default table only to tell fixed from usage charges.
        let result: Priced;
        try {
            result = pricer(res, { prices: guardTable(table ?? prices), resources: plan.resources, albGroups: groups });
        } catch (e) {
            if (!(e instanceof MissingPrice) || !table) throw e;
            // A partial regional table: the resource is flagged, never priced at another region's rates.
            unpriced.push({
                urn: res.urn,
                type: res.type,
                region,
                reason: `the ${region} price table (${table.version}, as of ${table.asOf}) has no ${e.figure}; build it from the ${region} offer files with npm run prices (docs/cost.md)`,
            });
            continue;
        }
        if (!table) {
            if (result.lines.length > 0) {
                unpriced.push({
                    urn: res.urn,
                    type: res.type,
                    region,
                    reason: `no price table for region ${region} (${result.lines.map((l) => l.description).join("; ")}); add tools/plan/prices/aws-${region}.json with npm run prices (docs/cost.md)`,
                });
            }
        } else {
            used[region] = `${region} ${table.version} (as of ${table.asOf})`;
            ages[region] = priceTableAgeDays(table, now);
            for (const line of result.lines) {
                resources.push({
                    urn: res.urn,
                    type: res.type,
                    description: line.description,
                    monthlyUsd: cents(line.monthlyUsd),
                    region,
                    component,
                });
            }
        }
        for (const reason of result.notEstimated) {
            if (UNPRICED.test(reason)) {
                if (table) {
                    unpriced.push({ urn: res.urn, type: res.type, region, reason });
                }
            } else {
                notEstimated.push({ urn: res.urn, type: res.type, reason });
            }
        }
    }
    if (!plan.complete) {
        notEstimated.push({
            urn: "",
            type: "pulumi:pulumi:Stack",
            reason: "the document lists changed resources only; unchanged ones are not priced (pulumi preview --json --show-sames)",
        });
    }
    const total = cents(resources.reduce((sum, line) => sum + line.monthlyUsd, 0));
    return {
        currency: "USD",
        region: prices.region,
        priceTable: `${prices.region} ${prices.version} (as of ${prices.asOf})`,
        priceTables: used,
        priceTableAgeDays: ages,
        monthlyUsd: total,
        partial: unpriced.length > 0,
        resources,
        notEstimated,
        unpriced,
    };
}

/** The price tables used, each with its version, as-of date and age: `us-east-1 2024-06.1 (as of 2024-06-01, 914 days old)`. */
export function priceTablesText(estimate: CostEstimate): string {
    const tables = estimate.priceTables ?? {};
    const regions = Object.keys(tables).sort();
    if (regions.length === 0) return estimate.priceTable;
    return regions
        .map((r) => {
            const age = estimate.priceTableAgeDays?.[r];
            return age === undefined ? tables[r] : tables[r].replace(/\)$/, `, ${age} days old)`);
        })
        .join("; ");
}

/** A warning line when a price table used is older than PRICE_TABLE_MAX_AGE_DAYS, else undefined. */
export function stalePriceWarning(estimate: CostEstimate): string | undefined {
    const old = Object.entries(estimate.priceTableAgeDays ?? {}).filter(([, days]) => days > PRICE_TABLE_MAX_AGE_DAYS);
    if (old.length === 0) return undefined;
    return `Warning: price tables older than ${PRICE_TABLE_MAX_AGE_DAYS} days (${old.map(([r, d]) => `${r}: ${d} days`).join(", ")}); refresh them with npm run prices (docs/cost.md)`;
}

/** true when fixed charges could not be priced: the total leaves them out. */
export function isPartial(estimate: CostEstimate): boolean {
    return (estimate.unpriced ?? []).length > 0;
}

/** Cost lines grouped by component: groups by subtotal (highest first), lines by cost then name. */
export function groupCost(estimate: CostEstimate): { component: string; monthlyUsd: number; lines: CostLine[] }[] {
    const groups = new Map<string, CostLine[]>();
    for (const line of estimate.resources) {
        const key = line.component ?? "(stack)";
        groups.set(key, [...(groups.get(key) ?? []), line]);
    }
    return [...groups.entries()]
        .map(([component, lines]) => ({
            component,
            monthlyUsd: cents(lines.reduce((n, l) => n + l.monthlyUsd, 0)),
            lines: [...lines].sort(
                (a, b) =>
                    b.monthlyUsd - a.monthlyUsd ||
                    urnName(a.urn).localeCompare(urnName(b.urn)) ||
                    a.description.localeCompare(b.description),
            ),
        }))
        .sort((a, b) => b.monthlyUsd - a.monthlyUsd || a.component.localeCompare(b.component));
}

/** Instance classes the document uses (node groups, launch templates, instances, RDS, ElastiCache). */
function instanceClassesUsed(doc: PlanDocument): { cls: string; known: (p: PriceTable) => boolean }[] {
    const out: { cls: string; known: (p: PriceTable) => boolean }[] = [];
    const ec2 = (cls: string) => ({ cls, known: (p: PriceTable) => p.ec2.instancePerHour[cls] !== undefined });
    for (const res of normalisePlan(doc).resources.values()) {
        const i = res.inputs;
        switch (res.type) {
            case "aws:eks/nodeGroup:NodeGroup":
                for (const t of Array.isArray(i.instanceTypes) ? i.instanceTypes : []) {
                    const cls = str(t);
                    if (cls) {
                        out.push(ec2(cls));
                    }
                }
                break;
            case LAUNCH_TEMPLATE:
            case "aws:ec2/instance:Instance": {
                const cls = str(i.instanceType);
                if (cls) {
                    out.push(ec2(cls));
                }
                break;
            }
            case "aws:rds/instance:Instance": {
                const cls = str(i.instanceClass);
                const engine = str(i.engine) ?? "postgres";
                if (cls) {
                    out.push({ cls, known: (p) => p.rds.instancePerHour[engine]?.[cls] !== undefined });
                }
                break;
            }
            case "aws:elasticache/replicationGroup:ReplicationGroup": {
                const cls = str(i.nodeType);
                if (cls) {
                    out.push({ cls, known: (p) => p.elasticache.nodePerHour[cls] !== undefined });
                }
                break;
            }
            default:
                break;
        }
    }
    return out;
}

/** Instance classes used by the document and missing from the price table, sorted (CI-2). */
export function unpricedInstanceClasses(doc: PlanDocument, prices: PriceTable = defaultPrices): string[] {
    const missing = new Set<string>();
    for (const { cls, known } of instanceClassesUsed(doc)) {
        if (!known(prices)) {
            missing.add(cls);
        }
    }
    return [...missing].sort();
}

function pad(text: string, width: number): string {
    return text + " ".repeat(Math.max(0, width - text.length));
}

function shortType(type: string): string {
    const parts = type.split(":");
    return parts.length === 3 ? `${parts[0]}:${parts[1]}` : type;
}

/**
 * The per-stack cost table of the printout (CI-2): rows grouped by component (highest subtotal first) and sorted,
 * then the unpriced items (the total is partial when there are any), then a count of the usage-based charges.
 */
export function formatCost(estimate: CostEstimate): string {
    const rows: string[][] = [];
    for (const group of groupCost(estimate)) {
        rows.push([group.component, "", "", group.monthlyUsd.toFixed(2)]);
        for (const line of group.lines) {
            rows.push([
                `  ${shortType(line.type)} ${urnName(line.urn)}`,
                line.description,
                line.region ?? estimate.region,
                line.monthlyUsd.toFixed(2),
            ]);
        }
    }
    const header = ["COMPONENT / RESOURCE", "WHAT", "REGION", `MONTHLY ${estimate.currency}`];
    const partial = isPartial(estimate);
    const total = [partial ? "TOTAL (partial)" : "TOTAL", "", "", estimate.monthlyUsd.toFixed(2)];
    const all = [header, ...rows, total];
    const w = [0, 1, 2, 3].map((i) => Math.max(...all.map((r) => r[i].length)));
    const render = (r: string[]): string =>
        `  ${pad(r[0], w[0])}  ${pad(r[1], w[1])}  ${pad(r[2], w[2])}  ${" ".repeat(w[3] - r[3].length)}${r[3]}`;
    const rule = `  ${"=".repeat(w[0] + w[1] + w[2] + w[3] + 6)}`;
    const lines = [`Estimated monthly cost (${estimate.currency}, prices ${priceTablesText(estimate)}, 730 hours/month)`];
    const stale = stalePriceWarning(estimate);
    if (stale) lines.push(stale);
    lines.push(render(header), rule, ...rows.map(render), rule, render(total));
    if (partial) {
        lines.push(
            "",
            `Not priced (${estimate.unpriced!.length}; fixed charges missing from the price tables, so the total is partial):`,
        );
        for (const u of estimate.unpriced!) {
            lines.push(`  ${shortType(u.type)} ${urnName(u.urn)}: ${u.reason}`);
        }
    }
    if (estimate.notEstimated.length > 0) {
        lines.push(
            "",
            `Usage-based charges not estimated: ${estimate.notEstimated.length} (listed per resource in --json and --format markdown)`,
        );
    }
    return lines.join("\n");
}
