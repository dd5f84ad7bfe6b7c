package io.janus.server.datastore.model;

import java.util.Arrays;

/**
 * The Helper's answer for one report in an aggregation job step, by meaning: stored so that a repeated request is
 * answered with the same response without redoing the VDAF work.
 */
public sealed interface PrepareResult permits PrepareResult.Continue, PrepareResult.Finished, PrepareResult.Reject {
  /**
   * Preparation continues; {@code message} is the opaque ping-pong message for the Leader.
   *
   * @param message the opaque message
   */
  record Continue(byte[] message) implements PrepareResult {
    /** Copies the message. */
    public Continue {
      message = message.clone();
    }

    @Override
    public byte[] message() {
      return message.clone();
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Continue c && Arrays.equals(c.message, message);
    }

    @Override
    public int hashCode() {
      return Arrays.hashCode(message);
    }

    @Override
    public String toString() {
      return "Continue[" + message.length + " bytes]";
    }
  }

  /** Preparation finished for this report. */
  record Finished() implements PrepareResult {}

  /**
   * The report was rejected.
   *
   * @param failure why
   */
  record Reject(ReportFailure failure) implements PrepareResult {}
}
