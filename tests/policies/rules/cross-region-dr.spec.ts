import { WIRE, cannotJudge, pinStack, resource } from "./pin";

const RULE = "cross-region-dr";
const DR_VAULT = "arn:aws:backup:eu-central-1:111122223333:backup-vault:dr";
const plan = (rules: unknown) => resource("aws:backup/plan:Plan", "daily", { name: "daily", rules });
const copying = (...targets: unknown[]) =>
    plan([
        {
            ruleName: "db",
            lifecycle: { deleteAfter: 30 },
            copyActions: targets.map((t) => (t === undefined ? { lifecycle: { deleteAfter: 30 } } : { destinationVaultArn: t })),
        },
    ]);
const NO_COPY = "backup plan daily has no copyActions to a DR-region vault.";

describe(`${RULE}: backup copies to the DR region (DR-1, BKP-1)`, () => {
    it("accepts a known destination even when another one is unknown", async () => {
        await pinStack(RULE, [copying(WIRE.unknown, DR_VAULT)], {});
    });

    it("cannot judge a plan whose only destinations are unknown, or whose rules are unknown", async () => {
        const p = copying(WIRE.unknown);
        await pinStack(RULE, [p], { cannotJudge: [cannotJudge(RULE, ["copyActions destination", p])] });
        const unknownRules = plan(WIRE.unknown);
        await pinStack(RULE, [unknownRules], { cannotJudge: [cannotJudge(RULE, ["plan rules", unknownRules])] });
    });

    it("reports a copy action without a destination or with an empty one", async () => {
        const missing = copying(undefined);
        await pinStack(RULE, [missing], { violations: [[missing, NO_COPY]] });
        const empty = copying("");
        await pinStack(RULE, [empty], { violations: [[empty, NO_COPY]] });
    });
});

describe(`${RULE}: replication of primary-data buckets (DR-1)`, () => {
    const bucket = (tags: unknown) => resource("aws:s3/bucket:Bucket", "media", { bucket: "bookbuddy-media", tags });
    const replication = (bucketRef: unknown) =>
        resource("aws:s3/bucketReplicationConfig:BucketReplicationConfig", "media-repl", {
            bucket: bucketRef,
            role: "arn:aws:iam::111122223333:role/repl",
            rules: [{ status: "Enabled" }],
        });

    it("links a replication by the bucket's name and reports a bucket replicated by nobody", async () => {
        await pinStack(RULE, [bucket({ "data-class": "primary" }), replication("bookbuddy-media")], {});
        const b = bucket({ "data-class": "primary" });
        await pinStack(RULE, [b, replication("bookbuddy-other")], {
            violations: [[b, "bucket media holds primary data but is not replicated to the DR region."]],
        });
    });

    it("asks nothing of a bucket tagged with another data class", async () => {
        await pinStack(RULE, [bucket({ "data-class": "logs" })], {});
    });

    it("cannot judge a bucket whose tags are unknown, or a replication whose bucket is unknown", async () => {
        const unknownTags = bucket(WIRE.unknown);
        await pinStack(RULE, [unknownTags], { cannotJudge: [cannotJudge(RULE, ["bucket tags", unknownTags])] });
        const b = bucket({ "data-class": "primary" });
        await pinStack(RULE, [b, replication(WIRE.unknown)], {
            cannotJudge: [cannotJudge(RULE, ["which bucket a replication belongs to", b])],
        });
    });
});

describe(`${RULE}: an unknown destination next to a copy action without one (DR-1)`, () => {
    it("cannot judge rather than report", async () => {
        const p = copying(WIRE.unknown, undefined);
        await pinStack(RULE, [p], { cannotJudge: [cannotJudge(RULE, ["copyActions destination", p])] });
    });
});
