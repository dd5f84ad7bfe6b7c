package io.janus.fleetpipeline;

import io.janus.core.task.VdafInstance;
import io.janus.fleet.MetricLayout;
import io.janus.messages.Base64Url;
import io.janus.quickstart.ProvisionedTask;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;

/**
 * Writes the INI files a fleet pipeline runs from, exactly as an operator would: one per agent and one for the
 * exporter, with the collector's secrets in files only their owner may read.
 */
public final class PipelineConfigs {
  /** The sample task's VDAF: one 32-bit element per {@link MetricLayout#SAMPLE} field. */
  public static final VdafInstance SAMPLE_VDAF = new VdafInstance.Prio3SumVec(32, MetricLayout.SAMPLE.length(), 24);
  /** The sysinfo task's VDAF: one 40-bit element per {@link MetricLayout#SYSINFO} field. */
  public static final VdafInstance SYSINFO_VDAF =
      new VdafInstance.Prio3SumVec(40, MetricLayout.SYSINFO.length(), 12);

  private PipelineConfigs() {}

  /**
   * An agent's configuration.
   *
   * @param file where to write it
   * @param cluster the cluster name
   * @param sample the sample task
   * @param sysinfo the sysinfo task
   * @param hierarchy the cgroup hierarchy to sample
   * @param sampleCadence the sample cadence, e.g. {@code 1s}
   * @param dump whether the agent prints each measurement it sends
   */
  public static Path agent(Path file, String cluster, ProvisionedTask sample, ProvisionedTask sysinfo,
      Path hierarchy, String sampleCadence, boolean dump) {
    return write(file, """
        # A janus-agent configuration (docs/FLEET-METRICS.md).
        [global]
        cluster = %s
        role = node

        [dap]
        leader = %s
        helper = %s
        sample-task-id = %s
        sample-vdaf = '%s'
        sample-time-precision = %ds
        sysinfo-task-id = %s
        sysinfo-vdaf = '%s'
        sysinfo-time-precision = %ds

        [sample]
        cadence = %s
        hierarchy = %s
        load = true

        [sysinfo]
        on-startup = true

        [debug]
        dump = %s
        """.formatted(cluster, sample.leaderEndpoint(), sample.helperEndpoint(), sample.id().toBase64Url(),
        sample.vdaf().toJson(), sample.timePrecision().seconds(), sysinfo.id().toBase64Url(), sysinfo.vdaf().toJson(),
        sysinfo.timePrecision().seconds(), sampleCadence, hierarchy, dump));
  }

  /**
   * The exporter's configuration; its secrets go beside it.
   *
   * @param file where to write it
   * @param cluster the cluster name
   * @param broker the Kafka broker's address
   * @param sample the sample task (the collector's credentials are the same for both tasks here)
   * @param sysinfo the sysinfo task
   * @param window the batch cadence of both tasks, e.g. {@code 10s}
   * @param delay how long after a window ends it is collected
   * @param pollInterval how often collection jobs are polled
   */
  public static Path exporter(Path file, String cluster, String broker, ProvisionedTask sample,
      ProvisionedTask sysinfo, String window, Duration delay, Duration pollInterval) {
    if (!sample.collectorToken().equals(sysinfo.collectorToken())) {
      // The exporter has one collector identity, so both tasks must be provisioned with the same one.
      throw new IllegalArgumentException("both tasks must share the collector's token and HPKE keypair");
    }
    Path dir = file.toAbsolutePath().getParent();
    Path token = secret(dir.resolve("collector-token"), sample.collectorToken().token());
    Path key = secret(dir.resolve("collector-private-key"),
        Base64Url.encode(sample.collectorKeypair().privateKey()));
    return write(file, """
        # A janus-exporter configuration (docs/FLEET-METRICS.md).
        [global]
        cluster = %s
        role = master

        [kafka]
        broker-address = %s
        poll-interval = %ds
        compression = gzip

        [dap]
        leader = %s
        collector-token-file = %s
        collector-hpke-config = %s
        collector-private-key-file = %s

        [sample]
        task-id = %s
        vdaf = '%s'
        cadence = %s
        delay = %ds

        [sysinfo]
        task-id = %s
        vdaf = '%s'
        cadence = %s
        delay = %ds
        """.formatted(cluster, broker, pollInterval.toSeconds(), sample.leaderEndpoint(), token,
        Base64Url.encode(sample.collectorKeypair().config().toBytes()), key, sample.id().toBase64Url(),
        sample.vdaf().toJson(), window, delay.toSeconds(), sysinfo.id().toBase64Url(), sysinfo.vdaf().toJson(), window,
        delay.toSeconds()));
  }

  private static Path secret(Path file, String content) {
    write(file, content + "\n");
    try {
      Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    } catch (IOException | UnsupportedOperationException e) {
      throw new IllegalStateException("cannot make " + file + " private: " + e.getMessage(), e);
    }
    return file;
  }

  private static Path write(Path file, String text) {
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
      Files.writeString(file, text);
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }
}
