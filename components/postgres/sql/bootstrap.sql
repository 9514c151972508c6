-- Bootstrap of the RDS PostgreSQL instance (DB-3), run by the database-admin Job as the RDS master user.
--
-- Creates `pulumi_admin`, the role @pulumi/postgresql connects as. It has no password: it logs in only with
-- an IAM authentication token (membership in rds_iam), so neither the master password nor any admin
-- password passes through Pulumi or its state. Every statement is idempotent: the Job may run again after
-- a restore, a replacement of the Job or a retry, and must then change nothing.
--
-- pg_stat_statements is not a trusted extension, so only the master user (rds_superuser) may create it.
-- It is created in template1, so every database created afterwards (the application database, declared
-- by Pulumi) starts with it; Pulumi's declaration of the extension then finds it in place.

\set ON_ERROR_STOP on

DO $bootstrap$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = 'pulumi_admin') THEN
        CREATE ROLE pulumi_admin WITH LOGIN CREATEROLE CREATEDB NOSUPERUSER NOREPLICATION NOBYPASSRLS;
    ELSE
        -- Bring an existing role back to the intended attributes (a drifted or pre-existing role). The master user
        -- is not a superuser: naming SUPERUSER, REPLICATION or BYPASSRLS at all, even to switch them off, is refused
        -- to it ("must be superuser to ... change superuser attribute"), which made every second run fail. So only
        -- the attributes it may set are set, and a role that holds one of the others stops the run.
        ALTER ROLE pulumi_admin WITH LOGIN CREATEROLE CREATEDB;
        IF EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = 'pulumi_admin' AND (rolsuper OR rolreplication OR rolbypassrls)) THEN
            RAISE EXCEPTION 'pulumi_admin has SUPERUSER, REPLICATION or BYPASSRLS; an administrator must remove them (DB-3)';
        END IF;
    END IF;
    -- IAM authentication only: any password set by hand is removed.
    ALTER ROLE pulumi_admin WITH PASSWORD NULL;
    IF NOT EXISTS (
        SELECT FROM pg_catalog.pg_auth_members m
        JOIN pg_catalog.pg_roles r ON r.oid = m.roleid
        JOIN pg_catalog.pg_roles u ON u.oid = m.member
        WHERE r.rolname = 'rds_iam' AND u.rolname = 'pulumi_admin'
    ) THEN
        GRANT rds_iam TO pulumi_admin;
    END IF;
END
$bootstrap$;

-- The weekly slow-query report (MNT-1) signs in as the read-only role, which must see every role's statements
-- in pg_stat_statements: pulumi_admin may hand out pg_read_all_stats (PostgreSQL 16+ requires ADMIN OPTION
-- for that even with CREATEROLE), and Pulumi grants it to the read-only role only.
GRANT pg_read_all_stats TO pulumi_admin WITH ADMIN OPTION;

COMMENT ON ROLE pulumi_admin IS 'Pulumi @pulumi/postgresql provider; IAM authentication only (DB-3)';

\connect template1
CREATE EXTENSION IF NOT EXISTS pg_stat_statements;
