package io.janus.messages.dap09;

import io.janus.messages.Encodable;
import io.janus.messages.TaskId;
import io.janus.messages.WireReader;
import io.janus.messages.WireWriter;
import java.util.Arrays;
import java.util.Objects;

/**
 * The associated data an input share is sealed under (draft-ietf-ppm-dap-09 section 4.3.2):
 * {@code TaskID task_id; ReportMetadata report_metadata; opaque public_share<0..2^32-1>}.
 *
 * @param taskId the task
 * @param metadata the report's metadata
 * @param publicShare the report's VDAF public share
 */
public record InputShareAad(TaskId taskId, ReportMetadata metadata, byte[] publicShare) implements Encodable {
  /** Rejects null components and copies the public share. */
  public InputShareAad {
    Objects.requireNonNull(taskId, "taskId");
    Objects.requireNonNull(metadata, "metadata");
    publicShare = publicShare.clone();
  }

  /** Reads an {@code InputShareAad}. */
  public static InputShareAad decode(WireReader r) {
    TaskId taskId = TaskId.decode(r);
    ReportMetadata metadata = ReportMetadata.decode(r);
    byte[] publicShare = r.opaque32("InputShareAad.public_share");
    return new InputShareAad(taskId, metadata, publicShare);
  }

  /** Decodes exactly one value from {@code bytes}. */
  public static InputShareAad decode(byte[] bytes) {
    return Wire.whole(bytes, "InputShareAad", InputShareAad::decode);
  }

  @Override
  public void encode(WireWriter w) {
    taskId.encode(w);
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
        && x.metadata.equals(metadata)
        && Arrays.equals(x.publicShare, publicShare);
  }

  @Override
  public int hashCode() {
    return Objects.hash(taskId, metadata, Wire.hash(publicShare));
  }

  @Override
  public String toString() {
    return "InputShareAad[taskId=" + taskId + ", metadata=" + metadata + ", publicShare=" + Wire.show(publicShare)
        + "]";
  }
}
