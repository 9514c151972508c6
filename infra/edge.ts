/**
 * Public names and certificates (EDGE-1, CDN-1): the Route 53 zone and the ACM certificates (regional for the API
 * load balancer, us-east-1 for CloudFront). Its own module so that storage (the distributions) and the app (the
 * load balancer) both read it without importing each other.
 */
import * as aws from "@pulumi/aws";
import { CLOUDFRONT_CERTIFICATE_REGION, DnsValidatedCertificate, HostedZone } from "../components/edge/certificate";
import { StackConfig } from "./config";

/** Fully qualified public names of the environment (CDN-1, EDGE-1). */
export interface Domains {
    web: string;
    media: string;
    api: string;
}

export interface Edge {
    zone: HostedZone;
    domains: Domains;
    /** Regional certificate of the API load balancer. */
    apiCertificate: DnsValidatedCertificate;
    /** us-east-1 certificate of both distributions (web and media names). */
    cdnCertificate: DnsValidatedCertificate;
}

export function domainsOf(cfg: StackConfig): Domains {
    const zone = cfg.dns.zoneName;
    return { web: `${cfg.cdn.webHost}.${zone}`, media: `${cfg.cdn.mediaHost}.${zone}`, api: `${cfg.app.apiHost}.${zone}` };
}

/** The zone and certificates (EDGE-1); ACM renews DNS-validated certificates while the records stay. */
export function buildEdge(cfg: StackConfig, env: { prefix: string; providers: { aws: aws.Provider } }): Edge {
    const opts = { providers: { aws: env.providers.aws } };
    const domains = domainsOf(cfg);
    const zone = new HostedZone(
        `${env.prefix}-zone`,
        { zoneName: cfg.dns.zoneName, existingZoneId: cfg.dns.createZone ? undefined : cfg.dns.zoneId },
        opts,
    );
    const apiCertificate = new DnsValidatedCertificate(
        `${env.prefix}-api`,
        { domainName: domains.api, zoneId: zone.zoneId, region: cfg.region },
        opts,
    );
    const cdnCertificate = new DnsValidatedCertificate(
        `${env.prefix}-cdn`,
        {
            domainName: domains.web,
            subjectAlternativeNames: [domains.media],
            zoneId: zone.zoneId,
            region: CLOUDFRONT_CERTIFICATE_REGION,
        },
        opts,
    );
    return { zone, domains, apiCertificate, cdnCertificate };
}
