-- 0004_window_readings.sql: what InstaSync learnt of the Graph API's days.
--
-- Copyright 2026 Credify
--
-- SPDX-License-Identifier: GPL-3.0-or-later
--
-- Applied by InstaSync inside one transaction and recorded in
-- schema_migrations; do not add BEGIN or COMMIT here.

-- The time zone whose midnights end the account's days, learnt from the
-- end_times the API returns for it (an IANA name, or a fixed offset such as
-- +01:00). NULL until learnt; InstaSync then assumes US-Pacific and checks.
ALTER TABLE instagram_accounts ADD COLUMN day_zone text;

-- Which buckets a since/until window holds, which the documentation leaves
-- open, as the API's own answers showed it: one row per Graph host and
-- version, shared by every process that syncs through them. A total-value
-- reading of NULL means the totals could not be reconciled with the time
-- series, and every sync says so.
CREATE TABLE graph_api_readings (
  api_host            text NOT NULL,
  api_version         integer NOT NULL,
  time_series_reading text NOT NULL
                      CHECK (time_series_reading IN ('overlap', 'overlap_inclusive',
                                                     'bucket_end', 'bucket_end_inclusive')),
  total_value_reading text
                      CHECK (total_value_reading IN ('overlap', 'overlap_inclusive',
                                                     'bucket_end', 'bucket_end_inclusive')),
  learned_at          timestamptz NOT NULL DEFAULT now (),
  PRIMARY KEY (api_host, api_version)
);

-- A fact about the API, not about anybody's accounts: every user and worker
-- reads it and may record what it learnt.
DO $grant$
DECLARE
  group_role text;
BEGIN
  FOREACH group_role IN ARRAY ARRAY['instasync_user', 'instasync_worker'] LOOP
    IF to_regrole (group_role) IS NOT NULL THEN
      EXECUTE format ('GRANT SELECT, INSERT, UPDATE ON graph_api_readings TO %I', group_role);
    END IF;
  END LOOP;
END
$grant$;
