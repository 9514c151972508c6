/**
 * What every component needs to know about the AWS account it lands in, passed in by infra/ so that no
 * component looks up the stack or branches on it (ENV-1).
 */
import * as pulumi from "@pulumi/pulumi";

export interface AwsContext {
    /** 12-digit account ID. */
    accountId: pulumi.Input<string>;
    /** Region name, e.g. `eu-west-1`. */
    region: string;
    /** Partition, e.g. `aws`. */
    partition: pulumi.Input<string>;
}

/** Builds an IAM policy document from statements, with Outputs resolved. */
export function policyDocument(statements: pulumi.Input<Record<string, unknown>>[]): pulumi.Output<string> {
    return pulumi.jsonStringify({ Version: "2012-10-17", Statement: statements });
}

/** Trust policy for a role assumed by an AWS service principal. */
export function serviceTrustPolicy(service: string, actions: string[] = ["sts:AssumeRole"]): pulumi.Output<string> {
    return policyDocument([{ Effect: "Allow", Principal: { Service: service }, Action: actions }]);
}

/** `arn:<partition>:iam::<account>:root`. */
export function accountRoot(ctx: AwsContext): pulumi.Output<string> {
    return pulumi.interpolate`arn:${ctx.partition}:iam::${ctx.accountId}:root`;
}

/** Merges a name tag into extra tags (default tags come from the provider: ENV-5). */
export function nameTag(name: string, extra: Record<string, string> = {}): Record<string, string> {
    return { Name: name, ...extra };
}

/**
 * Trust of a role assumed with a service account's web identity token (IRSA): only the cluster's OIDC provider,
 * only this namespace/service account, only tokens for STS (SEC-4).
 */
export function webIdentityTrust(
    providerArn: pulumi.Input<string>,
    issuer: pulumi.Input<string>,
    namespace: string,
    serviceAccount: string,
): pulumi.Output<string> {
    return pulumi.all([providerArn, issuer]).apply(([arn, host]) =>
        policyDocument([
            {
                Effect: "Allow",
                Principal: { Federated: arn },
                Action: "sts:AssumeRoleWithWebIdentity",
                Condition: {
                    StringEquals: {
                        [`${host}:sub`]: `system:serviceaccount:${namespace}:${serviceAccount}`,
                        [`${host}:aud`]: "sts.amazonaws.com",
                    },
                },
            },
        ]),
    );
}
