package io.janus.cli;

import io.janus.core.auth.AuthenticationToken;
import io.janus.core.auth.AuthenticationTokenType;
import io.janus.messages.Base64Url;
import io.janus.messages.DapDuration;
import io.janus.messages.DecodeException;
import io.janus.messages.HpkeConfig;
import io.janus.messages.Role;
import io.janus.server.binary.CommonOptions;
import io.janus.server.datastore.model.TaskprovPeerAggregator;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code add-taskprov-peer-aggregator} (Janus 0.7's command and options): stores a peer aggregator this aggregator
 * accepts taskprov tasks from. Secrets come from options or, better, from the environment variables named in the
 * help, so they stay out of the shell history.
 */
@Command(name = "add-taskprov-peer-aggregator", mixinStandardHelpOptions = true,
    description = "Add a taskprov peer aggregator. Fails if one with the same endpoint and role exists.")
final class AddTaskprovPeerCommand implements Callable<Integer> {
  private final CliContext context;

  @Option(names = "--peer-endpoint", required = true, paramLabel = "URL", description = "The peer's DAP endpoint")
  String peerEndpoint;

  @Option(names = "--role", required = true, paramLabel = "ROLE", description = "The peer's role: leader or helper")
  String role;

  @Option(names = "--verify-key-init", paramLabel = "BASE64URL",
      description = "The taskprov verify_key_init, 32 bytes in unpadded base64url (default: $VERIFY_KEY_INIT)")
  String verifyKeyInit;

  @Option(names = "--collector-hpke-config-file", required = true, paramLabel = "PATH",
      description = "A file holding the collector's DAP-encoded HpkeConfig")
  Path collectorHpkeConfigFile;

  @Option(names = "--report-expiry-age-secs", paramLabel = "SECONDS",
      description = "Age after which reports of the peer's tasks are deleted (default: never)")
  Long reportExpiryAgeSecs;

  @Option(names = "--tolerable-clock-skew-secs", required = true, paramLabel = "SECONDS",
      description = "How far in the future a report's timestamp may be")
  long tolerableClockSkewSecs;

  @Option(names = "--aggregator-auth-token", paramLabel = "TYPE:TOKEN",
      description = "The aggregators' token, as bearer:VALUE or dap:VALUE (default: $AGGREGATOR_AUTH_TOKEN)")
  String aggregatorAuthToken;

  @Option(names = "--collector-auth-token", paramLabel = "TYPE:TOKEN",
      description = "The collector's token, as bearer:VALUE or dap:VALUE; Leader peers only "
          + "(default: $COLLECTOR_AUTH_TOKEN)")
  String collectorAuthToken;

  @Mixin
  CommonOptions common = new CommonOptions();

  AddTaskprovPeerCommand(CliContext context) {
    this.context = context;
  }

  @Override
  public Integer call() {
    TaskprovPeerAggregator peer = peer();
    try (DatastoreConnection connection = DatastoreConnection.open(common, context)) {
      connection.datastore().run("janus_cli.add_taskprov_peer_aggregator", tx -> {
        if (!tx.taskprovPeers().put(peer)) {
          throw new CliException("a taskprov peer with endpoint " + peer.endpoint() + " and role "
              + peer.peerRole().name().toLowerCase() + " exists already");
        }
        return null;
      });
    }
    context.err().println("added taskprov peer " + peer.endpoint() + " (" + peer.peerRole().name().toLowerCase()
        + ")");
    return 0;
  }

  private String orEnvironment(String option, String variable) {
    return option != null && !option.isEmpty() ? option : context.environment().get(variable);
  }

  private TaskprovPeerAggregator peer() {
    String verifyKeyInit = orEnvironment(this.verifyKeyInit, "VERIFY_KEY_INIT");
    String aggregatorAuthToken = orEnvironment(this.aggregatorAuthToken, "AGGREGATOR_AUTH_TOKEN");
    String collectorAuthToken = orEnvironment(this.collectorAuthToken, "COLLECTOR_AUTH_TOKEN");
    URI endpoint;
    try {
      endpoint = new URI(peerEndpoint);
    } catch (URISyntaxException e) {
      throw new CliException("--peer-endpoint is not a URL: " + e.getReason());
    }
    if (!endpoint.isAbsolute() || endpoint.getHost() == null) {
      throw new CliException("--peer-endpoint must be an absolute URL, got " + peerEndpoint);
    }
    Role peerRole = switch (role.toLowerCase()) {
      case "leader" -> Role.LEADER;
      case "helper" -> Role.HELPER;
      default -> throw new CliException("--role must be leader or helper, got " + role);
    };
    if (verifyKeyInit == null || verifyKeyInit.isEmpty()) {
      throw new CliException("no verify_key_init: pass --verify-key-init or set VERIFY_KEY_INIT");
    }
    byte[] keyInit;
    try {
      keyInit = Base64Url.decode(verifyKeyInit);
    } catch (IllegalArgumentException e) {
      throw new CliException("the verify_key_init is not unpadded base64url");
    }
    if (keyInit.length != 32) {
      throw new CliException("the verify_key_init must be 32 bytes, got " + keyInit.length);
    }
    HpkeConfig collectorConfig;
    try {
      collectorConfig = HpkeConfig.decode(Files.readAllBytes(collectorHpkeConfigFile));
    } catch (IOException e) {
      throw new CliException("cannot read " + collectorHpkeConfigFile + ": " + e.getMessage());
    } catch (DecodeException | IllegalArgumentException e) {
      throw new CliException(collectorHpkeConfigFile + " is not a DAP-encoded HpkeConfig: " + e.getMessage());
    }
    if (aggregatorAuthToken == null || aggregatorAuthToken.isEmpty()) {
      throw new CliException("no aggregator token: pass --aggregator-auth-token or set AGGREGATOR_AUTH_TOKEN");
    }
    Optional<AuthenticationToken> collector = collectorAuthToken == null || collectorAuthToken.isEmpty()
        ? Optional.empty() : Optional.of(token(collectorAuthToken, "collector"));
    if (collector.isPresent() && peerRole == Role.HELPER) {
      throw new CliException("a Helper peer takes no collector token: the collector talks to the Leader");
    }
    if (reportExpiryAgeSecs != null && reportExpiryAgeSecs < 1) {
      throw new CliException("--report-expiry-age-secs must be at least 1");
    }
    if (tolerableClockSkewSecs < 0) {
      throw new CliException("--tolerable-clock-skew-secs must not be negative");
    }
    return new TaskprovPeerAggregator(endpoint, peerRole, keyInit, collectorConfig,
        Optional.ofNullable(reportExpiryAgeSecs).map(DapDuration::ofSeconds),
        DapDuration.ofSeconds(tolerableClockSkewSecs), List.of(token(aggregatorAuthToken, "aggregator")),
        collector.stream().toList());
  }

  /** A token written as Janus writes it on the command line: {@code bearer:VALUE} or {@code dap:VALUE}. */
  private static AuthenticationToken token(String text, String which) {
    int colon = text.indexOf(':');
    String type = colon < 0 ? "" : text.substring(0, colon).toLowerCase();
    AuthenticationTokenType t = switch (type) {
      case "bearer" -> AuthenticationTokenType.BEARER;
      case "dap" -> AuthenticationTokenType.DAP_AUTH;
      default -> throw new CliException("the " + which + " token must be written bearer:VALUE or dap:VALUE");
    };
    try {
      return new AuthenticationToken(t, text.substring(colon + 1));
    } catch (IllegalArgumentException e) {
      throw new CliException("the " + which + " token is not valid: " + e.getMessage());
    }
  }
}
