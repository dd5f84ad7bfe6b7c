-- Helper, asynchronous mode (helper_aggregation_mode: asynchronous, DAP-18): an aggregation job initialization or
-- continuation the Helper accepted (answering 2xx with an empty body, Location and Retry-After) and has not finished
-- yet. Any aggregator replica leases a row, does the work (decryption, VDAF preparation, the job's rows) and deletes
-- the row in the transaction that finishes it; a replica that dies mid-work loses its lease and another one takes
-- the row over. A request that fails for good keeps its row with the failure, which a poll of that step answers.
-- request holds the neutral request (report IDs, times in seconds, shares, sealed inputs, ping-pong messages) in
-- janus-java's own layout (HelperRequestCodec), never one draft's wire encoding.
CREATE TABLE helper_aggregation_requests (
    id                  BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    task_id             BIGINT NOT NULL REFERENCES tasks (id) ON DELETE CASCADE,
    aggregation_job_id  BYTEA NOT NULL CHECK (octet_length(aggregation_job_id) = 16),
    step                INTEGER NOT NULL CHECK (step >= 0),
    request_hash        BYTEA NOT NULL CHECK (octet_length(request_hash) = 32),
    request             BYTEA NOT NULL,
    failure_kind        TEXT,                       -- set once the request failed for good
    failure_detail      TEXT,
    lease_expiry        TIMESTAMPTZ NOT NULL DEFAULT '-infinity',
    lease_token         BYTEA,
    lease_attempts      BIGINT NOT NULL DEFAULT 0,
    created_at          TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at          TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_by          TEXT NOT NULL,
    CONSTRAINT helper_aggregation_requests_unique_job_and_step UNIQUE (task_id, aggregation_job_id, step)
);
-- Lease acquisition looks only at requests still to do, oldest lease first.
CREATE INDEX helper_aggregation_requests_pending_lease_expiry ON helper_aggregation_requests (lease_expiry)
    WHERE failure_kind IS NULL;
