-- BKP-2: drops the restore check's scratch database (psql variable :scratch), ending any session still
-- connected to it (WITH (FORCE), PostgreSQL 13+). Run from the source database, never from the scratch one.
DROP DATABASE IF EXISTS :"scratch" WITH (FORCE);
