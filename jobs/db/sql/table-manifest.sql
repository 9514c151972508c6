-- BKP-2: table manifest of the current database, one line per user table:
--   <schema>.<table>|<exact row count>|<content checksum>
-- pg-dump.sh runs it inside the snapshot that pg_dump uses, so the manifest describes exactly the data in
-- the archive; restore-check.sh runs it again on the restored scratch database and compares the two.
--
-- The checksum is order-independent: the sum of the first 64 bits of md5(row as text) over all rows. The
-- text form of a row depends on a few session settings, so they are fixed here; both sides run on the
-- same server, so type output functions are identical.
-- Read-only: safe on the production database (it reads every row of every user table once).
SET TIME ZONE 'UTC';
SET datestyle = 'ISO, YMD';
SET intervalstyle = 'postgres';
SET extra_float_digits = 3;
SET bytea_output = 'hex';
SET search_path = pg_catalog;

WITH user_tables AS (
    SELECT n.nspname, c.relname
    FROM pg_catalog.pg_class AS c
    JOIN pg_catalog.pg_namespace AS n ON n.oid = c.relnamespace
    WHERE c.relkind = 'r'
      AND c.relpersistence <> 't'
      AND n.nspname <> 'information_schema'
      AND n.nspname !~ '^pg_'
      -- tables created by extensions are recreated by CREATE EXTENSION, not restored from the data
      AND NOT EXISTS (
          SELECT 1 FROM pg_catalog.pg_depend AS d
          WHERE d.classid = 'pg_catalog.pg_class'::pg_catalog.regclass
            AND d.objid = c.oid
            AND d.deptype = 'e')
)
SELECT pg_catalog.format('%I.%I', t.nspname, t.relname) AS table_name,
       stats.row_count,
       stats.checksum
FROM user_tables AS t
CROSS JOIN LATERAL (
    SELECT (pg_catalog.xpath('/row/row_count/text()', x.result))[1]::text::bigint AS row_count,
           (pg_catalog.xpath('/row/checksum/text()', x.result))[1]::text AS checksum
    FROM pg_catalog.query_to_xml(
        pg_catalog.format(
            'SELECT pg_catalog.count(*) AS row_count, '
            'COALESCE(pg_catalog.sum((''x'' || pg_catalog.left(pg_catalog.md5(ROW(manifest_row.*)::text), 16))'
            '::bit(64)::bigint::numeric), 0) AS checksum '
            'FROM %I.%I AS manifest_row',
            t.nspname, t.relname),
        false, true, '') AS x(result)
) AS stats
ORDER BY 1;
