import { defineStackRule } from "../../lib/rule";
import {
    DATA_CLASS_REASON_TAG,
    DATA_STORE_TYPES,
    VOLUME_TYPES,
    longestRetention,
    plansOf,
    selectionCovers,
    selectionsAndPlans,
} from "../../lib/backup";
import { BUCKET_TYPES, ofTypes } from "../../lib/stack";
import { isUnknown, tagsOf } from "../../lib/values";

/**
 * BKP-1, POL-2, POL-4: every data store AWS Backup can protect (RDS instances, Aurora clusters, DynamoDB tables,
 * S3 buckets, EFS file systems, EBS volumes) holds primary data unless it is tagged otherwise with a reason
 * (`data-class` other than primary plus a non-empty `data-class-reason`): a missing tag fails closed. Primary
 * data is covered by an AWS Backup selection (by tag, ARN or wildcard) in a plan that keeps recovery points at
 * least the required days (databases 30, media 90, volumes 30). No anchor rule set checks this across
 * resources; Checkov CKV_AWS_133/CKV2_AWS_9 and AWSGuard's backup-plan checks only look at one resource.
 */
export const backupCoverage = defineStackRule({
    name: "backup-coverage",
    description:
        "Every data store (RDS, Aurora, DynamoDB, S3, EFS, EBS) is primary data unless tagged otherwise with a reason, and primary data is in a backup selection whose plan keeps it long enough (database 30, media 90, volume 30 days).",
    severity: "critical",
    enforcementLevel: "mandatory",
    remediation:
        "Tag the resource backup=database (or media) and keep the aws.backup.Selection selectionTags and the plan rule lifecycle.deleteAfter in line with the retention; a store that holds no primary data carries data-class=<class> and data-class-reason=<why>.",
    requirements: ["BKP-1", "DR-1", "POL-2", "POL-4"],
    config: {
        databaseDays: {
            schema: { type: "integer", minimum: 1, default: 30, description: "Required retention for databases (days)." },
            stricter: "higher",
        },
        mediaDays: {
            schema: { type: "integer", minimum: 1, default: 90, description: "Required retention for buckets (days)." },
            stricter: "higher",
        },
        volumeDays: {
            schema: {
                type: "integer",
                minimum: 1,
                default: 30,
                description: "Required retention for EFS file systems and EBS volumes (days).",
            },
            stricter: "higher",
        },
        dataClassTag: {
            schema: { type: "string", minLength: 1, default: "data-class", description: "Tag naming the data class." },
        },
        primaryValue: {
            schema: { type: "string", minLength: 1, default: "primary", description: "Data class that must be backed up." },
        },
    },
    validate(resources, judge) {
        const { selections, plans } = selectionsAndPlans(resources);
        const classTag = judge.string("dataClassTag");
        for (const resource of ofTypes(resources, [...DATA_STORE_TYPES, ...BUCKET_TYPES, ...VOLUME_TYPES])) {
            const tags = tagsOf(resource.props);
            if (tags === undefined || isUnknown(tags[classTag]) || isUnknown(tags[DATA_CLASS_REASON_TAG])) {
                judge.cannotJudge(`the ${classTag} tag`, resource.urn);
                continue;
            }
            const dataClass = tags[classTag];
            const reason = tags[DATA_CLASS_REASON_TAG];
            const explained = typeof reason === "string" && reason.trim() !== "";
            if (dataClass !== undefined && dataClass !== judge.string("primaryValue") && explained) {
                continue;
            }
            const why =
                dataClass === undefined
                    ? `has no ${classTag} tag, so it is treated as primary`
                    : dataClass === judge.string("primaryValue")
                      ? "is tagged primary"
                      : `${classTag}=${String(dataClass)} has no ${DATA_CLASS_REASON_TAG} tag, so it is treated as primary`;
            const required = DATA_STORE_TYPES.includes(resource.type)
                ? judge.number("databaseDays")
                : VOLUME_TYPES.includes(resource.type)
                  ? judge.number("volumeDays")
                  : judge.number("mediaDays");
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
                judge.violation(
                    `${resource.name} holds primary data (it ${why}) but no backup selection (with its plan) covers it.`,
                    resource.urn,
                );
            } else {
                judge.violation(
                    `${resource.name} holds primary data (it ${why}) and is backed up for ${best} days; ${required} are required.`,
                    resource.urn,
                );
            }
        }
    },
});
