package io.janus.aggregationjobcreator;

import io.janus.server.config.BinaryConfig;
import io.janus.server.config.CommonConfig;
import io.janus.server.config.ConfigDefault;
import io.janus.server.config.ConfigFlatten;
import io.janus.server.config.InvalidConfigValueException;

/**
 * The {@code aggregation_job_creator} binary's configuration, with Janus's key names.
 *
 * @param common the keys every binary shares (database, logging, metrics, health check address)
 * @param batchAggregationShardCount shards per batch aggregation; must not exceed the collection job driver's value
 * @param tasksUpdateFrequencyS seconds between refreshes of the task list (default 3600)
 * @param aggregationJobCreationIntervalS seconds between job creation rounds (default 60)
 * @param minAggregationJobSize the fewest reports a job gets, except for leftovers past the grace period (default 10)
 * @param maxAggregationJobSize the most reports a job gets (default 100)
 * @param aggregationJobCreationReportWindow the most reports claimed per transaction (default 5000)
 * @param lateReportGracePeriodUnits how many time precisions a group of fewer than {@code min_aggregation_job_size}
 *     reports waits for company before it becomes a job anyway, so no report waits forever (default 10)
 * @param lateReportGracePeriodS the same in seconds, Janus 0.7's key; when given it replaces the units
 */
public record AggregationJobCreatorConfig(
    @ConfigFlatten CommonConfig common,
    int batchAggregationShardCount,
    @ConfigDefault("3600") long tasksUpdateFrequencyS,
    @ConfigDefault("60") long aggregationJobCreationIntervalS,
    @ConfigDefault("10") int minAggregationJobSize,
    @ConfigDefault("100") int maxAggregationJobSize,
    @ConfigDefault("5000") int aggregationJobCreationReportWindow,
    @ConfigDefault("10") long lateReportGracePeriodUnits,
    java.util.OptionalLong lateReportGracePeriodS) implements BinaryConfig {

  /** Validates the ranges. */
  public AggregationJobCreatorConfig {
    if (batchAggregationShardCount < 1) {
      throw new InvalidConfigValueException("batch_aggregation_shard_count", "must be at least 1");
    }
    if (tasksUpdateFrequencyS < 1) {
      throw new InvalidConfigValueException("tasks_update_frequency_s", "must be at least 1");
    }
    if (aggregationJobCreationIntervalS < 1) {
      throw new InvalidConfigValueException("aggregation_job_creation_interval_s", "must be at least 1");
    }
    if (minAggregationJobSize < 1) {
      throw new InvalidConfigValueException("min_aggregation_job_size", "must be at least 1");
    }
    if (maxAggregationJobSize < minAggregationJobSize) {
      throw new InvalidConfigValueException("max_aggregation_job_size",
          "must not be less than min_aggregation_job_size");
    }
    if (aggregationJobCreationReportWindow < maxAggregationJobSize) {
      throw new InvalidConfigValueException("aggregation_job_creation_report_window",
          "must not be less than max_aggregation_job_size");
    }
    if (lateReportGracePeriodUnits < 0) {
      throw new InvalidConfigValueException("late_report_grace_period_units", "must not be negative");
    }
    if (lateReportGracePeriodS.isPresent() && lateReportGracePeriodS.getAsLong() < 0) {
      throw new InvalidConfigValueException("late_report_grace_period_s", "must not be negative");
    }
  }

  /** The creator settings these keys describe. */
  public AggregationJobCreator.Settings settings() {
    return new AggregationJobCreator.Settings(batchAggregationShardCount, minAggregationJobSize,
        maxAggregationJobSize, aggregationJobCreationReportWindow, lateReportGracePeriodUnits,
        lateReportGracePeriodS);
  }
}
