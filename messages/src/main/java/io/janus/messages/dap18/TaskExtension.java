package io.janus.messages.dap18;

import io.janus.messages.DecodeException;
import io.janus.messages.WireReader;
import java.util.Arrays;
import java.util.Optional;

/**
 * A task extension in a {@link TaskConfiguration} (draft-ietf-ppm-dap-18 section 4.2.2): {@code u16 extension_type;
 * opaque extension_data<0..2^16-1>}.
 *
 * <p>Any type code decodes, in any order: what an unknown type or a misordered list means is the receiver's call
 * (see {@link TypedExtension}). Type {@link Dap18#TASK_EXTENSION_TASK_INTERVAL} carries an {@link Interval}
 * (section 4.2.3): see {@link #taskInterval(Interval)}.
 *
 * @param extensionType u16 type code
 * @param extensionData the uninterpreted payload, at most 65535 bytes
 */
public record TaskExtension(int extensionType, byte[] extensionData) implements TypedExtension {
  /** Validates ranges and copies the payload. */
  public TaskExtension {
    Wire.checkU16(extensionType, "TaskExtension.extension_type");
    Wire.checkOpaque16(extensionData, "TaskExtension.extension_data");
    extensionData = extensionData.clone();
  }

  /** The {@code task_interval} extension (section 4.2.3): reports outside {@code interval} are rejected. */
  public static TaskExtension taskInterval(Interval interval) {
    return new TaskExtension(Dap18.TASK_EXTENSION_TASK_INTERVAL, interval.toBytes());
  }

  /**
   * The interval this extension carries, if it is a {@code task_interval} extension.
   *
   * @throws DecodeException if it is one but its data is not exactly one well-formed {@link Interval}
   */
  public Optional<Interval> asTaskInterval() {
    if (extensionType != Dap18.TASK_EXTENSION_TASK_INTERVAL) {
      return Optional.empty();
    }
    return Optional.of(Interval.decode(extensionData));
  }

  /** Reads one {@code TaskExtension}. */
  public static TaskExtension decode(WireReader r) {
    return TypedExtension.read(r, "TaskExtension", TaskExtension::new);
  }

  /** Decodes exactly one extension from {@code bytes}. */
  public static TaskExtension decode(byte[] bytes) {
    return Wire.whole(bytes, "TaskExtension", TaskExtension::decode);
  }

  @Override
  public byte[] extensionData() {
    return extensionData.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TaskExtension e
        && e.extensionType == extensionType
        && Arrays.equals(e.extensionData, extensionData);
  }

  @Override
  public int hashCode() {
    return extensionType * 31 + Wire.hash(extensionData);
  }

  @Override
  public String toString() {
    return "TaskExtension[type=0x" + Integer.toHexString(extensionType) + ", data=" + Wire.show(extensionData)
        + "]";
  }
}
