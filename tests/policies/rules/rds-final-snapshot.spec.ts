import { rdsOk } from "../cases";
import { pinResource } from "./pin";

const RULE = "rds-final-snapshot";
const RDS = "aws:rds/instance:Instance";

describe(`${RULE}: replicas and the snapshot name (DB-2)`, () => {
    it("asks a read replica for no final snapshot", async () => {
        await pinResource(
            RULE,
            RDS,
            { ...rdsOk, replicateSourceDb: "bookbuddy-db", skipFinalSnapshot: true, finalSnapshotIdentifier: undefined },
            {},
        );
    });

    it("reports an empty snapshot identifier exactly", async () => {
        await pinResource(
            RULE,
            RDS,
            { ...rdsOk, finalSnapshotIdentifier: "" },
            { violations: ["finalSnapshotIdentifier must be set, or the deletion fails when it is needed most."] },
        );
    });
});
