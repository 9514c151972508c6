/**
 * A vendor-issued API key in prod (SEC-1, POL-2): the prod stack with one `supplied` key, rendered the way the
 * preview renders it (the key's value is an unreadable `secure:` value), passes both packs with zero
 * mandatory violations: the key is of the `external` class, has no rotation function (nothing may overwrite
 * a vendor's key) and an age alarm on the alert topic that the pack recognises.
 */
import * as assert from "assert";
import { loadStackConfig as loadPolicyConfig } from "../../policies/lib/config";
import { runPolicyPacks } from "../../tools/policy/runner";
import { readProject, readStackConfig, renderProgram } from "../../tools/plan/render";
import { nameOf, ofType, REPO_ROOT, resources, programModules } from "../support/plan";

describe("SEC-1 POL-2 a vendor-issued (external) key passes the prod packs", function () {
    this.timeout(300_000);

    it("prod with a supplied API key: external class, no rotation, an age alarm, zero mandatory violations", async () => {
        const project = readProject(REPO_ROOT);
        const { config, secretKeys } = readStackConfig(REPO_ROOT, project, "prod");
        const doc = await renderProgram(
            () => {
                // eslint-disable-next-line @typescript-eslint/no-require-imports
                const mod = require(project.mainPath);
                return mod && mod.__esModule && "default" in mod ? mod.default : mod;
            },
            {
                project: project.name,
                stack: "prod",
                config: {
                    ...config,
                    "bookbuddy:apiKeys": JSON.stringify([
                        { name: "maps", source: "supplied", rotationDays: 180, value: "[secret]" },
                    ]),
                },
                secretKeys: [...secretKeys, "bookbuddy:apiKeys"],
                freshModules: programModules,
            },
        );
        const secret = ofType(doc, "aws:secretsmanager/secret:Secret").find(
            (s) => s.inputs.name === "bookbuddy-prod/api-keys/maps",
        );
        assert.ok(secret, "the vendor's key is a secret");
        assert.deepEqual(secret.inputs.tags, {
            "rotation-class": "external",
            "api-key-source": "supplied",
            "max-age-days": "180",
        });
        assert.equal(
            ofType(doc, "aws:secretsmanager/secretRotation:SecretRotation").filter((r) =>
                (r.propertyDependencies.secretId ?? []).includes(secret.urn),
            ).length,
            0,
            "no rotation function touches it",
        );
        const alarm = ofType(doc, "aws:cloudwatch/eventRule:EventRule").filter(
            (r) => (r.inputs.tags as Record<string, string> | undefined)?.["age-alarm-for"] === "bookbuddy-prod/api-keys/maps",
        );
        assert.deepEqual(
            alarm.map((r) => r.inputs.scheduleExpression),
            ["rate(180 days)"],
        );

        const violations = await runPolicyPacks(resources(doc), {
            packs: ["security", "maintenance"],
            stack: "prod",
            config: loadPolicyConfig("prod"),
        });
        const mandatory = violations.filter((v) => v.enforcementLevel === "mandatory");
        assert.deepEqual(
            mandatory.map((v) => `${v.policy} ${v.urn.split("::").pop()}: ${v.message}`),
            [],
        );
        const aboutKey = violations.filter((v) => v.urn === secret.urn || v.urn === alarm[0]!.urn);
        assert.deepEqual(
            aboutKey.map((v) => `${v.policy} ${nameOf(secret)}`),
            [],
            "not even an advisory about the vendor's key",
        );
    });
});
