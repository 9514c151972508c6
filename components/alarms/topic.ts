import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { AwsContext, policyDocument } from "../shared/context";

/** AWS services that publish to the alert topic. */
export const ALERT_PUBLISHERS = ["cloudwatch.amazonaws.com", "events.amazonaws.com", "backup.amazonaws.com"];

export interface AlertTopicArgs {
    /** Topic name. */
    topicName: string;
    /** KMS key encrypting messages (ALARM-1: KMS-encrypted SNS); its policy must admit the publishers. */
    kmsKeyArn: pulumi.Input<string>;
    /** Services allowed to publish; default CloudWatch alarms, EventBridge and AWS Backup (ALARM-1, BKP-1, SEC-5). */
    publishers?: string[];
    /** Account, region and partition. */
    context: AwsContext;
}

/**
 * The one SNS topic alarms, backup notifications and security findings go to (ALARM-1, BKP-1, SEC-5):
 * encrypted with a customer-managed key, publishable only by the named AWS services of this account.
 * Subscriptions are added by the observability configuration.
 */
export class AlertTopic extends pulumi.ComponentResource {
    readonly topic: aws.sns.Topic;
    readonly arn: pulumi.Output<string>;

    constructor(name: string, args: AlertTopicArgs, opts?: pulumi.ComponentResourceOptions) {
        super("bookbuddy:alarms:AlertTopic", name, {}, opts);
        this.topic = new aws.sns.Topic(name, { name: args.topicName, kmsMasterKeyId: args.kmsKeyArn }, { parent: this });
        new aws.sns.TopicPolicy(
            name,
            {
                arn: this.topic.arn,
                policy: policyDocument([
                    {
                        Sid: "ServicesPublish",
                        Effect: "Allow",
                        Principal: { Service: args.publishers ?? ALERT_PUBLISHERS },
                        Action: "sns:Publish",
                        Resource: this.topic.arn,
                        Condition: { StringEquals: { "aws:SourceAccount": args.context.accountId } },
                    },
                    {
                        Sid: "DenyInsecureTransport",
                        Effect: "Deny",
                        Principal: "*",
                        Action: "sns:Publish",
                        Resource: this.topic.arn,
                        Condition: { Bool: { "aws:SecureTransport": "false" } },
                    },
                ]),
            },
            { parent: this },
        );
        this.arn = this.topic.arn;
        this.registerOutputs({ arn: this.arn });
    }
}
