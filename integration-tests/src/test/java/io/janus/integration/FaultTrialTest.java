package io.janus.integration;

import static org.assertj.core.api.Assertions.assertThat;

import io.janus.client.TestRandom;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fault trials in a row (see {@link FaultTrial}): each a whole deployment of separate processes, two copies of every
 * binary, faults at random points, and a collection that must equal exactly what the Leaders acknowledged. CI runs
 * one short trial; {@code reliability/fault-trials.sh} runs the documented twenty, with these properties:
 * <ul>
 *   <li>{@code janus.trials}: trials in a row (default 1);
 *   <li>{@code janus.trial.reports}: reports per trial (default 1,500);
 *   <li>{@code janus.trial.upload-rate}: reports per second at most (default 100, so faults fall across the
 *       upload rather than after it);
 *   <li>{@code janus.trial.helper-down-s}: how long every Helper is down (default 5 s).
 * </ul>
 * The run stops at the first trial that is not exact. Each trial prints one summary line starting "FaultTrial".
 */
class FaultTrialTest {
  private static final int TRIALS = Integer.getInteger("janus.trials", 1);
  private static final int REPORTS = Integer.getInteger("janus.trial.reports", 1_500);
  private static final int UPLOAD_RATE = Integer.getInteger("janus.trial.upload-rate", 100);
  private static final Duration HELPER_DOWN = Duration.ofSeconds(Integer.getInteger("janus.trial.helper-down-s", 5));

  @TempDir
  Path directory;

  @Test
  void everyTrialCollectsExactlyWhatTheLeadersAcknowledged() throws Exception {
    long seed = TestRandom.seed("FaultTrialTest");
    List<FaultTrial.Result> results = new ArrayList<>();
    try (PostgresProcess postgres = PostgresProcess.start(directory.resolve("postgres"))) {
      for (int trial = 1; trial <= TRIALS; trial++) {
        FaultTrial.Result r = FaultTrial.run(postgres, directory.resolve("trial-" + trial), trial, seed + trial,
            REPORTS, UPLOAD_RATE, HELPER_DOWN);
        results.add(r);
        System.out.println("FaultTrial result: " + r);
        assertThat(r.exact()).as("%s (logs of every process in %s)", r, directory.resolve("trial-" + trial))
            .isTrue();
      }
    }
    long exact = results.stream().filter(FaultTrial.Result::exact).count();
    System.out.printf("FaultTrial summary: %d/%d trials exact, %d reports each, Helper down %d s%n", exact,
        TRIALS, REPORTS, HELPER_DOWN.toSeconds());
    assertThat(exact).isEqualTo(TRIALS);
  }
}
