package io.janus.aggregator;

import io.janus.core.task.QueryType;
import io.janus.core.task.TaskprovTaskConfig;
import io.janus.core.task.VdafInstance;
import io.janus.messages.DapDuration;
import io.janus.messages.Time;
import java.net.URI;
import java.util.Objects;
import java.util.Optional;

/**
 * A task configuration received in-band ({@code dap-taskprov} header), decoded by the draft's HTTP service into
 * version-neutral values. What this aggregator cannot run is kept, not rejected, so that the peer and its token
 * are checked before the task is opted out of.
 *
 * @param config the configuration as received; its SHA-256 is the task ID
 * @param leaderEndpoint the Leader's URL
 * @param helperEndpoint the Helper's URL
 * @param queryType the batch mode
 * @param maxBatchQueryCount how many times a batch may be collected
 * @param minBatchSize the fewest reports a batch may hold
 * @param timePrecision the task's time precision
 * @param taskExpiration when the task stops accepting reports
 * @param vdaf the VDAF, if this aggregator supports it
 * @param vdafName the VDAF as named on the wire, for the detail of an opt-out
 * @param knownDpMechanism false if the differential-privacy mechanism is not one this aggregator recognizes
 */
public record TaskprovRequest(TaskprovTaskConfig config, URI leaderEndpoint, URI helperEndpoint,
    QueryType queryType, long maxBatchQueryCount, long minBatchSize, DapDuration timePrecision, Time taskExpiration,
    Optional<VdafInstance> vdaf, String vdafName, boolean knownDpMechanism) {
  /** Rejects null components. */
  public TaskprovRequest {
    Objects.requireNonNull(config, "config");
    Objects.requireNonNull(leaderEndpoint, "leaderEndpoint");
    Objects.requireNonNull(helperEndpoint, "helperEndpoint");
    Objects.requireNonNull(queryType, "queryType");
    Objects.requireNonNull(timePrecision, "timePrecision");
    Objects.requireNonNull(taskExpiration, "taskExpiration");
    Objects.requireNonNull(vdaf, "vdaf");
    Objects.requireNonNull(vdafName, "vdafName");
  }
}
