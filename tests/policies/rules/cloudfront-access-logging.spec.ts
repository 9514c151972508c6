import { WIRE, cannotJudge, pinStack, resource } from "./pin";

const RULE = "cloudfront-access-logging";
const CF = "aws:cloudfront/distribution:Distribution";
const ARN = "arn:aws:cloudfront::111122223333:distribution/MEDIA";
const NO_LOGS =
    "distribution media writes no access logs: neither loggingConfig.bucket nor an ACCESS_LOGS delivery source with a delivery to a destination.";
const CANNOT = "whether the access-log delivery belongs to the distribution";

const distribution = (inputs: Record<string, unknown> = {}) => resource(CF, "media", { arn: ARN, ...inputs });

/** A v2 chain joined by values: source on the distribution's ARN → delivery → destination with `config`. */
function chain(config: unknown, deps: Record<string, string[]> = {}) {
    const source = resource("aws:cloudwatch/logDeliverySource:LogDeliverySource", "src", {
        name: "media-src",
        logType: "ACCESS_LOGS",
        resourceArn: ARN,
    });
    const destination = resource("aws:cloudwatch/logDeliveryDestination:LogDeliveryDestination", "dst", {
        name: "media-dst",
        arn: "arn:aws:logs:us-east-1:111122223333:delivery-destination:media-dst",
        deliveryDestinationConfiguration: config,
    });
    const delivery = resource("aws:cloudwatch/logDelivery:LogDelivery", "delivery", {
        deliverySourceName: "media-src",
        deliveryDestinationArn: "arn:aws:logs:us-east-1:111122223333:delivery-destination:media-dst",
    });
    return [source, { ...destination, propertyDependencies: deps }, delivery];
}

describe(`${RULE}: legacy logging and the destination of v2 logging (CDN-1)`, () => {
    it("reports an empty legacy bucket and cannot judge an unknown one", async () => {
        const empty = distribution({ loggingConfig: { bucket: "" } });
        await pinStack(RULE, [empty], { violations: [[empty, NO_LOGS]] });
        const pending = distribution({ loggingConfig: { bucket: WIRE.unknown } });
        await pinStack(RULE, [pending], { cannotJudge: [cannotJudge(RULE, [CANNOT, pending])] });
    });

    it("accepts a destination writing to an ARN and reports one writing to no ARN or to none", async () => {
        const d = distribution();
        await pinStack(RULE, [d, ...chain({ destinationResourceArn: "arn:aws:s3:::bookbuddy-access-logs" })], {});
        await pinStack(RULE, [d, ...chain({ destinationResourceArn: "bookbuddy-access-logs" })], { violations: [[d, NO_LOGS]] });
        await pinStack(RULE, [d, ...chain({})], { violations: [[d, NO_LOGS]] });
    });

    it("accepts an unknown destination configuration that comes from a log group, and cannot judge one from a resource not recorded", async () => {
        const d = distribution();
        const group = resource("aws:cloudwatch/logGroup:LogGroup", "cf-logs", { name: "/cloudfront/media", retentionInDays: 90 });
        await pinStack(RULE, [d, group, ...chain(WIRE.unknown, { deliveryDestinationConfiguration: [group.urn] })], {});
        await pinStack(
            RULE,
            [
                d,
                ...chain(WIRE.unknown, {
                    deliveryDestinationConfiguration: ["urn:pulumi:test::bookbuddy::aws:s3/bucket:Bucket::elsewhere"],
                }),
            ],
            { cannotJudge: [cannotJudge(RULE, [CANNOT, d])] },
        );
    });
});
