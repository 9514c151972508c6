import { WIRE, cannotJudge, pinStack, resource } from "./pin";

const RULE = "s3-bucket-maintenance-coverage";
const bucket = (name: string, extra: Record<string, unknown> = {}) =>
    resource("aws:s3/bucket:Bucket", name, { bucket: `bookbuddy-${name}`, ...extra });
const companion = (type: string, name: string, props: Record<string, unknown>) => resource(type, name, props);
const versioning = (b: string, type = "aws:s3/bucketVersioning:BucketVersioning") =>
    companion(type, `${b}-versioning`, { bucket: `bookbuddy-${b}`, versioningConfiguration: { status: "Enabled" } });
const lifecycle = (b: string, type = "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration") =>
    companion(type, `${b}-lifecycle`, { bucket: `bookbuddy-${b}`, rules: [] });
const logging = (b: unknown, target: unknown) =>
    companion("aws:s3/bucketLogging:BucketLogging", `logging-${String(b).length}-${String(target).length}`, {
        bucket: b,
        targetBucket: target,
    });

describe(`${RULE}: companions of every bucket (STORE-1)`, () => {
    it("accepts the inline forms of versioning, lifecycle rules and logging", async () => {
        await pinStack(
            RULE,
            [
                bucket("media", {
                    versioning: { enabled: true },
                    lifecycleRules: [{ enabled: true }],
                    logging: { targetBucket: "bookbuddy-logs" },
                }),
            ],
            {},
        );
    });

    it("accepts the V2 resource forms", async () => {
        await pinStack(
            RULE,
            [
                bucket("media"),
                versioning("media", "aws:s3/bucketVersioningV2:BucketVersioningV2"),
                lifecycle("media", "aws:s3/bucketLifecycleConfigurationV2:BucketLifecycleConfigurationV2"),
                logging("bookbuddy-media", "bookbuddy-logs"),
            ],
            {},
        );
    });

    it("names each missing companion exactly", async () => {
        const b = bucket("media");
        await pinStack(RULE, [b], {
            violations: [
                [b, "bucket media has no versioning."],
                [b, "bucket media has no a lifecycle configuration."],
                [b, "bucket media has no access logging."],
            ],
        });
    });

    it("excuses a log-target bucket from logging, but not from versioning or lifecycle", async () => {
        const logs = bucket("logs");
        await pinStack(
            RULE,
            [
                bucket("media", { versioning: { enabled: true }, lifecycleRules: [{ enabled: true }] }),
                logs,
                logging("bookbuddy-media", "bookbuddy-logs"),
            ],
            {
                violations: [
                    [logs, "bucket logs has no versioning."],
                    [logs, "bucket logs has no a lifecycle configuration."],
                ],
            },
        );
    });

    it("cannot judge logging whose bucket or target bucket is unknown", async () => {
        const b = bucket("media", { versioning: { enabled: true }, lifecycleRules: [{ enabled: true }] });
        const what = cannotJudge(RULE, ["whether access logging belongs to the bucket", b]);
        await pinStack(RULE, [b, logging(WIRE.unknown, "bookbuddy-logs")], { cannotJudge: [what] });
        await pinStack(RULE, [b, logging("bookbuddy-other", WIRE.unknown)], { cannotJudge: [what] });
    });

    it("cannot judge versioning whose bucket is unknown", async () => {
        const b = bucket("media", { lifecycleRules: [{ enabled: true }], logging: { targetBucket: "bookbuddy-logs" } });
        await pinStack(
            RULE,
            [
                b,
                companion("aws:s3/bucketVersioning:BucketVersioning", "v", {
                    bucket: WIRE.unknown,
                    versioningConfiguration: { status: "Enabled" },
                }),
            ],
            { cannotJudge: [cannotJudge(RULE, ["whether versioning belongs to the bucket", b])] },
        );
    });
});
