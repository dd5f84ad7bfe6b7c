package io.janus.aggregator;

import static org.assertj.core.api.Assertions.assertThat;

import io.janus.core.auth.AuthenticationToken;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * What every draft's request fuzz test shares: the endpoints as {@link Target}s, mutations of their valid paths and
 * bodies, and {@link #sendMutated}, which sends them and fails on a 5xx, a hang or an error-level log line.
 */
public final class FuzzRequests {
  private FuzzRequests() {}

  /**
   * One endpoint: how to send to it, and a valid request to start from: a body to mutate, or (with an empty
   * {@code mediaType}) a path to mutate.
   */
  public record Target(String name, String method, Supplier<String> path, Optional<String> mediaType,
      Optional<AuthenticationToken> auth, Supplier<byte[]> valid) {
    /** An endpoint whose valid body is mutated. */
    public static Target body(String name, String method, Supplier<String> path, String mediaType,
        Optional<AuthenticationToken> auth, Supplier<byte[]> valid) {
      return new Target(name, method, path, Optional.of(mediaType), auth, valid);
    }

    /** An endpoint without a body, whose valid path is mutated. */
    public static Target path(String name, String method, Supplier<String> path,
        Optional<AuthenticationToken> auth) {
      return new Target(name, method, path, Optional.empty(), auth, () -> new byte[0]);
    }
  }

  /** Sends one request to the server under test; a hang surfaces as an exception caused by a timeout. */
  @FunctionalInterface
  public interface Sender {
    HttpResponse<byte[]> send(Target target, String path, byte[] body);
  }

  /**
   * Sends {@code perEndpoint} mutations of each target's valid request and asserts that none is answered with a
   * 5xx, none hangs, and the server logs nothing at error level; prints the seed and the statuses per endpoint.
   *
   * @param name the test's name, for the printed lines
   */
  public static void sendMutated(String name, List<Target> targets, int perEndpoint, long seed, Sender sender) {
    System.out.println(name + " seed: " + seed + " (replay with -Djanus.test.seed=" + seed + ")");
    SplittableRandom random = new SplittableRandom(seed);
    Map<String, Map<Integer, Integer>> statuses = new TreeMap<>();
    ErrorLines errors = new ErrorLines();
    Logger root = Logger.getLogger("");
    root.addHandler(errors);
    int hangs = 0;
    long started = System.nanoTime();
    try {
      for (Target t : targets) {
        Map<Integer, Integer> counts = statuses.computeIfAbsent(t.name(), k -> new TreeMap<>());
        byte[] valid = t.valid().get();
        for (int i = 0; i < perEndpoint; i++) {
          String path = t.mediaType().isPresent() ? t.path().get() : mutatePath(t.path().get(), random);
          byte[] body = t.mediaType().isPresent() ? mutate(valid, random) : valid;
          HttpResponse<byte[]> r;
          try {
            r = sender.send(t, path, body);
          } catch (IllegalStateException e) {
            if (e.getCause() instanceof HttpTimeoutException) {
              hangs++;
              counts.merge(0, 1, Integer::sum);
              continue;
            }
            throw e;
          }
          counts.merge(r.statusCode(), 1, Integer::sum);
          assertThat(r.statusCode()).as("%s %s, mutation %d of seed %d", t.name(), path, i, seed).isLessThan(500);
        }
      }
    } finally {
      root.removeHandler(errors);
    }
    System.out.printf("%s: %d requests in %.1f s, %d hangs, %d error-level log lines; statuses per endpoint: %s%n",
        name, perEndpoint * targets.size(), (System.nanoTime() - started) / 1e9, hangs, errors.lines.size(),
        statuses);
    assertThat(hangs).as("unanswered requests (hangs)").isZero();
    assertThat(errors.lines).as("error-level log lines").isEmpty();
  }

  /** Collects what the server logs at error level while the fuzzer runs. */
  private static final class ErrorLines extends Handler {
    final List<String> lines = new CopyOnWriteArrayList<>();

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
