package io.janus.server.datastore;

/**
 * The work of one transaction. It may run several times (see {@link Datastore#run}), so it must have no effect
 * outside the transaction: no HTTP calls, no queueing work, no state kept from an earlier attempt.
 *
 * <p>Where the result feeds an overloaded method directly (AssertJ's {@code assertThat}), write the lambda with an
 * explicit parameter type, {@code (Tx tx) -> ...}, so the result type is inferred from the body.
 *
 * @param <T> the result type
 */
@FunctionalInterface
public interface TxBody<T> {
  /** Runs the work inside {@code tx} and returns its result. */
  T run(Tx tx);
}
