import * as assert from "assert";
import * as aws from "@pulumi/aws";
import {
    BackupPlan,
    BackupPlanArgs,
    FAILED_JOB_EVENT_PATTERN,
    VAULT_NOTIFICATION_EVENTS,
    awsCronToFiveField,
    validateAwsCron,
} from "../../components/backup";
import { PlanDocument, PlanResourceState } from "../../tools/plan/types";
import { childrenOf, json, nameOf, one as oneOf, ofType as ofTypeOf, renderComponent, renderedStack } from "../support/plan";

/** Recorded resources with their inputs and outputs open for assertions. */
type Recorded = PlanResourceState & { inputs: any; outputs?: any };
const one = (doc: PlanDocument, type: string, name?: string | RegExp): Recorded => oneOf(doc, type, name) as Recorded;
const ofType = (doc: PlanDocument, type: string): Recorded[] => ofTypeOf(doc, type) as Recorded[];

const KEY = "arn:aws:kms:us-east-1:123456789012:key/11111111-2222-4333-8444-555555555555";
const DR_KEY = "arn:aws:kms:us-west-2:123456789012:key/99999999-2222-4333-8444-555555555555";
const TOPIC = "arn:aws:sns:us-east-1:123456789012:bookbuddy-test-alerts";
const T = {
    component: "bookbuddy:backup:BackupPlan",
    vault: "aws:backup/vault:Vault",
    plan: "aws:backup/plan:Plan",
    selection: "aws:backup/selection:Selection",
    lock: "aws:backup/vaultLockConfiguration:VaultLockConfiguration",
    notifications: "aws:backup/vaultNotifications:VaultNotifications",
    rtPlan: "aws:backup/restoreTestingPlan:RestoreTestingPlan",
    rtSelection: "aws:backup/restoreTestingSelection:RestoreTestingSelection",
    role: "aws:iam/role:Role",
    attachment: "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
    rolePolicy: "aws:iam/rolePolicy:RolePolicy",
    eventRule: "aws:cloudwatch/eventRule:EventRule",
    eventTarget: "aws:cloudwatch/eventTarget:EventTarget",
};
const context = { accountId: "123456789012", region: "us-east-1", partition: "aws" };
const rules = [
    { name: "database", tagValue: "database", schedule: "cron(0 0 ? * * *)", retentionDays: 30, copyRetentionDays: 30 },
    { name: "media", tagValue: "media", schedule: "cron(0 0 ? * * *)", retentionDays: 90 },
];

function render(extra: (dr: aws.Provider) => Partial<BackupPlanArgs>): Promise<PlanDocument> {
    return renderComponent(() => {
        const dr = new aws.Provider("dr", { region: "us-west-2" });
        const plan = new BackupPlan("bb", { vaultName: "bookbuddy-test-backup", kmsKeyArn: KEY, rules, context, ...extra(dr) });
        return { vault: plan.vaultArn };
    });
}

describe("BackupPlan, production shape (BKP-1, BKP-3, DR-1)", () => {
    let doc: PlanDocument;
    before(async () => {
        doc = await render((dr) => ({
            copyTo: { vaultName: "bookbuddy-test-backup-dr", kmsKeyArn: DR_KEY, provider: dr },
            vaultLock: { changeableForDays: 3, maxRetentionDays: 365 },
            notificationTopicArn: TOPIC,
            restoreTesting: {
                schedule: "cron(0 9 ? * MON *)",
                dbInstanceClass: "db.t4g.medium",
                dbSubnetGroupName: "bb-db",
                vpcSecurityGroupIds: ["sg-0123"],
            },
        }));
    });

    it("has exactly the expected children (BKP-1, BKP-3)", () => {
        const kids = childrenOf(doc, one(doc, T.component))
            .map((r) => `${r.type}::${nameOf(r)}`)
            .sort();
        assert.deepStrictEqual(
            kids,
            [
                `${T.vault}::bb`,
                `${T.vault}::bb-dr`,
                `${T.role}::bb`,
                ...[
                    "AWSBackupServiceRolePolicyForBackup",
                    "AWSBackupServiceRolePolicyForRestores",
                    "AWSBackupServiceRolePolicyForS3Backup",
                    "AWSBackupServiceRolePolicyForS3Restore",
                ].map((p) => `${T.attachment}::bb-${p}`),
                `${T.rolePolicy}::bb-vault-keys`,
                `${T.plan}::bb-database`,
                `${T.plan}::bb-media`,
                `${T.selection}::bb-database`,
                `${T.selection}::bb-media`,
                `${T.lock}::bb`,
                `${T.lock}::bb-dr`,
                `${T.notifications}::bb`,
                `${T.eventRule}::bb-failed-jobs`,
                `${T.eventTarget}::bb-failed-jobs`,
                `${T.rtPlan}::bb`,
                `${T.rtSelection}::bb`,
            ].sort(),
        );
    });

    it("encrypts both vaults with customer-managed keys, the copy vault in the DR region (BKP-1, DR-1)", () => {
        assert.strictEqual(one(doc, T.vault, "bb").inputs.kmsKeyArn, KEY);
        const dr = one(doc, T.vault, "bb-dr");
        assert.strictEqual(dr.inputs.kmsKeyArn, DR_KEY);
        assert.match(dr.provider ?? "", /::dr::/, "the copy vault uses the DR provider");
        assert.match(String(dr.outputs?.arn), /^arn:aws:backup:us-west-2:/);
    });

    it("backs up the database daily for 30 days and media for 90, each copied to the DR vault (BKP-1)", () => {
        const db = one(doc, T.plan, "bb-database").inputs.rules[0];
        assert.strictEqual(db.schedule, "cron(0 0 ? * * *)");
        assert.strictEqual(db.scheduleExpressionTimezone, "Etc/UTC");
        assert.deepStrictEqual(db.lifecycle, { deleteAfter: 30 });
        assert.strictEqual(db.startWindow, 60);
        assert.strictEqual(db.completionWindow, 480);
        assert.strictEqual(db.copyActions.length, 1);
        assert.match(
            db.copyActions[0].destinationVaultArn,
            /^arn:aws:backup:us-west-2:123456789012:backup-vault:bookbuddy-test-backup-dr$/,
        );
        assert.deepStrictEqual(db.copyActions[0].lifecycle, { deleteAfter: 30 });
        const media = one(doc, T.plan, "bb-media").inputs.rules[0];
        assert.deepStrictEqual(media.lifecycle, { deleteAfter: 90 });
        assert.deepStrictEqual(media.copyActions[0].lifecycle, { deleteAfter: 90 }, "copy retention defaults to the rule's");
    });

    it("selects resources by their backup tag, one plan per tag so retentions never mix (BKP-1)", () => {
        for (const tag of ["database", "media"]) {
            const sel = one(doc, T.selection, `bb-${tag}`).inputs;
            assert.deepStrictEqual(sel.selectionTags, [{ type: "STRINGEQUALS", key: "backup", value: tag }]);
            assert.strictEqual(sel.planId, one(doc, T.plan, `bb-${tag}`).outputs?.id);
            assert.strictEqual(sel.iamRoleArn, one(doc, T.role, "bb").outputs?.arn);
        }
        assert.deepStrictEqual(json(one(doc, T.role, "bb").inputs.assumeRolePolicy).Statement[0].Principal, {
            Service: "backup.amazonaws.com",
        });
    });

    it("lets the service role use only the two vault keys (BKP-1, SEC-4)", () => {
        const policy = json(one(doc, T.rolePolicy, "bb-vault-keys").inputs.policy);
        for (const s of policy.Statement) assert.deepStrictEqual(s.Resource, [KEY, DR_KEY]);
    });

    it("locks both vaults in compliance mode with the shortest rule as minimum retention (BKP-1, DR-1)", () => {
        assert.deepStrictEqual(
            (({ changeableForDays, minRetentionDays, maxRetentionDays }) => ({
                changeableForDays,
                minRetentionDays,
                maxRetentionDays,
            }))(one(doc, T.lock, "bb").inputs),
            { changeableForDays: 3, minRetentionDays: 30, maxRetentionDays: 365 },
        );
        assert.strictEqual(one(doc, T.lock, "bb").inputs.changeableForDays, 3);
        const dr = one(doc, T.lock, "bb-dr");
        assert.strictEqual(dr.inputs.minRetentionDays, 30);
        assert.match(dr.provider ?? "", /::dr::/, "the copy vault is locked in its own region");
    });

    it("notifies the alert topic of failed jobs through supported vault events and an EventBridge rule (BKP-1, ALARM-1)", () => {
        const n = one(doc, T.notifications).inputs;
        assert.strictEqual(n.snsTopicArn, TOPIC);
        assert.deepStrictEqual(n.backupVaultEvents, VAULT_NOTIFICATION_EVENTS);
        for (const deprecated of ["BACKUP_JOB_FAILED", "BACKUP_JOB_EXPIRED", "RESTORE_JOB_FAILED"])
            assert.ok(!n.backupVaultEvents.includes(deprecated), `${deprecated} sends nothing`);
        assert.deepStrictEqual(json(one(doc, T.eventRule).inputs.eventPattern), FAILED_JOB_EVENT_PATTERN);
        assert.strictEqual(one(doc, T.eventTarget).inputs.arn, TOPIC);
    });

    it("tests restores of the newest database snapshot into a small private instance with a validation window (BKP-3)", () => {
        const plan = one(doc, T.rtPlan).inputs;
        assert.match(plan.name, /^[A-Za-z0-9_]+$/, "restore testing names allow no dashes");
        assert.strictEqual(plan.scheduleExpression, "cron(0 9 ? * MON *)");
        assert.deepStrictEqual(plan.recoveryPointSelection.recoveryPointTypes, ["SNAPSHOT"]);
        assert.strictEqual(plan.recoveryPointSelection.algorithm, "LATEST_WITHIN_WINDOW");
        const sel = one(doc, T.rtSelection).inputs;
        assert.strictEqual(sel.protectedResourceType, "RDS");
        assert.deepStrictEqual(sel.protectedResourceArns, ["*"]);
        assert.deepStrictEqual(sel.protectedResourceConditions, {
            stringEquals: [{ key: "aws:ResourceTag/backup", value: "database" }],
        });
        assert.strictEqual(sel.validationWindowHours, 4);
        assert.deepStrictEqual(sel.restoreMetadataOverrides, {
            dbInstanceClass: "db.t4g.medium",
            dbSubnetGroupName: "bb-db",
            vpcSecurityGroupIds: '["sg-0123"]',
            publiclyAccessible: "false",
            multiAZ: "false",
            deletionProtection: "false",
        });
    });
});

describe("BackupPlan, minimal shape and argument checks (BKP-1)", () => {
    it("without the optional parts creates one vault, no copy, lock, notifications or restore testing", async () => {
        const doc = await render(() => ({}));
        assert.strictEqual(ofType(doc, T.vault).length, 1);
        for (const t of [T.lock, T.notifications, T.rtPlan, T.eventRule]) assert.strictEqual(ofType(doc, t).length, 0, t);
        assert.strictEqual(one(doc, T.plan, "bb-database").inputs.rules[0].copyActions, undefined);
    });

    const base: BackupPlanArgs = { vaultName: "v", kmsKeyArn: KEY, rules, context };
    const cases: [string, Partial<BackupPlanArgs>, RegExp][] = [
        ["a five-field schedule", { rules: [{ ...rules[0], schedule: "0 0 * * *" }] }, /invalid AWS schedule/],
        ["both day fields set", { rules: [{ ...rules[0], schedule: "cron(0 0 * * MON *)" }] }, /daysOfMonth and daysOfWeek/],
        [
            "a lock shorter than the longest rule",
            { vaultLock: { changeableForDays: 3, maxRetentionDays: 60 } },
            /shorter than the longest rule \(90 days\)/,
        ],
        ["a completion window too short", { completionWindowMinutes: 90 }, /completionWindowMinutes \(90\)/],
        ["duplicate rule names", { rules: [rules[0], rules[0]] }, /unique/],
    ];
    for (const [what, args, message] of cases) {
        it(`rejects ${what}`, () => {
            assert.throws(() => new BackupPlan("x", { ...base, ...args }), message);
        });
    }
});

describe("AWS Backup schedules (BKP-1, MNT-2)", () => {
    it("validates with cron-validate's AWS preset and projects to five fields", () => {
        assert.strictEqual(validateAwsCron("cron(0 0 ? * * *)"), undefined);
        assert.match(validateAwsCron("cron(0 24 ? * * *)") ?? "", /hours/);
        assert.strictEqual(awsCronToFiveField("cron(30 2 ? * 1,7 *)"), "30 2 * * 0,6");
        assert.strictEqual(awsCronToFiveField("cron(0 9 ? * MON-FRI *)"), "0 9 * * MON-FRI");
        assert.throws(() => awsCronToFiveField("cron(0 0 L * ? *)"), /cannot be checked/);
    });
});

describe("Stacks: AWS Backup per environment (BKP-1, BKP-3, DR-1, ENV-1, ENV-4)", () => {
    it("prod: two encrypted vaults in two regions, 30/90-day rules with DR copies, a lock, notifications and restore testing", async () => {
        const doc = await renderedStack("prod");
        const vaults = ofType(doc, T.vault);
        assert.deepStrictEqual(vaults.map((v) => String(v.outputs?.arn).split(":")[3]).sort(), ["us-east-1", "us-west-2"]);
        for (const v of vaults) assert.match(String(v.inputs.kmsKeyArn), /^arn:aws:kms:/);
        const db = one(doc, T.plan, /-backup-database$/).inputs.rules[0];
        const media = one(doc, T.plan, /-backup-media$/).inputs.rules[0];
        assert.deepStrictEqual([db.lifecycle.deleteAfter, media.lifecycle.deleteAfter], [30, 90]);
        assert.strictEqual(db.copyActions.length, 1);
        assert.strictEqual(media.copyActions.length, 1);
        assert.deepStrictEqual(
            ofType(doc, T.lock).map((l) => l.inputs.minRetentionDays),
            [30, 30],
        );
        assert.match(one(doc, T.notifications).inputs.snsTopicArn, /:bookbuddy-prod-alerts$/);
        one(doc, T.rtPlan);
        assert.strictEqual(one(doc, T.rtSelection).inputs.restoreMetadataOverrides.publiclyAccessible, "false");
    });

    it("dev: daily backups kept the required 30/90 days, and none of the DR extras (BKP-1, ENV-4)", async () => {
        const doc = await renderedStack("dev");
        assert.strictEqual(ofType(doc, T.vault).length, 1);
        const db = one(doc, T.plan, /-backup-database$/).inputs.rules[0];
        assert.strictEqual(db.schedule, "cron(0 0 ? * * *)");
        assert.deepStrictEqual(
            [db.lifecycle.deleteAfter, one(doc, T.plan, /-backup-media$/).inputs.rules[0].lifecycle.deleteAfter],
            [30, 90],
        );
        assert.strictEqual(db.copyActions, undefined);
        for (const t of [T.lock, T.rtPlan]) assert.strictEqual(ofType(doc, t).length, 0, t);
        one(doc, T.notifications);
    });

    it("staging mirrors prod's rules and restore testing without the DR copy or lock (ENV-2)", async () => {
        const doc = await renderedStack("staging");
        assert.strictEqual(ofType(doc, T.vault).length, 1);
        assert.strictEqual(one(doc, T.plan, /-backup-database$/).inputs.rules[0].lifecycle.deleteAfter, 30);
        one(doc, T.rtSelection);
        assert.strictEqual(ofType(doc, T.lock).length, 0);
    });

    it("every stack tags its database and media bucket into the plans (BKP-1)", async () => {
        for (const stack of ["dev", "staging", "prod"]) {
            const doc = await renderedStack(stack);
            assert.strictEqual(one(doc, "aws:rds/instance:Instance").inputs.tags.backup, "database", stack);
            assert.strictEqual(one(doc, "aws:s3/bucket:Bucket", /-media$/).inputs.tags.backup, "media", stack);
        }
    });
});
