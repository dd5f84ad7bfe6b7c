package io.janus.cli;

import io.janus.server.binary.CommonOptions;
import io.janus.messages.TaskId;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code provision-tasks}: reads a YAML list of tasks, validates every one (generating missing parameters if
 * asked), then writes them all in one transaction, replacing stored tasks with the same IDs. Nothing is written
 * unless every task is valid.
 */
@Command(name = "provision-tasks", mixinStandardHelpOptions = true,
    description = {"Write the tasks listed in a YAML file to the datastore, in one transaction.",
        "A stored task with the same task_id is replaced, together with everything stored for it."})
final class ProvisionTasksCommand implements Callable<Integer> {
  private final CliContext context;

  @Parameters(index = "0", paramLabel = "TASKS_FILE", description = "YAML file holding a list of tasks")
  Path tasksFile;

  @Option(names = "--generate-missing-parameters",
      description = "Generate a missing task_id, vdaf_verify_key, authentication tokens and hpke_keys")
  boolean generateMissingParameters;

  @Option(names = "--echo-tasks",
      description = "Print the resulting tasks as YAML, including generated secrets, to standard output")
  boolean echoTasks;

  @Option(names = "--dry-run",
      description = "Validate (and generate) only: do not connect to or write the database")
  boolean dryRun;

  @Mixin
  CommonOptions common = new CommonOptions();

  ProvisionTasksCommand(CliContext context) {
    this.context = context;
  }

  @Override
  public Integer call() {
    List<ProvisionedTask> tasks = TaskProvisioning.resolveAll(
        TaskFileReader.read(tasksFile), generateMissingParameters, context.random());
    if (dryRun) {
      context.err().println("dry run: " + tasks.size() + " task(s) valid; nothing written");
    } else {
      List<TaskId> replaced;
      try (DatastoreConnection connection = DatastoreConnection.open(common, context)) {
        replaced = TaskProvisioning.store(connection.datastore(), tasks);
      }
      for (TaskId id : replaced) {
        context.err().println("replaced existing task " + id.toBase64Url());
      }
      context.err().println("provisioned " + tasks.size() + " task(s)");
    }
    if (echoTasks) {
      context.out().print(TaskFileWriter.render(tasks));
      context.out().flush();
    }
    return 0;
  }
}
