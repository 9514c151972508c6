-- BKP-2: sequences of the restored database, one line per sequence of a user schema:
--   <schema>.<sequence>|ok                          the next value is above every value of its column
--   <schema>.<sequence>|behind last_value=N max=M   the next insert would collide with restored rows
-- A sequence owned by a column (serial, identity, OWNED BY) must have been restored with a value at least
-- the column's maximum; pg_dump reads a sequence's value when it dumps it, so a correct dump never fails.
-- restore-check.sh runs it as the owner of the restored objects.
SET search_path = pg_catalog;

WITH sequences AS (
    SELECT s.oid, n.nspname, s.relname,
           pg_catalog.pg_sequence_last_value(s.oid) AS last_value,
           t.relname AS table_name, tn.nspname AS table_schema, a.attname AS column_name
    FROM pg_catalog.pg_class AS s
    JOIN pg_catalog.pg_namespace AS n ON n.oid = s.relnamespace
    LEFT JOIN pg_catalog.pg_depend AS d
           ON d.classid = 'pg_catalog.pg_class'::pg_catalog.regclass AND d.objid = s.oid
          AND d.refclassid = 'pg_catalog.pg_class'::pg_catalog.regclass AND d.refobjsubid > 0 AND d.deptype IN ('a', 'i')
    LEFT JOIN pg_catalog.pg_class AS t ON t.oid = d.refobjid
    LEFT JOIN pg_catalog.pg_namespace AS tn ON tn.oid = t.relnamespace
    LEFT JOIN pg_catalog.pg_attribute AS a ON a.attrelid = d.refobjid AND a.attnum = d.refobjsubid
    WHERE s.relkind = 'S'
      AND n.nspname <> 'information_schema'
      AND n.nspname !~ '^pg_'
)
SELECT pg_catalog.format('%I.%I', q.nspname, q.relname)
       || '|'
       || CASE WHEN q.column_max IS NULL OR (q.last_value IS NOT NULL AND q.last_value >= q.column_max) THEN 'ok'
               ELSE pg_catalog.format('behind last_value=%s max=%s', COALESCE(q.last_value::text, 'unset'), q.column_max)
          END
FROM (
    SELECT sq.*,
           CASE WHEN sq.table_name IS NULL THEN NULL ELSE
               (pg_catalog.xpath('/row/m/text()', pg_catalog.query_to_xml(
                   pg_catalog.format('SELECT max(%I)::numeric AS m FROM %I.%I', sq.column_name, sq.table_schema, sq.table_name),
                   false, true, '')))[1]::text::numeric
           END AS column_max
    FROM sequences AS sq
) AS q
ORDER BY 1;
