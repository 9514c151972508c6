import { pinStack, resource } from "./pin";

const RULE = "provider-default-tags";
const TAGS = { environment: "prod", service: "bookbuddy", owner: "platform", "cost-center": "cc-42", "managed-by": "pulumi" };
const provider = (tags: Record<string, unknown>) =>
    resource("pulumi:providers:aws", "aws", { region: "eu-west-1", defaultTags: JSON.stringify({ tags }) });

describe(`${RULE}: the tags each provider gives its resources (ENV-5)`, () => {
    it("reports tags that are not strings, lists every missing key, and does not judge an absent managed-by twice", async () => {
        const p = provider({ environment: 5, service: "bookbuddy", "cost-center": "cc-42" });
        const bucket = resource("aws:s3/bucket:Bucket", "media", { bucket: "m" }, { provider: p });
        await pinStack(RULE, [p, bucket], {
            violations: [[bucket, "media: provider aws defaultTags lacks environment, owner, managed-by."]],
        });
    });

    it("judges every resource of a provider the same way", async () => {
        const p = provider({ ...TAGS, owner: "" });
        const a = resource("aws:s3/bucket:Bucket", "a", { bucket: "a" }, { provider: p });
        const b = resource("aws:s3/bucket:Bucket", "b", { bucket: "b" }, { provider: p });
        await pinStack(RULE, [p, a, b], {
            violations: [
                [a, "a: provider aws defaultTags lacks owner."],
                [b, "b: provider aws defaultTags lacks owner."],
            ],
        });
    });

    it("names a resource on no recorded provider exactly", async () => {
        const orphan = resource("aws:s3/bucket:Bucket", "orphan", { bucket: "o" });
        await pinStack(RULE, [orphan], {
            violations: [[orphan, "orphan uses no recorded AWS provider, so its default tags cannot be proven."]],
        });
    });
});
