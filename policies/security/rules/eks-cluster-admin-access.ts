import { defineStackRule, type StackResourceView } from "../../lib/rule";
import { ofTypes } from "../../lib/stack";
import { at, isUnknown } from "../../lib/values";

const ADMIN_POLICY = ":cluster-access-policy/AmazonEKSClusterAdminPolicy";

/** The resource belongs to the cluster: same cluster name, or its clusterName came from the cluster. */
function ofCluster(r: StackResourceView, cluster: StackResourceView): boolean {
    if ((r.propertyDependencies["clusterName"] ?? []).includes(cluster.urn)) {
        return true;
    }
    const name = cluster.props["name"];
    return typeof name === "string" && !isUnknown(name) && r.props["clusterName"] === name;
}

/** The association names the entry's principal: equal ARNs, or its principalArn came from the entry. */
function samePrincipal(association: StackResourceView, entry: StackResourceView): boolean {
    if ((association.propertyDependencies["principalArn"] ?? []).includes(entry.urn)) {
        return true;
    }
    const arn = entry.props["principalArn"];
    return typeof arn === "string" && !isUnknown(arn) && association.props["principalArn"] === arn;
}

/**
 * DEP-1, K8S-1: an EKS cluster whose creator gets no bootstrap admin access must give some identity cluster
 * admin through an access entry with AmazonEKSClusterAdminPolicy at cluster scope; otherwise nobody, the
 * deploying identity included, can create a Kubernetes object in it. A CONFIG_MAP-only cluster without the
 * creator's admin has no way in at all.
 */
export const eksClusterAdminAccess = defineStackRule({
    name: "eks-cluster-admin-access",
    description:
        "Every EKS cluster without the creator's bootstrap admin gives an access entry AmazonEKSClusterAdminPolicy at cluster scope.",
    severity: "critical",
    enforcementLevel: "mandatory",
    remediation:
        "Declare the deploying identity (bookbuddy:deploy.deployRoleName) so the cluster gets its access entry and AmazonEKSClusterAdminPolicy association at cluster scope (components/cluster accessEntries).",
    requirements: ["DEP-1", "K8S-1"],
    validate(resources, judge) {
        const entries = ofTypes(resources, ["aws:eks/accessEntry:AccessEntry"]);
        const associations = ofTypes(resources, ["aws:eks/accessPolicyAssociation:AccessPolicyAssociation"]);
        for (const cluster of ofTypes(resources, ["aws:eks/cluster:Cluster"])) {
            const mode = at(cluster.props, "accessConfig.authenticationMode");
            const bootstrap = at(cluster.props, "accessConfig.bootstrapClusterCreatorAdminPermissions");
            if (isUnknown(mode) || isUnknown(bootstrap)) {
                judge.cannotJudge("accessConfig of the cluster", cluster.urn);
                continue;
            }
            if (bootstrap !== false) {
                continue; // the creator is cluster admin
            }
            if (mode !== "API" && mode !== "API_AND_CONFIG_MAP") {
                judge.violation(
                    `authentication mode ${JSON.stringify(mode ?? "CONFIG_MAP")} without the creator's bootstrap admin: access entries do not apply and nobody can administer the cluster.`,
                    cluster.urn,
                );
                continue;
            }
            // Admin associations that may be cluster-wide (a namespace scope never is).
            const admin = associations.filter((a) => {
                const scope = at(a.props, "accessScope.type");
                return (
                    ofCluster(a, cluster) &&
                    String(a.props["policyArn"]).endsWith(ADMIN_POLICY) &&
                    (scope === "cluster" || isUnknown(scope))
                );
            });
            const linked = (a: StackResourceView) => entries.some((e) => ofCluster(e, cluster) && samePrincipal(a, e));
            if (admin.some((a) => at(a.props, "accessScope.type") === "cluster" && linked(a))) {
                continue;
            }
            if (
                admin.some(
                    (a) => isUnknown(at(a.props, "accessScope.type")) || (isUnknown(a.props["principalArn"]) && !linked(a)),
                )
            ) {
                judge.cannotJudge("principal or scope of an AmazonEKSClusterAdminPolicy association", cluster.urn);
                continue;
            }
            judge.violation(
                "no access entry holds AmazonEKSClusterAdminPolicy at cluster scope, and the creator gets no bootstrap admin: every kubernetes:* resource of a deploy would be refused.",
                cluster.urn,
            );
        }
    },
});
