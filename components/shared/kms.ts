import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { accountRoot, AwsContext, policyDocument } from "./context";

/** A service allowed to use the key, optionally bound to an encryption context or a calling service. */
export interface KeyServiceGrant {
    /** Service principal, e.g. `logs.eu-west-1.amazonaws.com`. */
    service: string;
    /** KMS actions granted (default: encrypt/decrypt/generate data key/describe). */
    actions?: string[];
    /** IAM condition block for the statement. */
    condition?: pulumi.Input<Record<string, unknown>>;
}

export interface EncryptionKeyArgs {
    /** What the key protects; becomes its description (SEC-3). */
    description: string;
    /** Alias name without the `alias/` prefix. */
    alias: string;
    /** Account, region and partition. */
    context: AwsContext;
    /** Services allowed to use the key directly (key policy statements). Default: none. */
    services?: KeyServiceGrant[];
    /** IAM role ARNs allowed to use the key for encryption (e.g. the auto-scaling service-linked role). */
    userRoleArns?: pulumi.Input<string>[];
    /** Days before a scheduled deletion completes (default 30, the maximum). */
    deletionWindowInDays?: number;
    /**
     * AWS services (short names such as `secretsmanager`, `rds`) through which principals of this account may
     * use the key (condition kms:ViaService + kms:CallerAccount), with grants for AWS resources. Default none (SEC-3).
     */
    viaServices?: string[];
    /**
     * IAM role ARNs named in the key policy that may use the key only through `viaServices` (condition
     * aws:PrincipalArn, so the roles need not exist before the key). Default none (SEC-3, SEC-4).
     */
    viaServiceRoleArns?: pulumi.Input<string>[];
}

const USE_ACTIONS = ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:DescribeKey"];

/**
 * A customer-managed KMS key with automatic rotation and an explicit key policy (SEC-3): the account root
 * administers it through IAM; only the named services and roles may use it.
 */
export class EncryptionKey extends pulumi.ComponentResource {
    readonly key: aws.kms.Key;
    readonly alias: aws.kms.Alias;
    readonly arn: pulumi.Output<string>;
    readonly keyId: pulumi.Output<string>;

    constructor(name: string, args: EncryptionKeyArgs, opts?: pulumi.ComponentResourceOptions) {
        super("bookbuddy:security:EncryptionKey", name, {}, opts);
        const statements: pulumi.Input<Record<string, unknown>>[] = [
            {
                Sid: "AccountAdministration",
                Effect: "Allow",
                Principal: { AWS: accountRoot(args.context) },
                Action: "kms:*",
                Resource: "*",
            },
        ];
        for (const grant of args.services ?? []) {
            statements.push({
                Sid: `Service${grant.service.split(".")[0].replace(/[^A-Za-z0-9]/g, "")}`,
                Effect: "Allow",
                Principal: { Service: grant.service },
                Action: grant.actions ?? USE_ACTIONS,
                Resource: "*",
                ...(grant.condition ? { Condition: grant.condition } : {}),
            });
        }
        if (args.userRoleArns && args.userRoleArns.length > 0) {
            statements.push({
                Sid: "KeyUsers",
                Effect: "Allow",
                Principal: { AWS: args.userRoleArns },
                Action: USE_ACTIONS,
                Resource: "*",
            });
            statements.push({
                Sid: "KeyUserGrants",
                Effect: "Allow",
                Principal: { AWS: args.userRoleArns },
                Action: ["kms:CreateGrant"],
                Resource: "*",
                Condition: { Bool: { "kms:GrantIsForAWSResource": "true" } },
            });
        }
        if (args.viaServices && args.viaServices.length > 0) {
            const via = args.viaServices.map((service) => `${service}.${args.context.region}.amazonaws.com`);
            const through = { StringEquals: { "kms:CallerAccount": args.context.accountId, "kms:ViaService": via } };
            statements.push({
                Sid: "UseThroughServices",
                Effect: "Allow",
                Principal: { AWS: accountRoot(args.context) },
                Action: USE_ACTIONS,
                Resource: "*",
                Condition: through,
            });
            statements.push({
                Sid: "GrantsThroughServices",
                Effect: "Allow",
                Principal: { AWS: accountRoot(args.context) },
                Action: ["kms:CreateGrant", "kms:ListGrants", "kms:RevokeGrant"],
                Resource: "*",
                Condition: { ...through, Bool: { "kms:GrantIsForAWSResource": "true" } },
            });
            if (args.viaServiceRoleArns && args.viaServiceRoleArns.length > 0) {
                statements.push({
                    Sid: "NamedRolesThroughServices",
                    Effect: "Allow",
                    Principal: { AWS: accountRoot(args.context) },
                    Action: ["kms:Decrypt", "kms:GenerateDataKey", "kms:DescribeKey"],
                    Resource: "*",
                    Condition: { ...through, ArnEquals: { "aws:PrincipalArn": args.viaServiceRoleArns } },
                });
            }
        } else if (args.viaServiceRoleArns && args.viaServiceRoleArns.length > 0) {
            throw new Error(`EncryptionKey ${name}: viaServiceRoleArns needs viaServices (SEC-3)`);
        }
        this.key = new aws.kms.Key(
            name,
            {
                description: args.description,
                enableKeyRotation: true,
                rotationPeriodInDays: 365,
                deletionWindowInDays: args.deletionWindowInDays ?? 30,
                keyUsage: "ENCRYPT_DECRYPT",
                customerMasterKeySpec: "SYMMETRIC_DEFAULT",
                policy: policyDocument(statements),
            },
            { parent: this },
        );
        this.alias = new aws.kms.Alias(name, { name: `alias/${args.alias}`, targetKeyId: this.key.keyId }, { parent: this });
        this.arn = this.key.arn;
        this.keyId = this.key.keyId;
        this.registerOutputs({ arn: this.arn, keyId: this.keyId });
    }
}
