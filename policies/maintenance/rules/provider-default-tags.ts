import { defineStackRule } from "../../lib/rule";
import { defaultTagsOfProvider } from "../../lib/stack";

/**
 * ENV-5: every AWS resource is created through a provider whose defaultTags carry environment, service,
 * owner, cost-center and managed-by=pulumi (Pulumi compliance "required tags", AWSGuard tagging).
 */
export const providerDefaultTags = defineStackRule({
    name: "provider-default-tags",
    description:
        "Every AWS resource uses a provider whose defaultTags include environment, service, owner, cost-center and managed-by=pulumi.",
    severity: "medium",
    enforcementLevel: "mandatory",
    remediation:
        'Create one aws.Provider per stack with defaultTags { tags: { environment, service, owner, "cost-center", "managed-by": "pulumi" } } and pass it to every component.',
    requirements: ["ENV-5"],
    config: {
        requiredTags: {
            schema: {
                type: "array",
                items: { type: "string" },
                default: ["environment", "service", "owner", "cost-center", "managed-by"],
                description: "Tag keys the provider's defaultTags must carry.",
            },
        },
        managedBy: {
            schema: { type: "string", minLength: 1, default: "pulumi", description: "Required value of the managed-by tag." },
        },
    },
    validate(resources, judge) {
        const required = judge.strings("requiredTags");
        const verdicts = new Map<string, string | undefined>();
        for (const resource of resources) {
            if (!resource.type.startsWith("aws:")) {
                continue;
            }
            const provider = resource.provider;
            if (!provider) {
                judge.violation(
                    `${resource.name} uses no recorded AWS provider, so its default tags cannot be proven.`,
                    resource.urn,
                );
                continue;
            }
            if (!verdicts.has(provider.urn)) {
                const tags = defaultTagsOfProvider(provider.props);
                if (tags === "unknown") {
                    verdicts.set(provider.urn, "unknown");
                } else {
                    const missing = required.filter((k) => typeof tags[k] !== "string" || tags[k] === "");
                    const managed = tags["managed-by"];
                    const problems = [
                        ...(missing.length > 0 ? [`lacks ${missing.join(", ")}`] : []),
                        ...(typeof managed === "string" && managed !== judge.string("managedBy")
                            ? [`managed-by is "${managed}", not "${judge.string("managedBy")}"`]
                            : []),
                    ];
                    verdicts.set(provider.urn, problems.length > 0 ? problems.join("; ") : undefined);
                }
            }
            const verdict = verdicts.get(provider.urn);
            if (verdict === "unknown") {
                judge.cannotJudge("provider defaultTags", resource.urn);
            } else if (verdict !== undefined) {
                judge.violation(`${resource.name}: provider ${provider.name} defaultTags ${verdict}.`, resource.urn);
            }
        }
    },
});
