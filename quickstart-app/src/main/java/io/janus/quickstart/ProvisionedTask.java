package io.janus.quickstart;

import io.janus.core.auth.AuthenticationToken;
import io.janus.core.hpke.HpkeKeypair;
import io.janus.core.task.VdafInstance;
import io.janus.messages.DapDuration;
import io.janus.messages.TaskId;
import io.janus.core.task.TaskAgreement;
import java.net.URI;
import java.util.Optional;

/**
 * A task written to both aggregators' databases, with what a client and a collector need to use it.
 * {@code toString} hides the secrets.
 *
 * @param id the task ID
 * @param vdaf the task's VDAF
 * @param timePrecision the task's time precision
 * @param minBatchSize the fewest reports a batch may be collected with
 * @param leaderEndpoint the Leader's DAP endpoint
 * @param helperEndpoint the Helper's DAP endpoint
 * @param collectorKeypair the collector's HPKE keypair; the task holds its public half
 * @param collectorToken the token the collector presents to the Leader
 * @param aggregatorToken the token the Leader presents to the Helper
 * @param agreement for a DAP-18 task, the configuration every party binds into its AADs; empty for DAP-09
 */
public record ProvisionedTask(
    TaskId id,
    VdafInstance vdaf,
    DapDuration timePrecision,
    long minBatchSize,
    URI leaderEndpoint,
    URI helperEndpoint,
    HpkeKeypair collectorKeypair,
    AuthenticationToken collectorToken,
    AuthenticationToken aggregatorToken,
    Optional<TaskAgreement> agreement) {

  @Override
  public String toString() {
    return "ProvisionedTask[id=" + id.toBase64Url() + ", vdaf=" + vdaf + ", timePrecision="
        + timePrecision.seconds() + "s, minBatchSize=" + minBatchSize + ", leader=" + leaderEndpoint + ", helper="
        + helperEndpoint + ", secrets=<redacted>]";
  }
}
