-- 0006_account_owners.sql: every row belongs to the role that claimed its
-- account, by OID.
--
-- Copyright 2026 Credify
--
-- SPDX-License-Identifier: GPL-3.0-or-later
--
-- Applied by InstaSync inside one transaction and recorded in
-- schema_migrations; do not add BEGIN or COMMIT here.
--
-- Until now a user's history rows were visible through "the account is one
-- of mine", and an account was mine by the text of my role's name. So
-- whoever claimed an id after its holder removed it inherited (read, changed,
-- deleted) the whole history the former holder left behind, and a role
-- created under a renamed role's old name inherited its accounts. Now every
-- row carries the OID of the role it belongs to, the policies compare OIDs,
-- and the owner is part of every history key: a new claimant of an id writes
-- rows of its own beside the former holder's, and never sees those.

-- Who is asking: the role that logged in. session_user rather than
-- current_user, because current_user follows SET ROLE to any role the login
-- is a member of, the group role instasync_user among them: a user could
-- otherwise file rows under the shared group, where every other user can SET
-- ROLE to read them, and it changes inside SECURITY DEFINER functions. Only a
-- superuser can change session_user (SET SESSION AUTHORIZATION). STABLE, and
-- the policies call it as (SELECT instasync_session_role ()), an InitPlan:
-- once per statement, not once per row.
CREATE FUNCTION instasync_session_role () RETURNS oid
LANGUAGE sql STABLE PARALLEL SAFE
AS $$ SELECT r.oid FROM pg_catalog.pg_roles r WHERE r.rolname = session_user $$;

-- The policies of 0003 name owner_role, which goes below; they are created
-- again by instasync_setup_roles ().
DO $drop$
DECLARE
  account_table text;
  suffix text;
BEGIN
  FOREACH account_table IN ARRAY ARRAY['instagram_accounts', 'user_tokens', 'instagram_insights',
                                       'instagram_sync_logs', 'instagram_sync_cursors'] LOOP
    FOREACH suffix IN ARRAY ARRAY['_user', '_worker'] LOOP
      EXECUTE format ('DROP POLICY IF EXISTS %I ON %I', account_table || suffix, account_table);
    END LOOP;
  END LOOP;
END
$drop$;

-- Accounts: their owner is the role that added them, as owner_role said;
-- one whose role is gone belongs to whoever migrates (normally the owner of
-- the tables, who sees everything anyway).
ALTER TABLE instagram_accounts ADD COLUMN owner_oid oid;
UPDATE instagram_accounts a
SET owner_oid = coalesce ((SELECT r.oid FROM pg_catalog.pg_roles r WHERE r.rolname = a.owner_role),
                          instasync_session_role ());
ALTER TABLE instagram_accounts
  ALTER COLUMN owner_oid SET NOT NULL,
  ALTER COLUMN owner_oid SET DEFAULT instasync_session_role ();
-- A name is no identity: after ALTER ROLE … RENAME a new role may take it.
-- owner_oid::regrole shows the name when a person wants it.
ALTER TABLE instagram_accounts DROP COLUMN owner_role;
-- The user policies look an account up by it, for every statement.
CREATE INDEX instagram_accounts_owner_oid_idx ON instagram_accounts (owner_oid);

-- The rows about an account: each gets the owner of its account, or the
-- migrating role's when its account is gone (history kept after a removal).
DO $history$
DECLARE
  history_table text;
BEGIN
  FOREACH history_table IN ARRAY ARRAY['user_tokens', 'instagram_insights', 'instagram_sync_logs',
                                       'instagram_sync_cursors'] LOOP
    -- A constant default fills the column without rewriting the table; only
    -- rows of accounts held by another role are then updated.
    EXECUTE format ('ALTER TABLE %I ADD COLUMN owner_oid oid NOT NULL DEFAULT %s',
                    history_table, instasync_session_role ());
    EXECUTE format ('UPDATE %I h SET owner_oid = a.owner_oid FROM instagram_accounts a '
                    'WHERE a.ig_user_id = h.ig_user_id AND a.owner_oid <> h.owner_oid',
                    history_table);
    -- From now on the trigger below sets it.
    EXECUTE format ('ALTER TABLE %I ALTER COLUMN owner_oid DROP DEFAULT', history_table);
  END LOOP;
END
$history$;

-- The owner is part of each key, so a new claimant of an id never collides
-- with, overwrites or sees the former holder's rows. It comes last: the
-- insights key still leads with (ig_user_id, metric, end_time) for the
-- charts and exports, and the constraint keeps its name, which the upsert's
-- ON CONFLICT names.
ALTER TABLE instagram_insights
  DROP CONSTRAINT instagram_insights_natural_key,
  ADD CONSTRAINT instagram_insights_natural_key
    PRIMARY KEY (ig_user_id, metric, end_time, period, metric_type, window_start,
                 breakdown, dimension_value, owner_oid);
ALTER TABLE instagram_sync_cursors
  DROP CONSTRAINT instagram_sync_cursors_pkey,
  ADD CONSTRAINT instagram_sync_cursors_pkey PRIMARY KEY (ig_user_id, metric, owner_oid);
-- user_tokens keeps UNIQUE (ig_user_id): a token is deleted with its
-- account (ON DELETE CASCADE), and an account has one holder at a time
-- (instagram_accounts' primary key), so only its holder has a token of it.

-- Sets a history row's owner to its account's owner, whoever writes it: a
-- worker writes for every account, and its rows must be the account's
-- owner's, not its own. Without an account the row is the writer's; a user
-- may not write such a row anyway (WITH CHECK asks for the account). Not
-- SECURITY DEFINER: it reads instagram_accounts as the writer, who sees
-- exactly the accounts it may write about. The table is named with its
-- schema so that nothing depends on the writer's search_path (SET
-- search_path on the function would cost every row a configuration change).
--
-- It runs only for a row that names no owner (the WHEN below, which costs
-- nothing): a lookup per row would nearly double the cost of the bulk
-- insight upsert (measured: 200000 rows, 3.2 s without it, 6.5 s with it),
-- so the store names the owner itself, joining the batch to its accounts
-- once. A row that names an owner keeps it: a user's must name the user
-- (WITH CHECK), and a worker may write any row anyway.
DO $trigger$
BEGIN
  EXECUTE format ($function$
    CREATE FUNCTION instasync_set_history_owner () RETURNS trigger
    LANGUAGE plpgsql
    AS $body$
    DECLARE
      account_owner oid;
    BEGIN
      SELECT a.owner_oid INTO account_owner FROM %I.instagram_accounts a
      WHERE a.ig_user_id = NEW.ig_user_id;
      NEW.owner_oid := coalesce (account_owner, %I.instasync_session_role ());
      RETURN NEW;
    END
    $body$ $function$, current_schema (), current_schema ());
END
$trigger$;

CREATE TRIGGER instagram_insights_owner BEFORE INSERT ON instagram_insights
  FOR EACH ROW WHEN (NEW.owner_oid IS NULL) EXECUTE FUNCTION instasync_set_history_owner ();
CREATE TRIGGER instagram_sync_logs_owner BEFORE INSERT ON instagram_sync_logs
  FOR EACH ROW WHEN (NEW.owner_oid IS NULL) EXECUTE FUNCTION instasync_set_history_owner ();
CREATE TRIGGER instagram_sync_cursors_owner BEFORE INSERT ON instagram_sync_cursors
  FOR EACH ROW WHEN (NEW.owner_oid IS NULL) EXECUTE FUNCTION instasync_set_history_owner ();
CREATE TRIGGER user_tokens_owner BEFORE INSERT ON user_tokens
  FOR EACH ROW WHEN (NEW.owner_oid IS NULL) EXECUTE FUNCTION instasync_set_history_owner ();

-- Handing an account over (the owner or a worker sets its owner_oid, README
-- "Several users on one PostgreSQL") takes its token and the history its
-- holder wrote along; rows a former holder left behind stay theirs.
DO $handover$
BEGIN
  EXECUTE format ($function$
    CREATE FUNCTION instasync_hand_over_history () RETURNS trigger
    LANGUAGE plpgsql
    AS $body$
    BEGIN
      UPDATE %1$I.user_tokens SET owner_oid = NEW.owner_oid
      WHERE ig_user_id = NEW.ig_user_id AND owner_oid = OLD.owner_oid;
      UPDATE %1$I.instagram_insights SET owner_oid = NEW.owner_oid
      WHERE ig_user_id = NEW.ig_user_id AND owner_oid = OLD.owner_oid;
      UPDATE %1$I.instagram_sync_logs SET owner_oid = NEW.owner_oid
      WHERE ig_user_id = NEW.ig_user_id AND owner_oid = OLD.owner_oid;
      UPDATE %1$I.instagram_sync_cursors SET owner_oid = NEW.owner_oid
      WHERE ig_user_id = NEW.ig_user_id AND owner_oid = OLD.owner_oid;
      RETURN NULL;
    END
    $body$ $function$, current_schema ());
END
$handover$;

CREATE TRIGGER instagram_accounts_hand_over AFTER UPDATE OF owner_oid ON instagram_accounts
  FOR EACH ROW WHEN (OLD.owner_oid IS DISTINCT FROM NEW.owner_oid)
  EXECUTE FUNCTION instasync_hand_over_history ();

-- Ids users can see are not a shared counter: a sequence tells every user
-- how many tokens and sync runs all the others have. 60 random bits of a
-- version 4 UUID (gen_random_uuid () is core PostgreSQL since 13), positive.
CREATE FUNCTION instasync_random_id () RETURNS bigint
LANGUAGE sql VOLATILE PARALLEL SAFE
AS $$ SELECT ('x' || pg_catalog.left (pg_catalog.replace (pg_catalog.gen_random_uuid ()::text,
                                                          '-', ''), 16))::bit(64)::bigint
             & 9223372036854775807 $$;

ALTER TABLE user_tokens ALTER COLUMN id SET DEFAULT instasync_random_id ();
ALTER TABLE instagram_sync_logs ALTER COLUMN id SET DEFAULT instasync_random_id ();
-- Nothing uses the counters any more: gone, and with them the USAGE 0003
-- granted on them.
DROP SEQUENCE user_tokens_id_seq;
DROP SEQUENCE instagram_sync_logs_id_seq;

-- As in 0003 (which see), with the predicates by OID, and grants on the
-- tables of later migrations.
CREATE OR REPLACE FUNCTION instasync_setup_roles () RETURNS void
LANGUAGE plpgsql
AS $setup$
DECLARE
  account_tables constant text[] := ARRAY['instagram_accounts', 'user_tokens',
                                          'instagram_insights', 'instagram_sync_logs',
                                          'instagram_sync_cursors'];
  -- A user owns the rows filed under its role's OID. A new or changed row
  -- about an account must also be about an account the user holds now: the
  -- subquery is itself filtered by the policy on instagram_accounts, and not
  -- correlated, so PostgreSQL runs it once and checks each row by hash.
  by_owner constant text := 'owner_oid = (SELECT instasync_session_role ())';
  by_holder constant text := 'owner_oid = (SELECT instasync_session_role ()) '
                             'AND ig_user_id IN (SELECT a.ig_user_id FROM instagram_accounts a)';
  may_create_roles boolean;
  group_role text;
  account_table text;
  policy_name text;
  visible text;
  writable text;
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
      visible := CASE WHEN group_role = 'instasync_worker' THEN 'true' ELSE by_owner END;
      writable := CASE WHEN group_role = 'instasync_worker' THEN 'true'
                       WHEN account_table = 'instagram_accounts' THEN by_owner
                       ELSE by_holder END;

      EXECUTE format ('GRANT SELECT, INSERT, UPDATE, DELETE ON %I TO %I',
                      account_table, group_role);
      IF EXISTS (SELECT FROM pg_policy
                 WHERE polrelid = to_regclass (account_table) AND polname = policy_name) THEN
        EXECUTE format ('DROP POLICY %I ON %I', policy_name, account_table);
      END IF;
      EXECUTE format ('CREATE POLICY %I ON %I TO %I USING (%s) WITH CHECK (%s)',
                      policy_name, account_table, group_role, visible, writable);
    END LOOP;

    EXECUTE format ('GRANT SELECT, INSERT, UPDATE ON graph_api_readings TO %I', group_role);
    -- So that InstaSync, connected as a user or a worker, can see that the
    -- schema is current.
    EXECUTE format ('GRANT SELECT ON schema_migrations TO %I', group_role);
  END LOOP;

  -- The check values of the token keys, one per role
  -- (sql/0005_client_side_tokens.sql): its grants and policies.
  PERFORM instasync_setup_token_key_check_roles ();
END
$setup$;

-- 0005 kept 0003's function under this name for the wrapper this one
-- replaces.
DROP FUNCTION instasync_setup_account_roles ();

REVOKE EXECUTE ON FUNCTION instasync_setup_roles () FROM PUBLIC;

SELECT instasync_setup_roles ();
