import { rdsOk } from "../cases";
import { pinResource } from "./pin";

const RULE = "rds-managed-master-password";
const RDS = "aws:rds/instance:Instance";

describe(`${RULE}: every password property, empty values and read replicas (DB-3, SEC-2)`, () => {
    it("names each password property that is set", async () => {
        for (const key of ["password", "passwordWo", "masterPassword", "masterPasswordWo"]) {
            await pinResource(
                RULE,
                RDS,
                { ...rdsOk, [key]: "[secret]" },
                { violations: [`'${key}' is set: a master password must not pass through config or state; let RDS manage it.`] },
            );
        }
    });

    it("does not count a null or empty password as set", async () => {
        await pinResource(RULE, RDS, { ...rdsOk, password: null, masterPassword: "" }, {});
    });

    it("asks a read replica for no managed password, and reports a primary without one", async () => {
        await pinResource(RULE, RDS, { ...rdsOk, manageMasterUserPassword: undefined, replicateSourceDb: "bookbuddy-db" }, {});
        await pinResource(
            RULE,
            RDS,
            { ...rdsOk, manageMasterUserPassword: undefined },
            { violations: ["manageMasterUserPassword must be true."] },
        );
    });
});
