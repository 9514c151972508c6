import { defineStackRule, type StackResourceView } from "../../lib/rule";
import { BUCKET_TYPES, anyLink, ofTypes, refersTo, type Link } from "../../lib/stack";
import { at, isUnknown } from "../../lib/values";

const DISTRIBUTION = "aws:cloudfront/distribution:Distribution";
const SOURCE = "aws:cloudwatch/logDeliverySource:LogDeliverySource";
const DELIVERY = "aws:cloudwatch/logDelivery:LogDelivery";
const DESTINATION = "aws:cloudwatch/logDeliveryDestination:LogDeliveryDestination";

/** Legacy logging: `loggingConfig.bucket` names the log bucket. */
function legacyLogging(distribution: StackResourceView): Link {
    const bucket = at(distribution.props, "loggingConfig.bucket");
    if (isUnknown(bucket)) {
        return "unknown";
    }
    return typeof bucket === "string" && bucket !== "" ? "yes" : "no";
}

/** Resources a CloudWatch Logs delivery can write to (S3, CloudWatch Logs, Firehose). */
const SINK_TYPES = [
    ...BUCKET_TYPES,
    "aws:cloudwatch/logGroup:LogGroup",
    "aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream",
];

/**
 * A delivery destination that writes somewhere: a destination resource ARN. During a preview the ARN of a
 * bucket created in the same update is unknown; its recorded source being such a sink is enough.
 */
function destinationWrites(destination: StackResourceView, byUrn: Map<string, StackResourceView>): Link {
    const arn = at(destination.props, "deliveryDestinationConfiguration.destinationResourceArn");
    if (isUnknown(arn) || isUnknown(destination.props["deliveryDestinationConfiguration"])) {
        const sources = destination.propertyDependencies["deliveryDestinationConfiguration"] ?? [];
        return sources.some((urn) => SINK_TYPES.includes(byUrn.get(urn)?.type ?? "")) ? "yes" : "unknown";
    }
    return typeof arn === "string" && arn.startsWith("arn:") ? "yes" : "no";
}

/**
 * Standard logging v2: a delivery source of log type ACCESS_LOGS on the distribution, a delivery from that
 * source, and the delivery's destination writing to a resource. Each hop is joined by property dependency
 * first and identifier value second.
 */
function v2Logging(distribution: StackResourceView, resources: StackResourceView[]): Link {
    const byUrn = new Map(resources.map((r) => [r.urn, r]));
    const links: Link[] = [];
    for (const source of ofTypes(resources, [SOURCE])) {
        const onDistribution = refersTo(source, "resourceArn", distribution, ["arn"]);
        if (onDistribution === "no") {
            continue;
        }
        const logType = source.props["logType"];
        const accessLogs: Link = isUnknown(logType) ? "unknown" : logType === "ACCESS_LOGS" ? "yes" : "no";
        if (accessLogs === "no") {
            continue;
        }
        for (const delivery of ofTypes(resources, [DELIVERY])) {
            const fromSource = refersTo(delivery, "deliverySourceName", source, ["name"]);
            if (fromSource === "no") {
                continue;
            }
            for (const destination of ofTypes(resources, [DESTINATION])) {
                const toDestination = refersTo(delivery, "deliveryDestinationArn", destination, ["arn"]);
                if (toDestination === "no") {
                    continue;
                }
                const hops = [onDistribution, accessLogs, fromSource, toDestination, destinationWrites(destination, byUrn)];
                links.push(hops.includes("no") ? "no" : hops.includes("unknown") ? "unknown" : "yes");
            }
        }
    }
    return anyLink(links);
}

/**
 * CDN-1: every CloudFront distribution writes access logs (cdk-nag CFR3, Checkov CKV_AWS_86), either through
 * legacy logging (`loggingConfig`, which needs ACL-enabled buckets) or through standard logging v2 (CloudWatch
 * Logs delivery: LogDeliverySource with the distribution ARN and log type ACCESS_LOGS, a LogDelivery and a
 * LogDeliveryDestination), the form that works with BucketOwnerEnforced log buckets. A stack rule because v2
 * logging lives in resources other than the distribution.
 */
export const cloudfrontAccessLogging = defineStackRule({
    name: "cloudfront-access-logging",
    description:
        "CloudFront distributions write access logs: legacy loggingConfig, or standard logging v2 (an ACCESS_LOGS delivery source on the distribution delivered to a destination).",
    severity: "medium",
    enforcementLevel: "mandatory",
    remediation:
        'Declare aws.cloudwatch.LogDeliverySource { logType: "ACCESS_LOGS", resourceArn: <distribution>.arn, region: "us-east-1" }, a LogDeliveryDestination to the log bucket and a LogDelivery joining them (or set loggingConfig on an ACL-enabled log bucket).',
    requirements: ["CDN-1", "POL-2"],
    validate(resources, judge) {
        for (const distribution of ofTypes(resources, [DISTRIBUTION])) {
            const link = anyLink([legacyLogging(distribution), v2Logging(distribution, resources)]);
            if (link === "unknown") {
                judge.cannotJudge("whether the access-log delivery belongs to the distribution", distribution.urn);
            } else if (link === "no") {
                judge.violation(
                    `distribution ${distribution.name} writes no access logs: neither loggingConfig.bucket nor an ACCESS_LOGS delivery source with a delivery to a destination.`,
                    distribution.urn,
                );
            }
        }
    },
});
