import { defineResourceRule } from "../../lib/rule";
import { TLS12_ALB_POLICIES } from "../../lib/network";
import { at, isUnknown, list } from "../../lib/values";

/**
 * EDGE-1: load-balancer listeners terminate TLS 1.2+ (HTTPS with an allowed policy) or only redirect
 * HTTP to HTTPS (AWSGuard, Checkov CKV_AWS_2/CKV_AWS_103).
 */
export const albListenerHttps = defineResourceRule({
    name: "alb-listener-https",
    description: "Load-balancer listeners are HTTPS with a TLS 1.2+ policy, or HTTP that only redirects to HTTPS.",
    severity: "high",
    enforcementLevel: "mandatory",
    remediation:
        'Use protocol HTTPS with sslPolicy ELBSecurityPolicy-TLS13-1-2-2021-06 (or newer), and make port 80 a redirect { protocol: "HTTPS", statusCode: "HTTP_301" }.',
    requirements: ["EDGE-1", "K8S-2"],
    config: {
        allowedPolicies: {
            schema: {
                type: "array",
                items: { type: "string" },
                minItems: 1,
                default: [...TLS12_ALB_POLICIES],
                description: "Accepted sslPolicy names (TLS 1.2 or newer only).",
            },
        },
    },
    resourceTypes: ["aws:lb/listener:Listener", "aws:alb/listener:Listener"],
    validate({ props }, judge) {
        const protocol = props["protocol"];
        if (isUnknown(protocol)) {
            judge.cannotJudge("protocol");
            return;
        }
        if (protocol === "HTTPS" || protocol === "TLS") {
            const allowed = judge.strings("allowedPolicies");
            judge.expect(
                props["sslPolicy"],
                "sslPolicy",
                (v) => typeof v === "string" && allowed.includes(v),
                `sslPolicy must be one of ${allowed.join(", ")} (TLS 1.2 or newer).`,
            );
            return;
        }
        const actions = props["defaultActions"];
        if (isUnknown(actions)) {
            judge.cannotJudge("defaultActions");
            return;
        }
        const redirects =
            list(actions).length > 0 &&
            list(actions).every((a) => at(a, "type") === "redirect" && at(a, "redirect.protocol") === "HTTPS");
        if (!redirects) {
            judge.violation(`a ${String(protocol ?? "HTTP")} listener must only redirect to HTTPS.`);
        }
    },
});
