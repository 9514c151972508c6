import { rdsOk } from "../cases";
import { WIRE, cannotJudge, pinResource } from "./pin";

const RULE = "rds-force-ssl";
const RDS = "aws:rds/instance:Instance";
const PG = "aws:rds/parameterGroup:ParameterGroup";
const FORCE = { name: "rds.force_ssl", value: "1" };

describe(`${RULE}: the instance's parameter group and the group's rds.force_ssl (DB-1)`, () => {
    it("reports an empty, a non-string and a default parameter group name", async () => {
        const custom = "parameterGroupName must name a custom parameter group (the default group cannot force TLS).";
        for (const name of ["", 5, "default.postgres16"]) {
            await pinResource(RULE, RDS, { ...rdsOk, parameterGroupName: name }, { violations: [custom] });
        }
    });

    it("reports a non-postgres family and a family that is not a string", async () => {
        for (const family of ["mysql8.0", 16]) {
            await pinResource(
                RULE,
                PG,
                { family, parameters: [FORCE] },
                { violations: ["family must be a postgres family (e.g. postgres16)."] },
            );
        }
    });

    it("finds rds.force_ssl among other parameters and entries that are not parameters", async () => {
        await pinResource(
            RULE,
            PG,
            { family: "postgres16", parameters: [null, { name: "log_min_duration_statement", value: "500" }, FORCE] },
            {},
        );
        await pinResource(
            RULE,
            PG,
            {
                family: "postgres16",
                parameters: [
                    { name: "log_min_duration_statement", value: "500" },
                    { name: "rds.force_ssl", value: "0" },
                ],
            },
            { violations: ["rds.force_ssl must be 1."] },
        );
    });

    it("cannot judge an unknown rds.force_ssl value", async () => {
        await pinResource(
            RULE,
            PG,
            { family: "postgres16", parameters: [{ name: "rds.force_ssl", value: WIRE.unknown }] },
            { cannotJudge: [cannotJudge(RULE, "parameters[rds.force_ssl].value")] },
        );
    });
});
