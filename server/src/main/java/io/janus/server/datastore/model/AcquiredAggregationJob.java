package io.janus.server.datastore.model;

import io.janus.core.task.QueryType;
import io.janus.core.task.VdafInstance;
import io.janus.messages.AggregationJobId;
import io.janus.messages.TaskId;

/**
 * An aggregation job handed to a worker by lease acquisition, with the task facts needed to dispatch it.
 *
 * @param taskId the task
 * @param jobId the job
 * @param queryType the task's query type
 * @param vdaf the task's VDAF
 */
public record AcquiredAggregationJob(TaskId taskId, AggregationJobId jobId, QueryType queryType, VdafInstance vdaf) {}
