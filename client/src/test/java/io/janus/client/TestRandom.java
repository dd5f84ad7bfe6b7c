package io.janus.client;

import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;

/** Seeded randomness for tests: prints the seed so a failure can be replayed. */
public final class TestRandom {
  private TestRandom() {}

  /** A seed from {@code -Djanus.test.seed}, else from the clock; printed either way. */
  public static long seed(String testName) {
    String fixed = System.getProperty("janus.test.seed");
    long seed = fixed != null ? Long.parseLong(fixed) : System.nanoTime();
    System.out.println(testName + ": seed " + seed + " (replay with -Djanus.test.seed=" + seed + ")");
    return seed;
  }

  /** A deterministic {@link SecureRandom} stream for {@code seed} (SHA1PRNG seeded before first use). */
  public static SecureRandom secureRandom(long seed) {
    try {
      SecureRandom r = SecureRandom.getInstance("SHA1PRNG");
      r.setSeed(seed);
      return r;
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
