import { WIRE, cannotJudge, pinResource } from "./pin";

const RULE = "alb-listener-https";
const LISTENER = "aws:lb/listener:Listener";
const POLICY = "ELBSecurityPolicy-TLS13-1-2-2021-06";
const REDIRECT = { type: "redirect", redirect: { protocol: "HTTPS", port: "443", statusCode: "HTTP_301" } };
const FORWARD = { type: "forward", targetGroupArn: "arn:aws:elasticloadbalancing:eu-west-1:111122223333:targetgroup/api/1" };
const onlyRedirect = (protocol: string) => `a ${protocol} listener must only redirect to HTTPS.`;

describe(`${RULE}: TLS listeners and HTTP redirects (EDGE-1)`, () => {
    it("judges the policy of TLS listeners too", async () => {
        await pinResource(RULE, LISTENER, { protocol: "TLS", port: 443, sslPolicy: POLICY }, {});
        await pinResource(
            RULE,
            LISTENER,
            { protocol: "TLS", port: 443, sslPolicy: "ELBSecurityPolicy-2016-08" },
            { violations: [`sslPolicy must be one of ${POLICY} (TLS 1.2 or newer).`] },
            { config: { allowedPolicies: [POLICY] } },
        );
    });

    it("wants every default action to be a redirect to HTTPS, and at least one", async () => {
        await pinResource(
            RULE,
            LISTENER,
            { protocol: "HTTP", port: 80, defaultActions: [] },
            { violations: [onlyRedirect("HTTP")] },
        );
        await pinResource(
            RULE,
            LISTENER,
            { protocol: "HTTP", port: 80, defaultActions: [REDIRECT, FORWARD] },
            { violations: [onlyRedirect("HTTP")] },
        );
        await pinResource(
            RULE,
            LISTENER,
            { protocol: "HTTP", port: 80, defaultActions: [{ ...FORWARD, redirect: { protocol: "HTTPS" } }] },
            { violations: [onlyRedirect("HTTP")] },
        );
    });

    it("names an absent protocol as HTTP, the provider's default", async () => {
        await pinResource(RULE, LISTENER, { port: 80, defaultActions: [FORWARD] }, { violations: [onlyRedirect("HTTP")] });
    });

    it("cannot judge unknown default actions", async () => {
        await pinResource(
            RULE,
            LISTENER,
            { protocol: "HTTP", port: 80, defaultActions: WIRE.unknown },
            { cannotJudge: [cannotJudge(RULE, "defaultActions")] },
        );
    });
});
