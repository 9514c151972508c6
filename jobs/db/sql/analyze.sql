-- MNT-1: weekly ANALYZE (planner statistics) of every table of the current database the job's role may
-- analyze; SKIP_LOCKED (PostgreSQL 12+) skips tables whose lock is held rather than waiting.
ANALYZE (SKIP_LOCKED);
