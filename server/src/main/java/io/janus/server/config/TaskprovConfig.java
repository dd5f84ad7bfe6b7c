package io.janus.server.config;

/**
 * The {@code taskprov_config} key: in-band task provisioning (draft-wang-ppm-dap-taskprov-04, as Janus release/0.7
 * deploys it with DAP-09), with Janus's key names.
 *
 * @param enabled whether the aggregator reads the {@code dap-taskprov} header and provisions a task it does not
 *     know from it, for a peer configured with {@code janus_cli add-taskprov-peer-aggregator} (default false)
 * @param ignoreUnknownDifferentialPrivacyMechanism whether a task whose DP mechanism is not recognized is accepted
 *     and run without noise, instead of opted out of (default false; for testing, as in Janus)
 */
public record TaskprovConfig(
    @ConfigDefault("false") boolean enabled,
    @ConfigDefault("false") boolean ignoreUnknownDifferentialPrivacyMechanism) {

  /** Taskprov off, the default when the key is absent. */
  public static final TaskprovConfig DISABLED = new TaskprovConfig(false, false);
}
