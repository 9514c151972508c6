import * as assert from "assert";
import { allRules, resourceCases, ruleNamed } from "./cases";
import { WIRE, checkResource, resource } from "./harness";

describe("policy packs: every resource rule on compliant, violating and unknown inputs (POL-1, POL-2, POL-3)", () => {
    it("has at least one compliant and one violating case for every resource rule", () => {
        const missing = allRules
            .filter((r) => r.kind === "resource")
            .map((r) => r.name)
            .filter((name) => !resourceCases.some((c) => c.rule === name && c.bad.length > 0));
        assert.deepStrictEqual(missing, []);
    });

    for (const c of resourceCases) {
        describe(`${c.rule} on ${c.type}`, () => {
            const rule = ruleNamed(c.rule);

            it(`passes the compliant ${c.type.split(":").pop()} (${rule.requirements.join(", ")})`, async () => {
                const outcome = await checkResource(rule, resource(c.type, "compliant", c.ok), { config: c.config });
                assert.strictEqual(outcome.notApplicable, undefined);
                assert.deepStrictEqual(outcome.violations, []);
                assert.deepStrictEqual(outcome.cannotJudge, []);
            });

            for (const bad of c.bad) {
                it(`reports ${bad.why}`, async () => {
                    const outcome = await checkResource(rule, resource(c.type, "violating", bad.props), { config: c.config });
                    assert.ok(outcome.violations.length > 0, `expected a violation, got ${JSON.stringify(outcome)}`);
                    assert.ok(
                        outcome.violations.some((v) => bad.expect.test(v.message)),
                        `no message matched ${bad.expect}: ${JSON.stringify(outcome.violations)}`,
                    );
                });
            }

            it("neither crashes nor fails wrongly when a property is unknown during preview", async () => {
                let judgedUnknown = 0;
                for (const key of Object.keys(c.ok)) {
                    const outcome = await checkResource(rule, resource(c.type, "previewed", { ...c.ok, [key]: WIRE.unknown }), {
                        config: c.config,
                    });
                    assert.deepStrictEqual(outcome.violations, [], `unknown ${key} produced a violation`);
                    judgedUnknown += outcome.cannotJudge.length;
                    outcome.cannotJudge.forEach((m) => assert.match(m, new RegExp(`^${c.rule} cannot judge`)));
                }
                if (!c.unknownIsPresent) {
                    assert.ok(judgedUnknown > 0, "some property the rule reads should make it say it cannot judge");
                }
            });
        });
    }

    it("reports a whole unknown property bag as 'cannot judge' rather than passing", async () => {
        const outcome = await checkResource(
            ruleNamed("rds-storage-encrypted-cmk"),
            resource("aws:rds/instance:Instance", "db", { storageEncrypted: WIRE.unknown, kmsKeyId: WIRE.unknown }),
        );
        assert.deepStrictEqual(outcome.violations, []);
        assert.match(outcome.cannotJudge[0], /storageEncrypted; kmsKeyId/);
    });

    it("leaves Ingresses of other controllers to them: k8s-ingress-alb-tls judges only the ALB class (EDGE-1)", async () => {
        const nginx = resource("kubernetes:networking.k8s.io/v1:Ingress", "nginx", {
            metadata: { annotations: {} },
            spec: { ingressClassName: "nginx" },
        });
        const outcome = await checkResource(ruleNamed("k8s-ingress-alb-tls"), nginx);
        assert.deepStrictEqual(outcome, { violations: [], cannotJudge: [] });
    });

    it("is not applicable to other resource types", async () => {
        const outcome = await checkResource(
            ruleNamed("rds-multi-az"),
            resource("aws:s3/bucket:Bucket", "media", { bucket: "m" }),
        );
        assert.match(outcome.notApplicable ?? "", /applies only to aws:rds\/instance:Instance/);
    });

    describe("exemptions by resource name with a reason (POL-1)", () => {
        const rule = ruleNamed("sg-rule-description");
        const bastion = resource("aws:ec2/securityGroupRule:SecurityGroupRule", "vpn-endpoint-udp", {
            type: "ingress",
            description: " ",
            protocol: "udp",
            fromPort: 1194,
            toPort: 1194,
            cidrBlocks: ["0.0.0.0/0"],
        });

        it("skips an exempted resource as not applicable, naming the reason", async () => {
            const outcome = await checkResource(rule, bastion, {
                config: {
                    exemptions: [{ resource: "vpn-endpoint-udp", reason: "client VPN endpoint must be reachable from anywhere" }],
                },
            });
            assert.deepStrictEqual(outcome.violations, []);
            assert.match(outcome.notApplicable ?? "", /exempted: client VPN endpoint/);
        });

        it("still judges resources not named in the exemption", async () => {
            const outcome = await checkResource(rule, bastion, {
                config: { exemptions: [{ resource: "other", reason: "a different resource entirely" }] },
            });
            assert.strictEqual(outcome.violations.length, 1);
        });

        it("rejects an exemption without a reason", async () => {
            await assert.rejects(
                checkResource(rule, bastion, { config: { exemptions: [{ resource: "vpn-endpoint-udp" }] } }),
                /reason is required/,
            );
        });
    });
});
