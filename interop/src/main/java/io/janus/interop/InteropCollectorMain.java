package io.janus.interop;

import io.janus.client.DapHttp;
import io.janus.core.Clock;
import java.security.SecureRandom;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** The {@code janus_interop_collector} binary: the interop test collector, on port 8080 unless told otherwise. */
@Command(name = "janus_interop_collector", mixinStandardHelpOptions = true,
    description = "Interop test collector for DAP-09 and DAP-18 tasks"
        + " (draft-dcook-ppm-dap-interop-test-design-07; DAP-18 requests as Janus main's interop binaries take them).")
public final class InteropCollectorMain implements Callable<Integer> {
  @Mixin
  ListenOptions listen;

  /** Runs the collector until SIGTERM; exits 2 on a bad command line. */
  public static void main(String[] args) {
    System.exit(ListenOptions.execute(new InteropCollectorMain(), args));
  }

  @Override
  public Integer call() throws InterruptedException {
    listen.installLogFile("janus_interop_collector");
    InteropCollector collector = new InteropCollector(DapHttp.defaultHttpClient(), Clock.SYSTEM, new SecureRandom());
    listen.serve("janus_interop_collector", collector::routing, System.out);
    return 0;
  }
}
