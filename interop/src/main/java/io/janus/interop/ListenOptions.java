package io.janus.interop;

import io.helidon.webserver.WebServer;
import io.helidon.webserver.http.HttpRouting;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;
import java.util.logging.FileHandler;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/**
 * The listen-address options every interop binary shares, and the serve-until-SIGTERM loop. The draft's test
 * runner reaches each container on port 8080, the default here.
 */
public final class ListenOptions {
  @Option(names = "--host", defaultValue = "0.0.0.0", description = "Address to listen on (default: ${DEFAULT-VALUE}).")
  String host;

  @Option(names = "--port", defaultValue = "8080",
      description = "Port for the test API (and, for the aggregator, the DAP API); 0 picks a free port"
          + " (default: ${DEFAULT-VALUE}).")
  int port;

  @Option(names = "--logs-dir",
      description = "Also write this binary's log to <dir>/<name>.log (the draft collects /logs).")
  Path logsDir;

  /** The address to listen on. */
  public String host() {
    return host;
  }

  /** The port to listen on. */
  public int port() {
    return port;
  }

  /**
   * Adds a log file {@code <logs-dir>/<name>.log} to the root logger when {@code --logs-dir} was given; the
   * console log stays.
   *
   * @throws UncheckedIOException if the directory or file cannot be created
   */
  public void installLogFile(String name) {
    if (logsDir == null) {
      return;
    }
    try {
      Files.createDirectories(logsDir);
      FileHandler file = new FileHandler(logsDir.resolve(name + ".log").toString(), true);
      file.setFormatter(new SimpleFormatter());
      Logger.getLogger("").addHandler(file);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write logs to " + logsDir, e);
    }
  }

  /**
   * Serves {@code routing} on the configured address until SIGTERM or SIGINT, after printing
   * {@code "<name> listening on port <port>"} to {@code out} (a runner that asked for port 0 reads the port from
   * it).
   */
  public void serve(String name, Consumer<HttpRouting.Builder> routing, PrintStream out) throws InterruptedException {
    try (ShutdownHook hook = ShutdownHook.install(name)) {
      WebServer server = WebServer.builder().host(host).port(port).routing(routing).build().start();
      try {
        announce(name, server.port(), out);
        hook.awaitSignal();
      } finally {
        server.stop();
      }
    }
  }

  /**
   * Runs a picocli command and returns its exit code: 0 after a normal stop, 2 for a bad command line, 1 if the
   * binary failed, with one line on standard error naming the failure instead of a stack trace.
   */
  static int execute(Object command, String[] args) {
    CommandLine cl = new CommandLine(command);
    cl.setExecutionExceptionHandler((e, c, parsed) -> {
      c.getErr().println(c.getCommandName() + ": " + TestApi.describe(e));
      return 1;
    });
    return cl.execute(args);
  }

  /** Prints the line a runner waits for: the binary is serving on {@code boundPort}. */
  static void announce(String name, int boundPort, PrintStream out) {
    out.println(name + " listening on port " + boundPort);
    out.flush();
  }
}
