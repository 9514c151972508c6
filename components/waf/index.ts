/**
 * AWS WAF (wafv2) in front of the public entry points (EDGE-1): a web ACL with AWS managed rule groups and a
 * rate-based rule, metrics for every rule, and logging to a CloudWatch log group kept at least 90 days.
 * Scope REGIONAL for the load balancer; scope CLOUDFRONT for the distribution, which AWS only accepts in
 * us-east-1 (the caller passes a us-east-1 provider).
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { nameTag } from "../shared/context";

/** AWS managed rule groups every web ACL evaluates, in priority order (EDGE-1). */
export const MANAGED_RULE_GROUPS = [
    "AWSManagedRulesCommonRuleSet",
    "AWSManagedRulesKnownBadInputsRuleSet",
    "AWSManagedRulesSQLiRuleSet",
] as const;
/** Optional reputation list of known malicious sources. */
export const IP_REPUTATION_GROUP = "AWSManagedRulesAmazonIpReputationList";
/** Headers never written to WAF logs (SEC-2: credentials and session cookies). */
export const REDACTED_HEADERS = ["authorization", "cookie", "x-api-key"];

export interface WebFirewallArgs {
    /** Web ACL name; the log group is `aws-waf-logs-<name>` (WAF requires the prefix) (EDGE-1). */
    aclName: string;
    /** `REGIONAL` for a load balancer, `CLOUDFRONT` for a distribution (us-east-1 provider) (EDGE-1). */
    scope: "REGIONAL" | "CLOUDFRONT";
    /** Requests per client IP per 5 minutes before blocking; default 2000 (EDGE-1). */
    rateLimit?: number;
    /** Add the Amazon IP reputation list; default true (EDGE-1). */
    ipReputation?: boolean;
    /** Log retention in days; default 90 (EDGE-1, BKP-4). */
    logRetentionDays?: number;
    /** KMS key of the log group, in the ACL's region (SEC-3). */
    logsKeyArn: pulumi.Input<string>;
}

/** A web ACL with managed rules, a rate-based rule, metrics and logging (EDGE-1). */
export class WebFirewall extends pulumi.ComponentResource {
    readonly acl: aws.wafv2.WebAcl;
    readonly arn: pulumi.Output<string>;
    readonly logGroup: aws.cloudwatch.LogGroup;

    constructor(name: string, args: WebFirewallArgs, opts?: pulumi.ComponentResourceOptions) {
        super("bookbuddy:security:WebFirewall", name, {}, opts);
        const parent = { parent: this };
        const rateLimit = args.rateLimit ?? 2000;
        if (rateLimit < 10) throw new Error(`WebFirewall ${name}: rateLimit ${rateLimit} is below WAF's minimum of 10`);
        const metric = (suffix: string) => ({
            cloudwatchMetricsEnabled: true,
            sampledRequestsEnabled: true,
            metricName: `${args.aclName}-${suffix}`.replace(/[^A-Za-z0-9_-]/g, "-"),
        });

        const groups = [...MANAGED_RULE_GROUPS, ...((args.ipReputation ?? true) ? [IP_REPUTATION_GROUP] : [])];
        const rules: aws.types.input.wafv2.WebAclRule[] = [
            // The rate rule runs first so a flood is cut before the more expensive managed inspections.
            {
                name: "rate-limit-per-ip",
                priority: 0,
                action: { block: {} },
                statement: { rateBasedStatement: { limit: rateLimit, aggregateKeyType: "IP", evaluationWindowSec: 300 } },
                visibilityConfig: metric("rate-limit"),
            },
            ...groups.map((group, i) => ({
                name: group,
                priority: i + 1,
                overrideAction: { none: {} },
                statement: { managedRuleGroupStatement: { vendorName: "AWS", name: group } },
                visibilityConfig: metric(group),
            })),
        ];

        this.acl = new aws.wafv2.WebAcl(
            name,
            {
                name: args.aclName,
                description: `Managed rules and a per-IP rate limit (EDGE-1), scope ${args.scope}`,
                scope: args.scope,
                defaultAction: { allow: {} },
                rules,
                visibilityConfig: metric("acl"),
                tags: nameTag(args.aclName),
            },
            parent,
        );
        this.arn = this.acl.arn;

        this.logGroup = new aws.cloudwatch.LogGroup(
            name,
            {
                name: `aws-waf-logs-${args.aclName}`,
                retentionInDays: args.logRetentionDays ?? 90,
                kmsKeyId: args.logsKeyArn,
                tags: nameTag(`aws-waf-logs-${args.aclName}`),
            },
            parent,
        );
        new aws.wafv2.WebAclLoggingConfiguration(
            name,
            {
                resourceArn: this.acl.arn,
                // WAF wants the log group ARN without the trailing `:*`.
                logDestinationConfigs: [this.logGroup.arn.apply((arn) => arn.replace(/:\*$/, ""))],
                redactedFields: REDACTED_HEADERS.map((h) => ({ singleHeader: { name: h } })),
            },
            parent,
        );
        this.registerOutputs({ arn: this.arn });
    }
}
