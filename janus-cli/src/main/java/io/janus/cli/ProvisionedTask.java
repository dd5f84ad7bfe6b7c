package io.janus.cli;

import io.janus.core.auth.AuthenticationToken;
import io.janus.core.task.Task;
import java.util.Optional;

/**
 * A task ready to be stored, with the plain-text tokens the CLI knows but the task does not keep: the operator
 * hands them to the peer aggregator or the collector.
 *
 * @param task the validated task, as it is stored
 * @param aggregatorAuthToken the Leader-to-Helper token: for a Leader the one the task stores; for a Helper the
 *     one whose hash it stores, if it was given in plain text or generated
 * @param collectorAuthToken for a Leader, the Collector-to-Leader token whose hash the task stores, if it was
 *     given in plain text or generated; always empty for a Helper
 */
record ProvisionedTask(Task task, Optional<AuthenticationToken> aggregatorAuthToken,
    Optional<AuthenticationToken> collectorAuthToken) {}
