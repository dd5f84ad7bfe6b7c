package io.janus.client;

import io.janus.core.hpke.Hpke;
import io.janus.core.hpke.HpkeException;
import io.janus.core.hpke.HpkeKeypair;
import io.janus.core.task.VdafInstance;
import io.janus.core.vdaf.PingPongVdaf;
import io.janus.core.vdaf.VdafDispatch;
import io.janus.messages.DapProblemType;
import io.janus.messages.HpkeAlgorithms;
import io.janus.messages.HpkeCiphertext;
import io.janus.messages.HpkeConfig;
import io.janus.messages.HpkeConfigList;
import io.janus.messages.Interval;
import io.janus.messages.Role;
import io.janus.messages.TaskId;
import io.janus.messages.dap09.AggregateShareAad;
import io.janus.messages.dap09.BatchSelector;
import io.janus.messages.dap09.Collection;
import io.janus.messages.dap09.Dap09;
import io.janus.messages.dap09.InputShareAad;
import io.janus.messages.dap09.PartialBatchSelector;
import io.janus.messages.dap09.PlaintextInputShare;
import io.janus.messages.dap09.Report;
import io.janus.vdaf.VdafException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A Leader and a Helper reduced to what a client and a collector can observe, built on the real codec, HPKE and
 * VDAF: the Leader accepts a report only if both input shares open under the DAP-09 info and AAD and the two
 * shares prepare successfully (ping-pong, Prio3); accepted reports are aggregated into one batch, whose aggregate
 * shares can then be sealed to a collector. Everything random comes from the given seed.
 */
public final class FakeAggregators implements AutoCloseable {
  private final TestDapServer leader = TestDapServer.start();
  private final TestDapServer helper = TestDapServer.start();
  private final TaskId taskId;
  private final PingPongVdaf vdaf;
  private final Random random;
  private final byte[] verifyKey;
  private final ReentrantLock lock = new ReentrantLock();
  private final List<Report> reports = new ArrayList<>();
  private volatile HpkeKeypair leaderKey;
  private final HpkeKeypair helperKey;
  private byte[] leaderAggregate;
  private byte[] helperAggregate;
  private Interval interval = Interval.EMPTY;

  /** Starts both servers for {@code taskId} and {@code vdaf}. */
  public FakeAggregators(TaskId taskId, VdafInstance vdaf, long seed) {
    this.taskId = taskId;
    this.vdaf = VdafDispatch.forInstance(vdaf);
    this.random = new Random(seed);
    this.verifyKey = bytes(this.vdaf.verifyKeyLength());
    this.leaderKey = keypair(1);
    this.helperKey = keypair(2);
    this.leaderAggregate = this.vdaf.emptyAggregateShare(new byte[0]);
    this.helperAggregate = this.vdaf.emptyAggregateShare(new byte[0]);
    leader.handle("GET", "/hpke_config", r -> configList(leaderKey));
    helper.handle("GET", "/hpke_config", r -> configList(helperKey));
    leader.handle("PUT", Dap09.reportsPath(taskId), this::upload);
  }

  /** A keypair for the mandatory suite with config id {@code id}, derived from the seed. */
  public HpkeKeypair keypair(int id) {
    return Hpke.derive(id, HpkeAlgorithms.KEM_X25519_HKDF_SHA256, HpkeAlgorithms.KDF_HKDF_SHA256,
        HpkeAlgorithms.AEAD_AES_128_GCM, bytes(32));
  }

  private byte[] bytes(int n) {
    byte[] b = new byte[n];
    random.nextBytes(b);
    return b;
  }

  private static TestDapServer.Reply configList(HpkeKeypair key) {
    return TestDapServer.Reply.of(200, Dap09.MEDIA_TYPE_HPKE_CONFIG_LIST,
        new HpkeConfigList(List.of(key.config())).toBytes());
  }

  /** The fake Leader. */
  public TestDapServer leader() {
    return leader;
  }

  /** The fake Helper. */
  public TestDapServer helper() {
    return helper;
  }

  /** The Leader's current keypair. */
  public HpkeKeypair leaderKey() {
    return leaderKey;
  }

  /** The Helper's keypair. */
  public HpkeKeypair helperKey() {
    return helperKey;
  }

  /** Replaces the Leader's key; reports sealed to the old one are then answered with outdatedConfig. */
  public void rotateLeaderKey(int newConfigId) {
    leaderKey = keypair(newConfigId);
  }

  /** The reports accepted so far. */
  public List<Report> reports() {
    lock.lock();
    try {
      return List.copyOf(reports);
    } finally {
      lock.unlock();
    }
  }

  /** The smallest interval holding every accepted report's timestamp. */
  public Interval interval() {
    lock.lock();
    try {
      return interval;
    } finally {
      lock.unlock();
    }
  }

  /** The aggregate result over every accepted report, unsharded from both aggregate shares. */
  public long[] aggregateResult() throws VdafException {
    lock.lock();
    try {
      return vdaf.unshard(new byte[0], List.of(leaderAggregate, helperAggregate), reports.size());
    } finally {
      lock.unlock();
    }
  }

  /** The task the aggregators serve. */
  public TaskId taskId() {
    return taskId;
  }

  /** The Leader's upload handler, for tests that wrap it. */
  public TestDapServer.Reply upload(TestDapServer.Request request) {
    if (!request.header("Content-Type").orElse("").equals(Dap09.MEDIA_TYPE_REPORT)) {
      return TestDapServer.Reply.problem(400, DapProblemType.INVALID_MESSAGE, "wrong media type");
    }
    Report report = Report.decode(request.body());
    HpkeKeypair key = leaderKey;
    if (report.leaderEncryptedInputShare().configId() != key.config().id()) {
      return TestDapServer.Reply.problem(400, DapProblemType.OUTDATED_CONFIG, "unknown HPKE config id");
    }
    byte[] aad = new InputShareAad(taskId, report.metadata(), report.publicShare()).toBytes();
    try {
      byte[] nonce = report.metadata().reportId().bytes();
      byte[] leaderShare = open(key, Role.LEADER, report.leaderEncryptedInputShare(), aad);
      byte[] helperShare = open(helperKey, Role.HELPER, report.helperEncryptedInputShare(), aad);
      PingPongVdaf.LeaderStart start =
          vdaf.leaderInitialized(verifyKey, new byte[0], nonce, report.publicShare(), leaderShare);
      PingPongVdaf.Transition helperDone = vdaf.helperInitialized(
          verifyKey, new byte[0], nonce, report.publicShare(), helperShare, start.outbound());
      PingPongVdaf.Finished helperOut = (PingPongVdaf.Finished) helperDone;
      PingPongVdaf.Finished leaderOut = (PingPongVdaf.Finished)
          vdaf.leaderContinued(new byte[0], start.state(), helperDone.outbound().orElseThrow());
      lock.lock();
      try {
        leaderAggregate = vdaf.accumulate(new byte[0], leaderAggregate, leaderOut.outputShare());
        helperAggregate = vdaf.accumulate(new byte[0], helperAggregate, helperOut.outputShare());
        interval = interval.mergedWith(report.metadata().time());
        reports.add(report);
      } finally {
        lock.unlock();
      }
    } catch (HpkeException | VdafException e) {
      return TestDapServer.Reply.problem(400, DapProblemType.REPORT_REJECTED, e.getMessage());
    }
    return TestDapServer.Reply.status(201);
  }

  private static byte[] open(HpkeKeypair key, Role role, HpkeCiphertext ct, byte[] aad) throws HpkeException {
    PlaintextInputShare plain = PlaintextInputShare.decode(Hpke.open(key, Dap09.inputShareInfo(role), ct, aad));
    if (!plain.extensions().isEmpty()) {
      throw new IllegalStateException("client sent extensions " + plain.extensions());
    }
    return plain.payload();
  }

  /**
   * The Collection a Leader would return for every accepted report: both aggregate shares sealed to
   * {@code collector} under the DAP-09 aggregate-share info and the AAD for {@code selector}.
   */
  public Collection collection(HpkeConfig collector, byte[] aggregationParameter, BatchSelector selector,
      PartialBatchSelector partialBatchSelector) {
    lock.lock();
    try {
      byte[] aad = new AggregateShareAad(taskId, aggregationParameter, selector).toBytes();
      return new Collection(partialBatchSelector, reports.size(), interval,
          Hpke.seal(collector, Dap09.aggregateShareInfo(Role.LEADER), aad, leaderAggregate),
          Hpke.seal(collector, Dap09.aggregateShareInfo(Role.HELPER), aad, helperAggregate));
    } finally {
      lock.unlock();
    }
  }

  @Override
  public void close() {
    leader.close();
    helper.close();
  }
}
