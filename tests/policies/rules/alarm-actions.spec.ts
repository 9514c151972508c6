import { pinResource } from "./pin";

const RULE = "alarm-actions";
const ALARM = "aws:cloudwatch/metricAlarm:MetricAlarm";
const TOPIC = ["arn:aws:sns:eu-west-1:111122223333:alerts"];

describe(`${RULE}: both action lists and missing-data handling (ALARM-1)`, () => {
    it("says who misses what when one action list is empty", async () => {
        await pinResource(
            RULE,
            ALARM,
            { alarmActions: [], okActions: TOPIC, treatMissingData: "missing" },
            { violations: ["alarmActions is empty: nobody learns about the alarm."] },
        );
        await pinResource(
            RULE,
            ALARM,
            { alarmActions: TOPIC, okActions: [], treatMissingData: "missing" },
            { violations: ["okActions is empty: nobody learns about the recovery."] },
        );
    });

    it("accepts each explicit treatMissingData and rejects other values", async () => {
        for (const value of ["breaching", "notBreaching", "ignore", "missing"]) {
            await pinResource(RULE, ALARM, { alarmActions: TOPIC, okActions: TOPIC, treatMissingData: value }, {});
        }
        for (const value of ["sometimes", 0]) {
            await pinResource(
                RULE,
                ALARM,
                { alarmActions: TOPIC, okActions: TOPIC, treatMissingData: value },
                { violations: ["treatMissingData must be set explicitly."] },
            );
        }
    });
});
