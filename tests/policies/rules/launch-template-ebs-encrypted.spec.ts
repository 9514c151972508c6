import { WIRE, cannotJudge, pinResource } from "./pin";

const RULE = "launch-template-ebs-encrypted";
const LT = "aws:ec2/launchTemplate:LaunchTemplate";
const ebs = (encrypted: unknown) => ({ deviceName: "/dev/xvda", ebs: { encrypted, volumeSize: 50, volumeType: "gp3" } });
const pin = (mappings: unknown[], verdict: Parameters<typeof pinResource>[3]) =>
    pinResource(RULE, LT, { blockDeviceMappings: mappings }, verdict);

describe(`${RULE}: EBS mappings only, boolean or string true (K8S-1)`, () => {
    it("skips mappings without EBS and accepts a boolean true", async () => {
        await pin([{ deviceName: "/dev/sdb", virtualName: "ephemeral0" }, ebs(true)], {});
    });

    it("reports an unencrypted volume exactly and cannot judge an unknown flag", async () => {
        await pin([ebs("false")], { violations: ['blockDeviceMappings[0].ebs.encrypted must be "true".'] });
        await pin([ebs(WIRE.unknown)], { cannotJudge: [cannotJudge(RULE, "blockDeviceMappings[0].ebs.encrypted")] });
    });
});
