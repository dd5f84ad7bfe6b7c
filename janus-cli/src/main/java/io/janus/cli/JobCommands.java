package io.janus.cli;

import io.janus.messages.AggregationJobId;
import io.janus.messages.Base64Url;
import io.janus.messages.CollectionJobId;
import io.janus.messages.Interval;
import io.janus.messages.TaskId;
import io.janus.server.binary.CommonOptions;
import io.janus.server.datastore.Tx;
import io.janus.server.datastore.model.AggregationJob;
import io.janus.server.datastore.model.BatchIdentifier;
import io.janus.server.datastore.model.CollectionJob;
import io.janus.server.datastore.model.CollectionJobState;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.yaml.snakeyaml.nodes.Node;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code list-aggregation-jobs} and {@code list-collection-jobs} (Janus 0.7's commands): a task's jobs as YAML, for
 * an operator looking into a stuck or failed job. Read-only.
 */
final class JobCommands {
  private JobCommands() {}

  /** The options both commands take. */
  static final class JobOptions {
    @Option(names = "--task", required = true, paramLabel = "BASE64URL", description = "The task's ID")
    String task;

    @Option(names = "--job", paramLabel = "BASE64URL", description = "Only this job")
    String job;

    TaskId taskId() {
      try {
        return TaskId.fromBase64Url(task);
      } catch (IllegalArgumentException e) {
        throw new CliException("--task is not a task ID (32 bytes, unpadded base64url): " + task);
      }
    }

    /**
     * The task's jobs, or only {@code --job}, read in one transaction named {@code txName}; fails naming the task
     * or the job if either is missing.
     *
     * @param parseId parses {@code --job}
     * @param one reads one job by ID
     * @param all reads every job of the task
     * @param what the kind of job, for messages
     */
    <I, J> List<J> read(CommonOptions common, CliContext context, String txName,
        java.util.function.Function<String, I> parseId, java.util.function.BiFunction<Tx, I, Optional<J>> one,
        java.util.function.Function<Tx, List<J>> all, String what) {
      TaskId taskId = taskId();
      Optional<I> only = Optional.ofNullable(job).map(j -> parse(j, parseId, "a " + what + " ID"));
      List<J> jobs;
      try (DatastoreConnection connection = DatastoreConnection.open(common, context)) {
        jobs = connection.datastore().run(txName, tx -> {
          if (tx.tasks().get(taskId).isEmpty()) {
            throw new CliException("no task " + taskId.toBase64Url());
          }
          return only.isPresent() ? one.apply(tx, only.get()).stream().toList() : all.apply(tx);
        });
      }
      if (only.isPresent() && jobs.isEmpty()) {
        throw new CliException("no " + what + " " + job + " in task " + taskId.toBase64Url());
      }
      return jobs;
    }
  }

  /** {@code list-aggregation-jobs}. */
  @Command(name = "list-aggregation-jobs", mixinStandardHelpOptions = true,
      description = "Print a task's aggregation jobs (state, step, batch, report time interval) as YAML.")
  static final class ListAggregationJobs implements Callable<Integer> {
    private final CliContext context;

    @Mixin
    JobOptions options = new JobOptions();

    @Mixin
    CommonOptions common = new CommonOptions();

    ListAggregationJobs(CliContext context) {
      this.context = context;
    }

    @Override
    public Integer call() {
      TaskId task = options.taskId();
      List<AggregationJob> jobs = options.read(common, context, "janus_cli.list_aggregation_jobs",
          AggregationJobId::fromBase64Url, (tx, id) -> tx.aggregationJobs().get(task, id),
          tx -> tx.aggregationJobs().listForTask(task), "aggregation job");
      List<Node> items = new ArrayList<>();
      for (AggregationJob j : jobs) {
        YamlTree.MapBuilder m = YamlTree.map()
            .put("aggregation_job_id", j.id().toBase64Url())
            .put("state", j.state().dbText())
            .put("step", j.step())
            .put("client_timestamp_interval", interval(j.clientTimestampInterval()));
        j.batchId().ifPresent(b -> m.put("batch_id", b.toBase64Url()));
        m.put("aggregation_parameter", Base64Url.encode(j.aggregationParameter()));
        items.add(m.build());
      }
      context.out().print(YamlTree.dump(YamlTree.seq(items)));
      context.out().flush();
      return 0;
    }
  }

  /** {@code list-collection-jobs}. */
  @Command(name = "list-collection-jobs", mixinStandardHelpOptions = true,
      description = "Print a task's collection jobs (state, batch, report count, failure) as YAML.")
  static final class ListCollectionJobs implements Callable<Integer> {
    private final CliContext context;

    @Mixin
    JobOptions options = new JobOptions();

    @Mixin
    CommonOptions common = new CommonOptions();

    ListCollectionJobs(CliContext context) {
      this.context = context;
    }

    @Override
    public Integer call() {
      TaskId task = options.taskId();
      List<CollectionJob> jobs = options.read(common, context, "janus_cli.list_collection_jobs",
          CollectionJobId::fromBase64Url, (tx, id) -> tx.collectionJobs().get(task, id),
          tx -> tx.collectionJobs().listForTask(task), "collection job");
      List<Node> items = new ArrayList<>();
      for (CollectionJob j : jobs) {
        YamlTree.MapBuilder m = YamlTree.map()
            .put("collection_job_id", j.id().toBase64Url())
            .put("state", j.state().dbText());
        switch (j.batchIdentifier()) {
          case BatchIdentifier.TimeInterval t -> m.put("batch_interval", interval(t.batchInterval()));
          case BatchIdentifier.FixedSize f -> m.put("batch_id", f.batchId().toBase64Url());
        }
        switch (j.state()) {
          case CollectionJobState.Collecting c -> m.put("report_count", c.reportCount());
          case CollectionJobState.Finished f -> m.put("report_count", f.reportCount());
          case CollectionJobState.Failed f -> m.put("problem_type", f.problemType()).put("detail", f.detail());
          case CollectionJobState.Abandoned a -> m.put("reason", a.reason());
          default -> { }
        }
        items.add(m.build());
      }
      context.out().print(YamlTree.dump(YamlTree.seq(items)));
      context.out().flush();
      return 0;
    }
  }

  private static Node interval(Interval i) {
    return YamlTree.map().put("start", i.start().seconds()).put("duration", i.duration().seconds()).build();
  }

  private static <T> T parse(String text, java.util.function.Function<String, T> parser, String what) {
    try {
      return parser.apply(text);
    } catch (IllegalArgumentException e) {
      throw new CliException("--job is not " + what + " (unpadded base64url): " + text);
    }
  }
}
