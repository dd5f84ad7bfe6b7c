package io.janus.exporter;

import io.janus.core.auth.AuthenticationToken;
import io.janus.core.auth.AuthenticationTokenType;
import io.janus.core.hpke.Hpke;
import io.janus.core.hpke.HpkeKeypair;
import io.janus.core.task.VdafInstance;
import io.janus.fleet.Cadence;
import io.janus.fleet.ConfigException;
import io.janus.fleet.DebugConfig;
import io.janus.fleet.GlobalConfig;
import io.janus.fleet.IniFile;
import io.janus.fleet.IniSection;
import io.janus.fleet.MetricLayout;
import io.janus.fleet.SecretFiles;
import io.janus.fleet.TlsFiles;
import io.janus.messages.Base64Url;
import io.janus.messages.HpkeConfig;
import io.janus.messages.TaskId;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The exporter's configuration file, read once and frozen. Sections: {@code [global]}, {@code [kafka]},
 * {@code [dap]}, one per data type collected ({@code [sample]}, {@code [sysinfo]}), {@code [debug]};
 * {@code [jobs]}, {@code [slurm]} and {@code [cluster]} parse and are listed in {@link #unsupported()}.
 * docs/FLEET-METRICS.md documents every key.
 *
 * @param file the file read
 * @param global {@code [global]}: the cluster names the topics, the role the control topic
 * @param kafka {@code [kafka]}
 * @param dap {@code [dap]}
 * @param tasks the tasks collected, one per data-type section that has a cadence
 * @param debug {@code [debug]}
 * @param unsupported the names of the sections present that the exporter does not read
 */
public record ExporterConfig(Path file, GlobalConfig global, Kafka kafka, Dap dap, List<CollectedTask> tasks,
    DebugConfig debug, List<String> unsupported) {
  /** The sections read. */
  public static final Set<String> SECTIONS = Set.of("global", "kafka", "dap", "sample", "sysinfo", "debug");
  /** Sections of other daemons' sources, accepted and reported as not supported here. */
  public static final Set<String> UNSUPPORTED = Set.of("jobs", "slurm", "cluster");
  /** The compressions the producer may use. */
  public static final List<String> COMPRESSIONS = List.of("none", "gzip", "snappy");

  private static final Pattern BROKER = Pattern.compile("[^\\s,:]+:[0-9]{1,5}");

  /** Copies the lists. */
  public ExporterConfig {
    tasks = List.copyOf(tasks);
    unsupported = List.copyOf(unsupported);
  }

  /**
   * {@code [kafka]}.
   *
   * @param brokerAddress {@code host:port}, or several separated by commas (required)
   * @param pollInterval how often running collection jobs are polled and unpublished results retried (default 5m)
   * @param compression {@code none}, {@code gzip} or {@code snappy} (default none)
   * @param apiToken the token from {@code api-token-file}, sent as the SASL/PLAIN password with the cluster as
   *     user name; requires TLS
   * @param tls {@code cert-file}, {@code key-file} and {@code ca-file}, which together force TLS
   */
  public record Kafka(String brokerAddress, Duration pollInterval, String compression, Optional<String> apiToken,
      Optional<TlsFiles> tls) {
    @Override
    public String toString() {
      return "Kafka[brokerAddress=" + brokerAddress + ", pollInterval=" + pollInterval + ", compression="
          + compression + ", apiToken=" + apiToken.map(t -> "<redacted>") + ", tls=" + tls + "]";
    }
  }

  /**
   * {@code [dap]}: the Leader and the collector's credentials, shared by every task.
   *
   * @param leader the Leader's DAP endpoint
   * @param token the collector's token ({@code collector-token-file}, {@code collector-token-type})
   * @param keypair the collector's HPKE keypair ({@code collector-hpke-config},
   *     {@code collector-private-key-file})
   */
  public record Dap(URI leader, AuthenticationToken token, HpkeKeypair keypair) {
    @Override
    public String toString() {
      return "Dap[leader=" + leader + ", secrets=<redacted>]";
    }
  }

  /**
   * One task collected.
   *
   * @param layout the data type, which names the topic and the aggregate's elements
   * @param id the task ID
   * @param vdaf the task's VDAF
   * @param cadence the batch windows: each is collected once it has ended and {@code delay} has passed
   * @param delay how long after a window ends it is collected, so late uploads and aggregation can finish
   *     (default 1m)
   */
  public record CollectedTask(MetricLayout layout, TaskId id, VdafInstance vdaf, Cadence cadence, Duration delay) {}

  /**
   * Reads and checks {@code file}.
   *
   * @throws ConfigException naming the file, line, key and reason of the first problem
   */
  public static ExporterConfig read(Path file) {
    IniFile ini = IniFile.read(file);
    List<String> unsupported = ini.checkSections(SECTIONS, UNSUPPORTED).stream().map(IniSection::name).toList();
    GlobalConfig global = GlobalConfig.read(ini);
    Kafka kafka = readKafka(ini.requiredSection("kafka"));
    Dap dap = readDap(ini.requiredSection("dap"));
    List<CollectedTask> tasks = new ArrayList<>();
    for (MetricLayout layout : MetricLayout.values()) {
      ini.section(layout.dataType()).flatMap(s -> readTask(s, layout)).ifPresent(tasks::add);
    }
    if (tasks.isEmpty()) {
      throw ini.error(ini.lineCount(), "[sample]", "no task to collect: give [sample] or [sysinfo] a task-id, "
          + "vdaf and cadence");
    }
    return new ExporterConfig(file, global, kafka, dap, tasks, DebugConfig.read(ini), unsupported);
  }

  private static Kafka readKafka(IniSection s) {
    String broker = s.requiredString("broker-address");
    for (String b : broker.split(",", -1)) {
      if (!BROKER.matcher(b.strip()).matches()) {
        throw s.error("broker-address", "expected host:port (several separated by commas), got '" + broker + "'");
      }
    }
    Duration poll = s.duration("poll-interval").orElse(Duration.ofMinutes(5));
    String compression = s.choice("compression", COMPRESSIONS, "none");
    Optional<String> token = SecretFiles.read(s, "api-token-file");
    Optional<TlsFiles> tls = TlsFiles.read(s);
    if (token.isPresent() && tls.isEmpty()) {
      throw s.error("api-token-file", "a token requires TLS: set cert-file, key-file and ca-file too");
    }
    s.rejectUnread();
    return new Kafka(broker, poll, compression, token, tls);
  }

  private static Dap readDap(IniSection s) {
    URI leader = s.url("leader").orElseThrow(() -> s.error("leader", "required in [dap]"));
    String token = SecretFiles.read(s, "collector-token-file")
        .orElseThrow(() -> s.error("collector-token-file", "required in [dap]"));
    AuthenticationTokenType type = switch (s.choice("collector-token-type", List.of("bearer", "dap-auth-token"),
        "bearer")) {
      case "dap-auth-token" -> AuthenticationTokenType.DAP_AUTH;
      default -> AuthenticationTokenType.BEARER;
    };
    AuthenticationToken authToken;
    try {
      authToken = new AuthenticationToken(type, token);
    } catch (IllegalArgumentException e) {
      throw s.error("collector-token-file", "not a usable token: " + e.getMessage());
    }
    HpkeConfig config = s.parsed("collector-hpke-config", v -> {
      HpkeConfig c;
      try {
        c = HpkeConfig.decode(Base64Url.decode(v));
      } catch (RuntimeException e) {
        throw new IllegalArgumentException("not an unpadded base64url HpkeConfig");
      }
      if (!Hpke.isSupported(c)) {
        throw new IllegalArgumentException("unsupported HPKE suite: " + c);
      }
      return c;
    }).orElseThrow(() -> s.error("collector-hpke-config", "required in [dap]"));
    String privateKey = SecretFiles.read(s, "collector-private-key-file")
        .orElseThrow(() -> s.error("collector-private-key-file", "required in [dap]"));
    HpkeKeypair keypair;
    try {
      keypair = new HpkeKeypair(config, Base64Url.decode(privateKey));
    } catch (RuntimeException e) {
      throw s.error("collector-private-key-file", "not an unpadded base64url HPKE private key");
    }
    s.rejectUnread();
    return new Dap(leader, authToken, keypair);
  }

  private static Optional<CollectedTask> readTask(IniSection s, MetricLayout layout) {
    Optional<TaskId> id = s.parsed("task-id", v -> {
      try {
        return TaskId.fromBase64Url(v);
      } catch (RuntimeException e) {
        throw new IllegalArgumentException("not a task ID (32 bytes, unpadded base64url)");
      }
    });
    Optional<VdafInstance> vdaf = s.parsed("vdaf", VdafInstance::fromJson);
    Optional<Cadence> cadence = s.cadence("cadence");
    Duration delay = s.duration("delay").orElse(Duration.ofMinutes(1));
    s.rejectUnread();
    if (cadence.isEmpty()) {
      // An operation runs only when it has a cadence; the task is still checked above.
      return Optional.empty();
    }
    TaskId taskId = id.orElseThrow(() -> s.error("task-id", "required in [" + s.name() + "] with a cadence"));
    VdafInstance v = vdaf.orElseThrow(() -> s.error("vdaf", "required in [" + s.name() + "] with a cadence"));
    return Optional.of(new CollectedTask(layout, taskId, v, cadence.get(), delay));
  }
}
