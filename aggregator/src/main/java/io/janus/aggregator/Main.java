package io.janus.aggregator;

import io.helidon.webserver.WebServer;
import io.janus.core.binary.BinaryContext;
import io.janus.core.binary.BinaryHarness;
import io.janus.core.vdaf.VdafDispatch;
import java.util.function.Consumer;

/** The {@code aggregator} binary: serves the DAP API of both roles until SIGTERM. */
public final class Main {
  /** The binary's name in logs, metrics and error lines. */
  static final String NAME = "aggregator";

  private Main() {}

  /** Runs the aggregator; see {@link BinaryHarness} for the command line and exit codes. */
  public static void main(String[] args) {
    System.exit(BinaryHarness.run(NAME, args, AggregatorConfig.class, ctx -> serve(ctx)));
  }

  /** The binary's body: serves the DAP API on {@code listen_address} until the context's stopper trips. */
  static void serve(BinaryContext<AggregatorConfig> ctx) throws InterruptedException {
    serve(ctx, server -> { });
  }

  /** {@link #serve(BinaryContext)}, telling {@code onStarted} once the server listens (tests learn the port). */
  static void serve(BinaryContext<AggregatorConfig> ctx, Consumer<WebServer> onStarted) throws InterruptedException {
    try (Aggregator aggregator = new Aggregator(ctx.datastore(), ctx.clock(), VdafDispatch::forInstance,
        Aggregator.Settings.of(ctx.config()))) {
      WebServer server = AggregatorServer.start(ctx.config().listenAddress(), aggregator, ctx.meters(),
          ctx.openTelemetry());
      onStarted.accept(server);
      try {
        ctx.stopper().awaitStop();
      } finally {
        // Stop taking requests before the batcher flushes, so no upload is accepted after the flush.
        server.stop();
      }
    }
  }
}
