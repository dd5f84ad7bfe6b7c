package io.janus.core.task;

import java.util.Arrays;
import java.util.Base64;

/**
 * The configuration of a task provisioned in-band, exactly as its {@code dap-taskprov} header carried it. The task
 * ID is its SHA-256 ({@link Taskprov#taskId}); the Leader replays it to the Helper on every request so the Helper can
 * provision the task too. Opaque here: only the draft's HTTP layer decodes it.
 *
 * @param encoded the encoded configuration, not empty
 */
public record TaskprovTaskConfig(byte[] encoded) {
  /** Validates and copies. */
  public TaskprovTaskConfig {
    if (encoded.length == 0) {
      throw new IllegalArgumentException("a taskprov task configuration must not be empty");
    }
    encoded = encoded.clone();
  }

  @Override
  public byte[] encoded() {
    return encoded.clone();
  }

  /** The header value: the encoding in unpadded base64url. */
  public String headerValue() {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(encoded);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TaskprovTaskConfig c && Arrays.equals(c.encoded, encoded);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(encoded);
  }

  @Override
  public String toString() {
    return "TaskprovTaskConfig[" + encoded.length + " bytes]";
  }
}
