/**
 * One source for the alerting numbers (MON-2, ALARM-1, HC-1): the operations documents' thresholds live in
 * components/shared/thresholds.ts; the Prometheus rules, the CloudWatch alarms and the health checks default to
 * them, and the stack configuration schema defaults to the components' defaults. These tests tie the three.
 */
import { strict as assert } from "assert";
import { defaultAlarmThresholds } from "../../components/alarms";
import { defaultAlertThresholds } from "../../components/monitoring/rules";
import { OPERATIONS_THRESHOLDS } from "../../components/shared/thresholds";
import { parseStackConfig } from "../../infra/config";
import { schema } from "../../infra/config/schema";
import type { Field } from "../../infra/config/spec";
import { readProject, readStackConfig } from "../../tools/plan/render";
import { REPO_ROOT } from "../support/plan";

type Group = Field<unknown> & { fields: Record<string, Field<unknown>> };
const group = (field: unknown): Group => field as Group;

function schemaDefaults(fields: Record<string, Field<unknown>>): Record<string, unknown> {
    return Object.fromEntries(
        Object.entries(fields)
            .filter(([, f]) => f.defaultValue !== undefined && typeof f.defaultValue === "number")
            .map(([k, f]) => [k, f.defaultValue]),
    );
}

describe("alert thresholds: one source (MON-2, ALARM-1, HC-1)", () => {
    it("the schema's monitoring.thresholds defaults are the Prometheus rules' defaults, key for key", () => {
        const defaults = schemaDefaults(group(group(schema.monitoring).fields.thresholds).fields);
        assert.ok(Object.keys(defaults).length >= 10);
        for (const [key, value] of Object.entries(defaults)) {
            assert.equal(
                value,
                (defaultAlertThresholds as unknown as Record<string, unknown>)[key],
                `monitoring.thresholds.${key}`,
            );
        }
    });

    it("the schema's alarms defaults are the CloudWatch alarms' defaults, key for key", () => {
        const defaults = schemaDefaults(group(schema.alarms).fields);
        assert.deepEqual(Object.keys(defaults).sort(), Object.keys(defaultAlarmThresholds).sort());
        for (const [key, value] of Object.entries(defaults))
            assert.equal(value, (defaultAlarmThresholds as unknown as Record<string, unknown>)[key], `alarms.${key}`);
    });

    it("Prometheus rules, CloudWatch alarms and health checks share the operations documents' numbers", () => {
        const o = OPERATIONS_THRESHOLDS;
        assert.deepEqual(
            [defaultAlertThresholds.cpuPercent, defaultAlarmThresholds.rdsCpuPercent, defaultAlarmThresholds.cacheCpuPercent],
            [o.cpuPercent, o.cpuPercent, o.cpuPercent],
        );
        assert.deepEqual(
            [defaultAlertThresholds.memoryWarningPercent, defaultAlarmThresholds.cacheMemoryWarningPercent],
            [o.memoryWarningPercent, o.memoryWarningPercent],
        );
        assert.deepEqual(
            [defaultAlertThresholds.memoryCriticalPercent, defaultAlarmThresholds.cacheMemoryCriticalPercent],
            [o.memoryCriticalPercent, o.memoryCriticalPercent],
        );
        assert.deepEqual(
            [defaultAlertThresholds.errorRatePercent, defaultAlarmThresholds.albErrorRatePercent],
            [o.errorRatePercent, o.errorRatePercent],
        );
        assert.deepEqual(
            [defaultAlertThresholds.latencyP95Seconds, defaultAlarmThresholds.albLatencyP95Seconds],
            [o.latencyP95Seconds, o.latencyP95Seconds],
        );
        assert.equal(group(schema.health).fields.uptimeObjectivePercent.defaultValue, o.availabilityObjectivePercent);
        assert.equal(defaultAlertThresholds.availabilityObjectivePercent, o.availabilityObjectivePercent);
        // The operations documents' numbers themselves (a change here is a change of the operations rules).
        assert.deepEqual(
            { ...o },
            {
                cpuPercent: 80,
                memoryWarningPercent: 80,
                memoryCriticalPercent: 85,
                diskPercent: 80,
                errorRatePercent: 1,
                latencyP95Seconds: 1,
                availabilityObjectivePercent: 99.5,
            },
        );
    });

    it("a stack that sets no thresholds gets exactly the components' defaults", () => {
        const { config } = readStackConfig(REPO_ROOT, readProject(REPO_ROOT), "prod");
        const monitoring = JSON.parse(config["bookbuddy:monitoring"] ?? "{}") as Record<string, unknown>;
        delete monitoring.thresholds;
        const raw: Record<string, string> = { ...config, "bookbuddy:monitoring": JSON.stringify(monitoring) };
        delete raw["bookbuddy:alarms"];
        const cfg = parseStackConfig("prod", raw);
        for (const [k, v] of Object.entries(cfg.monitoring.thresholds))
            assert.equal(v, (defaultAlertThresholds as unknown as Record<string, unknown>)[k], k);
        const { emails: _emails, ...alarms } = cfg.alarms;
        assert.deepEqual(alarms, { ...defaultAlarmThresholds });
    });
});
