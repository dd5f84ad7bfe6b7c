-- janus-java initial schema.
--
-- Everything here is protocol-version neutral: columns hold what a value means (seconds since the epoch, raw IDs,
-- opaque VDAF blobs), never one DAP draft's encoding of a message. Times are BIGINT seconds since the UNIX epoch;
-- durations are BIGINT seconds; time intervals are half-open INT8RANGEs of seconds. State columns are TEXT checked
-- against an explicit list, so a new state is a one-line migration rather than an enum rewrite.
--
-- Every table carries created_at, updated_at and updated_by (the name of the transaction that last wrote the row),
-- so an operator can tell which component touched a row.
--
-- Secret columns (marked "encrypted") hold AES-128-GCM ciphertext || tag || nonce under the datastore keys, with
-- the table, row and column bound in the AAD (see io.janus.server.datastore.Crypter).

-- btree_gist lets one GiST index cover (task_id, interval) for the overlap queries.
CREATE EXTENSION IF NOT EXISTS btree_gist;

-- Taskprov peers: aggregators with which tasks may be provisioned in-band.
CREATE TABLE taskprov_peer_aggregators (
    id                     BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    endpoint               TEXT NOT NULL,
    peer_role              TEXT NOT NULL CHECK (peer_role IN ('LEADER', 'HELPER')),
    verify_key_init        BYTEA NOT NULL,                 -- encrypted
    collector_hpke_config  BYTEA NOT NULL,                 -- encoded HpkeConfig
    report_expiry_age      BIGINT CHECK (report_expiry_age > 0),
    tolerable_clock_skew   BIGINT NOT NULL CHECK (tolerable_clock_skew >= 0),
    created_at             TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at             TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_by             TEXT NOT NULL,
    CONSTRAINT taskprov_peer_aggregators_unique_endpoint_and_role UNIQUE (endpoint, peer_role)
);

-- Tokens this aggregator presents to a taskprov peer (ordered; the first is used for sending).
CREATE TABLE taskprov_aggregator_auth_tokens (
    id                  BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    peer_aggregator_id  BIGINT NOT NULL REFERENCES taskprov_peer_aggregators (id) ON DELETE CASCADE,
    ord                 BIGINT NOT NULL,
    type                TEXT NOT NULL CHECK (type IN ('DAP_AUTH', 'BEARER')),
    token               BYTEA NOT NULL,                    -- encrypted
    created_at          TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at          TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_by          TEXT NOT NULL,
    CONSTRAINT taskprov_aggregator_auth_tokens_unique_peer_and_ord UNIQUE (peer_aggregator_id, ord)
);

-- Tokens the collector of taskprov tasks presents to this aggregator (when it is the Leader).
CREATE TABLE taskprov_collector_auth_tokens (
    id                  BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    peer_aggregator_id  BIGINT NOT NULL REFERENCES taskprov_peer_aggregators (id) ON DELETE CASCADE,
    ord                 BIGINT NOT NULL,
    type                TEXT NOT NULL CHECK (type IN ('DAP_AUTH', 'BEARER')),
    token               BYTEA NOT NULL,                    -- encrypted
    created_at          TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at          TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_by          TEXT NOT NULL,
    CONSTRAINT taskprov_collector_auth_tokens_unique_peer_and_ord UNIQUE (peer_aggregator_id, ord)
);

-- Tasks this aggregator takes part in.
CREATE TABLE tasks (
    id                          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    task_id                     BYTEA NOT NULL CHECK (octet_length(task_id) = 32),
    aggregator_role             TEXT NOT NULL CHECK (aggregator_role IN ('LEADER', 'HELPER')),
    peer_aggregator_endpoint    TEXT NOT NULL,
    query_type                  TEXT NOT NULL CHECK (query_type IN ('TIME_INTERVAL', 'FIXED_SIZE')),
    max_batch_size              BIGINT CHECK (max_batch_size > 0),
    batch_time_window_size      BIGINT CHECK (batch_time_window_size > 0),
    vdaf                        JSONB NOT NULL,
    max_batch_query_count       BIGINT NOT NULL CHECK (max_batch_query_count > 0),
    task_expiration             BIGINT,                    -- seconds since the epoch; NULL: never
    report_expiry_age           BIGINT CHECK (report_expiry_age > 0),  -- seconds; NULL: never garbage collected
    min_batch_size              BIGINT NOT NULL CHECK (min_batch_size >= 0),
    time_precision              BIGINT NOT NULL CHECK (time_precision > 0),
    tolerable_clock_skew        BIGINT NOT NULL CHECK (tolerable_clock_skew >= 0),
    collector_hpke_config       BYTEA NOT NULL,            -- encoded HpkeConfig
    vdaf_verify_key             BYTEA NOT NULL,            -- encrypted
    aggregator_auth_token_type  TEXT CHECK (aggregator_auth_token_type IN ('DAP_AUTH', 'BEARER')),
    aggregator_auth_token       BYTEA,                     -- encrypted; Leader only (it sends the token)
    aggregator_auth_token_hash  BYTEA CHECK (octet_length(aggregator_auth_token_hash) = 32),  -- Helper only
    collector_auth_token_type   TEXT CHECK (collector_auth_token_type IN ('DAP_AUTH', 'BEARER')),
    collector_auth_token_hash   BYTEA CHECK (octet_length(collector_auth_token_hash) = 32),   -- Leader only
    created_at                  TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at                  TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_by                  TEXT NOT NULL,
    CONSTRAINT tasks_unique_task_id UNIQUE (task_id),
    CONSTRAINT tasks_query_type_parameters CHECK (
        query_type = 'FIXED_SIZE' OR (max_batch_size IS NULL AND batch_time_window_size IS NULL)),
    -- The Leader sends the aggregator token (stored encrypted); the Helper only verifies it (stores the hash,
    -- absent for tasks whose tokens come from a taskprov peer).
    CONSTRAINT tasks_aggregator_auth_token_by_role CHECK (
        (aggregator_role = 'LEADER' AND aggregator_auth_token IS NOT NULL AND aggregator_auth_token_type IS NOT NULL
            AND aggregator_auth_token_hash IS NULL)
        OR (aggregator_role = 'HELPER' AND aggregator_auth_token IS NULL
            AND (aggregator_auth_token_hash IS NULL) = (aggregator_auth_token_type IS NULL))),
    -- Only the Leader talks to the collector.
    CONSTRAINT tasks_collector_auth_token_by_role CHECK (
        (aggregator_role = 'LEADER' AND collector_auth_token_hash IS NOT NULL AND collector_auth_token_type IS NOT NULL)
        OR (aggregator_role = 'HELPER' AND collector_auth_token_hash IS NULL AND collector_auth_token_type IS NULL))
);

-- Per-task HPKE keys (DAP-09 allows them; later drafts use only the global keys below).
CREATE TABLE task_hpke_keys (
    id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    task_id      BIGINT NOT NULL REFERENCES tasks (id) ON DELETE CASCADE,
    config_id    SMALLINT NOT NULL CHECK (config_id BETWEEN 0 AND 255),
    config       BYTEA NOT NULL,                           -- encoded HpkeConfig
    private_key  BYTEA NOT NULL,                           -- encrypted
    created_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_by   TEXT NOT NULL,
    CONSTRAINT task_hpke_keys_unique_task_and_config_id UNIQUE (task_id, config_id)
);

-- Global HPKE keys, shared by all tasks; rotated PENDING -> ACTIVE -> EXPIRED so caches can catch up.
CREATE TABLE hpke_keys (
    config_id             SMALLINT PRIMARY KEY CHECK (config_id BETWEEN 0 AND 255),
    config                BYTEA NOT NULL,                  -- encoded HpkeConfig
    private_key           BYTEA NOT NULL,                  -- encrypted
    state                 TEXT NOT NULL CHECK (state IN ('PENDING', 'ACTIVE', 'EXPIRED')),
    last_state_change_at  BIGINT NOT NULL,                 -- seconds since the epoch
    created_at            TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at            TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_by            TEXT NOT NULL
);

-- Reports uploaded to the Leader; the Helper keeps scrubbed rows (IDs and times only) for replay detection.
-- A scrubbed row has its share columns NULL but stays until garbage collection, so a replay is still caught.
CREATE TABLE client_reports (
    id                            BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    task_id                       BIGINT NOT NULL REFERENCES tasks (id) ON DELETE CASCADE,
    report_id                     BYTEA NOT NULL CHECK (octet_length(report_id) = 16),
    client_timestamp              BIGINT NOT NULL,
    extensions                    BYTEA,                   -- the Leader's private extensions, neutral encoding
    public_share                  BYTEA,
    leader_input_share            BYTEA,                   -- the Leader's decrypted input share
    helper_encrypted_input_share  BYTEA,                   -- encoded HpkeCiphertext
    aggregation_started           BOOLEAN NOT NULL DEFAULT FALSE,
    created_at                    TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at                    TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_by                    TEXT NOT NULL,
    CONSTRAINT client_reports_unique_task_and_report_id UNIQUE (task_id, report_id),
    CONSTRAINT client_reports_shares_all_or_none CHECK (
        (public_share IS NULL) = (leader_input_share IS NULL)
        AND (public_share IS NULL) = (helper_encrypted_input_share IS NULL))
);
-- Job creation scans only the reports not yet in a job.
CREATE INDEX client_reports_unaggregated ON client_reports (task_id, client_timestamp)
    WHERE aggregation_started = FALSE;
-- Garbage collection and interval counts.
CREATE INDEX client_reports_task_and_timestamp ON client_reports (task_id, client_timestamp);

-- Aggregation jobs; the Leader's are leased by the aggregation job driver.
CREATE TABLE aggregation_jobs (
    id                         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    task_id                    BIGINT NOT NULL REFERENCES tasks (id) ON DELETE CASCADE,
    aggregation_job_id         BYTEA NOT NULL CHECK (octet_length(aggregation_job_id) = 16),
    aggregation_param          BYTEA NOT NULL,
    batch_id                   BYTEA CHECK (octet_length(batch_id) = 32),  -- fixed-size tasks only
    client_timestamp_interval  INT8RANGE NOT NULL,
    state                      TEXT NOT NULL CHECK (state IN ('IN_PROGRESS', 'FINISHED', 'ABANDONED', 'DELETED')),
    step                       INTEGER NOT NULL CHECK (step >= 0),
    last_request_hash          BYTEA,                      -- Helper: SHA-256 of the last request, for replays
    lease_expiry               TIMESTAMPTZ NOT NULL DEFAULT '-infinity',
    lease_token                BYTEA,
    lease_attempts             BIGINT NOT NULL DEFAULT 0,
    created_at                 TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at                 TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_by                 TEXT NOT NULL,
    CONSTRAINT aggregation_jobs_unique_task_and_job_id UNIQUE (task_id, aggregation_job_id)
);
-- Lease acquisition looks only at in-progress jobs, oldest lease first.
CREATE INDEX aggregation_jobs_in_progress_lease_expiry ON aggregation_jobs (lease_expiry)
    WHERE state = 'IN_PROGRESS';
-- Garbage collection and "jobs touching this interval".
CREATE INDEX aggregation_jobs_task_and_client_timestamp_interval ON aggregation_jobs
    USING gist (task_id, client_timestamp_interval);
CREATE INDEX aggregation_jobs_task_and_batch_id ON aggregation_jobs (task_id, batch_id)
    WHERE batch_id IS NOT NULL;
-- Garbage collection compares the end of the interval with the expiry threshold.
CREATE INDEX aggregation_jobs_task_and_interval_end ON aggregation_jobs (task_id, upper(client_timestamp_interval));

-- One row per report in an aggregation job, with the blobs its current state needs.
CREATE TABLE report_aggregations (
    id                            BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    task_id                       BIGINT NOT NULL REFERENCES tasks (id) ON DELETE CASCADE,
    aggregation_job_id            BIGINT NOT NULL REFERENCES aggregation_jobs (id) ON DELETE CASCADE,
    ord                           BIGINT NOT NULL,         -- position of the report in the job's requests
    client_report_id              BYTEA NOT NULL CHECK (octet_length(client_report_id) = 16),
    client_timestamp              BIGINT NOT NULL,
    state                         TEXT NOT NULL CHECK (state IN
                                      ('START', 'WAITING_LEADER', 'WAITING_HELPER', 'FINISHED', 'FAILED')),
    -- START (Leader): the report's shares, copied out of client_reports so that row can be scrubbed.
    public_share                  BYTEA,
    leader_extensions             BYTEA,
    leader_input_share            BYTEA,
    helper_encrypted_input_share  BYTEA,                   -- encoded HpkeCiphertext
    -- WAITING_LEADER: the Leader's stored preparation transition; WAITING_HELPER: the Helper's prep state.
    leader_prep_transition        BYTEA,
    helper_prep_state             BYTEA,
    -- FAILED: why the report was rejected (a neutral name, not a draft's code point).
    error_code                    TEXT,
    -- Helper: the prepare response last sent for this report, replayed if the same request comes again.
    last_prep_resp_kind           TEXT CHECK (last_prep_resp_kind IN ('CONTINUE', 'FINISHED', 'REJECT')),
    last_prep_resp_payload        BYTEA,
    last_prep_resp_error          TEXT,
    created_at                    TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at                    TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_by                    TEXT NOT NULL,
    CONSTRAINT report_aggregations_unique_job_and_ord UNIQUE (aggregation_job_id, ord),
    CONSTRAINT report_aggregations_state_blobs CHECK (
        (state <> 'START' OR (public_share IS NOT NULL AND leader_input_share IS NOT NULL
                              AND helper_encrypted_input_share IS NOT NULL))
        AND (state <> 'WAITING_LEADER' OR leader_prep_transition IS NOT NULL)
        AND (state <> 'WAITING_HELPER' OR helper_prep_state IS NOT NULL)
        AND (state <> 'FAILED' OR error_code IS NOT NULL)),
    CONSTRAINT report_aggregations_last_prep_resp CHECK (
        (last_prep_resp_kind IS NOT NULL OR (last_prep_resp_payload IS NULL AND last_prep_resp_error IS NULL))
        AND (last_prep_resp_kind IS DISTINCT FROM 'CONTINUE' OR last_prep_resp_payload IS NOT NULL)
        AND (last_prep_resp_kind IS DISTINCT FROM 'REJECT' OR last_prep_resp_error IS NOT NULL))
);
-- Replay checks and "which job holds this report".
CREATE INDEX report_aggregations_task_and_report_id ON report_aggregations (task_id, client_report_id);

-- Aggregates per (batch, aggregation parameter), sharded by ord so concurrent jobs rarely write the same row.
-- Readers merge all shards of a batch.
CREATE TABLE batch_aggregations (
    id                           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    task_id                      BIGINT NOT NULL REFERENCES tasks (id) ON DELETE CASCADE,
    batch_identifier             BYTEA NOT NULL,           -- neutral encoding of an interval or a batch ID
    batch_interval               INT8RANGE,                -- time-interval tasks: the batch's interval
    aggregation_param            BYTEA NOT NULL,
    ord                          BIGINT NOT NULL CHECK (ord >= 0),
    state                        TEXT NOT NULL CHECK (state IN ('AGGREGATING', 'COLLECTED', 'SCRUBBED')),
    aggregate_share              BYTEA,
    report_count                 BIGINT NOT NULL CHECK (report_count >= 0),
    checksum                     BYTEA NOT NULL CHECK (octet_length(checksum) = 32),
    client_timestamp_interval    INT8RANGE NOT NULL,
    aggregation_jobs_created     BIGINT NOT NULL DEFAULT 0,
    aggregation_jobs_terminated  BIGINT NOT NULL DEFAULT 0,
    created_at                   TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at                   TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_by                   TEXT NOT NULL,
    CONSTRAINT batch_aggregations_unique_batch_param_and_ord
        UNIQUE (task_id, batch_identifier, aggregation_param, ord)
);
CREATE INDEX batch_aggregations_task_and_batch_interval ON batch_aggregations
    USING gist (task_id, batch_interval) WHERE batch_interval IS NOT NULL;

-- Collection jobs (Leader), leased by the collection job driver.
CREATE TABLE collection_jobs (
    id                         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    task_id                    BIGINT NOT NULL REFERENCES tasks (id) ON DELETE CASCADE,
    collection_job_id          BYTEA NOT NULL CHECK (octet_length(collection_job_id) = 16),
    query_kind                 TEXT NOT NULL CHECK (query_kind IN ('TIME_INTERVAL', 'BY_BATCH_ID', 'CURRENT_BATCH')),
    aggregation_param          BYTEA NOT NULL,
    batch_identifier           BYTEA NOT NULL,             -- the batch the query resolved to
    batch_interval             INT8RANGE,                  -- time-interval tasks
    state                      TEXT NOT NULL CHECK (state IN ('START', 'FINISHED', 'ABANDONED', 'DELETED')),
    report_count               BIGINT,
    client_timestamp_interval  INT8RANGE,
    leader_aggregate_share     BYTEA,
    helper_aggregate_share     BYTEA,                      -- encoded HpkeCiphertext
    step_attempts              BIGINT NOT NULL DEFAULT 0,
    lease_expiry               TIMESTAMPTZ NOT NULL DEFAULT '-infinity',
    lease_token                BYTEA,
    lease_attempts             BIGINT NOT NULL DEFAULT 0,
    created_at                 TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at                 TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_by                 TEXT NOT NULL,
    CONSTRAINT collection_jobs_unique_task_and_job_id UNIQUE (task_id, collection_job_id),
    CONSTRAINT collection_jobs_finished_has_result CHECK (
        state <> 'FINISHED' OR (report_count IS NOT NULL AND client_timestamp_interval IS NOT NULL
                                AND leader_aggregate_share IS NOT NULL AND helper_aggregate_share IS NOT NULL))
);
CREATE INDEX collection_jobs_start_lease_expiry ON collection_jobs (lease_expiry) WHERE state = 'START';
CREATE INDEX collection_jobs_task_and_batch_interval ON collection_jobs
    USING gist (task_id, batch_interval) WHERE batch_interval IS NOT NULL;
CREATE INDEX collection_jobs_task_and_batch_identifier ON collection_jobs
    (task_id, batch_identifier, aggregation_param);
-- Garbage collection.
CREATE INDEX collection_jobs_task_and_interval_end ON collection_jobs
    (task_id, coalesce(upper(batch_interval), upper(client_timestamp_interval)));

-- Aggregate shares the Helper has produced, kept so a repeated request gets the same answer.
CREATE TABLE aggregate_share_jobs (
    id                      BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    task_id                 BIGINT NOT NULL REFERENCES tasks (id) ON DELETE CASCADE,
    batch_identifier        BYTEA NOT NULL,
    batch_interval          INT8RANGE,                     -- time-interval tasks
    aggregation_param       BYTEA NOT NULL,
    helper_aggregate_share  BYTEA NOT NULL,
    report_count            BIGINT NOT NULL CHECK (report_count >= 0),
    checksum                BYTEA NOT NULL CHECK (octet_length(checksum) = 32),
    created_at              TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at              TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_by              TEXT NOT NULL,
    CONSTRAINT aggregate_share_jobs_unique_batch_and_param UNIQUE (task_id, batch_identifier, aggregation_param)
);
CREATE INDEX aggregate_share_jobs_task_and_batch_interval ON aggregate_share_jobs
    USING gist (task_id, batch_interval) WHERE batch_interval IS NOT NULL;
-- Garbage collection.
CREATE INDEX aggregate_share_jobs_task_and_interval_end ON aggregate_share_jobs (task_id, upper(batch_interval));

-- Fixed-size batches the Leader is still filling.
CREATE TABLE outstanding_batches (
    id                 BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    task_id            BIGINT NOT NULL REFERENCES tasks (id) ON DELETE CASCADE,
    batch_id           BYTEA NOT NULL CHECK (octet_length(batch_id) = 32),
    time_bucket_start  BIGINT,                             -- set when the task has a batch time window
    state              TEXT NOT NULL CHECK (state IN ('FILLING', 'FILLED')),
    created_at         TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at         TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_by         TEXT NOT NULL,
    CONSTRAINT outstanding_batches_unique_task_and_batch_id UNIQUE (task_id, batch_id)
);
CREATE INDEX outstanding_batches_filling ON outstanding_batches (task_id, time_bucket_start)
    WHERE state = 'FILLING';

-- Per-task upload metrics, sharded by ord; fillfactor 50 leaves room for HOT updates of these hot rows.
CREATE TABLE task_upload_counters (
    id                      BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    task_id                 BIGINT NOT NULL REFERENCES tasks (id) ON DELETE CASCADE,
    ord                     BIGINT NOT NULL CHECK (ord >= 0),
    interval_collected      BIGINT NOT NULL DEFAULT 0,
    report_decode_failure   BIGINT NOT NULL DEFAULT 0,
    report_decrypt_failure  BIGINT NOT NULL DEFAULT 0,
    report_expired          BIGINT NOT NULL DEFAULT 0,
    report_outdated_key     BIGINT NOT NULL DEFAULT 0,
    report_success          BIGINT NOT NULL DEFAULT 0,
    report_too_early        BIGINT NOT NULL DEFAULT 0,
    task_expired            BIGINT NOT NULL DEFAULT 0,
    CONSTRAINT task_upload_counters_unique_task_and_ord UNIQUE (task_id, ord)
) WITH (fillfactor = 50);

-- Per-task aggregation metrics, sharded like the upload counters.
CREATE TABLE task_aggregation_counters (
    id                      BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    task_id                 BIGINT NOT NULL REFERENCES tasks (id) ON DELETE CASCADE,
    ord                     BIGINT NOT NULL CHECK (ord >= 0),
    success                 BIGINT NOT NULL DEFAULT 0,
    batch_collected         BIGINT NOT NULL DEFAULT 0,
    report_replayed         BIGINT NOT NULL DEFAULT 0,
    report_dropped          BIGINT NOT NULL DEFAULT 0,
    hpke_unknown_config_id  BIGINT NOT NULL DEFAULT 0,
    hpke_decrypt_failure    BIGINT NOT NULL DEFAULT 0,
    vdaf_prep_failure       BIGINT NOT NULL DEFAULT 0,
    batch_saturated         BIGINT NOT NULL DEFAULT 0,
    task_expired            BIGINT NOT NULL DEFAULT 0,
    invalid_message         BIGINT NOT NULL DEFAULT 0,
    report_too_early        BIGINT NOT NULL DEFAULT 0,
    CONSTRAINT task_aggregation_counters_unique_task_and_ord UNIQUE (task_id, ord)
) WITH (fillfactor = 50);
