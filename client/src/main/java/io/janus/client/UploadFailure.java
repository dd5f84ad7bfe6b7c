package io.janus.client;

import java.util.Objects;

/**
 * One measurement that {@link Client#uploadAll} could not upload.
 *
 * @param index the measurement's position in the input list
 * @param error why: a {@link DapClientException}, or an {@link IllegalArgumentException} for a measurement out of
 *     the VDAF's range
 */
public record UploadFailure(int index, RuntimeException error) {
  /** Rejects a negative index or a null error. */
  public UploadFailure {
    if (index < 0) {
      throw new IllegalArgumentException("index must not be negative: " + index);
    }
    Objects.requireNonNull(error, "error");
  }
}
