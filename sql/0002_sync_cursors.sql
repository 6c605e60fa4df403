-- Incremental sync: how far each account's metric is known to be complete,
-- and when a throttled account may be called again.

-- The last Pacific day through which a metric's data is complete. The next
-- run starts after it (or earlier, for the lookback), so a machine that was
-- off for a week catches up, and a window that failed or came back empty
-- when data was expected is fetched again: the cursor never moves past it.
CREATE TABLE instagram_sync_cursors (
  ig_user_id     text NOT NULL,
  metric         text NOT NULL,
  synced_through date NOT NULL,
  updated_at     timestamptz NOT NULL DEFAULT now (),
  PRIMARY KEY (ig_user_id, metric)
);

-- Set when the API throttled the account: calling again before then only
-- extends the block, so every run skips the account until it has passed.
ALTER TABLE instagram_accounts ADD COLUMN paused_until timestamptz;
