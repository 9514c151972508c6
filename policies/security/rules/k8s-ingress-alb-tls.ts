import { defineResourceRule } from "../../lib/rule";
import { ALB_ANNOTATION, INGRESS_TYPES, annotationsOf, isAlbIngress } from "../../lib/k8s";
import { TLS12_ALB_POLICIES } from "../../lib/network";
import { at, isRecord, isUnknown, list, parseJson } from "../../lib/values";

/** The listeners an Ingress asks for; the controller's default without the annotation is HTTP on port 80. */
function listenPorts(value: unknown): { protocol: string; port: number }[] | undefined {
    if (value === undefined) {
        return [{ protocol: "HTTP", port: 80 }];
    }
    const parsed = parseJson(value);
    if (!Array.isArray(parsed) || parsed.length === 0) {
        return undefined;
    }
    const result: { protocol: string; port: number }[] = [];
    for (const entry of parsed) {
        if (!isRecord(entry)) {
            return undefined;
        }
        for (const [protocol, port] of Object.entries(entry)) {
            if (typeof port !== "number") {
                return undefined;
            }
            result.push({ protocol, port });
        }
    }
    return result;
}

/**
 * EDGE-1, K8S-2: the application load balancer the AWS Load Balancer Controller builds from an Ingress is
 * not a resource of the program, so its listeners are judged from the Ingress annotations that define them
 * (the same checks alb-listener-https makes on an aws.lb.Listener, Checkov CKV_AWS_2/CKV_AWS_103):
 * listen-ports include HTTPS, every HTTP listener redirects to HTTPS (ssl-redirect), the ssl-policy allows
 * TLS 1.2 or newer only (the controller's default policy still allows TLS 1.0), and a certificate is named
 * (certificate-arn, or spec.tls for certificate discovery by host).
 */
export const k8sIngressAlbTls = defineResourceRule({
    name: "k8s-ingress-alb-tls",
    description:
        "Ingresses served by the AWS Load Balancer Controller listen on HTTPS with a TLS 1.2+ ssl-policy and a certificate, and redirect HTTP to HTTPS.",
    severity: "high",
    enforcementLevel: "mandatory",
    remediation:
        'Annotate the Ingress: alb.ingress.kubernetes.io/listen-ports \'[{"HTTP":80},{"HTTPS":443}]\', ssl-redirect "443", ssl-policy ELBSecurityPolicy-TLS13-1-2-2021-06 and certificate-arn <ACM certificate>.',
    requirements: ["EDGE-1", "K8S-2"],
    resourceTypes: INGRESS_TYPES,
    config: {
        allowedPolicies: {
            schema: {
                type: "array",
                items: { type: "string" },
                minItems: 1,
                default: [...TLS12_ALB_POLICIES],
                description: "Accepted alb.ingress.kubernetes.io/ssl-policy values (TLS 1.2 or newer only).",
            },
        },
    },
    validate({ props }, judge) {
        const alb = isAlbIngress(props);
        if (alb === "unknown") {
            judge.cannotJudge("the ingress class");
            return;
        }
        if (!alb) {
            return; // other ingress controllers do not build AWS load balancers
        }
        const annotations = annotationsOf(props);
        if (typeof annotations === "string") {
            judge.cannotJudge("metadata.annotations");
            return;
        }
        const portsValue = annotations[`${ALB_ANNOTATION}listen-ports`];
        if (isUnknown(portsValue)) {
            judge.cannotJudge(`${ALB_ANNOTATION}listen-ports`);
            return;
        }
        const ports = listenPorts(portsValue);
        if (!ports) {
            judge.violation(
                `${ALB_ANNOTATION}listen-ports must be a JSON list such as [{"HTTP":80},{"HTTPS":443}], got ${JSON.stringify(portsValue)}.`,
            );
            return;
        }
        const https = ports.filter((p) => p.protocol === "HTTPS").map((p) => p.port);
        if (https.length === 0) {
            judge.violation(
                `${ALB_ANNOTATION}listen-ports opens no HTTPS listener (${portsValue === undefined ? "the default is HTTP on 80" : String(portsValue)}).`,
            );
            return;
        }
        if (ports.some((p) => p.protocol !== "HTTPS")) {
            judge.expect(
                annotations[`${ALB_ANNOTATION}ssl-redirect`],
                `${ALB_ANNOTATION}ssl-redirect`,
                (v) => https.includes(Number(v)),
                `an HTTP listener must redirect to HTTPS: set ${ALB_ANNOTATION}ssl-redirect to one of the HTTPS ports (${https.join(", ")}).`,
            );
        }
        const allowed = judge.strings("allowedPolicies");
        judge.expect(
            annotations[`${ALB_ANNOTATION}ssl-policy`],
            `${ALB_ANNOTATION}ssl-policy`,
            (v) => typeof v === "string" && allowed.includes(v),
            `${ALB_ANNOTATION}ssl-policy must be one of ${allowed.join(", ")} (TLS 1.2 or newer); the controller's default allows TLS 1.0.`,
        );
        const certificate = annotations[`${ALB_ANNOTATION}certificate-arn`];
        const tlsValue = at(props, "spec.tls");
        const tls = list(tlsValue);
        if (isUnknown(certificate) || (isUnknown(tlsValue) && typeof certificate !== "string")) {
            judge.cannotJudge(`${ALB_ANNOTATION}certificate-arn`);
        } else if (!(typeof certificate === "string" && certificate.startsWith("arn:")) && tls.length === 0) {
            judge.violation(
                `an HTTPS listener needs a certificate: set ${ALB_ANNOTATION}certificate-arn (or spec.tls hosts for discovery).`,
            );
        }
    },
});
