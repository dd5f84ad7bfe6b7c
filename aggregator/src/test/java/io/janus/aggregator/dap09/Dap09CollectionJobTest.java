package io.janus.aggregator.dap09;

import static io.janus.aggregator.dap09.TestAggregator.assertDapProblem;
import static io.janus.aggregator.dap09.TestAggregator.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import io.janus.server.datastore.model.AcquiredCollectionJob;
import io.janus.server.datastore.model.CollectionJob;
import io.janus.server.datastore.model.CollectionJobState;
import io.janus.server.datastore.model.Lease;
import io.janus.core.hpke.Hpke;
import io.janus.core.hpke.HpkeException;
import io.janus.core.task.QueryType;
import io.janus.core.task.Task;
import io.janus.core.vdaf.FakeVdaf;
import io.janus.messages.BatchId;
import io.janus.messages.CollectionJobId;
import io.janus.messages.DapDuration;
import io.janus.messages.HpkeCiphertext;
import io.janus.messages.Interval;
import io.janus.messages.Role;
import io.janus.messages.TaskId;
import io.janus.messages.dap09.AggregateShareAad;
import io.janus.messages.dap09.BatchSelector;
import io.janus.messages.dap09.Collection;
import io.janus.messages.dap09.CollectionReq;
import io.janus.messages.dap09.Dap09;
import io.janus.messages.dap09.FixedSizeQuery;
import io.janus.messages.dap09.PartialBatchSelector;
import io.janus.messages.dap09.Query;
import io.janus.vdaf.VdafException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The Leader's {@code PUT|POST|DELETE /tasks/{task_id}/collection_jobs/{id}} over real HTTP and PostgreSQL. */
class Dap09CollectionJobTest {
  private static TestAggregator agg;

  @BeforeAll
  static void setUp() {
    agg = new TestAggregator(10);
  }

  @AfterAll
  static void tearDown() {
    agg.close();
  }

  private static Task newTask() {
    return agg.put(agg.task(Role.LEADER, new QueryType.TimeInterval(), TestAggregator.ONE_ROUND)
        .hpkeKeys(List.of(agg.newKeypair())).build());
  }

  private static CollectionJobId jobId() {
    return new CollectionJobId(agg.bytes(16));
  }

  private static Interval batch(long units) {
    return new Interval(agg.reportTime(), DapDuration.ofSeconds(units * TestAggregator.PRECISION.seconds()));
  }

  private static HttpResponse<byte[]> create(TaskId taskId, CollectionJobId job, CollectionReq req) {
    return agg.send("PUT", Dap09.collectionJobPath(taskId, job), Optional.of(Dap09.MEDIA_TYPE_COLLECT_REQ),
        req.toBytes(), Optional.of(agg.collectorToken));
  }

  private static HttpResponse<byte[]> poll(TaskId taskId, CollectionJobId job) {
    return agg.send("POST", Dap09.collectionJobPath(taskId, job), Optional.empty(), new byte[0],
        Optional.of(agg.collectorToken));
  }

  private static HttpResponse<byte[]> delete(TaskId taskId, CollectionJobId job) {
    return agg.send("DELETE", Dap09.collectionJobPath(taskId, job), Optional.empty(), new byte[0],
        Optional.of(agg.collectorToken));
  }

  /** Does the collection job driver's part: leases the job and writes its final state. */
  private static void finish(TaskId taskId, CollectionJobId job, CollectionJobState state) {
    agg.datastore().run("test_finish", tx -> {
      // A zero-length lease leaves every other job acquirable at once.
      for (Lease<AcquiredCollectionJob> lease : tx.collectionJobs().acquireIncomplete(Duration.ZERO, 100)) {
        if (lease.leased().taskId().equals(taskId) && lease.leased().jobId().equals(job)) {
          CollectionJob stored = tx.collectionJobs().get(taskId, job).orElseThrow();
          tx.collectionJobs().update(stored.withState(state), lease);
          return null;
        }
      }
      throw new AssertionError("collection job not acquirable");
    });
  }

  @Test
  void aJobIsPendingUntilTheDriverFinishesItThenReturnsTheCollection() {
    Task task = newTask();
    CollectionJobId job = jobId();
    Interval interval = batch(2);
    CollectionReq req = new CollectionReq(new Query.TimeInterval(interval), new byte[0]);
    HttpResponse<byte[]> created = create(task.id(), job, req);
    assertThat(created.statusCode()).as(new String(created.body())).isEqualTo(201);

    HttpResponse<byte[]> pending = poll(task.id(), job);
    assertThat(pending.statusCode()).isEqualTo(202);
    assertThat(pending.headers().firstValue("Retry-After")).hasValue("10");

    HpkeCiphertext helperShare = Hpke.seal(agg.collectorKey.config(), new byte[] {1}, new byte[0], new byte[] {2});
    // Report timestamps span part of the batch; the Collection reports the aligned interval around them.
    Interval reports = new Interval(interval.start().plus(DapDuration.ofSeconds(10)), DapDuration.ofSeconds(120));
    finish(task.id(), job, new CollectionJobState.Finished(7, reports, FakeVdaf.u64(41), helperShare));

    HttpResponse<byte[]> done = poll(task.id(), job);
    assertThat(done.statusCode()).isEqualTo(200);
    assertThat(done.headers().firstValue("Content-Type")).hasValue(Dap09.MEDIA_TYPE_COLLECTION);
    Collection c = Collection.decode(done.body());
    assertThat(c.partialBatchSelector()).isEqualTo(new PartialBatchSelector.TimeInterval());
    assertThat(c.reportCount()).isEqualTo(7);
    assertThat(c.interval()).isEqualTo(new Interval(interval.start(), DapDuration.ofSeconds(200)));
    assertThat(c.helperEncryptedAggregateShare()).isEqualTo(helperShare);
    byte[] aad = new AggregateShareAad(task.id(), new byte[0], new BatchSelector.TimeInterval(interval)).toBytes();
    try {
      byte[] leader = Hpke.open(agg.collectorKey, Dap09.aggregateShareInfo(Role.LEADER),
          c.leaderEncryptedAggregateShare(), aad);
      assertThat(FakeVdaf.value(leader)).isEqualTo(41);
    } catch (HpkeException | VdafException e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void repeatingTheCreationIsFineChangingItIsAConflict() {
    Task task = newTask();
    CollectionJobId job = jobId();
    CollectionReq req = new CollectionReq(new Query.TimeInterval(batch(1)), new byte[0]);
    assertThat(create(task.id(), job, req).statusCode()).isEqualTo(201);
    assertThat(create(task.id(), job, req).statusCode()).isEqualTo(201);
    assertProblem(create(task.id(), job, new CollectionReq(new Query.TimeInterval(batch(1)), new byte[] {1})), 409,
        "about:blank");
  }

  @Test
  void aDeletedJobAnswersNoContent() {
    Task task = newTask();
    CollectionJobId job = jobId();
    assertThat(create(task.id(), job, new CollectionReq(new Query.TimeInterval(batch(1)), new byte[0])).statusCode())
        .isEqualTo(201);
    assertThat(delete(task.id(), job).statusCode()).isEqualTo(204);
    assertThat(poll(task.id(), job).statusCode()).isEqualTo(204);
  }

  @Test
  void anAbandonedJobIsAServerErrorWithAProblemDocument() {
    Task task = newTask();
    CollectionJobId job = jobId();
    assertThat(create(task.id(), job, new CollectionReq(new Query.TimeInterval(batch(1)), new byte[0])).statusCode())
        .isEqualTo(201);
    finish(task.id(), job, new CollectionJobState.Abandoned("The Helper's aggregate share could not be obtained."));
    HttpResponse<byte[]> r = poll(task.id(), job);
    assertProblem(r, 500, "urn:janus-java:problem:collectionJobAbandoned");
    assertThat(new String(r.body(), java.nio.charset.StandardCharsets.UTF_8))
        .contains("could not be obtained").contains("Create a new collection job");
  }

  @Test
  void aJobTheHelperRefusedAnswersWithTheHelpersProblem() {
    Task task = newTask();
    CollectionJobId job = jobId();
    assertThat(create(task.id(), job, new CollectionReq(new Query.TimeInterval(batch(1)), new byte[0])).statusCode())
        .isEqualTo(201);
    finish(task.id(), job, new CollectionJobState.Failed("invalidBatchSize",
        "The Helper refused the aggregate share (invalidBatchSize)."));
    assertDapProblem(poll(task.id(), job), "invalidBatchSize", task.id());
    // A type this build does not know (a newer peer's) still ends the job with a problem document.
    CollectionJobId other = jobId();
    Task second = newTask();
    assertThat(create(second.id(), other, new CollectionReq(new Query.TimeInterval(batch(1)), new byte[0]))
        .statusCode()).isEqualTo(201);
    finish(second.id(), other, new CollectionJobState.Failed("somethingNew", "The Helper refused."));
    assertProblem(poll(second.id(), other), 500, "urn:janus-java:problem:collectionJobAbandoned");
  }

  @Test
  void aJobWaitingForTheHelperIsPending() {
    Task task = newTask();
    CollectionJobId job = jobId();
    assertThat(create(task.id(), job, new CollectionReq(new Query.TimeInterval(batch(1)), new byte[0])).statusCode())
        .isEqualTo(201);
    finish(task.id(), job, new CollectionJobState.Collecting(3, batch(1), FakeVdaf.u64(3), new byte[32]));
    assertThat(poll(task.id(), job).statusCode()).isEqualTo(202);
  }

  @Test
  void aJobWaitingOutAFailedAttemptsBackoffAsksToBePolledWhenItIsRetried() {
    Task task = newTask();
    CollectionJobId job = jobId();
    assertThat(create(task.id(), job, new CollectionReq(new Query.TimeInterval(batch(1)), new byte[0])).statusCode())
        .isEqualTo(201);
    // The driver's attempt failed; it released the job to be retried in 95 s.
    agg.datastore().run("test_fail_attempt", tx -> {
      for (Lease<AcquiredCollectionJob> lease : tx.collectionJobs().acquireIncomplete(Duration.ofSeconds(600),
          100)) {
        if (lease.leased().jobId().equals(job)) {
          tx.collectionJobs().releaseKeepingAttempts(lease, Duration.ofSeconds(95));
        } else {
          tx.collectionJobs().release(lease, Duration.ZERO);
        }
      }
      return null;
    });
    HttpResponse<byte[]> pending = poll(task.id(), job);
    assertThat(pending.statusCode()).isEqualTo(202);
    assertThat(pending.headers().firstValue("Retry-After")).as("95 s, rounded up, and a second for the attempt")
        .hasValue("96");
  }

  @Test
  void anUnknownJobIsNotFound() {
    Task task = newTask();
    assertProblem(poll(task.id(), jobId()), 404, "about:blank");
    assertProblem(delete(task.id(), jobId()), 404, "about:blank");
  }

  @Test
  void anUnalignedIntervalIsBatchInvalid() {
    Task task = newTask();
    Interval bad = new Interval(agg.reportTime().plus(DapDuration.ofSeconds(5)), TestAggregator.PRECISION);
    assertDapProblem(create(task.id(), jobId(), new CollectionReq(new Query.TimeInterval(bad), new byte[0])),
        "batchInvalid", task.id());
  }

  @Test
  void anOverlappingIntervalIsBatchOverlap() {
    Task task = newTask();
    assertThat(create(task.id(), jobId(), new CollectionReq(new Query.TimeInterval(batch(2)), new byte[0]))
        .statusCode()).isEqualTo(201);
    Interval shifted = new Interval(agg.reportTime().plus(TestAggregator.PRECISION), TestAggregator.PRECISION);
    assertDapProblem(create(task.id(), jobId(), new CollectionReq(new Query.TimeInterval(shifted), new byte[0])),
        "batchOverlap", task.id());
  }

  @Test
  void aSecondAggregationParameterBeyondTheQueryCountIsBatchQueriedTooManyTimes() {
    Task task = newTask();
    assertThat(create(task.id(), jobId(), new CollectionReq(new Query.TimeInterval(batch(1)), new byte[0]))
        .statusCode()).isEqualTo(201);
    assertDapProblem(create(task.id(), jobId(), new CollectionReq(new Query.TimeInterval(batch(1)), new byte[] {1})),
        "batchQueriedTooManyTimes", task.id());
  }

  @Test
  void aQueryOfTheWrongTypeIsInvalidMessage() {
    Task task = newTask();
    CollectionReq req = new CollectionReq(new Query.FixedSize(new FixedSizeQuery.CurrentBatch()), new byte[0]);
    assertDapProblem(create(task.id(), jobId(), req), "invalidMessage", task.id());
  }

  @Test
  void fixedSizeQueriesNeedAKnownOrReadyBatch() {
    Task fixed = agg.put(agg.task(Role.LEADER, new QueryType.FixedSize(OptionalLong.empty(), Optional.empty()),
        TestAggregator.ONE_ROUND).hpkeKeys(List.of(agg.newKeypair())).build());
    assertDapProblem(create(fixed.id(), jobId(),
        new CollectionReq(new Query.FixedSize(new FixedSizeQuery.CurrentBatch()), new byte[0])),
        "batchInvalid", fixed.id());
    assertDapProblem(create(fixed.id(), jobId(), new CollectionReq(
        new Query.FixedSize(new FixedSizeQuery.ByBatchId(new BatchId(agg.bytes(32)))), new byte[0])),
        "batchInvalid", fixed.id());
  }

  @Test
  void currentBatchTakesAReadyOutstandingBatchOnce() {
    // With min_batch_size 0 any outstanding batch is ready, so the test needs no aggregation jobs.
    Task fixed = agg.put(agg.task(Role.LEADER, new QueryType.FixedSize(OptionalLong.empty(), Optional.empty()),
        TestAggregator.ONE_ROUND).hpkeKeys(List.of(agg.newKeypair())).minBatchSize(0).build());
    BatchId batch = new BatchId(agg.bytes(32));
    agg.datastore().run("test_outstanding", tx -> tx.outstandingBatches().put(fixed.id(), batch, Optional.empty()));
    CollectionReq current = new CollectionReq(new Query.FixedSize(new FixedSizeQuery.CurrentBatch()), new byte[0]);
    CollectionJobId job = jobId();
    assertThat(create(fixed.id(), job, current).statusCode()).isEqualTo(201);
    CollectionJob stored = agg.datastore().run("test_get", tx -> tx.collectionJobs().get(fixed.id(), job))
        .orElseThrow();
    assertThat(stored.batchIdentifier()).isEqualTo(new io.janus.server.datastore.model.BatchIdentifier.FixedSize(batch));
    // Re-sending the same creation is idempotent; another current_batch query finds nothing ready.
    assertThat(create(fixed.id(), job, current).statusCode()).isEqualTo(201);
    assertDapProblem(create(fixed.id(), jobId(), current), "batchInvalid", fixed.id());
    // The Collector cannot know the batch ID before a collection returned it (draft 09 section 4.6.5.2.1).
    CollectionReq byId = new CollectionReq(new Query.FixedSize(new FixedSizeQuery.ByBatchId(batch)), new byte[0]);
    assertDapProblem(create(fixed.id(), jobId(), byId), "batchInvalid", fixed.id());
    finishFixedSize(fixed.id(), job);
    assertThat(create(fixed.id(), jobId(), byId).statusCode()).isEqualTo(201);
  }

  @Test
  void aBatchIdOfABatchStillFillingIsBatchInvalid() {
    Task fixed = agg.put(agg.task(Role.LEADER, new QueryType.FixedSize(OptionalLong.of(100), Optional.empty()),
        TestAggregator.ONE_ROUND).hpkeKeys(List.of(agg.newKeypair())).minBatchSize(10).build());
    BatchId filling = new BatchId(agg.bytes(32));
    agg.datastore().run("test_outstanding", tx -> tx.outstandingBatches().put(fixed.id(), filling, Optional.empty()));
    assertDapProblem(create(fixed.id(), jobId(), new CollectionReq(
        new Query.FixedSize(new FixedSizeQuery.ByBatchId(filling)), new byte[0])), "batchInvalid", fixed.id());
    assertDapProblem(create(fixed.id(), jobId(), new CollectionReq(
        new Query.FixedSize(new FixedSizeQuery.ByBatchId(new BatchId(agg.bytes(32)))), new byte[0])),
        "batchInvalid", fixed.id());
  }

  private static void finishFixedSize(TaskId taskId, CollectionJobId job) {
    HpkeCiphertext helperShare = Hpke.seal(agg.collectorKey.config(), new byte[] {1}, new byte[0], new byte[] {2});
    finish(taskId, job, new CollectionJobState.Finished(0, new Interval(agg.reportTime(), DapDuration.ofSeconds(1)),
        FakeVdaf.u64(0), helperShare));
  }

  @Test
  void currentBatchTakesFilledBatchesFromAnyTimeBucket() {
    Task fixed = agg.put(agg.task(Role.LEADER, new QueryType.FixedSize(OptionalLong.of(10),
        Optional.of(DapDuration.ofSeconds(3600))), TestAggregator.ONE_ROUND)
        .hpkeKeys(List.of(agg.newKeypair())).minBatchSize(0).build());
    BatchId filled = new BatchId(agg.bytes(32));
    BatchId filling = new BatchId(agg.bytes(32));
    agg.datastore().run("test_outstanding", tx -> {
      tx.outstandingBatches().put(fixed.id(), filling, Optional.of(agg.reportTime()));
      tx.outstandingBatches().put(fixed.id(), filled, Optional.of(agg.reportTime()));
      return tx.outstandingBatches().markFilled(fixed.id(), filled);
    });
    CollectionReq current = new CollectionReq(new Query.FixedSize(new FixedSizeQuery.CurrentBatch()), new byte[0]);
    CollectionJobId first = jobId();
    CollectionJobId second = jobId();
    assertThat(create(fixed.id(), first, current).statusCode()).isEqualTo(201);
    assertThat(create(fixed.id(), second, current).statusCode()).isEqualTo(201);
    assertThat(List.of(first, second)).map(j -> agg.datastore().run("test_get",
        tx -> tx.collectionJobs().get(fixed.id(), j)).orElseThrow().batchIdentifier())
        .containsExactly(new io.janus.server.datastore.model.BatchIdentifier.FixedSize(filled),
            new io.janus.server.datastore.model.BatchIdentifier.FixedSize(filling));
    assertDapProblem(create(fixed.id(), jobId(), current), "batchInvalid", fixed.id());
  }

  @Test
  void aFixedSizeBatchCountsItsAggregationParametersAgainstTheQueryCount() {
    Task fixed = agg.put(agg.task(Role.LEADER, new QueryType.FixedSize(OptionalLong.empty(), Optional.empty()),
        TestAggregator.ONE_ROUND).hpkeKeys(List.of(agg.newKeypair())).minBatchSize(0).build());
    BatchId batch = new BatchId(agg.bytes(32));
    agg.datastore().run("test_outstanding", tx -> tx.outstandingBatches().put(fixed.id(), batch, Optional.empty()));
    CollectionJobId first = jobId();
    assertThat(create(fixed.id(), first, new CollectionReq(
        new Query.FixedSize(new FixedSizeQuery.CurrentBatch()), new byte[0])).statusCode()).isEqualTo(201);
    finishFixedSize(fixed.id(), first);
    // The same parameter again is the same query; another one exceeds max_batch_query_count 1.
    assertThat(create(fixed.id(), jobId(), new CollectionReq(
        new Query.FixedSize(new FixedSizeQuery.ByBatchId(batch)), new byte[0])).statusCode()).isEqualTo(201);
    assertDapProblem(create(fixed.id(), jobId(), new CollectionReq(
        new Query.FixedSize(new FixedSizeQuery.ByBatchId(batch)), new byte[] {1})),
        "batchQueriedTooManyTimes", fixed.id());
  }

  @Test
  void everyCollectionEndpointNeedsTheCollectorsToken() {
    Task task = newTask();
    CollectionJobId job = jobId();
    byte[] body = new CollectionReq(new Query.TimeInterval(batch(1)), new byte[0]).toBytes();
    String path = Dap09.collectionJobPath(task.id(), job);
    assertDapProblem(agg.send("PUT", path, Optional.of(Dap09.MEDIA_TYPE_COLLECT_REQ), body, Optional.of(agg.leaderToken)),
        "unauthorizedRequest", task.id());
    assertDapProblem(agg.send("POST", path, Optional.empty(), new byte[0], Optional.empty()), "unauthorizedRequest",
        task.id());
    assertDapProblem(agg.send("DELETE", path, Optional.empty(), new byte[0], Optional.empty()), "unauthorizedRequest",
        task.id());
  }

  @Test
  void aHelperTaskIsUnrecognizedHere() {
    Task helperTask = agg.put(agg.task(Role.HELPER, new QueryType.TimeInterval(), TestAggregator.ONE_ROUND)
        .hpkeKeys(List.of(agg.newKeypair())).build());
    assertDapProblem(create(helperTask.id(), jobId(), new CollectionReq(new Query.TimeInterval(batch(1)),
        new byte[0])), "unrecognizedTask", helperTask.id());
  }

  @Test
  void aCollectReqWithTheWrongMediaTypeIs415() {
    Task task = newTask();
    HttpResponse<byte[]> r = agg.send("PUT", Dap09.collectionJobPath(task.id(), jobId()),
        Optional.of(Dap09.MEDIA_TYPE_AGGREGATE_SHARE_REQ),
        new CollectionReq(new Query.TimeInterval(batch(1)), new byte[0]).toBytes(), Optional.of(agg.collectorToken));
    assertProblem(r, 415, "about:blank");
  }

  @Test
  void aMalformedCollectReqIsInvalidMessage() {
    Task task = newTask();
    HttpResponse<byte[]> r = agg.send("PUT", Dap09.collectionJobPath(task.id(), jobId()),
        Optional.of(Dap09.MEDIA_TYPE_COLLECT_REQ), new byte[] {9}, Optional.of(agg.collectorToken));
    assertDapProblem(r, "invalidMessage", task.id());
  }

}
