/**
 * Database maintenance and logical backups as Kubernetes CronJobs (BKP-2, MNT-1, MNT-2), with the timing
 * rules that keep them clear of the backup and maintenance windows.
 */
export { DatabaseJobs, DatabaseJobsArgs, JobCredentials, JOB_SCRIPTS_DIR, readJobFiles, SCRIPTS_MOUNT } from "./jobs";
export {
    configuredConflicts,
    configuredTimings,
    configuredWindows,
    DATABASE_JOB_NAMES,
    DATABASE_JOBS,
    DatabaseJobName,
    databaseJobConflicts,
    JobTiming,
    JobTimings,
    occupiedMinutes,
    restoreCheckOrder,
    scheduledJobs,
    TimingSettings,
    TimingWindows,
} from "./timing";
