/**
 * Entry of the maintenance policy pack (POL-1): `pulumi preview --policy-pack policies/maintenance`.
 * Only assembles the rules; constructing PolicyPack starts the analyzer server, so nothing imports this file.
 */
import { PolicyPack } from "@pulumi/policy";
import { toPolicy } from "../lib/rule";
import { maintenanceRules } from "./rules";

new PolicyPack("bookbuddy-maintenance", {
    description:
        "Bookbuddy maintenance rules: backups and retention, availability, alarms, logging, tagging and workload operability.",
    enforcementLevel: "advisory",
    policies: maintenanceRules.map(toPolicy),
});
