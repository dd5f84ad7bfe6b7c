package io.janus.server.datastore.model;

import io.janus.messages.BatchId;
import io.janus.messages.TaskId;
import io.janus.messages.Time;
import java.util.Optional;

/**
 * A fixed-size batch the Leader created and may still be filling.
 *
 * @param taskId the task
 * @param batchId the batch
 * @param timeBucketStart start of the time window the batch's reports come from, when the task buckets by time
 * @param state whether the batch still takes reports
 */
public record OutstandingBatch(TaskId taskId, BatchId batchId, Optional<Time> timeBucketStart,
    OutstandingBatchState state) {}
