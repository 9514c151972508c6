/**
 * `npm run prices -- --region <code> --offers <dir> [--base <table.json>] [--out <table.json>]`
 *
 * Builds a price table of tools/plan/prices/ (CI-2) for one region from AWS's public Price List bulk files
 * (the "offer files", one JSON per service and region), saved beforehand so the script runs offline:
 *
 *   curl -o offers/AmazonEC2.json https://pricing.us-east-1.amazonaws.com/offers/v1.0/aws/AmazonEC2/current/<region>/index.json
 *   (likewise AmazonRDS and AmazonElastiCache; AmazonEKS and AmazonVPC when present)
 *
 * From them it takes the on-demand rates of the region: every instance class the base table lists (EC2 Linux
 * shared tenancy, RDS PostgreSQL Single-AZ, ElastiCache per node), EBS and RDS storage per GB-month, the NAT
 * gateway, public IPv4, ALB and NLB hours (AmazonEC2/AmazonRDS/AmazonElastiCache), the EKS control plane and
 * extended-support hours (AmazonEKS) and the interface endpoint hour (AmazonVPC). Only figures AWS lists at one
 * price for every region (KMS keys, Secrets Manager secrets, Route 53, WAF) and rules that are not prices (730
 * hours a month, the Multi-AZ factor, the EKS node defaults) come from the base table; every other figure of the
 * base table is left out, so a resource that needs it is flagged as not priced rather than priced at another
 * region's rate. The table records the region, the offer files' publication date as `asOf`, their URLs as
 * sources, and which figures are missing; it fails (exit 2) on an offer file for another region or a class the
 * files do not price. See docs/cost.md.
 */
import * as fs from "fs";
import * as path from "path";
import { CliUsageError, FlagSpecs, parseFlags, usageText } from "../../cli-args";
import type { PriceTable } from "../cost";

const FLAGS: FlagSpecs = {
    region: { type: "string", value: "<code>", description: "AWS region code of the offer files, e.g. us-west-2" },
    offers: { type: "string", value: "<dir>", description: "directory with AmazonEC2.json, AmazonRDS.json, AmazonElastiCache.json (and AmazonEKS.json, AmazonVPC.json)" },
    base: { type: "string", value: "<file>", description: "table whose classes to price and region-independent figures to keep (default: aws-us-east-1.json)" },
    out: { type: "string", value: "<file>", description: "where to write (default: tools/plan/prices/aws-<region>.json)" },
};

const OFFER_URL = (service: string, region: string) => `https://pricing.us-east-1.amazonaws.com/offers/v1.0/aws/${service}/current/${region}/index.json`;

interface Offer {
    offerCode: string;
    /** The offer file's version, e.g. `20261120000000`. */
    version?: string;
    publicationDate: string;
    products: Record<string, { productFamily?: string; attributes: Record<string, string> }>;
    terms: { OnDemand: Record<string, Record<string, { priceDimensions: Record<string, { unit: string; pricePerUnit: { USD: string } }> }>> };
}

function readOffer(dir: string, service: string, region: string): Offer {
    const file = path.join(dir, `${service}.json`);
    let offer: Offer;
    try {
        offer = JSON.parse(fs.readFileSync(file, "utf8")) as Offer;
    } catch (e) {
        throw new CliUsageError(`${file}: expected the ${service} offer file (${(e as Error).message.split("\n")[0]})`);
    }
    if (offer.offerCode !== service || !offer.products || !offer.terms?.OnDemand) {
        throw new CliUsageError(`${file}: key "offerCode": expected ${service} with products and OnDemand terms`);
    }
    const regions = new Set(Object.values(offer.products).map((p) => p.attributes.regionCode).filter(Boolean));
    if (regions.size !== 1 || !regions.has(region)) {
        throw new CliUsageError(`${file}: the products are for ${[...regions].join(", ") || "no region"}; expected ${region}`);
    }
    return offer;
}

const HOURLY = /^(hrs?|hours?)$/i;
const GB_MONTH = /^gb-mo(nth)?$/i;

/** The single on-demand USD rate of a product in a unit matching `unit` (e.g. hours), or undefined. */
function onDemandRate(offer: Offer, sku: string, unit: RegExp): number | undefined {
    const terms = Object.values(offer.terms.OnDemand[sku] ?? {});
    for (const term of terms) {
        for (const dim of Object.values(term.priceDimensions)) {
            const usd = Number(dim.pricePerUnit.USD);
            if (unit.test(dim.unit) && Number.isFinite(usd) && usd > 0) return usd;
        }
    }
    return undefined;
}

type Product = { productFamily?: string; attributes: Record<string, string> };

/** The rate of the one product matching `match`; throws when none or several differ. */
function rateOf(offer: Offer, what: string, match: (p: Product) => boolean, unit: RegExp = HOURLY): number {
    const rates = new Set<number>();
    for (const [sku, product] of Object.entries(offer.products)) {
        if (!match(product)) continue;
        const rate = onDemandRate(offer, sku, unit);
        if (rate !== undefined) rates.add(rate);
    }
    if (rates.size !== 1) {
        throw new CliUsageError(`${offer.offerCode}: ${rates.size === 0 ? `no on-demand ${unit === HOURLY ? "hourly" : "GB-month"} rate` : `${rates.size} different rates`} for ${what}`);
    }
    return [...rates][0];
}

const usage = (suffix: string) => (p: Product) => (p.attributes.usagetype ?? "").endsWith(suffix);

/**
 * Figures AWS lists at one price for every commercial region, or rules that are not prices: taken from the base
 * table. Everything else must come from the region's offer files or stay out of the table.
 */
const REGION_INDEPENDENT = ["hoursPerMonth", "spot", "kms", "secretsManager", "route53", "waf"] as const;

/** A new table for `region` from the offer files in `offersDir`; the base table gives the classes to price. */
export function buildTable(base: PriceTable, region: string, offersDir: string): PriceTable {
    const ec2 = readOffer(offersDir, "AmazonEC2", region);
    const rds = readOffer(offersDir, "AmazonRDS", region);
    const cache = readOffer(offersDir, "AmazonElastiCache", region);
    const eks = fs.existsSync(path.join(offersDir, "AmazonEKS.json")) ? readOffer(offersDir, "AmazonEKS", region) : undefined;
    const vpc = fs.existsSync(path.join(offersDir, "AmazonVPC.json")) ? readOffer(offersDir, "AmazonVPC", region) : undefined;
    const table = { version: "", region, currency: base.currency, asOf: "" } as Record<string, unknown> & PriceTable;
    for (const key of REGION_INDEPENDENT) (table as Record<string, unknown>)[key] = JSON.parse(JSON.stringify(base[key]));

    const instancePerHour: Record<string, number> = {};
    for (const cls of Object.keys(base.ec2.instancePerHour)) {
        instancePerHour[cls] = rateOf(ec2, `EC2 ${cls}`, (p) =>
            p.productFamily === "Compute Instance" && p.attributes.instanceType === cls && p.attributes.operatingSystem === "Linux" &&
            p.attributes.tenancy === "Shared" && p.attributes.preInstalledSw === "NA" && p.attributes.capacitystatus === "Used");
    }
    const ebsPerGbMonth: Record<string, number> = {};
    for (const volume of Object.keys(base.ec2.ebsPerGbMonth)) {
        ebsPerGbMonth[volume] = rateOf(ec2, `EBS ${volume} storage`, (p) => p.productFamily === "Storage" && p.attributes.volumeApiName === volume, GB_MONTH);
    }
    table.ec2 = {
        instancePerHour,
        ebsPerGbMonth,
        eksDefaultDiskGb: base.ec2.eksDefaultDiskGb,
        eksDefaultInstanceType: base.ec2.eksDefaultInstanceType,
        eksDefaultVolumeType: base.ec2.eksDefaultVolumeType,
        publicIpv4PerHour: rateOf(ec2, "public IPv4 address hours", usage("PublicIPv4:InUseAddress")),
    };
    const natGatewayPerHour = rateOf(ec2, "NAT gateway hours", (p) => p.productFamily === "NAT Gateway" && usage("NatGateway-Hours")(p));
    table.elb = {
        albPerHour: rateOf(ec2, "ALB hours", (p) => p.productFamily === "Load Balancer-Application" && usage("LoadBalancerUsage")(p)),
        nlbPerHour: rateOf(ec2, "NLB hours", (p) => p.productFamily === "Load Balancer-Network" && usage("LoadBalancerUsage")(p)),
    };
    const rdsInstances: Record<string, Record<string, number>> = {};
    for (const [engine, classes] of Object.entries(base.rds.instancePerHour)) {
        const name = engine === "postgres" ? "PostgreSQL" : engine;
        rdsInstances[engine] = {};
        for (const cls of Object.keys(classes)) {
            rdsInstances[engine][cls] = rateOf(rds, `RDS ${engine} ${cls}`, (p) =>
                p.productFamily === "Database Instance" && p.attributes.instanceType === cls && p.attributes.databaseEngine === name && p.attributes.deploymentOption === "Single-AZ");
        }
    }
    const rdsVolume: Record<string, string> = { gp2: "General Purpose", gp3: "General Purpose-GP3" };
    const storagePerGbMonth: Record<string, number> = {};
    for (const volume of Object.keys(base.rds.storagePerGbMonth)) {
        if (!rdsVolume[volume]) throw new CliUsageError(`--base: key "rds.storagePerGbMonth.${volume}": expected gp2 or gp3`);
        storagePerGbMonth[volume] = rateOf(rds, `RDS ${volume} storage`, (p) =>
            p.productFamily === "Database Storage" && p.attributes.volumeType === rdsVolume[volume] && p.attributes.databaseEngine === "PostgreSQL" && p.attributes.deploymentOption === "Single-AZ", GB_MONTH);
    }
    table.rds = { instancePerHour: rdsInstances, storagePerGbMonth, multiAzFactor: base.rds.multiAzFactor, performanceInsightsFreeRetentionDays: base.rds.performanceInsightsFreeRetentionDays };
    const nodePerHour: Record<string, number> = {};
    for (const cls of Object.keys(base.elasticache.nodePerHour)) {
        nodePerHour[cls] = rateOf(cache, `ElastiCache ${cls}`, (p) => p.productFamily === "Cache Instance" && p.attributes.instanceType === cls && p.attributes.cacheEngine === "Redis");
    }
    table.elasticache = { nodePerHour, engineFactor: JSON.parse(JSON.stringify(base.elasticache.engineFactor)) };
    const missing: string[] = ["cloudwatch"];
    if (eks) {
        table.eks = {
            controlPlanePerHour: rateOf(eks, "EKS cluster hours", usage("AmazonEKS-Hours:perCluster")),
            extendedSupportPerHour: rateOf(eks, "EKS extended support hours", usage("AmazonEKS-Hours:extendedSupport")),
        };
    } else missing.push("eks");
    // A partial section is fine: the estimate flags a resource whose figure is missing (guardTable in cost.ts).
    table.vpc = { natGatewayPerHour } as PriceTable["vpc"];
    if (vpc) table.vpc.interfaceEndpointPerAzHour = rateOf(vpc, "interface endpoint hours", (p) => p.productFamily === "VpcEndpoint" && usage("VpcEndpoint-Hours")(p));
    else missing.push("vpc.interfaceEndpointPerAzHour");

    const offers = [ec2, rds, cache, eks, vpc].filter((o): o is Offer => o !== undefined);
    const dates = offers.map((o) => o.publicationDate.slice(0, 10)).sort();
    table.asOf = dates[0];
    table.version = `${dates[0].slice(0, 7)}.pricelist`;
    table.sources = Object.fromEntries(
        [
            ...REGION_INDEPENDENT.filter((k) => base.sources[k]).map((k) => [k, base.sources[k]] as [string, string]),
            ["ec2", OFFER_URL("AmazonEC2", region)], ["ebs", OFFER_URL("AmazonEC2", region)], ["publicIpv4", OFFER_URL("AmazonEC2", region)],
            ["elb", OFFER_URL("AmazonEC2", region)], ["rds", OFFER_URL("AmazonRDS", region)], ["elasticache", OFFER_URL("AmazonElastiCache", region)],
            ...(eks ? [["eks", OFFER_URL("AmazonEKS", region)] as [string, string]] : []),
            ...(vpc ? [["vpc", OFFER_URL("AmazonVPC", region)] as [string, string]] : []),
        ].sort(([a], [b]) => a.localeCompare(b)),
    );
    table.asOfNote =
        `On-demand rates for ${region} from the AWS Price List offer files ${offers.map((o) => o.offerCode).join(", ")} ` +
        `(publication dates ${[...new Set(dates)].join(", ")}), written by npm run prices. KMS, Secrets Manager, Route 53 and WAF are list prices ` +
        `that do not vary by region, from the ${base.region} table of ${base.asOf}. Not in this table (resources needing them are flagged as not priced): ${missing.join(", ")}.`;
    return table;
}

export function main(argv: string[], out: (s: string) => void, err: (s: string) => void): number {
    try {
        const parsed = parseFlags(argv, FLAGS);
        if (parsed.help) {
            out(usageText("npm run prices -- --region <code> --offers <dir> [flags]", "Builds a price table from saved AWS Price List offer files (CI-2).", FLAGS) + "\n");
            return 0;
        }
        const v = parsed.values as Record<string, string | undefined>;
        if (!v.region || !/^[a-z]{2}(-[a-z]+)+-\d$/.test(v.region)) throw new CliUsageError("--region: expected an AWS region code such as us-west-2");
        if (!v.offers) throw new CliUsageError("--offers is required: the directory with the saved offer files");
        const baseFile = v.base ?? path.join(__dirname, "aws-us-east-1.json");
        const base = JSON.parse(fs.readFileSync(baseFile, "utf8")) as PriceTable;
        const table = buildTable(base, v.region, v.offers);
        const target = v.out ?? path.join(__dirname, `aws-${v.region}.json`);
        fs.writeFileSync(target, JSON.stringify(table, null, 2) + "\n");
        out(`wrote ${target}: ${v.region} prices as of ${table.asOf}\n`);
        return 0;
    } catch (e) {
        err(`error: ${(e as Error).message}\n`);
        return 2;
    }
}

if (require.main === module) {
    process.exitCode = main(process.argv.slice(2), (s) => process.stdout.write(s), (s) => process.stderr.write(s));
}
