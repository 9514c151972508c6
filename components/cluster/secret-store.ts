/**
 * A namespace's own secret store (SEC-7, SEC-4, K8S-2): an External Secrets `SecretStore` (namespaced) whose AWS
 * identity is an IAM role assumed with the web identity token of a ServiceAccount in the same namespace (IRSA,
 * `auth.jwt.serviceAccountRef`), and which may read exactly the Secrets Manager secrets that namespace needs.
 *
 * Why not one ClusterSecretStore: a cluster-wide store serves any ExternalSecret in any namespace, so whoever may
 * create an ExternalSecret anywhere reads every secret the controller can read. With a store per namespace the
 * controller itself holds no AWS credentials; it asks the API server for a token of the namespace's ServiceAccount
 * (audience sts.amazonaws.com) and exchanges it at STS for the namespace's role, whose trust is bound to the
 * cluster's OIDC provider and `system:serviceaccount:<namespace>:<service account>`.
 */
import * as aws from "@pulumi/aws";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { AwsContext, policyDocument, webIdentityTrust } from "../shared/context";

/** Name of the SecretStore in every namespace that reads secrets (SEC-7). */
export const SECRET_STORE_NAME = "aws-secrets-manager";

/** Name of the ServiceAccount whose token the store exchanges for its role (SEC-7). */
export const SECRET_STORE_SERVICE_ACCOUNT = "secret-store";

/** What every namespace store needs from the platform: the cluster's IRSA provider and the secrets' key (SEC-7). */
export interface SecretStoreAccess {
    /** ARN of the cluster's IAM OIDC provider (K8S-1). */
    oidcProviderArn: pulumi.Input<string>;
    /** Issuer host of the cluster's service account tokens, without `https://` (K8S-1). */
    oidcIssuer: pulumi.Input<string>;
    /** KMS key encrypting the secrets; decrypt is allowed through Secrets Manager only (SEC-1). */
    secretsKeyArn: pulumi.Input<string>;
    /** Account, region and partition. */
    context: AwsContext;
    /** Resources the store waits for (the External Secrets release with its CRDs) (K8S-2). */
    dependsOn?: pulumi.Input<pulumi.Resource>[];
}

export interface NamespaceSecretStoreArgs extends SecretStoreAccess {
    /** Namespace of the store, its ServiceAccount and the ExternalSecrets using it; required (SEC-7). */
    namespace: pulumi.Input<string>;
    /** Secrets Manager secret names the namespace reads, and nothing else; required, at least one (SEC-7). */
    secretNames: pulumi.Input<string>[];
}

/** `arn:…:secret:<name>-??????`: one secret by name (Secrets Manager appends six random characters) (SEC-7). */
export function secretArnPattern(ctx: AwsContext, secretName: pulumi.Input<string>): pulumi.Output<string> {
    return pulumi.interpolate`arn:${ctx.partition}:secretsmanager:${ctx.region}:${ctx.accountId}:secret:${secretName}-??????`;
}

/**
 * What a namespace's store may do (SEC-7, SEC-4): read the value and metadata of its own secrets, and decrypt
 * them with the secrets key only when Secrets Manager asks on its behalf. No listing, no other secret.
 */
export function secretStorePolicy(
    ctx: AwsContext,
    secretNames: pulumi.Input<string>[],
    keyArn: pulumi.Input<string>,
): pulumi.Output<string> {
    return policyDocument([
        {
            Sid: "ReadNamespaceSecrets",
            Effect: "Allow",
            Action: ["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"],
            Resource: secretNames.map((n) => secretArnPattern(ctx, n)),
        },
        {
            Sid: "DecryptViaSecretsManager",
            Effect: "Allow",
            Action: "kms:Decrypt",
            Resource: keyArn,
            Condition: { StringEquals: { "kms:ViaService": `secretsmanager.${ctx.region}.amazonaws.com` } },
        },
    ]);
}

/** The reference an ExternalSecret in the same namespace uses (SEC-7). */
export const SECRET_STORE_REF = { kind: "SecretStore", name: SECRET_STORE_NAME } as const;

/**
 * ServiceAccount (annotated with the role for IRSA, no token mounted anywhere), IAM role and policy, and the
 * SecretStore of one namespace (SEC-7, K8S-2).
 */
export class NamespaceSecretStore extends pulumi.ComponentResource {
    readonly role: aws.iam.Role;
    readonly serviceAccount: k8s.core.v1.ServiceAccount;
    readonly store: k8s.apiextensions.CustomResource;
    /** What an ExternalSecret of the namespace puts in `spec.secretStoreRef`. */
    readonly ref = SECRET_STORE_REF;

    constructor(name: string, args: NamespaceSecretStoreArgs, opts?: pulumi.ComponentResourceOptions) {
        super("bookbuddy:platform:NamespaceSecretStore", name, {}, opts);
        if (args.secretNames.length === 0)
            throw new pulumi.RunError(`${name}: a namespace secret store needs at least one secret name (SEC-7)`);
        const parent = { parent: this };
        const ctx = args.context;
        const namespace = pulumi.output(args.namespace);

        this.role = new aws.iam.Role(
            name,
            {
                description: pulumi.interpolate`External Secrets store of namespace ${namespace} (IRSA ${namespace}/${SECRET_STORE_SERVICE_ACCOUNT}) (SEC-7)`,
                assumeRolePolicy: namespace.apply((ns) =>
                    webIdentityTrust(args.oidcProviderArn, args.oidcIssuer, ns, SECRET_STORE_SERVICE_ACCOUNT),
                ),
            },
            parent,
        );
        const access = new aws.iam.RolePolicy(
            name,
            { role: this.role.id, policy: secretStorePolicy(ctx, args.secretNames, args.secretsKeyArn) },
            parent,
        );

        this.serviceAccount = new k8s.core.v1.ServiceAccount(
            name,
            {
                metadata: {
                    name: SECRET_STORE_SERVICE_ACCOUNT,
                    namespace,
                    annotations: { "eks.amazonaws.com/role-arn": this.role.arn },
                    labels: { "app.kubernetes.io/name": "secret-store", "app.kubernetes.io/part-of": "bookbuddy" },
                },
                // Only the External Secrets controller uses it, through the TokenRequest API; no pod mounts its token.
                automountServiceAccountToken: false,
            },
            parent,
        );

        this.store = new k8s.apiextensions.CustomResource(
            name,
            {
                apiVersion: "external-secrets.io/v1",
                kind: "SecretStore",
                metadata: { name: SECRET_STORE_NAME, namespace },
                spec: {
                    provider: {
                        aws: {
                            service: "SecretsManager",
                            region: ctx.region,
                            auth: { jwt: { serviceAccountRef: { name: SECRET_STORE_SERVICE_ACCOUNT } } },
                        },
                    },
                },
            },
            { parent: this, dependsOn: [...(args.dependsOn ?? []), this.serviceAccount, access] },
        );
        this.registerOutputs({});
    }
}
