import { strict as assert } from "assert";
import { IP_REPUTATION_GROUP, MANAGED_RULE_GROUPS, REDACTED_HEADERS, WebFirewall } from "../../components/waf";
import { PlanDocument } from "../../tools/plan/types";
import { childrenOf, one, ofType, renderComponent, renderedStack } from "../support/plan";

const KEY = "arn:aws:kms:us-east-1:123456789012:key/logs";
const ACL = "aws:wafv2/webAcl:WebAcl";

describe("WebFirewall (EDGE-1)", () => {
    let doc: PlanDocument;
    before(async () => {
        doc = await renderComponent(
            () => new WebFirewall("api", { aclName: "bb-test-api", scope: "REGIONAL", rateLimit: 1500, logsKeyArn: KEY }),
        );
    });

    it("declares the web ACL, its log group and its logging configuration", () => {
        assert.deepEqual(
            childrenOf(doc, one(doc, "bookbuddy:security:WebFirewall"))
                .map((r) => r.type)
                .sort(),
            ["aws:cloudwatch/logGroup:LogGroup", ACL, "aws:wafv2/webAclLoggingConfiguration:WebAclLoggingConfiguration"],
        );
    });

    it("blocks per-IP floods first, then evaluates the managed groups, with metrics on every rule", () => {
        const acl = one(doc, ACL).inputs;
        assert.equal(acl.scope, "REGIONAL");
        assert.deepEqual(acl.defaultAction, { allow: {} });
        const rules = acl.rules as Record<string, any>[];
        assert.deepEqual(
            rules.map((r) => [r.priority, r.name]),
            [[0, "rate-limit-per-ip"], ...[...MANAGED_RULE_GROUPS, IP_REPUTATION_GROUP].map((g, i) => [i + 1, g])],
        );
        assert.deepEqual(rules[0].statement.rateBasedStatement, {
            limit: 1500,
            aggregateKeyType: "IP",
            evaluationWindowSec: 300,
        });
        assert.deepEqual(rules[0].action, { block: {} });
        for (const r of rules.slice(1)) {
            assert.deepEqual(r.statement.managedRuleGroupStatement, { vendorName: "AWS", name: r.name });
            assert.deepEqual(r.overrideAction, { none: {} }, "managed groups keep their own block actions");
        }
        for (const v of [acl.visibilityConfig, ...rules.map((r) => r.visibilityConfig)] as Record<string, unknown>[]) {
            assert.equal(v.cloudwatchMetricsEnabled, true);
            assert.equal(v.sampledRequestsEnabled, true);
            assert.match(String(v.metricName), /^[A-Za-z0-9_-]+$/);
        }
    });

    it("logs to aws-waf-logs-<name> kept 90 days on the logs key, with credentials redacted (SEC-2)", () => {
        const lg = one(doc, "aws:cloudwatch/logGroup:LogGroup").inputs;
        assert.deepEqual([lg.name, lg.retentionInDays, lg.kmsKeyId], ["aws-waf-logs-bb-test-api", 90, KEY]);
        const logging = one(doc, "aws:wafv2/webAclLoggingConfiguration:WebAclLoggingConfiguration").inputs;
        assert.deepEqual(logging.logDestinationConfigs, [
            "arn:aws:logs:us-east-1:123456789012:log-group:aws-waf-logs-bb-test-api",
        ]);
        assert.deepEqual(
            logging.redactedFields,
            REDACTED_HEADERS.map((name) => ({ singleHeader: { name } })),
        );
    });

    it("can leave out the reputation list and refuses a rate limit WAF would reject", async () => {
        const d = await renderComponent(
            () => new WebFirewall("x", { aclName: "x", scope: "CLOUDFRONT", ipReputation: false, logsKeyArn: KEY }),
        );
        const rules = one(d, ACL).inputs.rules as { name: string; statement: any }[];
        assert.ok(!rules.some((r) => r.name === IP_REPUTATION_GROUP));
        assert.equal(rules[0].statement.rateBasedStatement.limit, 2000);
        assert.throws(
            () => new WebFirewall("y", { aclName: "y", scope: "REGIONAL", rateLimit: 5, logsKeyArn: KEY }),
            /below WAF's minimum/,
        );
    });
});

describe("Web ACLs of the stacks (EDGE-1)", function () {
    this.timeout(300_000);

    for (const stack of ["staging", "prod"]) {
        it(`${stack}: a REGIONAL ACL on the API Ingress and a us-east-1 CLOUDFRONT ACL on both distributions`, async () => {
            const doc = await renderedStack(stack);
            const acls = ofType(doc, ACL);
            assert.deepEqual(acls.map((a) => a.inputs.scope).sort(), ["CLOUDFRONT", "REGIONAL"]);
            const cloudfront = acls.find((a) => a.inputs.scope === "CLOUDFRONT")!;
            const provider = ofType(doc, "pulumi:providers:aws").find((p) => cloudfront.provider?.startsWith(p.urn));
            assert.equal(provider?.inputs.region, "us-east-1", "CloudFront web ACLs exist only in us-east-1");
            for (const d of ofType(doc, "aws:cloudfront/distribution:Distribution")) {
                assert.deepEqual(d.propertyDependencies.webAclId, [cloudfront.urn], `${d.urn} is not behind the CloudFront ACL`);
            }
            const ingress = ofType(doc, "kubernetes:networking.k8s.io/v1:Ingress");
            assert.ok(ingress.length >= 1);
            const annotations = (ingress[0].inputs.metadata as { annotations: Record<string, string> }).annotations;
            assert.match(
                annotations["alb.ingress.kubernetes.io/wafv2-acl-arn"],
                /^arn:aws:wafv2:us-east-1:\d{12}:regional\/webacl\//,
            );
            for (const lg of ofType(doc, "aws:cloudwatch/logGroup:LogGroup").filter((l) =>
                String(l.inputs.name).startsWith("aws-waf-logs-"),
            )) {
                assert.ok((lg.inputs.retentionInDays as number) >= 90);
            }
        });
    }

    it("dev: no web ACL (waf.enabled false saves the cost)", async () => {
        const doc = await renderedStack("dev");
        assert.equal(ofType(doc, ACL).length, 0);
    });
});
