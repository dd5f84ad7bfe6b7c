-- DAP-18 tasks are served beside DAP-09 ones. A DAP-18 task binds its TaskConfiguration into both HPKE AADs, so the
-- aggregators store what that configuration holds beyond the task's other columns: task_info, this aggregator's
-- endpoint exactly as the parties agreed it (the peer's is peer_aggregator_endpoint), and the start of the task's
-- interval (its end is task_expiration). All three are neutral values; none is one draft's encoding.
ALTER TABLE tasks DROP CONSTRAINT tasks_protocol_check;
ALTER TABLE tasks ADD CONSTRAINT tasks_protocol_check CHECK (protocol IN ('DAP-09', 'DAP-18'));
ALTER TABLE tasks
    ADD COLUMN task_info BYTEA CHECK (octet_length(task_info) BETWEEN 1 AND 255),
    ADD COLUMN own_aggregator_endpoint TEXT,
    ADD COLUMN task_start BIGINT;
ALTER TABLE tasks ADD CONSTRAINT tasks_dap18_terms CHECK (
    (protocol = 'DAP-18') = (task_info IS NOT NULL AND own_aggregator_endpoint IS NOT NULL)
    AND (task_start IS NULL OR protocol = 'DAP-18'));

-- A DAP-18 report carries public extensions in its metadata, which the Leader forwards to the Helper with the
-- report's shares; DAP-09 reports have none (NULL). Encoded as the extensions column is (type, length, data).
ALTER TABLE client_reports ADD COLUMN public_extensions BYTEA;
ALTER TABLE report_aggregations ADD COLUMN public_extensions BYTEA;

-- Leader, DAP-18: the Helper creates an aggregation job's resource when the Leader POSTs its initialization and
-- names it in Location; the Leader continues, polls and deletes the job there. NULL until the Helper answered, and
-- always for DAP-09, whose Leader names the job itself.
ALTER TABLE aggregation_jobs ADD COLUMN helper_location TEXT;
