/**
 * What each namespace's own secret store needs from the environment (SEC-7): the cluster's IRSA provider, the
 * secrets key, and the External Secrets release whose CRDs the stores and ExternalSecrets are objects of.
 */
import { KubernetesCluster } from "../components/cluster";
import { SecretStoreAccess } from "../components/cluster/secret-store";
import { ClusterServices } from "../components/cluster/services";
import { AwsContext } from "../components/shared/context";
import { EncryptionKey } from "../components/shared/kms";

export function secretStoreAccess(env: {
    context: AwsContext;
    keys: Record<"secrets", EncryptionKey>;
    cluster: KubernetesCluster;
    services: ClusterServices;
}): SecretStoreAccess {
    return {
        oidcProviderArn: env.cluster.oidcProvider.arn,
        oidcIssuer: env.cluster.oidcIssuer,
        secretsKeyArn: env.keys.secrets.arn,
        context: env.context,
        dependsOn: [env.services.externalSecrets],
    };
}
