package io.janus.server.binary;

import io.janus.server.config.CommonConfig;

/**
 * A binary built on the harness, run as a separate JVM by {@link BinaryProcessTest}: it reads the datastore once,
 * then waits for SIGTERM and reports on standard output that it drained.
 */
public final class HarnessTestBinary {
  private HarnessTestBinary() {}

  /** Runs the test binary. */
  public static void main(String[] args) {
    System.exit(BinaryHarness.run("harness_test_binary", args, CommonConfig.class, ctx -> {
      int keys = ctx.datastore().run("harness_test_binary_read", tx -> tx.hpkeKeys().getAll().size());
      // Printed directly: JUL's own shutdown hook may reset the log handlers while we drain.
      System.out.println("READY health_port=" + ctx.healthCheckPort() + " hpke_keys=" + keys);
      System.out.flush();
      ctx.stopper().awaitStop();
      System.out.println("DRAINED");
      System.out.flush();
    }));
  }
}
