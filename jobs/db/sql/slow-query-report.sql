-- MNT-1: weekly report of the slowest statements of the current database from pg_stat_statements
-- (PostgreSQL 13+ column names: total_exec_time / mean_exec_time, not the old total_time).
-- psql variable :limit sets how many statements are listed (default 20), e.g. psql -v limit=50.
-- The extension must be preloaded (shared_preload_libraries) and created in this database; to see the
-- statements of other roles the job's role needs pg_read_all_stats (member of pg_monitor).
\if :{?limit}
\else
\set limit 20
\endif

DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_extension WHERE extname = 'pg_stat_statements') THEN
        RAISE EXCEPTION 'pg_stat_statements is not installed in database %', pg_catalog.current_database()
            USING HINT = 'Preload it (shared_preload_libraries = pg_stat_statements, the RDS parameter group) '
                         'and run CREATE EXTENSION pg_stat_statements in this database.';
    END IF;
END
$$;

SELECT s.queryid,
       s.calls,
       pg_catalog.round(s.total_exec_time::numeric, 2) AS total_exec_ms,
       pg_catalog.round(s.mean_exec_time::numeric, 2) AS mean_exec_ms,
       s.rows,
       pg_catalog.round(100.0 * s.shared_blks_hit / NULLIF(s.shared_blks_hit + s.shared_blks_read, 0), 1) AS cache_hit_pct,
       pg_catalog.left(pg_catalog.regexp_replace(s.query, '\s+', ' ', 'g'), 200) AS query
FROM pg_stat_statements AS s
WHERE s.dbid = (SELECT oid FROM pg_catalog.pg_database WHERE datname = pg_catalog.current_database())
ORDER BY s.total_exec_time DESC
LIMIT :limit;
