import { defineStackRule } from "../../lib/rule";
import { DATA_STORE_TYPES, longestRetention, plansOf, selectionCovers, selectionsAndPlans } from "../../lib/backup";
import { BUCKET_TYPES, ofTypes } from "../../lib/stack";
import { isUnknown, tagsOf } from "../../lib/values";

/**
 * BKP-1, POL-2: every resource holding primary data (tag data-class=primary on RDS and S3) is covered by
 * an AWS Backup selection (convention: tag backup=database|media) in a plan that keeps recovery points at
 * least the required days (database 30, media 90). No anchor rule set checks this across resources.
 */
export const backupCoverage = defineStackRule({
    name: "backup-coverage",
    description: "Every RDS database and S3 bucket tagged data-class=primary is in a backup selection whose plan keeps it long enough (database 30, media 90 days).",
    severity: "critical",
    enforcementLevel: "mandatory",
    remediation: "Tag the resource backup=database (or media) and keep the aws.backup.Selection selectionTags and the plan rule lifecycle.deleteAfter in line with the retention.",
    requirements: ["BKP-1", "DR-1", "POL-2"],
    config: {
        databaseDays: { schema: { type: "integer", minimum: 1, default: 30, description: "Required retention for databases (days)." }, stricter: "higher" },
        mediaDays: { schema: { type: "integer", minimum: 1, default: 90, description: "Required retention for buckets (days)." }, stricter: "higher" },
        dataClassTag: { schema: { type: "string", minLength: 1, default: "data-class", description: "Tag naming the data class." } },
        primaryValue: { schema: { type: "string", minLength: 1, default: "primary", description: "Data class that must be backed up." } },
    },
    validate(resources, judge) {
        const { selections, plans } = selectionsAndPlans(resources);
        const classTag = judge.string("dataClassTag");
        for (const resource of ofTypes(resources, [...DATA_STORE_TYPES, ...BUCKET_TYPES])) {
            const tags = tagsOf(resource.props);
            if (tags === undefined || isUnknown(tags[classTag])) {
                judge.cannotJudge(`the ${classTag} tag`, resource.urn);
                continue;
            }
            if (tags[classTag] !== judge.string("primaryValue")) {
                continue;
            }
            const required = DATA_STORE_TYPES.includes(resource.type) ? judge.number("databaseDays") : judge.number("mediaDays");
            let unknown = false;
            let best = -1;
            for (const selection of selections) {
                const covers = selectionCovers(selection, resource, tags);
                if (covers === "unknown") {
                    unknown = true;
                }
                if (covers !== "yes") {
                    continue;
                }
                const owned = plansOf(selection, plans);
                unknown = unknown || owned.unknown;
                for (const plan of owned.plans) {
                    const days = longestRetention(plan.props);
                    if (days === undefined) {
                        unknown = true;
                    } else {
                        best = Math.max(best, days);
                    }
                }
            }
            if (best >= required) {
                continue;
            }
            if (unknown) {
                judge.cannotJudge("backup selection or plan retention", resource.urn);
            } else if (best < 0) {
                judge.violation(`${resource.name} holds primary data but no backup selection (with its plan) covers it.`, resource.urn);
            } else {
                judge.violation(`${resource.name} is backed up for ${best} days; ${required} are required.`, resource.urn);
            }
        }
    },
});
