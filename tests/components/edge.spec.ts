import * as assert from "assert";
import { DnsValidatedCertificate, HostedZone } from "../../components/edge/certificate";
import { PlanDocument } from "../../tools/plan/types";
import { childrenOf, nameOf, one, ofType, renderComponent, renderedStack } from "../support/plan";

const T = {
    cert: "aws:acm/certificate:Certificate",
    validation: "aws:acm/certificateValidation:CertificateValidation",
    record: "aws:route53/record:Record",
    zone: "aws:route53/zone:Zone",
};

describe("DnsValidatedCertificate and HostedZone (EDGE-1)", () => {
    let doc: PlanDocument;
    before(async () => {
        doc = await renderComponent(() => {
            const zone = new HostedZone("zone", { zoneName: "bookbuddy.example" });
            const cert = new DnsValidatedCertificate("cdn", {
                domainName: "app.bookbuddy.example",
                subjectAlternativeNames: ["media.bookbuddy.example"],
                zoneId: zone.zoneId,
                region: "us-east-1",
            });
            return { arn: cert.arn };
        });
    });

    it("has a certificate, one validation record per name and a validation (EDGE-1)", () => {
        const kids = childrenOf(doc, one(doc, "bookbuddy:edge:DnsValidatedCertificate"))
            .map((r) => `${r.type}::${nameOf(r)}`)
            .sort();
        assert.deepStrictEqual(
            kids,
            [`${T.cert}::cdn`, `${T.record}::cdn-validation-0`, `${T.record}::cdn-validation-1`, `${T.validation}::cdn`].sort(),
        );
    });

    it("requests a DNS-validated EC certificate with transparency logging, in the requested region (EDGE-1, CDN-1)", () => {
        const c = one(doc, T.cert).inputs;
        assert.strictEqual(c.domainName, "app.bookbuddy.example");
        assert.deepStrictEqual(c.subjectAlternativeNames, ["media.bookbuddy.example"]);
        assert.strictEqual(c.validationMethod, "DNS");
        assert.strictEqual(c.keyAlgorithm, "EC_prime256v1");
        assert.deepStrictEqual(c.options, { certificateTransparencyLoggingPreference: "ENABLED" });
        assert.strictEqual(c.region, "us-east-1");
    });

    it("writes ACM's CNAMEs into the zone and validates with their FQDNs, so ACM can renew on its own (EDGE-1)", () => {
        const cert = one(doc, T.cert);
        const options = cert.outputs!.domainValidationOptions as {
            domainName: string;
            resourceRecordName: string;
            resourceRecordValue: string;
        }[];
        const zoneId = one(doc, T.zone).outputs!.zoneId;
        const records = ofType(doc, T.record).map((r) => r.inputs as any);
        assert.deepStrictEqual(
            records.map((r) => [r.name, r.type, r.records, r.zoneId, r.ttl]).sort(),
            options.map((o) => [o.resourceRecordName, "CNAME", [o.resourceRecordValue], zoneId, 300]).sort(),
        );
        const v = one(doc, T.validation);
        assert.strictEqual(v.inputs.certificateArn, cert.outputs!.arn);
        assert.strictEqual((v.inputs.validationRecordFqdns as string[]).length, 2);
        assert.strictEqual(v.inputs.region, "us-east-1");
        assert.strictEqual((doc.outputs as any).arn, cert.outputs!.arn);
    });

    it("creates a protected zone when no existing zone is named, and none otherwise (EDGE-1)", async () => {
        const z = one(doc, T.zone);
        assert.strictEqual(z.inputs.name, "bookbuddy.example");
        assert.strictEqual(z.protect, true);
        const existing = await renderComponent(() => {
            new HostedZone("zone", { zoneName: "bookbuddy.example", existingZoneId: "Z0123456789ABCDEFGHIJ" });
        });
        assert.strictEqual(ofType(existing, T.zone).length, 0);
    });

    it("rejects names that are not lower-case DNS names (EDGE-1)", () => {
        assert.throws(
            () => new DnsValidatedCertificate("bad", { domainName: "App.Example", zoneId: "Z1" }),
            /not a lower-case DNS name/,
        );
    });
});

describe("certificates in the stacks (EDGE-1, CDN-1)", () => {
    it("the API certificate is in the stack's region, the CloudFront one in us-east-1 for web and media (EDGE-1)", async () => {
        const prod = await renderedStack("prod");
        const api = one(prod, T.cert, "bookbuddy-prod-api").inputs;
        assert.deepStrictEqual([api.domainName, api.region], ["api.bookbuddy.example", "us-east-1"]);
        const cdn = one(prod, T.cert, "bookbuddy-prod-cdn").inputs;
        assert.deepStrictEqual(
            [cdn.domainName, cdn.subjectAlternativeNames, cdn.region],
            ["app.bookbuddy.example", ["media.bookbuddy.example"], "us-east-1"],
        );
        const ingressCert = (one(prod, "kubernetes:networking.k8s.io/v1:Ingress").inputs.metadata as any).annotations[
            "alb.ingress.kubernetes.io/certificate-arn"
        ];
        assert.strictEqual(ingressCert, one(prod, T.cert, "bookbuddy-prod-api").outputs!.arn);
        assert.ok(
            one(prod, "kubernetes:networking.k8s.io/v1:Ingress").dependencies.includes(
                one(prod, T.validation, "bookbuddy-prod-api").urn,
            ),
            "the ALB uses the certificate only once validated",
        );
    });
});
