package io.janus.aggregationjobdriver;

import io.janus.server.config.BinaryConfig;
import io.janus.server.config.CommonConfig;
import io.janus.server.config.ConfigDefault;
import io.janus.server.config.ConfigFlatten;
import io.janus.server.config.InvalidConfigValueException;
import io.janus.server.config.TaskprovConfig;
import io.janus.server.job.JobDriverConfig;
import io.janus.server.job.PeerHttpConfig;
import java.util.Optional;

/**
 * The {@code aggregation_job_driver} binary's configuration, with Janus's key names (all at the top level).
 *
 * @param common the keys every binary shares (database, logging, metrics, health check address)
 * @param jobDriver discovery interval, worker count, lease duration and skew, attempts before abandoning
 * @param http timeouts and retry backoff for requests to the Helper; its backoff also paces retries of failed steps
 * @param batchAggregationShardCount shards per batch aggregation; must not exceed the collection job driver's value
 * @param taskCounterShardCount shards per task aggregation counter row (default 32)
 * @param taskprovConfig accepted, as Janus 0.7 accepts it here, so one {@code taskprov_config} block can serve
 *     every binary; the driver needs no switch: it sends the {@code dap-taskprov} header for exactly the tasks
 *     that were provisioned in-band
 */
public record AggregationJobDriverConfig(
    @ConfigFlatten CommonConfig common,
    @ConfigFlatten JobDriverConfig jobDriver,
    @ConfigFlatten PeerHttpConfig http,
    int batchAggregationShardCount,
    @ConfigDefault("32") int taskCounterShardCount,
    Optional<TaskprovConfig> taskprovConfig) implements BinaryConfig {

  /** Validates the ranges. */
  public AggregationJobDriverConfig {
    if (batchAggregationShardCount < 1) {
      throw new InvalidConfigValueException("batch_aggregation_shard_count", "must be at least 1");
    }
    if (taskCounterShardCount < 1) {
      throw new InvalidConfigValueException("task_counter_shard_count", "must be at least 1");
    }
  }

  /** The driver settings these keys describe. */
  public AggregationJobDriver.Settings settings() {
    return new AggregationJobDriver.Settings(batchAggregationShardCount, jobDriver.maximumAttemptsBeforeFailure(),
        taskCounterShardCount, http.failureBackoff());
  }
}
