package io.janus.server.datastore.model;

import io.janus.core.task.QueryType;
import io.janus.core.task.VdafInstance;
import io.janus.messages.CollectionJobId;
import io.janus.messages.TaskId;

/**
 * A collection job handed to a worker by lease acquisition, with the task facts needed to dispatch it.
 *
 * @param taskId the task
 * @param jobId the job
 * @param queryType the task's query type
 * @param vdaf the task's VDAF
 * @param stepAttempts how many times stepping the job was tried
 */
public record AcquiredCollectionJob(
    TaskId taskId, CollectionJobId jobId, QueryType queryType, VdafInstance vdaf, long stepAttempts) {}
