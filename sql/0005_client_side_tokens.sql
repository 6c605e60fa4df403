-- 0005_client_side_tokens.sql: access tokens sealed in the client.
--
-- Copyright 2026 Credify
--
-- SPDX-License-Identifier: GPL-3.0-or-later
--
-- Applied by InstaSync inside one transaction and recorded in
-- schema_migrations; do not add BEGIN or COMMIT here.
--
-- Tokens used to be encrypted by pgcrypto on the server, which meant the
-- token key and each plaintext token were statement parameters: the
-- server's statement log could hold them. From here on InstaSync seals a
-- token itself (XChaCha20-Poly1305, the account's id as associated data) and
-- the server only stores the result. This migration cannot convert the old
-- rows, since that needs the key, which the server never gets: InstaSync
-- converts them in the client the first time it loads the key, and reads
-- either form until then.

ALTER TABLE user_tokens
  ALTER COLUMN token_encrypted DROP NOT NULL,
  -- version ‖ nonce ‖ ciphertext, as app/core/db/instasync-token-cipher.h
  -- describes it.
  ADD COLUMN token_sealed bytea,
  -- A keyed hash of the token: rotation and expiry updates compare it to
  -- change a row only while it still holds the token they read.
  ADD COLUMN token_fingerprint bytea,
  ADD CONSTRAINT user_tokens_one_form
    CHECK ((token_sealed IS NULL) <> (token_encrypted IS NULL)),
  ADD CONSTRAINT user_tokens_sealed_has_fingerprint
    CHECK ((token_sealed IS NULL) = (token_fingerprint IS NULL));

-- The check value of the key each role seals its tokens with, written the
-- first time it seals one, so that a process started with another key is
-- told at start, before it touches a token. The value is a keyed hash of a
-- constant: it tells nothing about the key. The role is its OID, as the
-- session began: a role renamed or dropped and made anew is not its
-- predecessor.
CREATE TABLE token_key_check (
  role_oid    oid PRIMARY KEY DEFAULT to_regrole (quote_ident (session_user))::oid,
  check_value bytea NOT NULL CHECK (length (check_value) = 32),
  created_at  timestamptz NOT NULL DEFAULT now ()
);

ALTER TABLE token_key_check ENABLE ROW LEVEL SECURITY;

-- A user reads and records its own; nobody changes one (a new key means
-- adding the accounts again). Workers read every role's. Like
-- instasync_setup_roles (), which calls it from now on, it does what it can
-- for the group roles that exist, and may be run again at any time.
CREATE FUNCTION instasync_setup_token_key_check_roles () RETURNS void
LANGUAGE plpgsql
AS $setup$
DECLARE
  mine constant text := 'role_oid = to_regrole (quote_ident (session_user))::oid';
  group_role text;
  policy_name text;
BEGIN
  FOREACH group_role IN ARRAY ARRAY['instasync_user', 'instasync_worker'] LOOP
    CONTINUE WHEN to_regrole (group_role) IS NULL;

    policy_name := 'token_key_check_' || CASE group_role WHEN 'instasync_worker' THEN 'worker'
                                                         ELSE 'user' END;
    EXECUTE format ('GRANT SELECT, INSERT ON token_key_check TO %I', group_role);
    IF EXISTS (SELECT FROM pg_policy
               WHERE polrelid = 'token_key_check'::regclass AND polname = policy_name) THEN
      EXECUTE format ('DROP POLICY %I ON token_key_check', policy_name);
    END IF;
    EXECUTE format ('CREATE POLICY %I ON token_key_check TO %I USING (%s) WITH CHECK (%s)',
                    policy_name, group_role,
                    CASE group_role WHEN 'instasync_worker' THEN 'true' ELSE mine END, mine);
  END LOOP;
END
$setup$;

REVOKE EXECUTE ON FUNCTION instasync_setup_token_key_check_roles () FROM PUBLIC;

SELECT instasync_setup_token_key_check_roles ();

-- The owner's one call, SELECT instasync_setup_roles (), keeps setting up
-- everything: what 0003 set up, and this table.
ALTER FUNCTION instasync_setup_roles () RENAME TO instasync_setup_account_roles;

CREATE FUNCTION instasync_setup_roles () RETURNS void
LANGUAGE plpgsql
AS $setup$
BEGIN
  PERFORM instasync_setup_account_roles ();
  PERFORM instasync_setup_token_key_check_roles ();
END
$setup$;

REVOKE EXECUTE ON FUNCTION instasync_setup_roles () FROM PUBLIC;
