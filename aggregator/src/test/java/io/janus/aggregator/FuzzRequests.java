package io.janus.aggregator;

import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;

/** What every draft's request fuzz test shares: mutations of valid paths and bodies, and a watch on error logs. */
public final class FuzzRequests {
  private FuzzRequests() {}

  /** Collects what the server logs at error level while the fuzzer runs. */
  public static final class ErrorLines extends Handler {
    public final List<String> lines = new CopyOnWriteArrayList<>();

    @Override
    public void publish(LogRecord r) {
      if (r.getLevel().intValue() >= Level.SEVERE.intValue()) {
        lines.add(r.getLoggerName() + ": " + r.getMessage()
            + (r.getThrown() == null ? "" : " (" + r.getThrown() + ")"));
      }
    }

    @Override
    public void flush() {}

    @Override
    public void close() {}
  }

  /** Characters a mutated path may gain: URL-safe ones, separators, and whole percent escapes. */
  private static final String[] PATH_INSERTS = {"A", "z", "0", "-", "_", ".", "~", "/", "?", "=", "&", "+", "..",
      "%00", "%2F", "%2E", "%FF", "%25", "%3F"};

  /**
   * A valid path with one to three random character edits (deletions, insertions and replacements) that is still a
   * URI: an edit inside a percent escape can break it, and such a request could not be sent at all.
   */
  public static String mutatePath(String valid, SplittableRandom random) {
    while (true) {
      String mutated = editPath(valid, random);
      try {
        java.net.URI.create("http://localhost" + mutated);
        return mutated;
      } catch (IllegalArgumentException notAUri) {
        // Edit again from the valid path.
      }
    }
  }

  private static String editPath(String valid, SplittableRandom random) {
    StringBuilder b = new StringBuilder(valid);
    int edits = 1 + random.nextInt(3);
    for (int e = 0; e < edits; e++) {
      int at = 1 + random.nextInt(b.length());
      String insert = PATH_INSERTS[random.nextInt(PATH_INSERTS.length)];
      switch (random.nextInt(3)) {
        case 0 -> {
          if (at < b.length() && b.charAt(at) != '%') {
            b.deleteCharAt(at);
          }
        }
        case 1 -> b.insert(at, insert);
        default -> {
          if (at < b.length() && b.charAt(at) != '%') {
            b.replace(at, at + 1, insert);
          }
        }
      }
    }
    return b.toString();
  }

  /** A valid message with one to three random edits. */
  public static byte[] mutate(byte[] valid, SplittableRandom random) {
    byte[] b = valid.clone();
    int edits = 1 + random.nextInt(3);
    for (int e = 0; e < edits; e++) {
      if (b.length == 0) {
        b = new byte[] {(byte) random.nextInt(256)};
        continue;
      }
      int at = random.nextInt(b.length);
      switch (random.nextInt(6)) {
        case 0 -> b[at] ^= (byte) (1 << random.nextInt(8));
        case 1 -> b[at] = (byte) random.nextInt(256);
        case 2 -> {
          // Overwrite what may be a length prefix with an extreme value.
          for (int k = at; k < Math.min(b.length, at + 4); k++) {
            b[k] = random.nextBoolean() ? (byte) 0xff : 0;
          }
        }
        case 3 -> b = java.util.Arrays.copyOf(b, at);
        case 4 -> {
          byte[] extra = new byte[1 + random.nextInt(64)];
          random.nextBytes(extra);
          byte[] longer = java.util.Arrays.copyOf(b, b.length + extra.length);
          System.arraycopy(extra, 0, longer, b.length, extra.length);
          b = longer;
        }
        default -> {
          // Splice: repeat a random slice.
          int len = 1 + random.nextInt(Math.min(32, b.length - at));
          byte[] longer = new byte[b.length + len];
          System.arraycopy(b, 0, longer, 0, at + len);
          System.arraycopy(b, at, longer, at + len, b.length - at);
          b = longer;
        }
      }
    }
    return b;
  }
}
