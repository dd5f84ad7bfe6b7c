package io.janus.collectionjobdriver;

import io.janus.server.config.BinaryConfig;
import io.janus.server.config.CommonConfig;
import io.janus.server.config.ConfigDefault;
import io.janus.server.config.ConfigFlatten;
import io.janus.server.config.ConfigIgnoredKeys;
import io.janus.server.config.InvalidConfigValueException;
import io.janus.server.job.JobDriverConfig;
import io.janus.server.job.PeerHttpConfig;
import java.time.Duration;

/**
 * The {@code collection_job_driver} binary's configuration, with Janus's key names (all at the top level).
 *
 * @param common the keys every binary shares (database, logging, metrics, health check address)
 * @param jobDriver discovery interval, worker count, lease duration and skew, attempts before abandoning
 * @param http timeouts and retry backoff for requests to the Helper; its backoff also paces retries of failed steps
 * @param batchAggregationShardCount shards per batch aggregation; at least the aggregator's, creator's and
 *     aggregation job driver's values, so that every shard is seen
 * @param minCollectionJobRetryDelayS seconds to wait after the first try that found the batch incomplete
 *     (default 600)
 * @param maxCollectionJobRetryDelayS the longest wait between tries, in seconds (default 3600)
 * @param collectionJobRetryDelayExponentialFactor how much longer each further wait is (default 1.25)
 */
@ConfigIgnoredKeys({"max_future_concurrency: steps run on a bounded pool of max_concurrent_job_workers"})
public record CollectionJobDriverConfig(
    @ConfigFlatten CommonConfig common,
    @ConfigFlatten JobDriverConfig jobDriver,
    @ConfigFlatten PeerHttpConfig http,
    int batchAggregationShardCount,
    @ConfigDefault("600") long minCollectionJobRetryDelayS,
    @ConfigDefault("3600") long maxCollectionJobRetryDelayS,
    @ConfigDefault("1.25") double collectionJobRetryDelayExponentialFactor) implements BinaryConfig {

  /** Validates the ranges. */
  public CollectionJobDriverConfig {
    if (batchAggregationShardCount < 1) {
      throw new InvalidConfigValueException("batch_aggregation_shard_count", "must be at least 1");
    }
    if (minCollectionJobRetryDelayS < 0) {
      throw new InvalidConfigValueException("min_collection_job_retry_delay_s", "must not be negative");
    }
    if (maxCollectionJobRetryDelayS < minCollectionJobRetryDelayS) {
      throw new InvalidConfigValueException("max_collection_job_retry_delay_s",
          "must not be less than min_collection_job_retry_delay_s");
    }
    if (!(collectionJobRetryDelayExponentialFactor >= 1.0)) {
      throw new InvalidConfigValueException("collection_job_retry_delay_exponential_factor", "must be at least 1");
    }
  }

  /** The driver settings these keys describe. */
  public CollectionJobDriver.Settings settings() {
    return new CollectionJobDriver.Settings(batchAggregationShardCount, jobDriver.maximumAttemptsBeforeFailure(),
        Duration.ofSeconds(minCollectionJobRetryDelayS), Duration.ofSeconds(maxCollectionJobRetryDelayS),
        collectionJobRetryDelayExponentialFactor, http.failureBackoff());
  }
}
