import { WIRE, cannotJudge, pinResource } from "./pin";

const RULE = "cloudfront-origin-access-control";
const CF = "aws:cloudfront/distribution:Distribution";
const NO_OAC = "origins[0] is an S3 origin without an origin access control.";
const pin = (origin: Record<string, unknown>, verdict: Parameters<typeof pinResource>[3]) =>
    pinResource(RULE, CF, { origins: [{ originId: "o", ...origin }] }, verdict);

describe(`${RULE}: which origins are S3 origins (CDN-1)`, () => {
    it("recognises regional and global S3 domains, and any origin with s3OriginConfig", async () => {
        await pin({ domainName: "bookbuddy-media.s3.eu-west-1.amazonaws.com" }, { violations: [NO_OAC] });
        await pin({ domainName: "bookbuddy-media.s3-eu-west-1.amazonaws.com" }, { violations: [NO_OAC] });
        await pin({ domainName: "bookbuddy-media.s3.amazonaws.com" }, { violations: [NO_OAC] });
        await pin(
            { domainName: "media.bookbuddy.example", s3OriginConfig: { originAccessIdentity: "" } },
            { violations: [NO_OAC] },
        );
    });

    it("leaves a domain that only contains an S3 name alone", async () => {
        await pin({ domainName: "bookbuddy-media.s3.amazonaws.com.example.net" }, {});
    });

    it("reports an empty origin access control and cannot judge unknown ones", async () => {
        await pin({ domainName: "bookbuddy-media.s3.amazonaws.com", originAccessControlId: "" }, { violations: [NO_OAC] });
        await pin(
            { domainName: "bookbuddy-media.s3.amazonaws.com", originAccessControlId: WIRE.unknown },
            { cannotJudge: [cannotJudge(RULE, "origins[0].originAccessControlId")] },
        );
        await pin(
            { domainName: WIRE.unknown, originAccessControlId: "oac-1" },
            { cannotJudge: [cannotJudge(RULE, "origins[0].domainName")] },
        );
    });
});
