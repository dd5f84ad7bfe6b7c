package io.janus.aggregator;

import io.janus.messages.HpkeCiphertext;
import java.util.Objects;

/**
 * A client upload, version-neutral: the Leader's view of the report and the Helper's sealed input share, which the
 * Leader stores untouched for the aggregation job driver.
 *
 * @param leaderShare the report's public parts with the Leader's sealed input share
 * @param helperEncryptedInputShare the Helper's sealed input share
 */
public record ReportUpload(ReportShare leaderShare, HpkeCiphertext helperEncryptedInputShare) {
  /** Rejects nulls. */
  public ReportUpload {
    Objects.requireNonNull(leaderShare, "leaderShare");
    Objects.requireNonNull(helperEncryptedInputShare, "helperEncryptedInputShare");
  }
}
