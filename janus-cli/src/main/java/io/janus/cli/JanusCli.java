package io.janus.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import java.util.logging.Level;
import java.util.logging.Logger;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The {@code janus_cli} operator tool: provisions tasks from a YAML file, manages global HPKE keys and generates
 * datastore keys, against the same database and configuration file as the other binaries; and, for testing a
 * deployment end to end, uploads measurements as a DAP client and collects results as a DAP collector.
 *
 * <p>Exit status follows picocli's convention: 0 on success (and for {@code --help}), 1 when the command failed
 * (bad tasks file, unknown key, unreachable database), 2 when the command line itself is wrong (unknown option,
 * missing argument, value out of range). A failure prints one line to standard error; results (YAML, keys) go to
 * standard output, which carries nothing else, so it can be piped.
 */
public final class JanusCli {
  /** The program name shown in usage and error lines. */
  static final String NAME = "janus_cli";

  private JanusCli() {}

  /**
   * Runs the CLI with the process's environment and streams, and exits with its status.
   *
   * @param args the command line, such as {@code provision-tasks tasks.yaml --config-file janus_cli.yaml}
   */
  public static void main(String[] args) {
    quietLogging();
    System.exit(run(args, CliContext.system()));
  }

  /** Runs one command line and returns its exit status; everything it touches comes from {@code context}. */
  static int run(String[] args, CliContext context) {
    return commandLine(context).execute(args);
  }

  /** The command tree, with output, error handling and exit codes wired to {@code context}. */
  static CommandLine commandLine(CliContext context) {
    CommandLine cl = new CommandLine(new Root());
    cl.addSubcommand(new ProvisionTasksCommand(context));
    cl.addSubcommand(new GenerateDatastoreKeyCommand(context));
    cl.addSubcommand(new MigrateDatabaseCommand(context));
    CommandLine hpke = new CommandLine(new HpkeCommands());
    hpke.addSubcommand(new HpkeCommands.GenerateKeypair(context));
    hpke.addSubcommand(new HpkeCommands.Add(context));
    hpke.addSubcommand(new HpkeCommands.SetState(context));
    hpke.addSubcommand(new HpkeCommands.ListKeys(context));
    cl.addSubcommand(hpke);
    // Janus 0.7's flat command names (its own first, then the short forms), for operators' existing scripts.
    cl.addSubcommand("generate-hpke-key", new HpkeCommands.Add(context), "generate-global-hpke-key");
    cl.addSubcommand("set-hpke-key-state", new HpkeCommands.SetState(context), "set-global-hpke-key-state");
    cl.addSubcommand("list-hpke-keys", new HpkeCommands.ListKeys(context), "list-global-hpke-keys");
    cl.addSubcommand(new AddTaskprovPeerCommand(context));
    cl.addSubcommand(new JobCommands.ListAggregationJobs(context));
    cl.addSubcommand(new JobCommands.ListCollectionJobs(context));
    cl.addSubcommand(new UploadCommand(context));
    cl.addSubcommand(new CollectCommand(context));
    cl.setCaseInsensitiveEnumValuesAllowed(true);
    cl.setOut(new PrintWriter(context.out(), true));
    cl.setErr(new PrintWriter(context.err(), true));
    cl.setParameterExceptionHandler((e, args) -> {
      CommandLine at = e.getCommandLine();
      context.err().println(NAME + ": " + oneLine(e.getMessage()));
      context.err().println("Try '" + at.getCommandSpec().qualifiedName() + " --help' for usage.");
      context.err().flush();
      return at.getCommandSpec().exitCodeOnInvalidInput();
    });
    cl.setExecutionExceptionHandler((e, at, parseResult) -> {
      String reason = e instanceof CliException ? e.getMessage()
          : at.getCommandSpec().name() + " failed: " + DatastoreConnection.rootMessage(e);
      context.err().println(NAME + ": " + oneLine(reason));
      context.err().flush();
      return at.getCommandSpec().exitCodeOnExecutionException();
    });
    return cl;
  }

  /**
   * Keeps library logs (connection pool start-up and the like) off the terminal unless asked for: only warnings
   * reach standard error, or the level named by {@code JANUS_LOG_LEVEL}.
   */
  private static void quietLogging() {
    Level level = Level.WARNING;
    String configured = System.getenv("JANUS_LOG_LEVEL");
    if (configured != null && !configured.isBlank()) {
      try {
        level = Level.parse(configured.strip().toUpperCase(java.util.Locale.ROOT));
      } catch (IllegalArgumentException e) {
        // An unknown level name keeps the quiet default; the CLI's own output does not depend on it.
      }
    }
    Logger root = Logger.getLogger("");
    root.setLevel(level);
    for (var h : root.getHandlers()) {
      h.setLevel(level);
    }
  }

  static String oneLine(String s) {
    return s == null ? "" : s.replaceAll("\\s*[\\r\\n]+\\s*", " ").strip();
  }

  /** The top-level command: it only dispatches to a subcommand. */
  @Command(name = NAME, mixinStandardHelpOptions = true, versionProvider = Version.class,
      description = "Operator tool for janus-java aggregators: provision tasks, manage HPKE keys, generate "
          + "datastore keys, upload measurements and collect results.")
  static final class Root implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
      throw new ParameterException(spec.commandLine(), "missing command");
    }
  }

  /** Reports the version recorded in the jar manifest, if any. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = JanusCli.class.getPackage().getImplementationVersion();
      return new String[] {NAME + " " + (v == null ? "(development build)" : v)};
    }
  }
}
