-- BKP-2: creates the restore check's scratch database (psql variable :scratch) with the encoding and
-- locale of the database the session is connected to (the source), so restored text compares equal.
-- Run in autocommit mode: CREATE DATABASE cannot run in a transaction block.
SELECT pg_catalog.pg_encoding_to_char(encoding) AS source_encoding,
       datcollate AS source_collate,
       datctype AS source_ctype
FROM pg_catalog.pg_database
WHERE datname = pg_catalog.current_database() \gset
CREATE DATABASE :"scratch" TEMPLATE template0 ENCODING :'source_encoding'
    LC_COLLATE :'source_collate' LC_CTYPE :'source_ctype';
