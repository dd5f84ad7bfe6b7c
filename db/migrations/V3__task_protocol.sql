-- Each task records the DAP draft it speaks; the aggregator serves it only on that draft's routes and the Leader's
-- drivers talk to the Helper in it. Existing tasks are DAP-09, the only draft served so far.
ALTER TABLE tasks ADD COLUMN protocol TEXT NOT NULL DEFAULT 'DAP-09' CHECK (protocol IN ('DAP-09'));
