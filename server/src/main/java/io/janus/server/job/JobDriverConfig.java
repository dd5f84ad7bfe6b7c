package io.janus.server.job;

import io.janus.server.config.ConfigDefault;
import io.janus.server.config.InvalidConfigValueException;
import java.time.Duration;

/**
 * The job-driver keys both job driver binaries share (Janus's {@code JobDriverConfig}); a binary's configuration
 * embeds it with {@link io.janus.server.config.ConfigFlatten}, so the keys sit at the top level of its YAML file.
 *
 * @param jobDiscoveryIntervalS seconds between looks for new jobs when the last look found fewer than there were
 *     free workers (default 10)
 * @param maxConcurrentJobWorkers how many jobs one process steps at once (default 10)
 * @param workerLeaseDurationS how long a job stays leased to the worker that acquired it (default 600)
 * @param workerLeaseClockSkewAllowanceS how much earlier than the lease expiry a worker stops writing, to allow
 *     for clock skew between this process and the database (default 60); less than the lease duration
 * @param maximumAttemptsBeforeFailure how many times a job may be leased without finishing before it is abandoned
 *     (default 10)
 */
public record JobDriverConfig(
    @ConfigDefault("10") long jobDiscoveryIntervalS,
    @ConfigDefault("10") int maxConcurrentJobWorkers,
    @ConfigDefault("600") long workerLeaseDurationS,
    @ConfigDefault("60") long workerLeaseClockSkewAllowanceS,
    @ConfigDefault("10") int maximumAttemptsBeforeFailure) {

  /** Validates the ranges. */
  public JobDriverConfig {
    if (jobDiscoveryIntervalS < 1) {
      throw new InvalidConfigValueException("job_discovery_interval_s", "must be at least 1");
    }
    if (maxConcurrentJobWorkers < 1) {
      throw new InvalidConfigValueException("max_concurrent_job_workers", "must be at least 1");
    }
    if (workerLeaseDurationS < 1) {
      throw new InvalidConfigValueException("worker_lease_duration_s", "must be at least 1");
    }
    if (workerLeaseClockSkewAllowanceS < 0 || workerLeaseClockSkewAllowanceS >= workerLeaseDurationS) {
      throw new InvalidConfigValueException("worker_lease_clock_skew_allowance_s",
          "must be at least 0 and less than worker_lease_duration_s");
    }
    if (maximumAttemptsBeforeFailure < 1) {
      throw new InvalidConfigValueException("maximum_attempts_before_failure", "must be at least 1");
    }
  }

  /** The {@link JobDriver} settings these keys describe. */
  public JobDriver.Settings settings() {
    return new JobDriver.Settings(Duration.ofSeconds(jobDiscoveryIntervalS), maxConcurrentJobWorkers,
        Duration.ofSeconds(workerLeaseDurationS), Duration.ofSeconds(workerLeaseClockSkewAllowanceS));
  }
}
