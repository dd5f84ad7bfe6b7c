package io.janus.aggregator;

import io.janus.aggregator.api.AggregatorApiConfig;
import io.janus.server.config.BinaryConfig;
import io.janus.server.config.CommonConfig;
import io.janus.server.config.ConfigDefault;
import io.janus.server.config.ConfigFlatten;
import io.janus.server.config.ConfigIgnoredKeys;
import io.janus.server.config.ConfigKey;
import io.janus.server.config.InvalidConfigValueException;
import io.janus.server.config.ListenAddress;
import io.janus.server.config.TaskprovConfig;
import java.time.Duration;
import java.util.Optional;

/**
 * The {@code aggregator} binary's configuration, with Janus's key names so operators can reuse their YAML.
 *
 * @param common the keys every binary shares (database, logging, metrics, health check address)
 * @param listenAddress where the DAP API is served
 * @param maxUploadBatchSize the most reports written in one upload transaction (Janus sample: 100)
 * @param maxUploadBatchWriteDelayMs how long the first report of an upload batch may wait while every upload writer
 *     is busy; a batch is written at once when a writer is free (Janus sample: 250)
 * @param batchAggregationShardCount how many shards each batch aggregation is split into to spread write
 *     contention; must not exceed the collection job driver's value (Janus sample: 32)
 * @param taskCounterShardCount how many shards each per-task counter row is split into (Janus default: 32)
 * @param taskCacheTtlS how long an upload may use a cached task before re-reading it, in seconds (default 600)
 * @param taskCacheCapacity how many tasks the upload path caches (default 10000)
 * @param hpkeConfigsRefreshInterval how often the global HPKE keys are re-read, in milliseconds (default 30
 *     minutes); keep it shorter than the key rotator's pending duration
 * @param maxUploadBodyBytes the largest report upload body read (default 1 MiB)
 * @param maxAggregationJobBodyBytes the largest aggregation job request body read (default 64 MiB)
 * @param maxCollectionBodyBytes the largest collection job or aggregate share request body read (default 1 MiB)
 * @param requestBodyTimeoutS the longest a request body may take to arrive, in seconds (default 60)
 * @param requestReadTimeoutS the longest the server waits for the next bytes of a request, in seconds (default 30)
 * @param idleConnectionTimeoutS how long an idle keep-alive connection stays open, in seconds (default 60)
 * @param maxRequestHeaderBytes the largest request header section, in bytes (default 16384)
 * @param maxConnections the most TCP connections open at once (default 10000)
 * @param maxConcurrentRequests the most requests served at once; more are answered 503 (default 1000)
 * @param listenBacklog the length of the accept queue (default 1024)
 * @param helperAggregationRequestQueue if set, bounds the Helper's concurrent aggregation requests: at most
 *     {@code concurrency} run, at most {@code depth} wait (newest first) for at most {@code timeout_ms}; the rest
 *     get 429 (Janus's key)
 * @param collectionPollRetryAfterS the {@code Retry-After} of a pending collection job, in seconds, unless its next
 *     attempt is already scheduled (default 10)
 * @param aggregatorApi if set, the admin API is served (see {@link AggregatorApiConfig}); its bearer tokens come
 *     from {@code AGGREGATOR_API_AUTH_TOKENS}
 * @param taskprovConfig in-band task provisioning; off when absent (see {@link TaskprovConfig})
 * @param helperAggregationMode how the DAP-18 Helper answers aggregation job requests: {@code synchronous}
 *     (default) or {@code asynchronous} (see {@link HelperAggregationMode}); DAP-09 is always synchronous
 */
@ConfigIgnoredKeys({
    "max_future_concurrency: requests run on virtual threads, bounded by max_concurrent_requests",
    "log_forbidden_mutations: not supported; a rejected request is logged and counted",
    "garbage_collection: run the garbage_collector binary; the aggregator does not collect garbage in-process",
    "key_rotator: run the key_rotator binary; the aggregator does not rotate keys in-process"})
public record AggregatorConfig(
    @ConfigFlatten CommonConfig common,
    ListenAddress listenAddress,
    int maxUploadBatchSize,
    long maxUploadBatchWriteDelayMs,
    int batchAggregationShardCount,
    @ConfigDefault("32") int taskCounterShardCount,
    @ConfigDefault("600") long taskCacheTtlS,
    @ConfigDefault("10000") int taskCacheCapacity,
    @ConfigKey(value = "hpke_configs_refresh_interval", aliases = "global_hpke_configs_refresh_interval")
    @ConfigDefault("1800000") long hpkeConfigsRefreshInterval,
    @ConfigDefault("1048576") long maxUploadBodyBytes,
    @ConfigDefault("67108864") long maxAggregationJobBodyBytes,
    @ConfigDefault("1048576") long maxCollectionBodyBytes,
    @ConfigDefault("60") long requestBodyTimeoutS,
    @ConfigDefault("30") long requestReadTimeoutS,
    @ConfigDefault("60") long idleConnectionTimeoutS,
    @ConfigDefault("16384") int maxRequestHeaderBytes,
    @ConfigDefault("10000") int maxConnections,
    @ConfigDefault("1000") int maxConcurrentRequests,
    @ConfigDefault("1024") int listenBacklog,
    Optional<HelperRequestQueue.Config> helperAggregationRequestQueue,
    Optional<AggregatorApiConfig> aggregatorApi,
    @ConfigDefault("10") long collectionPollRetryAfterS,
    Optional<TaskprovConfig> taskprovConfig,
    @ConfigDefault("synchronous") HelperAggregationMode helperAggregationMode) implements BinaryConfig {

  /** Validates the ranges. */
  public AggregatorConfig {
    if (maxUploadBatchSize < 1) {
      throw new InvalidConfigValueException("max_upload_batch_size", "must be at least 1");
    }
    if (maxUploadBatchWriteDelayMs < 0) {
      throw new InvalidConfigValueException("max_upload_batch_write_delay_ms", "must not be negative");
    }
    if (batchAggregationShardCount < 1) {
      throw new InvalidConfigValueException("batch_aggregation_shard_count", "must be at least 1");
    }
    if (taskCounterShardCount < 1) {
      throw new InvalidConfigValueException("task_counter_shard_count", "must be at least 1");
    }
    if (taskCacheTtlS < 0) {
      throw new InvalidConfigValueException("task_cache_ttl_s", "must not be negative");
    }
    if (taskCacheCapacity < 1) {
      throw new InvalidConfigValueException("task_cache_capacity", "must be at least 1");
    }
    if (hpkeConfigsRefreshInterval < 0) {
      throw new InvalidConfigValueException("hpke_configs_refresh_interval", "must not be negative");
    }
    if (maxUploadBodyBytes < 1) {
      throw new InvalidConfigValueException("max_upload_body_bytes", "must be at least 1");
    }
    if (maxAggregationJobBodyBytes < 1) {
      throw new InvalidConfigValueException("max_aggregation_job_body_bytes", "must be at least 1");
    }
    if (maxCollectionBodyBytes < 1) {
      throw new InvalidConfigValueException("max_collection_body_bytes", "must be at least 1");
    }
    positive("request_body_timeout_s", requestBodyTimeoutS);
    positive("request_read_timeout_s", requestReadTimeoutS);
    positive("idle_connection_timeout_s", idleConnectionTimeoutS);
    positive("max_request_header_bytes", maxRequestHeaderBytes);
    positive("max_connections", maxConnections);
    positive("max_concurrent_requests", maxConcurrentRequests);
    positive("listen_backlog", listenBacklog);
    positive("collection_poll_retry_after_s", collectionPollRetryAfterS);
  }

  private static void positive(String key, long value) {
    if (value < 1) {
      throw new InvalidConfigValueException(key, "must be at least 1");
    }
  }

  /** The taskprov settings, {@link TaskprovConfig#DISABLED} when the key is absent. */
  public TaskprovConfig taskprov() {
    return taskprovConfig.orElse(TaskprovConfig.DISABLED);
  }

  /** The listener limits these keys set. */
  public ServerLimits serverLimits() {
    return new ServerLimits(Duration.ofSeconds(requestReadTimeoutS), Duration.ofSeconds(idleConnectionTimeoutS),
        maxRequestHeaderBytes, maxConnections, maxConcurrentRequests, listenBacklog);
  }

  /** The request body limits these keys set. */
  public RequestLimits requestLimits() {
    return new RequestLimits(maxUploadBodyBytes, maxAggregationJobBodyBytes, maxCollectionBodyBytes,
        Duration.ofSeconds(requestBodyTimeoutS), helperAggregationRequestQueue);
  }
}
