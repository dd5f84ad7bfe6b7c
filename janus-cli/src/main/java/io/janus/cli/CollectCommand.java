package io.janus.cli;

import io.janus.client.DapClientException;
import io.janus.collector.CollectionResult;
import io.janus.collector.Collector;
import io.janus.core.auth.AuthenticationToken;
import io.janus.core.auth.AuthenticationTokenType;
import io.janus.core.hpke.Hpke;
import io.janus.core.hpke.HpkeKeypair;
import io.janus.core.task.VdafInstance;
import io.janus.messages.Base64Url;
import io.janus.messages.BatchId;
import io.janus.messages.DecodeException;
import io.janus.messages.DapDuration;
import io.janus.messages.HpkeConfig;
import io.janus.messages.Interval;
import io.janus.messages.TaskId;
import io.janus.messages.Time;
import io.janus.messages.Query;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.yaml.snakeyaml.nodes.Node;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code collect}: acts as a DAP collector, creating a collection job on the Leader, polling it until it is done,
 * and printing the aggregate result as YAML.
 */
@Command(name = "collect", mixinStandardHelpOptions = true,
    description = {"Run a DAP-09 or DAP-18 collection against a Leader and print the result as YAML.",
        "Select the batch with --batch-interval-start/--batch-interval-duration (time-interval tasks), or "
            + "--batch-id or --current-batch (fixed-size tasks)."})
final class CollectCommand implements Callable<Integer> {
  /** Environment variable for {@code --hpke-private-key}, so the key stays out of the process list. */
  static final String HPKE_PRIVATE_KEY_ENV = "HPKE_PRIVATE_KEY";
  /** Environment variable for {@code --authorization-bearer-token}. */
  static final String BEARER_TOKEN_ENV = "AUTHORIZATION_BEARER_TOKEN";
  /** Environment variable for {@code --dap-auth-token}. */
  static final String DAP_AUTH_TOKEN_ENV = "DAP_AUTH_TOKEN";

  private final CliContext context;

  @Spec
  CommandSpec spec;

  @Option(names = "--task-id", required = true, paramLabel = "ID", description = "Task ID, unpadded base64url")
  String taskId;

  @Option(names = "--leader", required = true, paramLabel = "URL", description = "The Leader's DAP endpoint")
  URI leader;

  @Mixin
  VdafOptions vdaf = new VdafOptions();

  @Mixin
  ProtocolOptions protocol = new ProtocolOptions();

  @Option(names = "--helper", paramLabel = "URL",
      description = "DAP-18: the Helper's DAP endpoint, as the task was provisioned")
  Optional<URI> helper = Optional.empty();

  @Option(names = "--time-precision", paramLabel = "SECONDS", description = "DAP-18: the task's time precision")
  Optional<Long> timePrecision = Optional.empty();

  @Option(names = "--authorization-bearer-token", paramLabel = "TOKEN",
      description = "Collector token sent as Authorization: Bearer (env: " + BEARER_TOKEN_ENV + ")")
  Optional<String> bearerToken = Optional.empty();

  @Option(names = "--dap-auth-token", paramLabel = "TOKEN",
      description = "Collector token sent as DAP-Auth-Token (env: " + DAP_AUTH_TOKEN_ENV + ")")
  Optional<String> dapAuthToken = Optional.empty();

  @Option(names = "--hpke-config", required = true, paramLabel = "CONFIG",
      description = "The collector's HpkeConfig, DAP-encoded, unpadded base64url (as hpke generate-keypair prints)")
  String hpkeConfig;

  @Option(names = "--hpke-private-key", paramLabel = "KEY",
      description = "The collector's HPKE private key, unpadded base64url (env: " + HPKE_PRIVATE_KEY_ENV + ")")
  Optional<String> hpkePrivateKey = Optional.empty();

  @Option(names = "--batch-interval-start", paramLabel = "SECONDS",
      description = "Start of the batch interval, seconds since the epoch")
  Optional<Long> intervalStart = Optional.empty();

  @Option(names = "--batch-interval-duration", paramLabel = "SECONDS", description = "Length of the batch interval")
  Optional<Long> intervalDuration = Optional.empty();

  @Option(names = "--batch-id", paramLabel = "ID", description = "Batch ID to collect, unpadded base64url")
  Optional<String> batchId = Optional.empty();

  @Option(names = "--current-batch", description = "Collect the Leader's next full batch (fixed-size tasks)")
  boolean currentBatch;

  @Option(names = "--max-wait", paramLabel = "SECONDS", defaultValue = "900",
      description = "Longest time to keep polling the collection job (default: ${DEFAULT-VALUE})")
  long maxWait;

  CollectCommand(CliContext context) {
    this.context = context;
  }

  @Override
  public Integer call() {
    TaskId id = CommandValues.taskId(spec, "--task-id", taskId);
    VdafInstance instance = vdaf.instance(spec);
    Query query = query();
    AuthenticationToken token = token();
    HpkeKeypair keypair = keypair();
    if (maxWait < 0) {
      throw new ParameterException(spec.commandLine(), "--max-wait must not be negative");
    }
    Optional<ProtocolOptions.BatchMode> implied = Optional.of(query instanceof Query.TimeInterval
        ? ProtocolOptions.BatchMode.TIME_INTERVAL : ProtocolOptions.BatchMode.LEADER_SELECTED);
    Optional<io.janus.core.task.TaskAgreement> agreement =
        protocol.agreement(spec, leader, helper, timePrecision, implied, instance);
    if (agreement.isEmpty() && (helper.isPresent() || timePrecision.isPresent())) {
      throw new ParameterException(spec.commandLine(),
          "--helper and --time-precision are DAP-18 options; add --dap-version 18");
    }
    if (agreement.isPresent() && query instanceof Query.FixedSizeByBatchId) {
      throw new ParameterException(spec.commandLine(),
          "draft 18 has no query by batch ID; collect a leader_selected task with --current-batch");
    }
    Collector collector;
    try {
      collector = (agreement.isPresent() ? Collector.builder(id, token, keypair, agreement.get())
              : Collector.builder(id, leader, token, keypair, instance))
          .clock(context.clock())
          .random(context.random())
          .maxCollectWait(Duration.ofSeconds(maxWait))
          .build();
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
    CollectionResult result;
    try {
      result = collector.collect(query);
    } catch (DapClientException e) {
      throw new CliException("collection failed: " + e.getMessage(), e);
    }
    context.out().print(YamlTree.dump(render(result, instance)));
    context.out().flush();
    return 0;
  }

  private Query query() {
    boolean interval = intervalStart.isPresent() || intervalDuration.isPresent();
    int kinds = (interval ? 1 : 0) + (batchId.isPresent() ? 1 : 0) + (currentBatch ? 1 : 0);
    if (kinds != 1) {
      throw new ParameterException(spec.commandLine(), "give exactly one batch selection: "
          + "--batch-interval-start with --batch-interval-duration, --batch-id, or --current-batch");
    }
    if (interval) {
      if (intervalStart.isEmpty() || intervalDuration.isEmpty()) {
        throw new ParameterException(spec.commandLine(),
            "--batch-interval-start and --batch-interval-duration go together");
      }
      try {
        return new Query.TimeInterval(new Interval(new Time(intervalStart.get()), DapDuration.ofSeconds(intervalDuration.get())));
      } catch (IllegalArgumentException e) {
        throw new ParameterException(spec.commandLine(), "invalid batch interval: " + e.getMessage());
      }
    }
    if (currentBatch) {
      return new Query.FixedSizeCurrentBatch();
    }
    byte[] b = CommandValues.base64(spec, "--batch-id", batchId.get());
    try {
      return new Query.FixedSizeByBatchId(new BatchId(b));
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), "--batch-id: " + e.getMessage());
    }
  }

  private AuthenticationToken token() {
    Optional<String> bearer = bearerToken.or(() -> context.env(BEARER_TOKEN_ENV));
    Optional<String> dap = dapAuthToken.or(() -> context.env(DAP_AUTH_TOKEN_ENV));
    if (bearer.isPresent() == dap.isPresent()) {
      throw new ParameterException(spec.commandLine(),
          "give exactly one of --authorization-bearer-token and --dap-auth-token");
    }
    try {
      return bearer.isPresent() ? new AuthenticationToken(AuthenticationTokenType.BEARER, bearer.get())
          : new AuthenticationToken(AuthenticationTokenType.DAP_AUTH, dap.get());
    } catch (IllegalArgumentException e) {
      // The message names the rule, never the token.
      throw new ParameterException(spec.commandLine(), "invalid collector token: " + e.getMessage());
    }
  }

  private HpkeKeypair keypair() {
    HpkeConfig config;
    try {
      config = HpkeConfig.decode(CommandValues.base64(spec, "--hpke-config", hpkeConfig));
    } catch (DecodeException | IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), "--hpke-config is not an encoded HpkeConfig: "
          + e.getMessage());
    }
    if (!Hpke.isSupported(config)) {
      throw new ParameterException(spec.commandLine(), "--hpke-config has an unsupported HPKE suite");
    }
    String sk = hpkePrivateKey.or(() -> context.env(HPKE_PRIVATE_KEY_ENV))
        .orElseThrow(() -> new ParameterException(spec.commandLine(),
            "missing --hpke-private-key (or set " + HPKE_PRIVATE_KEY_ENV + ")"));
    HpkeKeypair keypair;
    try {
      keypair = new HpkeKeypair(config, Base64Url.decode(sk));
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), "--hpke-private-key: " + e.getMessage());
    }
    HpkeKeyCheck.requireMatchingKeys(keypair).ifPresent(reason -> {
      throw new ParameterException(spec.commandLine(), "--hpke-private-key: " + reason);
    });
    return keypair;
  }

  /** The result as YAML: counts and interval, the batch ID for fixed-size tasks, and the aggregate. */
  static Node render(CollectionResult r, VdafInstance vdaf) {
    YamlTree.MapBuilder m = YamlTree.map()
        .put("report_count", r.reportCount())
        .put("interval_start", r.interval().start().seconds())
        .put("interval_duration", r.interval().duration().seconds());
    r.batchId().ifPresent(b -> m.put("batch_id", b.toBase64Url()));
    long[] aggregate = r.aggregateResult();
    boolean vector = switch (vdaf) {
      case VdafInstance.Prio3SumVec v -> true;
      case VdafInstance.Prio3SumVecField64MultiproofHmacSha256Aes128 v -> true;
      case VdafInstance.Prio3Histogram h -> true;
      case VdafInstance.Prio3Count c -> false;
      case VdafInstance.Prio3Sum s -> false;
      case VdafInstance.Prio3SumMaxMeasurement s -> false;
      case VdafInstance.Prio3SumVecMaxMeasurement v -> true;
      case VdafInstance.Prio3MultihotCountVec v -> true;
    };
    if (vector) {
      List<Node> items = new ArrayList<>(aggregate.length);
      for (long v : aggregate) {
        items.add(YamlTree.integer(v));
      }
      m.put("aggregate_result", YamlTree.flowSeq(items));
    } else {
      m.put("aggregate_result", aggregate[0]);
    }
    return m.build();
  }
}
