-- MNT-1: weekly VACUUM ANALYZE of every table of the current database the job's role may vacuum.
-- SKIP_LOCKED (PostgreSQL 12+) skips a table whose lock is held instead of queueing behind it, so the job
-- never stalls the application; autovacuum still covers skipped tables.
-- VACUUM cannot run inside a transaction block: run with psql in autocommit mode (maintenance.sh does).
VACUUM (ANALYZE, SKIP_LOCKED);
