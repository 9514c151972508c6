import { albIngress } from "../cases";
import { WIRE, cannotJudge, pinResource } from "./pin";

const RULE = "k8s-ingress-alb-tls";
const INGRESS = "kubernetes:networking.k8s.io/v1:Ingress";
const A = "alb.ingress.kubernetes.io/";
const pin = (overrides: Record<string, unknown>, verdict: Parameters<typeof pinResource>[3], spec?: Record<string, unknown>) => {
    const props = albIngress(overrides as Record<string, string | undefined>);
    return pinResource(RULE, INGRESS, spec ? { ...props, spec: { ...(props.spec as object), ...spec } } : props, verdict);
};
const notAList = (got: string) =>
    `${A}listen-ports must be a JSON list such as [{"HTTP":80},{"HTTPS":443}], got ${JSON.stringify(got)}.`;

describe(`${RULE}: listen-ports, redirect, policy and certificate of an ALB Ingress (EDGE-1, K8S-2)`, () => {
    it("reads absent listen-ports as the controller's default, HTTP on 80", async () => {
        await pin(
            { [`${A}listen-ports`]: undefined },
            { violations: [`${A}listen-ports opens no HTTPS listener (the default is HTTP on 80).`] },
        );
    });

    it("quotes the given listen-ports when they open no HTTPS listener", async () => {
        await pin(
            { [`${A}listen-ports`]: '[{"HTTP":80}]' },
            { violations: [`${A}listen-ports opens no HTTPS listener ([{"HTTP":80}]).`] },
        );
    });

    it("rejects an empty list, a list of non-objects and a port that is not a number", async () => {
        for (const value of ["[]", '["HTTPS"]', '[{"HTTPS":"443"}]']) {
            await pin({ [`${A}listen-ports`]: value }, { violations: [notAList(value)] });
        }
    });

    it("lists every HTTPS port a redirect may name", async () => {
        await pin(
            { [`${A}listen-ports`]: '[{"HTTP":80},{"HTTPS":443},{"HTTPS":8443}]', [`${A}ssl-redirect`]: undefined },
            {
                violations: [
                    `an HTTP listener must redirect to HTTPS: set ${A}ssl-redirect to one of the HTTPS ports (443, 8443).`,
                ],
            },
        );
        await pin({ [`${A}listen-ports`]: '[{"HTTP":80},{"HTTPS":443},{"HTTPS":8443}]', [`${A}ssl-redirect`]: "8443" }, {});
    });

    it("names the unknown annotation it cannot judge", async () => {
        for (const key of ["listen-ports", "ssl-redirect", "ssl-policy", "certificate-arn"]) {
            await pin({ [`${A}${key}`]: WIRE.unknown }, { cannotJudge: [cannotJudge(RULE, `${A}${key}`)] });
        }
    });

    it("cannot judge unknown spec.tls without a certificate, but needs nothing more with a certificate ARN", async () => {
        await pin(
            { [`${A}certificate-arn`]: undefined },
            { cannotJudge: [cannotJudge(RULE, `${A}certificate-arn`)] },
            { tls: WIRE.unknown },
        );
        await pin({}, {}, { tls: WIRE.unknown });
    });

    it("wants the certificate annotation to be an ARN, or spec.tls hosts", async () => {
        const needs = `an HTTPS listener needs a certificate: set ${A}certificate-arn (or spec.tls hosts for discovery).`;
        await pin({ [`${A}certificate-arn`]: "bookbuddy-api" }, { violations: [needs] });
        await pin({ [`${A}certificate-arn`]: undefined }, { violations: [needs] });
        await pin({ [`${A}certificate-arn`]: undefined }, {}, { tls: [{ hosts: ["api.bookbuddy.example"] }] });
    });
});
