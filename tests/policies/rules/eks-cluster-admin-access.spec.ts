import { WIRE, cannotJudge, pinStack, resource } from "./pin";

const RULE = "eks-cluster-admin-access";
const NOBODY =
    "no access entry holds AmazonEKSClusterAdminPolicy at cluster scope, and the creator gets no bootstrap admin: every kubernetes:* resource of a deploy would be refused.";
const ARN = "arn:aws:iam::123456789012:role/bookbuddy-dev-deploy";
const ADMIN = "arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy";

const cluster = (
    name: string,
    accessConfig: Record<string, unknown> = { authenticationMode: "API", bootstrapClusterCreatorAdminPermissions: false },
) => resource("aws:eks/cluster:Cluster", name, { name, accessConfig });
const entry = (name: string, props: Record<string, unknown>, deps = {}) =>
    resource("aws:eks/accessEntry:AccessEntry", name, { type: "STANDARD", ...props }, { deps });
const association = (name: string, props: Record<string, unknown>, deps = {}) =>
    resource(
        "aws:eks/accessPolicyAssociation:AccessPolicyAssociation",
        name,
        { policyArn: ADMIN, accessScope: { type: "cluster" }, ...props },
        { deps },
    );

describe(`${RULE}: which entries and associations belong to which cluster (DEP-1, K8S-1)`, () => {
    const dev = cluster("bookbuddy-dev");

    it("links entry and association by equal cluster name and equal principal ARN", async () => {
        await pinStack(
            RULE,
            [
                dev,
                entry("e", { clusterName: "bookbuddy-dev", principalArn: ARN }),
                association("a", { clusterName: "bookbuddy-dev", principalArn: ARN }),
            ],
            {},
        );
    });

    it("links them by property dependencies when the values are unknown", async () => {
        const e = entry("e", { clusterName: WIRE.unknown, principalArn: WIRE.unknown }, { clusterName: [dev] });
        const a = association(
            "a",
            { clusterName: WIRE.unknown, principalArn: WIRE.unknown },
            { clusterName: [dev], principalArn: [e] },
        );
        await pinStack(RULE, [dev, e, a], {});
    });

    it("does not count an admin association of another cluster, nor an entry of another cluster", async () => {
        const staging = cluster("bookbuddy-staging");
        await pinStack(
            RULE,
            [
                dev,
                staging,
                entry("e", { clusterName: "bookbuddy-staging", principalArn: ARN }),
                association("a", { clusterName: "bookbuddy-staging", principalArn: ARN }),
            ],
            { violations: [[dev, NOBODY]] },
        );
        await pinStack(
            RULE,
            [
                dev,
                entry("e", { clusterName: "bookbuddy-staging", principalArn: ARN }),
                association("a", { clusterName: "bookbuddy-dev", principalArn: ARN }),
            ],
            { violations: [[dev, NOBODY]] },
        );
    });

    it("does not link by name when the cluster's name is unknown", async () => {
        const unnamed = resource("aws:eks/cluster:Cluster", "eks", {
            name: WIRE.unknown,
            accessConfig: { authenticationMode: "API", bootstrapClusterCreatorAdminPermissions: false },
        });
        await pinStack(
            RULE,
            [
                unnamed,
                entry("e", { clusterName: WIRE.unknown, principalArn: ARN }),
                association("a", { clusterName: WIRE.unknown, principalArn: ARN }),
            ],
            { violations: [[unnamed, NOBODY]] },
        );
    });

    it("does not count an association of another principal", async () => {
        await pinStack(
            RULE,
            [
                dev,
                entry("e", { clusterName: "bookbuddy-dev", principalArn: ARN }),
                association("a", { clusterName: "bookbuddy-dev", principalArn: `${ARN}-other` }),
            ],
            { violations: [[dev, NOBODY]] },
        );
    });

    it("cannot judge an admin association whose principal is unknown and comes from no entry", async () => {
        await pinStack(
            RULE,
            [
                dev,
                entry("e", { clusterName: "bookbuddy-dev", principalArn: WIRE.unknown }),
                association("a", { clusterName: "bookbuddy-dev", principalArn: WIRE.unknown }),
            ],
            { cannotJudge: [cannotJudge(RULE, ["principal or scope of an AmazonEKSClusterAdminPolicy association", dev])] },
        );
    });

    it("cannot judge an admin association whose scope is unknown, even when linked", async () => {
        await pinStack(
            RULE,
            [
                dev,
                entry("e", { clusterName: "bookbuddy-dev", principalArn: ARN }),
                association("a", { clusterName: "bookbuddy-dev", principalArn: ARN, accessScope: { type: WIRE.unknown } }),
            ],
            { cannotJudge: [cannotJudge(RULE, ["principal or scope of an AmazonEKSClusterAdminPolicy association", dev])] },
        );
    });

    it("ignores a namespace-scoped admin association even when its principal is unknown", async () => {
        await pinStack(
            RULE,
            [
                dev,
                association("a", {
                    clusterName: "bookbuddy-dev",
                    principalArn: WIRE.unknown,
                    accessScope: { type: "namespace", namespaces: ["default"] },
                }),
            ],
            { violations: [[dev, NOBODY]] },
        );
    });

    it("accepts API_AND_CONFIG_MAP with an admin entry; names an absent mode as CONFIG_MAP", async () => {
        const both = cluster("bookbuddy-dev", {
            authenticationMode: "API_AND_CONFIG_MAP",
            bootstrapClusterCreatorAdminPermissions: false,
        });
        await pinStack(
            RULE,
            [
                both,
                entry("e", { clusterName: "bookbuddy-dev", principalArn: ARN }),
                association("a", { clusterName: "bookbuddy-dev", principalArn: ARN }),
            ],
            {},
        );
        const none = cluster("bookbuddy-dev", { bootstrapClusterCreatorAdminPermissions: false });
        await pinStack(RULE, [none], {
            violations: [
                [
                    none,
                    'authentication mode "CONFIG_MAP" without the creator\'s bootstrap admin: access entries do not apply and nobody can administer the cluster.',
                ],
            ],
        });
    });

    it("cannot judge an unknown bootstrap flag, naming the cluster", async () => {
        const unknown = cluster("bookbuddy-dev", {
            authenticationMode: "API",
            bootstrapClusterCreatorAdminPermissions: WIRE.unknown,
        });
        await pinStack(RULE, [unknown], { cannotJudge: [cannotJudge(RULE, ["accessConfig of the cluster", unknown])] });
    });
});

describe(`${RULE}: absent names and principals never link (DEP-1, K8S-1)`, () => {
    it("does not link a nameless cluster to entries and associations without a cluster name", async () => {
        const nameless = resource("aws:eks/cluster:Cluster", "eks", {
            accessConfig: { authenticationMode: "API", bootstrapClusterCreatorAdminPermissions: false },
        });
        await pinStack(RULE, [nameless, entry("e", { principalArn: ARN }), association("a", { principalArn: ARN })], {
            violations: [[nameless, NOBODY]],
        });
    });

    it("does not link an association to an entry when neither names a principal", async () => {
        const dev = cluster("bookbuddy-dev");
        await pinStack(
            RULE,
            [dev, entry("e", { clusterName: "bookbuddy-dev" }), association("a", { clusterName: "bookbuddy-dev" })],
            { violations: [[dev, NOBODY]] },
        );
    });

    it("finds the one entry of the cluster among entries of other clusters", async () => {
        const dev = cluster("bookbuddy-dev");
        await pinStack(
            RULE,
            [
                dev,
                entry("other", { clusterName: "bookbuddy-staging", principalArn: ARN }),
                entry("e", { clusterName: "bookbuddy-dev", principalArn: ARN }),
                association("a", { clusterName: "bookbuddy-dev", principalArn: ARN }),
            ],
            {},
        );
    });
});
