package io.janus.aggregator;

import io.janus.core.vdaf.TaskVdafs;
import io.janus.core.auth.AuthenticationHeaders;
import io.janus.core.auth.AuthenticationToken;
import io.janus.core.task.Task;
import io.janus.core.task.Taskprov;
import io.janus.core.task.VdafInstance;
import io.janus.messages.Role;
import io.janus.messages.TaskId;
import io.janus.server.config.TaskprovConfig;
import io.janus.server.datastore.Datastore;
import io.janus.server.datastore.model.TaskprovPeerAggregator;
import java.net.URI;
import java.util.List;
import java.util.Optional;

/**
 * Opts in to a task provisioned in-band (draft-wang-ppm-dap-taskprov-04, as Janus release/0.7's
 * {@code taskprov_opt_in} does it): finds the peer the configuration names in the other role, checks the Leader's
 * token (on the Helper), derives the VDAF verify key from the peer's {@code verify_key_init}, and stores the task
 * with the peer's parameters and tokens. Thread-safe; two requests provisioning one task at once store it once.
 */
final class TaskprovProvisioner {
  private static final System.Logger LOG = System.getLogger(TaskprovProvisioner.class.getName());

  private final Datastore datastore;
  private final TaskVdafs vdafs;
  private final TaskprovConfig config;

  TaskprovProvisioner(Datastore datastore, TaskVdafs vdafs, TaskprovConfig config) {
    this.datastore = datastore;
    this.vdafs = vdafs;
    this.config = config;
  }

  boolean enabled() {
    return config.enabled();
  }

  /**
   * Stores the task {@code request} describes, in which this aggregator plays {@code role}.
   *
   * @throws DapException.InvalidTask if this aggregator opts out: no peer in the other role at the configured
   *     endpoint, an unsupported VDAF or DP mechanism, or parameters no task may have
   * @throws DapException.UnauthorizedRequest on the Helper, if the token is not one of the Leader peer's
   */
  void provision(ProtocolVersion version, TaskId taskId, Role role, Optional<AuthenticationToken> auth,
      TaskprovRequest request) {
    Role peerRole = role == Role.LEADER ? Role.HELPER : Role.LEADER;
    URI peerEndpoint = peerRole == Role.LEADER ? request.leaderEndpoint() : request.helperEndpoint();
    TaskprovPeerAggregator peer = datastore.run("taskprov_get_peer",
            tx -> tx.taskprovPeers().get(peerEndpoint, peerRole))
        .orElseThrow(() -> new DapException.InvalidTask(taskId,
            "This aggregator is not peered with the " + peerRole.name().toLowerCase() + " aggregator "
                + peerEndpoint + "."));
    Optional<AuthenticationToken> leaderToken = Optional.empty();
    if (role == Role.HELPER) {
      leaderToken = auth.filter(t -> peer.aggregatorAuthTokens().stream()
          .anyMatch(known -> AuthenticationHeaders.verify(Optional.of(t), known.hash())));
      if (leaderToken.isEmpty()) {
        throw new DapException.UnauthorizedRequest(taskId);
      }
    }
    if (!request.knownDpMechanism() && !config.ignoreUnknownDifferentialPrivacyMechanism()) {
      throw new DapException.InvalidTask(taskId, "The differential privacy mechanism is not recognized.");
    }
    VdafInstance vdaf = request.vdaf().orElseThrow(() -> new DapException.InvalidTask(taskId,
        "The VDAF " + request.vdafName() + " is not supported."));
    Task task;
    try {
      byte[] verifyKey = Taskprov.deriveVerifyKey(peer.verifyKeyInit(), taskId,
          vdafs.vdaf(version.dapVersion(), taskId, vdaf).verifyKeyLength());
      Task.Builder b = Task.builder(taskId, role, peerEndpoint, request.queryType(), vdaf, verifyKey,
              request.timePrecision(), peer.collectorHpkeConfig())
          .protocol(version.dapVersion())
          .maxBatchQueryCount(request.maxBatchQueryCount())
          .taskExpiration(request.taskExpiration())
          .minBatchSize(request.minBatchSize())
          .tolerableClockSkew(peer.tolerableClockSkew())
          .taskprovConfig(request.config());
      peer.reportExpiryAge().ifPresent(b::reportExpiryAge);
      if (role == Role.LEADER) {
        // The peer's first token of each kind is the one in use (the others are accepted during a rotation).
        b.aggregatorAuthToken(first(peer.aggregatorAuthTokens(), taskId, "aggregator"))
            .collectorAuthTokenHash(first(peer.collectorAuthTokens(), taskId, "collector").hash());
      } else {
        // The token the Leader just proved it holds, so its later requests for the task authenticate the same way.
        b.aggregatorAuthTokenHash(leaderToken.get().hash());
      }
      task = b.build();
    } catch (IllegalArgumentException e) {
      throw new DapException.InvalidTask(taskId, "The task's parameters are not valid: " + e.getMessage());
    }
    boolean stored = datastore.run("taskprov_put_task", tx -> tx.tasks().put(task));
    // Not stored: another request (or replica) provisioned it first, from the same configuration.
    LOG.log(System.Logger.Level.INFO, "taskprov: {0} task {1} as {2} with peer {3}",
        stored ? "opted in to" : "found already provisioned", taskId, role, peerEndpoint);
  }

  private static AuthenticationToken first(List<AuthenticationToken> tokens, TaskId taskId, String kind) {
    if (tokens.isEmpty()) {
      throw new DapException.InvalidTask(taskId, "The peer aggregator has no " + kind + " token configured.");
    }
    return tokens.get(0);
  }
}
