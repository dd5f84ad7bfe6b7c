package io.janus.integration;

import io.janus.server.binary.CommonOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One janus binary in a JVM of its own, started the way an operator starts it: {@code java -cp ... Main} with
 * {@code CONFIG_FILE} and {@code DATASTORE_KEYS} in the environment. The class path is this test JVM's, so the
 * child runs the code under test. Its standard output and error go to a log file next to the configuration.
 */
final class ChildProcessBinary implements AutoCloseable {
  private final Binary binary;
  private final Process process;
  private final Path log;

  private ChildProcessBinary(Binary binary, Process process, Path log) {
    this.binary = binary;
    this.process = process;
    this.log = log;
  }

  /** JVM options for a child that only steps a few jobs: small and quick to start. */
  static final List<String> SMALL_JVM = List.of("-Xmx256m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC");

  /** Starts {@code binary}'s {@code Main} in a new {@link #SMALL_JVM}; returns at once (it may still be starting). */
  static ChildProcessBinary start(Binary binary, Path configFile, String datastoreKeys) {
    return start(binary, configFile, datastoreKeys, SMALL_JVM);
  }

  /**
   * Starts {@code binary}'s {@code Main} in a new JVM with {@code jvmOptions}; returns at once (the child may still
   * be starting). Its output is appended to the log next to the configuration, so a restarted child's log follows
   * the killed one's.
   */
  static ChildProcessBinary start(Binary binary, Path configFile, String datastoreKeys, List<String> jvmOptions) {
    String java = ProcessHandle.current().info().command()
        .orElseThrow(() -> new IllegalStateException("cannot tell which java runs this test"));
    List<String> command = new ArrayList<>();
    command.add(java);
    // As the images' launcher runs binaries, so that HPKE's OpenSSL binding (Java 22+) loads without a warning.
    command.add("--enable-native-access=ALL-UNNAMED");
    command.addAll(jvmOptions);
    command.addAll(List.of("-cp", System.getProperty("java.class.path"), binary.mainClass()));
    Path log = configFile.resolveSibling(configFile.getFileName() + ".log");
    ProcessBuilder pb = new ProcessBuilder(command)
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    pb.environment().put(CommonOptions.CONFIG_FILE_ENV, configFile.toString());
    pb.environment().put(CommonOptions.DATASTORE_KEYS_ENV, datastoreKeys);
    try {
      return new ChildProcessBinary(binary, pb.start(), log);
    } catch (IOException e) {
      throw new UncheckedIOException("could not start " + binary.binaryName(), e);
    }
  }

  /** The child's process ID. */
  long pid() {
    return process.pid();
  }

  /** Whether the child is still running. */
  boolean isAlive() {
    return process.isAlive();
  }

  /**
   * Kills the child with SIGKILL (what {@link Process#destroyForcibly()} sends on Linux): no shutdown hook runs,
   * no lease is released, no connection is closed politely.
   *
   * @return the exit code, which is 137 (128 + SIGKILL) when the signal did the killing
   */
  int kill() throws InterruptedException {
    process.destroyForcibly();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      throw new IllegalStateException(binary.binaryName() + " (pid " + pid() + ") survived SIGKILL");
    }
    return process.exitValue();
  }

  /** The child's output so far, for failure messages. */
  String output() {
    try {
      return Files.readString(log, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "(could not read " + log + ": " + e + ")";
    }
  }

  /** Kills the child if it still runs. */
  @Override
  public void close() {
    if (process.isAlive()) {
      try {
        kill();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while killing " + this, e);
      }
    }
  }

  @Override
  public String toString() {
    return "ChildProcessBinary[" + binary.binaryName() + ", pid " + process.pid() + "]";
  }
}
