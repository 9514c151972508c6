/** Backup coverage joins (BKP-1, DR-1): which selections cover a resource, and which plans they belong to. */
import type { StackResourceView } from "./rule";
import { anyLink, ofTypes, refersTo, type Link } from "./stack";
import { asNumber, at, isRecord, isUnknown, list, type Props } from "./values";

/** Databases AWS Backup protects: RDS instances, Aurora clusters (their instances are backed up with the cluster), DynamoDB tables. */
export const DATA_STORE_TYPES = ["aws:rds/instance:Instance", "aws:rds/cluster:Cluster", "aws:dynamodb/table:Table"];
/** File systems and volumes AWS Backup protects (retention: volumeDays). */
export const VOLUME_TYPES = ["aws:efs/fileSystem:FileSystem", "aws:ebs/volume:Volume"];
/** Tag that must explain a data class other than primary (POL-4): without it the store is treated as primary. */
export const DATA_CLASS_REASON_TAG = "data-class-reason";
export const PLAN_TYPE = "aws:backup/plan:Plan";
export const SELECTION_TYPE = "aws:backup/selection:Selection";

/** Whether a selection covers a resource with the given tags: by selection tag, by ARN, or by wildcard. */
export function selectionCovers(selection: StackResourceView, resource: StackResourceView, tags: Record<string, unknown>): Link {
    const selectionTags = selection.props["selectionTags"];
    const byTag: Link = isUnknown(selectionTags)
        ? "unknown"
        : list(selectionTags).some(
                (t) =>
                    isRecord(t) &&
                    String(t["type"] ?? "").toUpperCase() === "STRINGEQUALS" &&
                    typeof t["key"] === "string" &&
                    tags[t["key"]] !== undefined &&
                    tags[t["key"]] === t["value"],
            )
          ? "yes"
          : "no";
    const resources = selection.props["resources"];
    const wildcard: Link = list(resources).includes("*") ? "yes" : "no";
    return anyLink([byTag, wildcard, refersTo(selection, "resources", resource, ["arn"])]);
}

/** The plans a selection belongs to (planId by dependency or value). */
export function plansOf(
    selection: StackResourceView,
    plans: StackResourceView[],
): { plans: StackResourceView[]; unknown: boolean } {
    const links = plans.map((p) => ({ p, link: refersTo(selection, "planId", p, ["id", "arn", "name"]) }));
    return { plans: links.filter((l) => l.link === "yes").map((l) => l.p), unknown: links.some((l) => l.link === "unknown") };
}

/** Longest retention (days) among a plan's rules; Infinity when a rule never deletes; undefined when unknown. */
export function longestRetention(plan: Props): number | undefined {
    const rules = plan["rules"];
    if (isUnknown(rules)) {
        return undefined;
    }
    let longest = 0;
    for (const rule of list(rules)) {
        const days = at(rule, "lifecycle.deleteAfter");
        if (isUnknown(days)) {
            return undefined;
        }
        longest = Math.max(longest, days === undefined ? Infinity : (asNumber(days) ?? 0));
    }
    return longest;
}

export function selectionsAndPlans(resources: StackResourceView[]): {
    selections: StackResourceView[];
    plans: StackResourceView[];
} {
    return { selections: ofTypes(resources, [SELECTION_TYPE]), plans: ofTypes(resources, [PLAN_TYPE]) };
}
