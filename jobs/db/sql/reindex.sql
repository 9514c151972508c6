-- MNT-1: monthly REINDEX of the user schemas of the current database with CONCURRENTLY (PostgreSQL 12+),
-- which rebuilds each index without blocking reads and writes of its table.
-- REINDEX ... CONCURRENTLY cannot run inside a transaction block: run this file with psql in autocommit
-- mode (maintenance.sh does; never with --single-transaction). \gexec sends each generated statement on
-- its own. System catalogs cannot be reindexed concurrently and are left to the server.
SELECT pg_catalog.format('REINDEX SCHEMA CONCURRENTLY %I', n.nspname)
FROM pg_catalog.pg_namespace AS n
WHERE n.nspname <> 'information_schema'
  AND n.nspname !~ '^pg_'
  AND EXISTS (
      SELECT 1 FROM pg_catalog.pg_class AS c
      WHERE c.relnamespace = n.oid AND c.relkind IN ('i', 'I'))
ORDER BY n.nspname
\gexec

-- An interrupted concurrent rebuild leaves an INVALID index (suffix _ccnew or _ccold) that costs writes and
-- is never used: fail the job so monitoring shows it, and name the indexes to drop or rebuild.
DO $$
DECLARE
    invalid text;
BEGIN
    SELECT pg_catalog.string_agg(pg_catalog.format('%I.%I', n.nspname, c.relname), ', ' ORDER BY 1)
    INTO invalid
    FROM pg_catalog.pg_index AS i
    JOIN pg_catalog.pg_class AS c ON c.oid = i.indexrelid
    JOIN pg_catalog.pg_namespace AS n ON n.oid = c.relnamespace
    WHERE NOT i.indisvalid
      AND n.nspname <> 'information_schema'
      AND n.nspname !~ '^pg_';
    IF invalid IS NOT NULL THEN
        RAISE EXCEPTION 'invalid indexes after REINDEX CONCURRENTLY: %', invalid
            USING HINT = 'Drop each leftover _ccnew index (DROP INDEX CONCURRENTLY) and rerun the reindex task.';
    END IF;
END
$$;
