package io.janus.aggregator;

import io.janus.core.vdaf.TaskVdafs;
import io.janus.core.Clock;
import io.janus.server.datastore.Datastore;
import io.janus.server.datastore.Tx;
import io.janus.server.datastore.model.LeaderStoredReport;
import io.janus.server.datastore.model.ReportExtension;
import io.janus.server.datastore.model.ReportFailure;
import io.janus.server.datastore.model.TaskUploadCounter;
import io.janus.core.hpke.Hpke;
import io.janus.core.hpke.HpkeException;
import io.janus.core.hpke.HpkeKeypair;
import io.janus.core.task.QueryType;
import io.janus.core.task.Task;
import io.janus.messages.DecodeException;
import io.janus.messages.Role;
import io.janus.messages.TaskId;
import io.janus.messages.Time;
import io.janus.vdaf.VdafException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * The Leader's upload path (draft-ietf-ppm-dap-09 section 4.4.2): validates and decrypts a report, then hands it
 * to a {@link ReportWriteBatcher} that stores many reports per transaction. Every outcome, accepted or rejected,
 * is counted in the per-task upload counters, written in a separate transaction after each batch so that counter
 * contention can never fail or retry an upload.
 */
final class ReportUploader implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(ReportUploader.class.getName());

  /** What the batcher writes. */
  sealed interface Item {
    TaskId taskId();
  }

  /** Store this report; {@code timeInterval} says whether its task batches by time interval. */
  record Write(LeaderStoredReport report, boolean timeInterval) implements Item {
    @Override
    public TaskId taskId() {
      return report.taskId();
    }
  }

  /** Only count this rejected upload. */
  record Count(TaskId taskId, UploadOutcome outcome) implements Item {}

  private record TaskTime(TaskId taskId, Time time) {}

  private final Datastore datastore;
  private final TaskCache cache;
  private final Clock clock;
  private final TaskVdafs vdafs;
  private final int taskCounterShardCount;
  private final ReportWriteBatcher<Item, UploadOutcome> batcher;
  /**
   * Upload batches written at once. Two, so that a batch gathers while the previous one commits and one slow
   * transaction (a serialization retry) does not stall every upload behind it; more only spread the same reports
   * over more, smaller transactions.
   */
  private static final int UPLOAD_WRITE_SLOTS = 2;

  ReportUploader(Datastore datastore, TaskCache cache, Clock clock, TaskVdafs vdafs,
      int maxBatchSize, long maxBatchWriteDelayMs, int taskCounterShardCount) {
    this.datastore = datastore;
    this.cache = cache;
    this.clock = clock;
    this.vdafs = vdafs;
    this.taskCounterShardCount = taskCounterShardCount;
    this.batcher = new ReportWriteBatcher<>("report-write-batcher", maxBatchSize, maxBatchWriteDelayMs,
        UPLOAD_WRITE_SLOTS, this::writeBatch);
  }

  /** A report that passed every check before storage, or why it did not. */
  private sealed interface Checked {}

  /** Passed: store {@code write}. */
  private record Accepted(Write write) implements Checked {}

  /**
   * Refused: {@code failure} for drafts that answer per report (DAP-18), {@code error} for those that abort the
   * request (DAP-09), and {@code outcome} for the counters.
   */
  private record Refused(UploadOutcome outcome, ReportFailure failure, DapException error) implements Checked {}

  /** Validates, decrypts and stores one report; returns once it is durable. */
  void upload(ProtocolVersion version, TaskId taskId, ReportUpload upload) {
    Task task = servedTask(version, taskId);
    switch (check(version, task, upload, clock.now())) {
      case Refused r -> throw reject(taskId, r.outcome(), r.error());
      case Accepted a -> {
        if (join(batcher.submit(a.write())) == UploadOutcome.INTERVAL_COLLECTED) {
          throw new DapException.ReportRejected(taskId, "The report's batch has already been collected.");
        }
      }
    }
  }

  /**
   * Validates, decrypts and stores many reports of one task (DAP-18's bulk upload, section 4.4.2.2); returns once
   * every accepted report is durable. The reports are checked one by one and written together.
   *
   * @return for each report, in request order, why it was refused, or empty if it was stored (a duplicate of a
   *     stored report counts as stored)
   * @throws DapException.UnrecognizedTask if the task is unknown here in this role and draft
   */
  List<Optional<ReportFailure>> uploadAll(ProtocolVersion version, TaskId taskId, List<ReportUpload> uploads) {
    Task task = servedTask(version, taskId);
    Time now = clock.now();
    List<Optional<ReportFailure>> out = new ArrayList<>(uploads.size());
    List<CompletableFuture<UploadOutcome>> writes = new ArrayList<>(uploads.size());
    for (ReportUpload upload : uploads) {
      switch (check(version, task, upload, now)) {
        case Refused r -> {
          out.add(Optional.of(r.failure()));
          writes.add(batcher.submit(new Count(taskId, r.outcome())));
        }
        case Accepted a -> {
          out.add(Optional.empty());
          writes.add(batcher.submit(a.write()));
        }
      }
    }
    for (int i = 0; i < writes.size(); i++) {
      if (out.get(i).isPresent()) {
        try {
          writes.get(i).join();
        } catch (CompletionException | IllegalStateException countFailure) {
          LOG.log(System.Logger.Level.WARNING, "could not count a rejected upload", countFailure);
        }
      } else if (join(writes.get(i)) == UploadOutcome.INTERVAL_COLLECTED) {
        // Draft 18 section 4.4.2.2: a report of a collected batch is discarded, and may be marked report_replayed.
        out.set(i, Optional.of(ReportFailure.REPORT_REPLAYED));
      }
    }
    return out;
  }

  private Task servedTask(ProtocolVersion version, TaskId taskId) {
    return cache.task(taskId).filter(t -> TaskAccess.serves(t, Role.LEADER, version))
        .orElseThrow(() -> new DapException.UnrecognizedTask(taskId));
  }

  private static UploadOutcome join(CompletableFuture<UploadOutcome> f) {
    try {
      return f.join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      throw e;
    }
  }

  /** The checks of an upload up to storage, in draft 09's order (DAP-18 adds the task's start). */
  private Checked check(ProtocolVersion version, Task task, ReportUpload upload, Time now) {
    TaskId taskId = task.id();
    ReportShare share = upload.leaderShare();
    Time time = share.time();
    Optional<ReportFailure> outside = TaskAccess.outsideTaskInterval(task, time);
    if (outside.isPresent()) {
      return outside.get() == ReportFailure.TASK_NOT_STARTED
          ? new Refused(UploadOutcome.TASK_EXPIRED, ReportFailure.TASK_NOT_STARTED,
              new DapException.ReportRejected(taskId, "The report's timestamp is before the task's start."))
          : new Refused(UploadOutcome.TASK_EXPIRED, ReportFailure.TASK_EXPIRED,
              new DapException.ReportRejected(taskId, "The report's timestamp is past the task's expiration."));
    }
    Optional<Time> expiryThreshold = task.reportExpiryThreshold(now);
    if (expiryThreshold.isPresent() && time.isBefore(expiryThreshold.get())) {
      return new Refused(UploadOutcome.EXPIRED, ReportFailure.REPORT_DROPPED, new DapException.ReportRejected(taskId,
          "The report is older than the task's report expiry age."));
    }
    if (time.isAfter(now.plus(task.tolerableClockSkew()))) {
      return new Refused(UploadOutcome.TOO_EARLY, ReportFailure.REPORT_TOO_EARLY,
          new DapException.ReportTooEarly(taskId));
    }
    Optional<HpkeKeypair> keypair = TaskAccess.keypair(cache.globalKeys(), task,
        share.encryptedInputShare().configId());
    if (keypair.isEmpty()) {
      return new Refused(UploadOutcome.OUTDATED_KEY, ReportFailure.OUTDATED_CONFIG,
          new DapException.OutdatedConfig(taskId, share.encryptedInputShare().configId()));
    }
    byte[] plaintext;
    try {
      plaintext = Hpke.open(keypair.get(), version.inputShareInfo(Role.LEADER), share.encryptedInputShare(),
          version.inputShareAad(task, share));
    } catch (HpkeException e) {
      return new Refused(UploadOutcome.DECRYPT_FAILURE, ReportFailure.HPKE_DECRYPT_ERROR,
          new DapException.ReportRejected(taskId, "The Leader's input share could not be decrypted."));
    }
    InputShare inputShare;
    try {
      inputShare = version.decodeInputShare(plaintext);
    } catch (DecodeException e) {
      return new Refused(UploadOutcome.DECODE_FAILURE, ReportFailure.INVALID_MESSAGE,
          new DapException.InvalidMessage(taskId, "The Leader's input share could not be decoded."));
    }
    Optional<String> badExtension = checkExtensions(version, task, share.publicExtensions(),
        inputShare.extensions());
    if (badExtension.isPresent()) {
      return new Refused(UploadOutcome.DECODE_FAILURE, ReportFailure.INVALID_MESSAGE,
          new DapException.InvalidMessage(taskId, badExtension.get()));
    }
    try {
      vdafs.of(task).checkShares(0, share.publicShare(), inputShare.payload());
    } catch (VdafException e) {
      return new Refused(UploadOutcome.DECODE_FAILURE, ReportFailure.INVALID_MESSAGE,
          new DapException.InvalidMessage(taskId, "The report's VDAF shares could not be decoded."));
    }
    LeaderStoredReport report = new LeaderStoredReport(taskId, share.reportId(), time, inputShare.extensions(),
        share.publicShare(), inputShare.payload(), upload.helperEncryptedInputShare(), share.publicExtensions());
    return new Accepted(new Write(report, task.queryType() instanceof QueryType.TimeInterval));
  }

  /**
   * Why a report's extensions are unacceptable, or empty if they are fine. Draft 09 section 4.5.1.4: an unknown or
   * repeated extension rejects the report. Draft 18 section 4.5.3.4 adds the public list: no type may repeat within
   * or across the public and private lists, and each list must be in strictly increasing order of type. Taskprov
   * (as Janus 0.7 checks it): a report of a task provisioned in-band must carry the taskprov extension with empty
   * data, and a report of any other task must not carry it.
   *
   * @param publicExtensions the report's public extensions (none in DAP-09)
   * @param privateExtensions the extensions of this aggregator's plaintext input share
   */
  static Optional<String> checkExtensions(ProtocolVersion version, Task task, List<ReportExtension> publicExtensions,
      List<ReportExtension> privateExtensions) {
    if (version.requiresOrderedExtensions()
        && (!strictlyIncreasing(publicExtensions) || !strictlyIncreasing(privateExtensions))) {
      return Optional.of("The report's extensions are not in strictly increasing order of type.");
    }
    Set<Integer> seen = new HashSet<>();
    boolean taskprovTask = task.taskprovConfig().isPresent();
    List<ReportExtension> extensions = new ArrayList<>(publicExtensions);
    extensions.addAll(privateExtensions);
    for (ReportExtension e : extensions) {
      if (e.type() == version.taskprovExtensionType()) {
        if (!taskprovTask) {
          return Optional.of("The input share has the taskprov extension, but the task was not provisioned in-band.");
        }
        if (e.data().length != 0) {
          return Optional.of("The input share's taskprov extension is malformed: its data must be empty.");
        }
      } else if (!version.recognizesExtension(e.type())) {
        return Optional.of("The input share has an unrecognized extension of type " + e.type() + ".");
      }
      if (!seen.add(e.type())) {
        return Optional.of("The input share repeats the extension of type " + e.type() + ".");
      }
    }
    if (taskprovTask && !seen.contains(version.taskprovExtensionType())) {
      return Optional.of("The input share lacks the taskprov extension its task requires.");
    }
    return Optional.empty();
  }

  private static boolean strictlyIncreasing(List<ReportExtension> extensions) {
    for (int i = 1; i < extensions.size(); i++) {
      if (extensions.get(i).type() <= extensions.get(i - 1).type()) {
        return false;
      }
    }
    return true;
  }

  /**
   * Counts a rejected upload and returns the exception to throw. The rejection rides in the next batch and is
   * answered once that batch is written, like an accepted report; a failure to count it is only logged.
   */
  private DapException reject(TaskId taskId, UploadOutcome outcome, DapException e) {
    try {
      batcher.submit(new Count(taskId, outcome)).join();
    } catch (CompletionException | IllegalStateException countFailure) {
      LOG.log(System.Logger.Level.WARNING, "could not count a rejected upload", countFailure);
    }
    return e;
  }

  private List<UploadOutcome> writeBatch(List<Item> items) {
    List<UploadOutcome> outcomes = datastore.run("upload", tx -> {
      UploadOutcome[] out = new UploadOutcome[items.size()];
      List<LeaderStoredReport> toStore = new ArrayList<>();
      // Timestamps are truncated to the time precision, so a batch holds few distinct (task, time) pairs.
      Map<TaskTime, Boolean> collected = new HashMap<>();
      for (int i = 0; i < items.size(); i++) {
        switch (items.get(i)) {
          case Write w -> {
            TaskTime key = new TaskTime(w.report().taskId(), w.report().time());
            if (w.timeInterval() && collected.computeIfAbsent(key, k -> isCollected(tx, k.taskId(), k.time()))) {
              out[i] = UploadOutcome.INTERVAL_COLLECTED;
            } else {
              out[i] = UploadOutcome.SUCCESS;
              toStore.add(w.report());
            }
          }
          case Count c -> out[i] = c.outcome();
        }
      }
      // A duplicate report ID is not an error (draft 09 section 4.4.2): the first upload stays as it was.
      if (!toStore.isEmpty()) {
        tx.clientReports().putAll(toStore);
      }
      return List.of(out);
    });
    Map<TaskId, TaskUploadCounter> counters = new LinkedHashMap<>();
    for (int i = 0; i < items.size(); i++) {
      counters.merge(items.get(i).taskId(), outcomes.get(i).counter(), TaskUploadCounter::plus);
    }
    try {
      datastore.run("upload_counters", tx -> {
        for (Map.Entry<TaskId, TaskUploadCounter> e : counters.entrySet()) {
          tx.taskCounters().incrementUpload(e.getKey(), taskCounterShardCount, e.getValue());
        }
        return null;
      });
    } catch (RuntimeException e) {
      // The reports are already durable; a lost metric must not fail their uploads.
      LOG.log(System.Logger.Level.WARNING, "could not update the upload counters", e);
    }
    return outcomes;
  }

  /**
   * True if a collection job holds the batch of {@code time} (time-interval tasks): once a collection of the batch
   * was requested, a report for it is rejected (draft 09 section 4.4.2), so it cannot arrive after the Leader froze
   * its aggregate. One that slips past this check, racing the job's creation, is dropped by the creator instead.
   */
  private static boolean isCollected(Tx tx, TaskId taskId, Time time) {
    return tx.collectionJobs().anyRequestedAt(taskId, time);
  }

  @Override
  public void close() {
    batcher.close();
  }
}
