package io.janus.garbagecollector;

import io.janus.server.config.BinaryConfig;
import io.janus.server.config.CommonConfig;
import io.janus.server.config.ConfigDefault;
import io.janus.server.config.ConfigFlatten;
import io.janus.server.config.InvalidConfigValueException;
import java.util.OptionalInt;

/**
 * The {@code garbage_collector} binary's configuration, with Janus's key names.
 *
 * @param common the keys every binary shares (database, logging, metrics, health check address)
 * @param garbageCollection what to delete per run, under the {@code garbage_collection} key
 */
public record GarbageCollectorConfig(
    @ConfigFlatten CommonConfig common,
    GarbageCollection garbageCollection) implements BinaryConfig {

  /**
   * The {@code garbage_collection} section. Limits bound the work of one run per task, so a large backlog is worked
   * off over several runs in small transactions instead of one long one.
   *
   * @param gcFrequencyS seconds between runs (default 60)
   * @param reportLimit the most client reports deleted per task per run (default 5000)
   * @param aggregationLimit the most aggregation jobs (with their report aggregations) deleted per task per run
   *     (default 500)
   * @param collectionLimit the most batch aggregations, collection jobs and aggregate share jobs (each) deleted per
   *     task per run (default 50)
   * @param tasksPerTx how many tasks one transaction cleans (default 1)
   * @param concurrentTxLimit how many transactions run at once, if limited (default: one at a time)
   */
  public record GarbageCollection(
      @ConfigDefault("60") long gcFrequencyS,
      @ConfigDefault("5000") int reportLimit,
      @ConfigDefault("500") int aggregationLimit,
      @ConfigDefault("50") int collectionLimit,
      @ConfigDefault("1") int tasksPerTx,
      OptionalInt concurrentTxLimit) {
    /** Validates the ranges. */
    public GarbageCollection {
      if (gcFrequencyS < 1) {
        throw new InvalidConfigValueException("gc_frequency_s", "must be at least 1");
      }
      if (reportLimit < 1) {
        throw new InvalidConfigValueException("report_limit", "must be at least 1");
      }
      if (aggregationLimit < 1) {
        throw new InvalidConfigValueException("aggregation_limit", "must be at least 1");
      }
      if (collectionLimit < 1) {
        throw new InvalidConfigValueException("collection_limit", "must be at least 1");
      }
      if (tasksPerTx < 1) {
        throw new InvalidConfigValueException("tasks_per_tx", "must be at least 1");
      }
      if (concurrentTxLimit.isPresent() && concurrentTxLimit.getAsInt() < 1) {
        throw new InvalidConfigValueException("concurrent_tx_limit", "must be at least 1");
      }
    }
  }
}
