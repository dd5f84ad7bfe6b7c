package io.janus.messages.dap18;

import io.janus.messages.FixedId;
import io.janus.messages.Url;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.util.List;

/** Sums the byte content a decoded value holds (arrays, IDs, URL text), to check decoding allocates no more. */
final class ByteContent {
  private ByteContent() {}

  static long of(Object value) {
    return switch (value) {
      case byte[] b -> b.length;
      case FixedId id -> id.bytes().length;
      case Url u -> u.value().length();
      case List<?> list -> {
        long sum = 0;
        for (Object o : list) {
          sum += of(o);
        }
        yield sum;
      }
      case Record r -> ofRecord(r);
      default -> 0;
    };
  }

  private static long ofRecord(Record r) {
    long sum = 0;
    for (RecordComponent c : r.getClass().getRecordComponents()) {
      try {
        sum += of(c.getAccessor().invoke(r));
      } catch (IllegalAccessException | InvocationTargetException e) {
        throw new AssertionError("cannot read " + c, e);
      }
    }
    return sum;
  }
}
