/**
 * `npm run prices -- --region <code> --offers <dir> [--base <table.json>] [--out <table.json>]`
 *
 * Builds or refreshes a price table of tools/plan/prices/ (CI-2) from AWS's public Price List bulk files
 * (the "offer files", one JSON per service and region), saved beforehand so the script runs offline:
 *
 *   curl -o offers/AmazonEC2.json https://pricing.us-east-1.amazonaws.com/offers/v1.0/aws/AmazonEC2/current/<region>/index.json
 *   (likewise AmazonRDS, AmazonElastiCache)
 *
 * From them it takes the on-demand hourly rates of every instance class the base table lists (EC2 Linux shared
 * tenancy, RDS PostgreSQL Single-AZ, ElastiCache per node), the NAT gateway hour and the public IPv4 address
 * hour; every other figure is carried over from the base table and the note says so. The table records the
 * region, the offer files' publication date as `asOf`, their URLs as sources, and fails (exit 2) on an offer
 * file for another region or a class the files do not price. See docs/cost.md.
 */
import * as fs from "fs";
import * as path from "path";
import { CliUsageError, FlagSpecs, parseFlags, usageText } from "../../cli-args";
import type { PriceTable } from "../cost";

const FLAGS: FlagSpecs = {
    region: { type: "string", value: "<code>", description: "AWS region code of the offer files, e.g. us-west-2" },
    offers: { type: "string", value: "<dir>", description: "directory with AmazonEC2.json, AmazonRDS.json, AmazonElastiCache.json" },
    base: { type: "string", value: "<file>", description: "table whose classes and other figures to start from (default: aws-us-east-1.json)" },
    out: { type: "string", value: "<file>", description: "where to write (default: tools/plan/prices/aws-<region>.json)" },
};

const OFFER_URL = (service: string, region: string) => `https://pricing.us-east-1.amazonaws.com/offers/v1.0/aws/${service}/current/${region}/index.json`;

interface Offer {
    offerCode: string;
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

/** The single on-demand hourly USD rate of a product, or undefined. */
function hourlyRate(offer: Offer, sku: string): number | undefined {
    const terms = Object.values(offer.terms.OnDemand[sku] ?? {});
    for (const term of terms) {
        for (const dim of Object.values(term.priceDimensions)) {
            const usd = Number(dim.pricePerUnit.USD);
            if (/^hrs?$/i.test(dim.unit) && Number.isFinite(usd) && usd > 0) return usd;
        }
    }
    return undefined;
}

/** The rate of the one product matching `match`; throws when none or several differ. */
function rateOf(offer: Offer, what: string, match: (p: { productFamily?: string; attributes: Record<string, string> }) => boolean): number {
    const rates = new Set<number>();
    for (const [sku, product] of Object.entries(offer.products)) {
        if (!match(product)) continue;
        const rate = hourlyRate(offer, sku);
        if (rate !== undefined) rates.add(rate);
    }
    if (rates.size !== 1) {
        throw new CliUsageError(`${offer.offerCode}: ${rates.size === 0 ? "no on-demand hourly rate" : `${rates.size} different rates`} for ${what}`);
    }
    return [...rates][0];
}

/** A new table for `region` from the offer files, starting from `base`. */
export function buildTable(base: PriceTable, region: string, offersDir: string): PriceTable {
    const ec2 = readOffer(offersDir, "AmazonEC2", region);
    const rds = readOffer(offersDir, "AmazonRDS", region);
    const cache = readOffer(offersDir, "AmazonElastiCache", region);
    const table = JSON.parse(JSON.stringify(base)) as PriceTable;
    table.region = region;
    for (const cls of Object.keys(base.ec2.instancePerHour)) {
        table.ec2.instancePerHour[cls] = rateOf(ec2, `EC2 ${cls}`, (p) =>
            p.productFamily === "Compute Instance" && p.attributes.instanceType === cls && p.attributes.operatingSystem === "Linux" &&
            p.attributes.tenancy === "Shared" && p.attributes.preInstalledSw === "NA" && p.attributes.capacitystatus === "Used");
    }
    table.vpc.natGatewayPerHour = rateOf(ec2, "NAT gateway hours", (p) => p.productFamily === "NAT Gateway" && /NatGateway-Hours$/.test(p.attributes.usagetype ?? ""));
    table.ec2.publicIpv4PerHour = rateOf(ec2, "public IPv4 address hours", (p) => /PublicIPv4:InUseAddress$/.test(p.attributes.usagetype ?? ""));
    for (const [engine, classes] of Object.entries(base.rds.instancePerHour)) {
        const name = engine === "postgres" ? "PostgreSQL" : engine;
        for (const cls of Object.keys(classes)) {
            table.rds.instancePerHour[engine][cls] = rateOf(rds, `RDS ${engine} ${cls}`, (p) =>
                p.productFamily === "Database Instance" && p.attributes.instanceType === cls && p.attributes.databaseEngine === name && p.attributes.deploymentOption === "Single-AZ");
        }
    }
    for (const cls of Object.keys(base.elasticache.nodePerHour)) {
        table.elasticache.nodePerHour[cls] = rateOf(cache, `ElastiCache ${cls}`, (p) =>
            p.productFamily === "Cache Instance" && p.attributes.instanceType === cls && p.attributes.cacheEngine === "Redis");
    }
    const dates = [ec2, rds, cache].map((o) => o.publicationDate.slice(0, 10)).sort();
    table.asOf = dates[0];
    table.version = `${dates[0].slice(0, 7)}.pricelist`;
    table.sources = {
        ...base.sources,
        ec2: OFFER_URL("AmazonEC2", region),
        publicIpv4: OFFER_URL("AmazonEC2", region),
        vpc: OFFER_URL("AmazonEC2", region),
        rds: OFFER_URL("AmazonRDS", region),
        elasticache: OFFER_URL("AmazonElastiCache", region),
    };
    table.asOfNote =
        `On-demand rates of the EC2, RDS and ElastiCache classes, the NAT gateway hour and the public IPv4 hour from the AWS Price List offer files for ${region} ` +
        `(publication dates ${[...new Set(dates)].join(", ")}), written by npm run prices. Every other figure is carried over from the ${base.region} table of ${base.asOf}.`;
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
