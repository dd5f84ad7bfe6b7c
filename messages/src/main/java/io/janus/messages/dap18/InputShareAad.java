package io.janus.messages.dap18;

import io.janus.messages.Encodable;
import io.janus.messages.TaskId;
import io.janus.messages.WireReader;
import io.janus.messages.WireWriter;
import java.util.Arrays;
import java.util.Objects;

/**
 * The associated data an input share is sealed under (draft-ietf-ppm-dap-18 section 4.4.2.1): {@code TaskID task_id;
 * TaskConfiguration task_configuration; ReportMetadata report_metadata; opaque public_share<0..2^32-1>}. Binding the
 * whole task configuration is new in draft 18: a share sealed for one configuration does not open under another.
 *
 * @param taskId the task
 * @param taskConfiguration the task's configuration
 * @param metadata the report's metadata, public extensions included
 * @param publicShare the report's VDAF public share
 */
public record InputShareAad(
    TaskId taskId, TaskConfiguration taskConfiguration, ReportMetadata metadata, byte[] publicShare)
    implements Encodable {
  /** Rejects null components and copies the public share. */
  public InputShareAad {
    Objects.requireNonNull(taskId, "taskId");
    Objects.requireNonNull(taskConfiguration, "taskConfiguration");
    Objects.requireNonNull(metadata, "metadata");
    publicShare = publicShare.clone();
  }

  /** Reads an {@code InputShareAad}. */
  public static InputShareAad decode(WireReader r) {
    TaskId taskId = TaskId.decode(r);
    TaskConfiguration configuration = TaskConfiguration.decode(r);
    ReportMetadata metadata = ReportMetadata.decode(r);
    byte[] publicShare = r.opaque32("InputShareAad.public_share");
    return new InputShareAad(taskId, configuration, metadata, publicShare);
  }

  /** Decodes exactly one value from {@code bytes}. */
  public static InputShareAad decode(byte[] bytes) {
    return Wire.whole(bytes, "InputShareAad", InputShareAad::decode);
  }

  @Override
  public void encode(WireWriter w) {
    taskId.encode(w);
    taskConfiguration.encode(w);
    metadata.encode(w);
    w.opaque32(publicShare);
  }

  @Override
  public byte[] publicShare() {
    return publicShare.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof InputShareAad x
        && x.taskId.equals(taskId)
        && x.taskConfiguration.equals(taskConfiguration)
        && x.metadata.equals(metadata)
        && Arrays.equals(x.publicShare, publicShare);
  }

  @Override
  public int hashCode() {
    return Objects.hash(taskId, taskConfiguration, metadata, Wire.hash(publicShare));
  }

  @Override
  public String toString() {
    return "InputShareAad[taskId=" + taskId + ", taskConfiguration=" + taskConfiguration + ", metadata=" + metadata
        + ", publicShare=" + Wire.show(publicShare) + "]";
  }
}
