-- 0001_initial.sql: the tables InstaSync writes to.
--
-- Copyright 2026 Credify
--
-- SPDX-License-Identifier: GPL-3.0-or-later
--
-- Applied by InstaSync inside one transaction and recorded in
-- schema_migrations; do not add BEGIN or COMMIT here.

-- pgp_sym_encrypt() keeps access tokens unreadable to anyone holding the
-- database but not the key, which never enters the database. pgcrypto is a
-- trusted extension, so a database owner without superuser can create it
-- (e.g. on a hosted PostgreSQL).
CREATE EXTENSION IF NOT EXISTS pgcrypto;

-- One row per connected Instagram professional account. The status is what
-- the token manager last concluded, so the UI can ask for a reconnect
-- without decrypting anything.
CREATE TABLE instagram_accounts (
  ig_user_id      text PRIMARY KEY,
  username        text,
  name            text,
  page_id         text,
  followers_count bigint,
  status          text NOT NULL DEFAULT 'active'
                  CHECK (status IN ('active', 'expiring', 'needs_reconnect')),
  status_reason   text,
  created_at      timestamptz NOT NULL DEFAULT now(),
  updated_at      timestamptz NOT NULL DEFAULT now(),
  last_synced_at  timestamptz
);

-- The access token of each account, encrypted with pgp_sym_encrypt(token,
-- key). A token belongs to its account: removing the account removes it.
CREATE TABLE user_tokens (
  id                     bigserial PRIMARY KEY,
  ig_user_id             text NOT NULL UNIQUE
                         REFERENCES instagram_accounts (ig_user_id) ON DELETE CASCADE,
  token_encrypted        bytea NOT NULL,
  token_type             text NOT NULL DEFAULT 'user',
  expires_at             timestamptz,
  data_access_expires_at timestamptz,
  scopes                 text[],
  created_at             timestamptz NOT NULL DEFAULT now(),
  updated_at             timestamptz NOT NULL DEFAULT now()
);

-- Every normalized value. There is deliberately no foreign key to
-- instagram_accounts: removing an account must not delete the history that
-- data engineers keep building on.
CREATE TABLE instagram_insights (
  ig_user_id      text NOT NULL,
  metric          text NOT NULL,
  period          text NOT NULL,
  metric_type     text NOT NULL CHECK (metric_type IN ('time_series', 'total_value')),
  -- Both ends of the bucket are exact UTC instants; end_time is the next
  -- US-Pacific midnight for day metrics, as the Graph API reports it.
  window_start    timestamptz NOT NULL,
  end_time        timestamptz NOT NULL,
  value           bigint NOT NULL,
  -- '' rather than NULL when there is no breakdown, so that the key below
  -- holds on every PostgreSQL >= 13 (NULLs never collide).
  breakdown       text NOT NULL DEFAULT '',
  dimension_value text NOT NULL DEFAULT '',
  metadata        jsonb NOT NULL DEFAULT '{}',
  fetched_at      timestamptz NOT NULL DEFAULT now(),
  updated_at      timestamptz,
  -- The natural key: what makes re-running a sync an idempotent upsert. Its
  -- columns lead with (ig_user_id, metric, end_time), so the one index
  -- behind it is also the composite index the charts and exports use to
  -- read one account's metric over a time range; every write pays for one
  -- index, not three (a surrogate id would add one and serve no query).
  CONSTRAINT instagram_insights_natural_key
    PRIMARY KEY (ig_user_id, metric, end_time, period, metric_type, window_start,
                 breakdown, dimension_value)
);

-- One row per sync run of one account: what was asked, what came back and
-- what the verified upserts did with it.
CREATE TABLE instagram_sync_logs (
  id                bigserial PRIMARY KEY,
  ig_user_id        text,
  status            text NOT NULL
                    CHECK (status IN ('succeeded', 'partial', 'failed', 'paused')),
  started_at        timestamptz,
  finished_at       timestamptz,
  -- Computed by the database so that it can never disagree with the two
  -- instants it comes from.
  duration_ms       bigint GENERATED ALWAYS AS
                    ((extract(epoch FROM (finished_at - started_at)) * 1000)::bigint) STORED,
  -- Pacific days, inclusive, as the user chose them.
  window_since      date,
  window_until      date,
  metrics_requested integer NOT NULL DEFAULT 0,
  metrics_succeeded integer NOT NULL DEFAULT 0,
  metrics_failed    integer NOT NULL DEFAULT 0,
  rows_inserted     integer NOT NULL DEFAULT 0,
  rows_updated      integer NOT NULL DEFAULT 0,
  rows_unchanged    integer NOT NULL DEFAULT 0,
  rows_failed       integer NOT NULL DEFAULT 0,
  api_calls         integer NOT NULL DEFAULT 0,
  http_requests     integer NOT NULL DEFAULT 0,
  errors            jsonb NOT NULL DEFAULT '[]',
  summary           text
);

-- "The last runs of this account", newest first, is the common question.
CREATE INDEX instagram_sync_logs_account_started_at_idx
  ON instagram_sync_logs (ig_user_id, started_at DESC);
