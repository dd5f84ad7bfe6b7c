package io.janus.aggregator;

import io.janus.core.vdaf.TaskVdafs;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.http.HttpRouting;
import io.janus.server.binary.BinaryDefinition;
import io.janus.server.binary.BinaryHarness;
import io.janus.server.binary.BinaryServices;
import io.janus.server.binary.RunningBinary;
import io.janus.server.config.ListenAddress;
import io.janus.aggregator.api.AggregatorApi;
import io.janus.aggregator.api.AggregatorApiConfig;
import java.security.SecureRandom;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/** The {@code aggregator} binary: serves the DAP API of both roles until SIGTERM. */
public final class Main {
  /** The binary's name in logs, metrics and error lines. */
  public static final String NAME = "aggregator";

  /** The binary as a value, for {@link io.janus.server.binary.InProcessRunner}. */
  public static final BinaryDefinition<AggregatorConfig> BINARY =
      new BinaryDefinition<>(NAME, AggregatorConfig.class, Main::start);

  /**
   * What the aggregator needs from its configuration.
   *
   * @param listenAddress where the DAP API is served (port 0: any free port, see {@link RunningBinary#port()})
   * @param aggregator upload batching, shards and caches
   * @param requestLimits the largest request body each endpoint reads, and how long it may take
   * @param serverLimits the listener's timeouts and connection limits
   * @param adminApi the admin API, if it is served
   */
  public record Settings(ListenAddress listenAddress, Aggregator.Settings aggregator, RequestLimits requestLimits,
      ServerLimits serverLimits, Optional<AdminApi> adminApi) {
    /** Settings with the default request and server limits and no admin API. */
    public Settings(ListenAddress listenAddress, Aggregator.Settings aggregator) {
      this(listenAddress, aggregator, RequestLimits.DEFAULT, ServerLimits.DEFAULT, Optional.empty());
    }

    /**
     * The settings {@code config} describes, with the admin API's tokens from {@code AGGREGATOR_API_AUTH_TOKENS}.
     *
     * @throws IllegalArgumentException naming the variable if a token in it is malformed
     */
    public static Settings of(AggregatorConfig config) {
      return new Settings(config.listenAddress(), Aggregator.Settings.of(config), config.requestLimits(),
          config.serverLimits(), config.aggregatorApi().map(api -> new AdminApi(api,
              AggregatorApi.parseTokens(System.getenv(AggregatorApi.AUTH_TOKENS_ENV)))));
    }
  }

  /**
   * Where and for whom the admin API is served.
   *
   * @param config its listener or path prefix and the public DAP URL
   * @param authTokens the bearer tokens it accepts (none: it refuses every request)
   */
  public record AdminApi(AggregatorApiConfig config, List<String> authTokens) {
    /** Copies the tokens. */
    public AdminApi {
      authTokens = List.copyOf(authTokens);
    }
  }

  private Main() {}

  /** Starts the admin API's own listener; refuses to start the binary if the address cannot be bound. */
  private static WebServer startApiServer(ListenAddress address, AggregatorApi api) {
    WebServer server = WebServer.builder()
        .host(address.host())
        .port(address.port())
        .maxPayloadSize(AggregatorApi.MAX_BODY_BYTES)
        .routing(r -> r.register("/", api))
        .build()
        .start();
    if (!server.isRunning()) {
      throw new IllegalStateException("cannot listen on aggregator_api.listen_address " + address);
    }
    return server;
  }

  /** Runs the aggregator; see {@link BinaryHarness} for the command line and exit codes. */
  public static void main(String[] args) {
    System.exit(BINARY.main(args));
  }

  /**
   * Starts the aggregator: serves the DAP API on {@code listen_address} until {@code services.stopper()} trips.
   *
   * @return the running binary; its {@link RunningBinary#port()} is the DAP API's port
   * @throws IllegalStateException if the aggregator cannot start (e.g. the listen address is taken)
   */
  public static RunningBinary start(AggregatorConfig config, BinaryServices services) {
    return start(Settings.of(config), services);
  }

  /** {@link #start(AggregatorConfig, BinaryServices)} from settings. */
  public static RunningBinary start(Settings settings, BinaryServices services) {
    return start(settings, services, routing -> { });
  }

  /**
   * {@link #start(AggregatorConfig, BinaryServices)} from settings, with {@code extraRoutes} registered on the same
   * server ahead of the DAP API (the interop aggregator serves its test API there).
   */
  public static RunningBinary start(Settings settings, BinaryServices services,
      Consumer<HttpRouting.Builder> extraRoutes) {
    Optional<AggregatorApi> api = settings.adminApi().map(a -> new AggregatorApi(services.datastore(),
        new SecureRandom(), a.config().publicDapUrl(), a.authTokens()));
    Optional<String> apiPrefix = settings.adminApi().flatMap(a -> a.config().pathPrefix());
    Consumer<HttpRouting.Builder> routes = apiPrefix.isEmpty() ? extraRoutes : routing -> {
      routing.register("/" + apiPrefix.get(), api.orElseThrow());
      extraRoutes.accept(routing);
    };
    return RunningBinary.start(NAME, services.stopper(), started -> {
      try (Aggregator aggregator = new Aggregator(services.datastore(), services.clock(), TaskVdafs.PRODUCTION,
          settings.aggregator())) {
        Optional<WebServer> apiServer = settings.adminApi().flatMap(a -> a.config().listenAddress())
            .map(address -> startApiServer(address, api.orElseThrow()));
        WebServer server = AggregatorServer.start(settings.listenAddress(), aggregator, services.meters(),
            services.openTelemetry(), settings.requestLimits(), settings.serverLimits(), routes);
        try {
          if (!server.isRunning()) {
            // Helidon logs a failed bind and hands back a stopped server rather than throwing.
            throw new IllegalStateException("cannot listen on listen_address " + settings.listenAddress());
          }
          started.accept(RunningBinary.Started.listening(services.meters(), server.port()));
          services.stopper().awaitStop();
        } finally {
          // Stop taking requests before the batcher flushes, so no upload is accepted after the flush.
          server.stop();
          apiServer.ifPresent(WebServer::stop);
        }
      }
    });
  }
}
