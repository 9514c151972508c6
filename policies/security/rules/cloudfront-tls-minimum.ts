import { defineResourceRule } from "../../lib/rule";
import { at } from "../../lib/values";

/** CDN-1: viewer TLS is 1.2 (2021 policy) or newer on our own certificate (cdk-nag CFR4, Checkov CKV_AWS_174). */
export const cloudfrontTlsMinimum = defineResourceRule({
    name: "cloudfront-tls-minimum",
    description: "CloudFront distributions use an ACM certificate with a minimum protocol version of TLSv1.2_2021 or newer.",
    severity: "high",
    enforcementLevel: "mandatory",
    remediation:
        'Set viewerCertificate { acmCertificateArn, sslSupportMethod: "sni-only", minimumProtocolVersion: "TLSv1.2_2021" }.',
    requirements: ["CDN-1", "EDGE-1"],
    config: {
        allowedVersions: {
            schema: {
                type: "array",
                items: { type: "string" },
                minItems: 1,
                default: ["TLSv1.2_2021", "TLSv1.2_2025", "TLSv1.3_2025"],
                description: "Accepted minimumProtocolVersion values.",
            },
        },
    },
    resourceTypes: ["aws:cloudfront/distribution:Distribution"],
    validate({ props }, judge) {
        const certificate = props["viewerCertificate"];
        judge.expect(
            at(certificate, "cloudfrontDefaultCertificate"),
            "viewerCertificate.cloudfrontDefaultCertificate",
            (v) => v !== true,
            "the default *.cloudfront.net certificate allows TLSv1 clients; use an ACM certificate.",
        );
        const allowed = judge.strings("allowedVersions");
        judge.expect(
            at(certificate, "minimumProtocolVersion"),
            "viewerCertificate.minimumProtocolVersion",
            (v) => typeof v === "string" && allowed.includes(v),
            `viewerCertificate.minimumProtocolVersion must be one of ${allowed.join(", ")}.`,
        );
    },
});
