package io.janus.interop;

import io.janus.client.DapHttp;
import io.janus.core.Clock;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** The {@code janus_interop_client} binary: the interop test client, on port 8080 unless told otherwise. */
@Command(name = "janus_interop_client", mixinStandardHelpOptions = true,
    description = "Interop test client for DAP-09 and DAP-18 tasks"
        + " (draft-dcook-ppm-dap-interop-test-design-07; DAP-18 requests as Janus main's interop binaries take them).")
public final class InteropClientMain implements Callable<Integer> {
  @Mixin
  ListenOptions listen;

  /** Runs the client until SIGTERM; exits 2 on a bad command line. */
  public static void main(String[] args) {
    System.exit(ListenOptions.execute(new InteropClientMain(), args));
  }

  @Override
  public Integer call() throws InterruptedException {
    listen.installLogFile("janus_interop_client");
    InteropClient client = new InteropClient(DapHttp.defaultHttpClient(), Clock.SYSTEM);
    listen.serve("janus_interop_client", client::routing, System.out);
    return 0;
  }
}
