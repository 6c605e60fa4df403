-- 0003_row_level_security.sql: several users on one PostgreSQL.
--
-- Copyright 2026 Credify
--
-- SPDX-License-Identifier: GPL-3.0-or-later
--
-- Applied by InstaSync inside one transaction and recorded in
-- schema_migrations; do not add BEGIN or COMMIT here.
--
-- Each user connects with a login role of their own, a member of the group
-- role instasync_user, and reads and changes only the accounts that role
-- connected, with their tokens, insights, sync logs and cursors. Sync
-- workers connect with a member of instasync_worker and see everything.
--
-- The table owner (the role that ran the migrations) and superusers bypass
-- row-level security, and nothing here FORCEs it on them: the embedded
-- single-user database, which connects as the owner, and the benchmark pay
-- nothing. The worker's policies are USING (true), which the planner folds
-- away, so the bulk insight upsert pays nothing either. Only members of
-- instasync_user pay, once per statement: the account subquery below is not
-- correlated, so PostgreSQL runs it once and checks each row against a hash.

-- Who connected the account: the role that added it. Rows that exist already
-- belong to the role applying this migration, normally the owner.
ALTER TABLE instagram_accounts
  ADD COLUMN owner_role text NOT NULL DEFAULT current_user;

-- The user policies look an account up by it, for every statement.
CREATE INDEX instagram_accounts_owner_role_idx ON instagram_accounts (owner_role);

-- Without a policy that lets them in, roles other than the owner see no row
-- at all: a role in neither group gets nothing, whatever it was granted.
ALTER TABLE instagram_accounts ENABLE ROW LEVEL SECURITY;
ALTER TABLE user_tokens ENABLE ROW LEVEL SECURITY;
ALTER TABLE instagram_insights ENABLE ROW LEVEL SECURITY;
ALTER TABLE instagram_sync_logs ENABLE ROW LEVEL SECURITY;
ALTER TABLE instagram_sync_cursors ENABLE ROW LEVEL SECURITY;

-- Creates the group roles when they are missing and the migrating role may
-- create roles, then grants them what they need and (re)creates their
-- policies. Roles belong to the whole cluster, tables to one database, so a
-- role created for another database is simply used.
--
-- A role that may not create roles (no CREATEROLE, as on some hosted
-- PostgreSQL) gets a NOTICE and the rest of the migration still applies:
-- the database then serves its owner only. Once somebody allowed to has
-- created the roles (CREATE ROLE instasync_user NOLOGIN; CREATE ROLE
-- instasync_worker NOLOGIN), the owner runs SELECT instasync_setup_roles ();
-- it may be run again at any time.
--
-- A table added by a later migration needs its own grants and policies.
CREATE FUNCTION instasync_setup_roles () RETURNS void
LANGUAGE plpgsql
AS $setup$
DECLARE
  account_tables constant text[] := ARRAY['instagram_accounts', 'user_tokens',
                                          'instagram_insights', 'instagram_sync_logs',
                                          'instagram_sync_cursors'];
  -- A user owns the accounts its role added, and every other row through
  -- the account it is about. The subquery is itself filtered by the policy
  -- on instagram_accounts.
  by_owner constant text := 'owner_role = (current_user)::text';
  by_account constant text := 'ig_user_id IN (SELECT a.ig_user_id FROM instagram_accounts a)';
  may_create_roles boolean;
  group_role text;
  account_table text;
  policy_name text;
  predicate text;
BEGIN
  SELECT rolsuper OR rolcreaterole INTO may_create_roles
  FROM pg_roles WHERE rolname = current_user;

  FOREACH group_role IN ARRAY ARRAY['instasync_user', 'instasync_worker'] LOOP
    IF to_regrole (group_role) IS NULL AND may_create_roles THEN
      BEGIN
        EXECUTE format ('CREATE ROLE %I NOLOGIN', group_role);
      EXCEPTION WHEN duplicate_object OR unique_violation THEN
        -- Another database of this cluster created it at the same moment.
        NULL;
      END;
    ELSIF to_regrole (group_role) IS NULL THEN
      RAISE NOTICE 'The role % does not exist and % may not create roles: '
                   'row-level security lets only the owner in until the role '
                   'exists and SELECT instasync_setup_roles () is run',
                   group_role, current_user;
      CONTINUE;
    END IF;

    FOREACH account_table IN ARRAY account_tables LOOP
      policy_name := account_table || CASE group_role WHEN 'instasync_worker' THEN '_worker'
                                                      ELSE '_user' END;
      -- The worker's true costs nothing: the planner drops it. WITH CHECK
      -- refuses a new or changed row that would belong to somebody else with
      -- an error, where USING only hides rows.
      predicate := CASE WHEN group_role = 'instasync_worker' THEN 'true'
                        WHEN account_table = 'instagram_accounts' THEN by_owner
                        ELSE by_account END;

      EXECUTE format ('GRANT SELECT, INSERT, UPDATE, DELETE ON %I TO %I',
                      account_table, group_role);
      IF EXISTS (SELECT FROM pg_policy
                 WHERE polrelid = to_regclass (account_table) AND polname = policy_name) THEN
        EXECUTE format ('DROP POLICY %I ON %I', policy_name, account_table);
      END IF;
      EXECUTE format ('CREATE POLICY %I ON %I TO %I USING (%s) WITH CHECK (%s)',
                      policy_name, account_table, group_role, predicate, predicate);
    END LOOP;

    EXECUTE format ('GRANT USAGE ON SEQUENCE %s, %s TO %I',
                    pg_get_serial_sequence ('user_tokens', 'id'),
                    pg_get_serial_sequence ('instagram_sync_logs', 'id'), group_role);
    -- So that InstaSync, connected as a user or a worker, can see that the
    -- schema is current.
    EXECUTE format ('GRANT SELECT ON schema_migrations TO %I', group_role);
  END LOOP;
END
$setup$;

-- Only the owner can create policies anyway; nobody else needs to call it.
REVOKE EXECUTE ON FUNCTION instasync_setup_roles () FROM PUBLIC;

SELECT instasync_setup_roles ();
