-- Collection jobs record the Leader's aggregate when the batch is first found ready, and why a job failed.
--
-- COLLECTING: the Leader's aggregate share, report count, checksum and client timestamp interval are frozen (the
-- batch's shards are COLLECTED) and the Helper's aggregate share is still to come. Retries send the same count and
-- checksum, so a report that arrives late can never change what the Leader asks the Helper to match. A job's frozen
-- aggregate stays in its row whatever happens to the job later: report_count IS NOT NULL marks a batch whose
-- collection has begun, and the aggregation job creator drops (and counts) reports that fall into such a batch.
--
-- FAILED: the Helper refused the aggregate share for good; failure_type holds the DAP problem type name (for
-- example batchMismatch), which polls answer with. ABANDONED jobs keep the last failure in failure_detail.
ALTER TABLE collection_jobs DROP CONSTRAINT collection_jobs_state_check;
ALTER TABLE collection_jobs ADD CONSTRAINT collection_jobs_state_check
    CHECK (state IN ('START', 'COLLECTING', 'FINISHED', 'FAILED', 'ABANDONED', 'DELETED'));
ALTER TABLE collection_jobs
    ADD COLUMN leader_checksum BYTEA CHECK (octet_length(leader_checksum) = 32),
    ADD COLUMN failure_type TEXT,
    ADD COLUMN failure_detail TEXT;
ALTER TABLE collection_jobs ADD CONSTRAINT collection_jobs_collecting_has_aggregate CHECK (
    state <> 'COLLECTING' OR (report_count IS NOT NULL AND client_timestamp_interval IS NOT NULL
                              AND leader_aggregate_share IS NOT NULL AND leader_checksum IS NOT NULL));
ALTER TABLE collection_jobs ADD CONSTRAINT collection_jobs_failed_has_type CHECK (
    state <> 'FAILED' OR failure_type IS NOT NULL);

-- Drivers lease jobs that still need work: waiting for the batch (START) or for the Helper (COLLECTING).
DROP INDEX collection_jobs_start_lease_expiry;
CREATE INDEX collection_jobs_incomplete_lease_expiry ON collection_jobs (lease_expiry)
    WHERE state IN ('START', 'COLLECTING');
-- The creator's and the upload's "has a collection of this interval begun" checks.
CREATE INDEX collection_jobs_task_and_frozen_batch_interval ON collection_jobs
    USING gist (task_id, batch_interval) WHERE batch_interval IS NOT NULL AND report_count IS NOT NULL;
