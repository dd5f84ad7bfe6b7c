package io.janus.server.binary;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.logging.Level;
import java.util.logging.Logger;

/** What the harness opened, closed in reverse order of opening; one failure does not stop the rest closing. */
final class Resources implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(Resources.class.getName());

  /** A resource's close action. */
  @FunctionalInterface
  interface Closer {
    /** Closes the resource. */
    void close() throws Exception;
  }

  private final Deque<Closer> closers = new ArrayDeque<>();

  /** Registers a close action; called on the opening thread only. */
  void add(Closer closer) {
    closers.push(closer);
  }

  @Override
  public void close() {
    while (!closers.isEmpty()) {
      try {
        closers.pop().close();
      } catch (Exception e) {
        // Keep closing the rest: a failing exporter must not leave the pool open.
        LOG.log(Level.WARNING, "closing a resource failed", e);
      }
    }
  }
}
