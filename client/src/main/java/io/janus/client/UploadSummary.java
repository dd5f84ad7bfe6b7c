package io.janus.client;

import java.util.List;

/**
 * The outcome of {@link Client#uploadAll}.
 *
 * @param total measurements given
 * @param succeeded reports the Leader accepted
 * @param failures the others, ordered by index
 */
public record UploadSummary(int total, int succeeded, List<UploadFailure> failures) {
  /** Copies the list and checks that the counts add up. */
  public UploadSummary {
    failures = List.copyOf(failures);
    if (succeeded < 0 || succeeded + failures.size() != total) {
      throw new IllegalArgumentException(
          "succeeded (" + succeeded + ") + failed (" + failures.size() + ") must equal total (" + total + ")");
    }
  }

  /** True if every measurement was uploaded. */
  public boolean allSucceeded() {
    return failures.isEmpty();
  }
}
