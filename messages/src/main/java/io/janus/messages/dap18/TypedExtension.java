package io.janus.messages.dap18;

import io.janus.messages.Encodable;
import io.janus.messages.WireReader;
import io.janus.messages.WireWriter;
import java.util.List;
import java.util.function.BiFunction;

/**
 * The shape all four DAP-18 extension kinds share: {@code u16 extension_type; opaque extension_data<0..2^16-1>}.
 * Each kind has its own record and code-point registry: {@link Extension} (report, section 4.4.3),
 * {@link TaskExtension} (section 4.2.2), {@link AggregationJobExtension} (section 4.5.1) and
 * {@link CollectionJobExtension} (section 4.6.2).
 *
 * <p>Draft 18 requires every extension list to be in strictly increasing order of type, but answers a violation
 * differently per list (a per-report {@code invalid_message}, an {@code invalidMessage} abort, an
 * {@code invalidExtension} abort), so decoders keep the order they read and callers check it with
 * {@link #inStrictlyIncreasingOrder}.
 */
public sealed interface TypedExtension extends Encodable
    permits Extension, TaskExtension, AggregationJobExtension, CollectionJobExtension {
  /** The u16 extension type. */
  int extensionType();

  /** A copy of the uninterpreted payload. */
  byte[] extensionData();

  @Override
  default void encode(WireWriter w) {
    w.u16(extensionType()).opaque16(extensionData());
  }

  /**
   * Reads one extension of the kind {@code kind} names (the record's name, used in decode errors) and builds it with
   * {@code make}, which validates it.
   */
  static <E extends TypedExtension> E read(WireReader r, String kind, BiFunction<Integer, byte[], E> make) {
    int type = r.u16(kind + ".extension_type");
    byte[] data = r.opaque16(kind + ".extension_data");
    return make.apply(type, data);
  }

  /**
   * True if each extension's type is greater than that of the one before it, as draft 18 requires of every
   * extension list (so no type repeats).
   */
  static boolean inStrictlyIncreasingOrder(List<? extends TypedExtension> extensions) {
    int previous = -1;
    for (TypedExtension e : extensions) {
      if (e.extensionType() <= previous) {
        return false;
      }
      previous = e.extensionType();
    }
    return true;
  }
}
