/**
 * TLS certificates at the edge (EDGE-1): ACM certificates validated through DNS records in a Route 53 zone
 * and renewed by ACM's managed renewal (the validation records stay in place, so renewal needs nothing
 * from us).
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

/** The region CloudFront reads its viewer certificates from, whatever region the stack uses (CDN-1). */
export const CLOUDFRONT_CERTIFICATE_REGION = "us-east-1";

export interface DnsValidatedCertificateArgs {
    /** Primary domain of the certificate, e.g. `api.bookbuddy.example`; required (EDGE-1). */
    domainName: string;
    /** Further names on the same certificate; default none (EDGE-1). */
    subjectAlternativeNames?: string[];
    /** Route 53 hosted zone holding the validation records; required (EDGE-1). */
    zoneId: pulumi.Input<string>;
    /**
     * Region of the certificate: the stack's region for a load balancer, `us-east-1` for CloudFront; default
     * the provider's region (EDGE-1, CDN-1).
     */
    region?: string;
    /** Key algorithm; default `EC_prime256v1` (smaller, faster handshakes than RSA 2048; EDGE-1). */
    keyAlgorithm?: "RSA_2048" | "EC_prime256v1" | "EC_secp384r1";
}

/**
 * An ACM certificate validated by DNS (EDGE-1): one CNAME record per name in the zone, and a
 * CertificateValidation that completes only once ACM has issued the certificate. `arn` is the validated ARN,
 * so listeners and distributions never reference a certificate that is still pending. Certificate
 * transparency logging stays on.
 */
export class DnsValidatedCertificate extends pulumi.ComponentResource {
    readonly certificate: aws.acm.Certificate;
    readonly records: aws.route53.Record[];
    readonly validation: aws.acm.CertificateValidation;
    /** ARN of the issued (validated) certificate. */
    readonly arn: pulumi.Output<string>;

    constructor(name: string, args: DnsValidatedCertificateArgs, opts?: pulumi.ComponentResourceOptions) {
        const names = [args.domainName, ...(args.subjectAlternativeNames ?? []).filter((d) => d !== args.domainName)];
        if (names.some((d) => !/^(\*\.)?([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/.test(d))) {
            throw new Error(`DnsValidatedCertificate ${name}: not a lower-case DNS name in ${JSON.stringify(names)} (EDGE-1)`);
        }
        super("bookbuddy:edge:DnsValidatedCertificate", name, {}, opts);
        const region = args.region ? { region: args.region } : {};

        this.certificate = new aws.acm.Certificate(
            name,
            {
                domainName: args.domainName,
                subjectAlternativeNames: names.slice(1),
                validationMethod: "DNS",
                keyAlgorithm: args.keyAlgorithm ?? "EC_prime256v1",
                options: { certificateTransparencyLoggingPreference: "ENABLED" },
                tags: { Name: args.domainName },
                ...region,
            },
            // A replacement certificate must exist before the old one is detached from its listener.
            { parent: this, deleteBeforeReplace: false },
        );

        // A wildcard and its apex share one validation record; create each record once.
        const recordNames = [...new Set(names.map((d) => d.replace(/^\*\./, "")))];
        this.records = recordNames.map((domain, i) => {
            const option = this.certificate.domainValidationOptions.apply((opts) => {
                const found = opts.find((o) => o.domainName.replace(/^\*\./, "") === domain);
                if (!found) throw new Error(`ACM returned no DNS validation option for ${domain}`);
                return found;
            });
            return new aws.route53.Record(
                `${name}-validation-${i}`,
                {
                    zoneId: args.zoneId,
                    name: option.resourceRecordName,
                    type: option.resourceRecordType,
                    records: [option.resourceRecordValue],
                    ttl: 300,
                    allowOverwrite: true,
                },
                { parent: this },
            );
        });

        this.validation = new aws.acm.CertificateValidation(
            name,
            { certificateArn: this.certificate.arn, validationRecordFqdns: this.records.map((r) => r.fqdn), ...region },
            { parent: this },
        );
        this.arn = this.validation.certificateArn;
        this.registerOutputs({ arn: this.arn });
    }
}

export interface HostedZoneArgs {
    /** DNS name of the zone, e.g. `bookbuddy.example`; required (EDGE-1). */
    zoneName: string;
    /** ID of an existing zone to use; when absent a new public zone is created (EDGE-1). */
    existingZoneId?: string;
    /** Pulumi `protect` on a created zone; default true (EDGE-1). */
    protect?: boolean;
}

/**
 * The Route 53 hosted zone of the environment (EDGE-1): an existing zone named by ID (nothing is created), or
 * a new public zone whose name servers must then be delegated from the parent domain (`nameServers`).
 */
export class HostedZone extends pulumi.ComponentResource {
    readonly zone?: aws.route53.Zone;
    readonly zoneId: pulumi.Output<string>;
    readonly zoneName: string;
    /** Name servers to delegate to (only for a created zone). */
    readonly nameServers: pulumi.Output<string[]>;

    constructor(name: string, args: HostedZoneArgs, opts?: pulumi.ComponentResourceOptions) {
        super("bookbuddy:edge:HostedZone", name, {}, opts);
        this.zoneName = args.zoneName;
        if (args.existingZoneId) {
            this.zoneId = pulumi.output(args.existingZoneId);
            this.nameServers = pulumi.output([]);
        } else {
            // A zone holds every public name of the environment: never deleted with records still in it.
            this.zone = new aws.route53.Zone(
                name,
                { name: args.zoneName, comment: `Public names of ${args.zoneName}`, forceDestroy: false },
                { parent: this, protect: args.protect ?? true },
            );
            this.zoneId = this.zone.zoneId;
            this.nameServers = this.zone.nameServers;
        }
        this.registerOutputs({ zoneId: this.zoneId, nameServers: this.nameServers });
    }
}
