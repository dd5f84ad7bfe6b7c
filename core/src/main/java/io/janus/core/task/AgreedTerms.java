package io.janus.core.task;

import io.janus.messages.Time;
import java.net.URI;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;
import java.util.Optional;

/**
 * What a DAP-18 task's parties agree on beyond the parameters {@link Task} already holds: the deployment's
 * {@code task_info}, this aggregator's endpoint exactly as the parties wrote it down, and the start of the task's
 * interval. With the task's peer endpoint, time precision, batch mode, VDAF and expiration they make the
 * {@link TaskAgreement} that both DAP-18 AADs bind ({@link Task#agreement()}). DAP-09 tasks have none.
 *
 * @param taskInfo 1 to 255 bytes that tell apart otherwise identical tasks
 * @param ownEndpoint this aggregator's API base URL as agreed (the Leader's for a Leader task)
 * @param taskStart the first second of the task's interval; present exactly when the task expires
 */
public record AgreedTerms(byte[] taskInfo, URI ownEndpoint, Optional<Time> taskStart) {
  /** Validates and copies. */
  public AgreedTerms {
    if (taskInfo.length == 0 || taskInfo.length > 255) {
      throw new IllegalArgumentException("task_info must be 1..255 bytes, got " + taskInfo.length);
    }
    Objects.requireNonNull(ownEndpoint, "ownEndpoint");
    Objects.requireNonNull(taskStart, "taskStart");
    taskInfo = taskInfo.clone();
  }

  @Override
  public byte[] taskInfo() {
    return taskInfo.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof AgreedTerms t && Arrays.equals(t.taskInfo, taskInfo) && t.ownEndpoint.equals(ownEndpoint)
        && t.taskStart.equals(taskStart);
  }

  @Override
  public int hashCode() {
    return Objects.hash(Arrays.hashCode(taskInfo), ownEndpoint, taskStart);
  }

  @Override
  public String toString() {
    return "AgreedTerms[taskInfo=" + HexFormat.of().formatHex(taskInfo) + ", ownEndpoint=" + ownEndpoint
        + ", taskStart=" + taskStart.map(Time::seconds) + "]";
  }
}
