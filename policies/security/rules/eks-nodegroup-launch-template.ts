import { defineResourceRule } from "../../lib/rule";
import { at } from "../../lib/values";

/**
 * K8S-1: managed node groups use a launch template (where IMDSv2 and volume encryption are declared and
 * checked by launch-template-imdsv2 / launch-template-ebs-encrypted) and allow no SSH remote access.
 */
export const eksNodegroupLaunchTemplate = defineResourceRule({
    name: "eks-nodegroup-launch-template",
    description: "EKS managed node groups use a launch template and have no SSH remote access.",
    severity: "high",
    enforcementLevel: "mandatory",
    remediation: "Set launchTemplate { id, version } to the hardened node launch template and remove remoteAccess.",
    requirements: ["K8S-1"],
    resourceTypes: ["aws:eks/nodeGroup:NodeGroup"],
    validate({ props }, judge) {
        const template = props["launchTemplate"];
        judge.expect(
            template,
            "launchTemplate",
            (v) => v !== undefined && v !== null,
            "launchTemplate is missing: the default template does not require IMDSv2 or encrypt volumes.",
        );
        if (template !== undefined && template !== null) {
            const id = at(template, "id");
            const name = at(template, "name");
            judge.expect(
                id ?? name,
                "launchTemplate.id",
                (v) => typeof v === "string" && v !== "",
                "launchTemplate needs an id or name.",
            );
        }
        judge.expect(
            props["remoteAccess"],
            "remoteAccess",
            (v) => v === undefined || v === null,
            "remoteAccess opens SSH to the nodes; use SSM Session Manager instead.",
        );
    },
});
