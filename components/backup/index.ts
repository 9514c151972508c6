/**
 * Managed backups with AWS Backup (BKP-1, BKP-3, DR-1): encrypted vaults, one plan per kind of data store
 * selected by tag, optional cross-region copies and vault lock, failure notifications and restore testing.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { AwsContext, policyDocument, serviceTrustPolicy } from "../shared/context";
import { validateAwsCron } from "./schedule";

export { awsCronToFiveField, parseAwsCron, validateAwsCron } from "./schedule";

/** The tag key whose value selects a resource into a plan (BKP-1): `backup=database`, `backup=media`. */
export const BACKUP_TAG_KEY = "backup";

/** AWS-managed policies of the AWS Backup service role (BKP-1, BKP-3). */
export const BACKUP_SERVICE_POLICIES = [
    "service-role/AWSBackupServiceRolePolicyForBackup",
    "service-role/AWSBackupServiceRolePolicyForRestores",
    "AWSBackupServiceRolePolicyForS3Backup",
    "AWSBackupServiceRolePolicyForS3Restore",
];

/**
 * Vault events sent to the alert topic (BKP-1). Only failure events AWS still delivers: BACKUP_JOB_FAILED,
 * BACKUP_JOB_EXPIRED and RESTORE_JOB_FAILED are deprecated and send nothing, so failed, aborted and expired
 * backup and restore jobs are caught by the EventBridge rule of FAILED_JOB_EVENT_PATTERN instead.
 */
export const VAULT_NOTIFICATION_EVENTS = ["COPY_JOB_FAILED", "S3_BACKUP_OBJECT_FAILED", "S3_RESTORE_OBJECT_FAILED"];

/** EventBridge pattern of every backup, copy and restore job (restore tests included) that did not succeed (BKP-1, BKP-3). */
export const FAILED_JOB_EVENT_PATTERN = {
    source: ["aws.backup"],
    "detail-type": ["Backup Job State Change", "Copy Job State Change", "Restore Job State Change"],
    detail: { state: ["FAILED", "ABORTED", "EXPIRED", "PARTIAL"] },
};

/** One kind of data store and how it is backed up (BKP-1). */
export interface BackupRuleArgs {
    /** Short name, e.g. `database`; names the plan, rule and selection (BKP-1). */
    name: string;
    /** Value of the `backup` tag that selects resources into this plan, e.g. `database` (BKP-1). */
    tagValue: string;
    /** AWS cron schedule, UTC, e.g. `cron(0 0 ? * * *)` (BKP-1). */
    schedule: string;
    /** Days each recovery point is kept (BKP-1: database 30, media 90). */
    retentionDays: number;
    /** Days the DR-region copy is kept; default `retentionDays` (BKP-1, DR-1). */
    copyRetentionDays?: number;
}

/** The second vault in the DR region and its key (BKP-1, DR-1). */
export interface BackupCopyTarget {
    /** Vault name in the DR region (BKP-1). */
    vaultName: string;
    /** KMS key in the DR region encrypting that vault (BKP-1, SEC-3). */
    kmsKeyArn: pulumi.Input<string>;
    /** AWS provider of the DR region (DR-1). */
    provider: aws.Provider;
}

/** Compliance-mode vault lock of the primary vault (BKP-1). */
export interface VaultLockArgs {
    /** Grace days before the lock becomes immutable (compliance mode); at least 3 (BKP-1). */
    changeableForDays: number;
    /** Longest retention a recovery point in the vault may have; at least the longest rule (BKP-1). */
    maxRetentionDays: number;
}

/** AWS Backup restore testing of the database (BKP-3). */
export interface RestoreTestingArgs {
    /** AWS cron schedule of the restore tests, UTC (BKP-3). */
    schedule: string;
    /** `backup` tag value of the RDS instances tested; default `database` (BKP-3). */
    tagValue?: string;
    /** Hours after the schedule within which a test starts; default 1 (BKP-3). */
    startWindowHours?: number;
    /** Hours the restored instance is kept for validation before AWS Backup deletes it; default 4 (BKP-3). */
    validationWindowHours?: number;
    /** Newest recovery point from this many days back is tested; default 7 (BKP-3). */
    selectionWindowDays?: number;
    /** Instance class of the test restore, kept small (BKP-3). */
    dbInstanceClass: string;
    /** DB subnet group of the test restore: private database subnets (BKP-3, DB-1). */
    dbSubnetGroupName: pulumi.Input<string>;
    /** Security groups of the test restore (BKP-3, DB-1). */
    vpcSecurityGroupIds: pulumi.Input<string>[];
}

export interface BackupPlanArgs {
    /** Name of the primary vault; plans and selections derive their names from it (BKP-1). */
    vaultName: string;
    /** KMS key of the primary vault (BKP-1, SEC-3). */
    kmsKeyArn: pulumi.Input<string>;
    /** One plan per rule, each selecting resources by its `backup` tag value (BKP-1). */
    rules: BackupRuleArgs[];
    /** Minutes after the scheduled time within which a job must start; default 60, the AWS minimum (BKP-1). */
    startWindowMinutes?: number;
    /** Minutes within which a started job must finish; default 480 (BKP-1). */
    completionWindowMinutes?: number;
    /** Copy every recovery point to a vault in the DR region; default none (BKP-1, DR-1). */
    copyTo?: BackupCopyTarget;
    /** Compliance-mode lock of the primary vault and of the copy vault; default none (BKP-1). */
    vaultLock?: VaultLockArgs;
    /** SNS topic receiving failed-job notifications; default none (BKP-1, ALARM-1). */
    notificationTopicArn?: pulumi.Input<string>;
    /** Restore testing of the database; default none (BKP-3). */
    restoreTesting?: RestoreTestingArgs;
    /** Account, region and partition. */
    context: AwsContext;
}

/**
 * AWS Backup for the environment (BKP-1, BKP-3): a vault encrypted with a customer-managed key; one plan per
 * rule, because every rule of a plan applies to every selection of the plan (a database tagged into a shared
 * plan would also get the media retention); selections by the `backup` tag, so a new data store joins by
 * carrying the tag; one service role. Optional: a DR-region vault receiving copies with their own lifecycle,
 * compliance-mode vault locks (both vaults) whose minimum retention is the shortest rule, failed-job notifications to the
 * alert topic, and a restore testing plan that restores the newest database recovery point into a small,
 * private instance and keeps it for a validation window.
 */
export class BackupPlan extends pulumi.ComponentResource {
    readonly vault: aws.backup.Vault;
    readonly copyVault?: aws.backup.Vault;
    readonly role: aws.iam.Role;
    readonly plans: Record<string, aws.backup.Plan> = {};
    readonly selections: Record<string, aws.backup.Selection> = {};
    readonly vaultLock?: aws.backup.VaultLockConfiguration;
    readonly copyVaultLock?: aws.backup.VaultLockConfiguration;
    readonly restoreTestingPlan?: aws.backup.RestoreTestingPlan;
    readonly restoreTestingSelection?: aws.backup.RestoreTestingSelection;
    readonly vaultArn: pulumi.Output<string>;

    constructor(name: string, args: BackupPlanArgs, opts?: pulumi.ComponentResourceOptions) {
        validate(name, args);
        super("bookbuddy:backup:BackupPlan", name, {}, opts);
        const parent = { parent: this };
        const partition = args.context.partition;

        this.vault = new aws.backup.Vault(name, { name: args.vaultName, kmsKeyArn: args.kmsKeyArn, forceDestroy: false }, parent);
        this.vaultArn = this.vault.arn;

        if (args.copyTo) {
            // DR-1: the copy lives in the other region, under that region's provider and key.
            this.copyVault = new aws.backup.Vault(
                `${name}-dr`,
                { name: args.copyTo.vaultName, kmsKeyArn: args.copyTo.kmsKeyArn, forceDestroy: false },
                { parent: this, provider: args.copyTo.provider },
            );
        }

        this.role = new aws.iam.Role(
            name,
            {
                description: `AWS Backup service role of ${args.vaultName} (BKP-1)`,
                assumeRolePolicy: serviceTrustPolicy("backup.amazonaws.com"),
            },
            parent,
        );
        for (const policy of BACKUP_SERVICE_POLICIES) {
            new aws.iam.RolePolicyAttachment(
                `${name}-${policy.split("/").pop()}`,
                { role: this.role.name, policyArn: pulumi.interpolate`arn:${partition}:iam::aws:policy/${policy}` },
                parent,
            );
        }
        const keys = [args.kmsKeyArn, ...(args.copyTo ? [args.copyTo.kmsKeyArn] : [])];
        new aws.iam.RolePolicy(
            `${name}-vault-keys`,
            {
                role: this.role.id,
                policy: policyDocument([
                    {
                        Sid: "UseVaultKeys",
                        Effect: "Allow",
                        Action: ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:DescribeKey"],
                        Resource: keys,
                    },
                    {
                        Sid: "GrantToBackup",
                        Effect: "Allow",
                        Action: "kms:CreateGrant",
                        Resource: keys,
                        Condition: { Bool: { "kms:GrantIsForAWSResource": "true" } },
                    },
                ]),
            },
            parent,
        );

        for (const rule of args.rules) {
            const plan = new aws.backup.Plan(
                `${name}-${rule.name}`,
                {
                    name: `${args.vaultName}-${rule.name}`,
                    rules: [
                        {
                            ruleName: `${rule.name}-daily`,
                            targetVaultName: this.vault.name,
                            schedule: rule.schedule,
                            scheduleExpressionTimezone: "Etc/UTC",
                            startWindow: args.startWindowMinutes ?? 60,
                            completionWindow: args.completionWindowMinutes ?? 480,
                            lifecycle: { deleteAfter: rule.retentionDays },
                            recoveryPointTags: { [BACKUP_TAG_KEY]: rule.tagValue },
                            copyActions:
                                args.copyTo && this.copyVault
                                    ? [
                                          {
                                              destinationVaultArn: this.copyVault.arn,
                                              lifecycle: { deleteAfter: rule.copyRetentionDays ?? rule.retentionDays },
                                          },
                                      ]
                                    : undefined,
                        },
                    ],
                },
                parent,
            );
            this.plans[rule.name] = plan;
            this.selections[rule.name] = new aws.backup.Selection(
                `${name}-${rule.name}`,
                {
                    name: `${rule.name}-by-tag`,
                    planId: plan.id,
                    iamRoleArn: this.role.arn,
                    selectionTags: [{ type: "STRINGEQUALS", key: BACKUP_TAG_KEY, value: rule.tagValue }],
                },
                parent,
            );
        }

        if (args.vaultLock) {
            this.vaultLock = new aws.backup.VaultLockConfiguration(
                name,
                {
                    backupVaultName: this.vault.name,
                    changeableForDays: args.vaultLock.changeableForDays,
                    minRetentionDays: Math.min(...args.rules.map((r) => r.retentionDays)),
                    maxRetentionDays: args.vaultLock.maxRetentionDays,
                },
                parent,
            );
            if (this.copyVault) {
                // The DR copies are locked alike, so neither copy can be deleted early (BKP-1, DR-1).
                this.copyVaultLock = new aws.backup.VaultLockConfiguration(
                    `${name}-dr`,
                    {
                        backupVaultName: this.copyVault.name,
                        changeableForDays: args.vaultLock.changeableForDays,
                        minRetentionDays: Math.min(...args.rules.map((r) => r.copyRetentionDays ?? r.retentionDays)),
                        maxRetentionDays: args.vaultLock.maxRetentionDays,
                    },
                    { parent: this, provider: args.copyTo!.provider },
                );
            }
        }

        if (args.notificationTopicArn) {
            new aws.backup.VaultNotifications(
                name,
                {
                    backupVaultName: this.vault.name,
                    snsTopicArn: args.notificationTopicArn,
                    backupVaultEvents: VAULT_NOTIFICATION_EVENTS,
                },
                parent,
            );
            const rule = new aws.cloudwatch.EventRule(
                `${name}-failed-jobs`,
                {
                    description: `Failed, aborted or expired AWS Backup jobs of ${args.vaultName} (BKP-1, BKP-3)`,
                    eventPattern: JSON.stringify(FAILED_JOB_EVENT_PATTERN),
                },
                parent,
            );
            new aws.cloudwatch.EventTarget(`${name}-failed-jobs`, { rule: rule.name, arn: args.notificationTopicArn }, parent);
        }

        if (args.restoreTesting) {
            const rt = args.restoreTesting;
            this.restoreTestingPlan = new aws.backup.RestoreTestingPlan(
                name,
                {
                    name: `${args.vaultName.replace(/-/g, "_")}_restore_test`,
                    scheduleExpression: rt.schedule,
                    scheduleExpressionTimezone: "Etc/UTC",
                    startWindowHours: rt.startWindowHours ?? 1,
                    recoveryPointSelection: {
                        algorithm: "LATEST_WITHIN_WINDOW",
                        includeVaults: [this.vault.arn],
                        recoveryPointTypes: ["SNAPSHOT"],
                        selectionWindowDays: rt.selectionWindowDays ?? 7,
                    },
                },
                parent,
            );
            this.restoreTestingSelection = new aws.backup.RestoreTestingSelection(
                name,
                {
                    name: "database_by_tag",
                    restoreTestingPlanName: this.restoreTestingPlan.name,
                    protectedResourceType: "RDS",
                    iamRoleArn: this.role.arn,
                    protectedResourceArns: ["*"],
                    protectedResourceConditions: {
                        stringEquals: [{ key: `aws:ResourceTag/${BACKUP_TAG_KEY}`, value: rt.tagValue ?? "database" }],
                    },
                    validationWindowHours: rt.validationWindowHours ?? 4,
                    // A test restore is small, single-AZ, private and in the database subnets (DB-1).
                    restoreMetadataOverrides: {
                        dbInstanceClass: rt.dbInstanceClass,
                        dbSubnetGroupName: rt.dbSubnetGroupName,
                        vpcSecurityGroupIds: pulumi.jsonStringify(rt.vpcSecurityGroupIds),
                        publiclyAccessible: "false",
                        multiAZ: "false",
                        deletionProtection: "false",
                    },
                },
                parent,
            );
        }

        this.registerOutputs({ vaultArn: this.vaultArn, copyVaultArn: this.copyVault?.arn });
    }
}

function validate(name: string, args: BackupPlanArgs): void {
    const fail = (what: string): never => {
        throw new Error(`BackupPlan ${name}: ${what}`);
    };
    if (args.rules.length === 0) fail("at least one rule is required (BKP-1)");
    const names = args.rules.map((r) => r.name);
    if (new Set(names).size !== names.length) fail(`rule names must be unique, got ${names.join(", ")} (BKP-1)`);
    for (const rule of args.rules) {
        const invalid = validateAwsCron(rule.schedule);
        if (invalid) fail(`rule ${rule.name}: ${invalid} (BKP-1)`);
        if (!Number.isInteger(rule.retentionDays) || rule.retentionDays < 1)
            fail(`rule ${rule.name}: retentionDays must be a whole number >= 1 (BKP-1)`);
    }
    const start = args.startWindowMinutes ?? 60;
    const completion = args.completionWindowMinutes ?? 480;
    if (start < 60) fail(`startWindowMinutes must be at least 60, got ${start} (AWS Backup minimum)`);
    if (completion < start + 60)
        fail(`completionWindowMinutes (${completion}) must be at least startWindowMinutes + 60 (${start + 60}) (AWS Backup)`);
    if (args.vaultLock) {
        const longest = Math.max(
            ...args.rules.map((r) => Math.max(r.retentionDays, args.copyTo ? (r.copyRetentionDays ?? r.retentionDays) : 0)),
        );
        if (args.vaultLock.changeableForDays < 3)
            fail(`vaultLock.changeableForDays must be at least 3, got ${args.vaultLock.changeableForDays} (AWS Backup minimum)`);
        if (args.vaultLock.maxRetentionDays < longest)
            fail(
                `vaultLock.maxRetentionDays (${args.vaultLock.maxRetentionDays}) is shorter than the longest rule (${longest} days) (BKP-1)`,
            );
    }
    if (args.restoreTesting) {
        const invalid = validateAwsCron(args.restoreTesting.schedule);
        if (invalid) fail(`restoreTesting: ${invalid} (BKP-3)`);
    }
}
