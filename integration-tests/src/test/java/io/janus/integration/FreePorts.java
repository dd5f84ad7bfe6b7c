package io.janus.integration;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Loopback ports for processes that must keep their address across restarts. */
final class FreePorts {
  private FreePorts() {}

  /**
   * A loopback port that was free a moment ago. The kernel hands out ephemeral ports in turn, so it is not handed
   * out again soon; the process that binds it follows at once.
   */
  static int next() {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("no free loopback port", e);
    }
  }

  /**
   * Waits until something accepts connections on loopback {@code port}, for at most {@code limit}; fails early if
   * {@code alive} turns false (the process meant to listen exited). A failure names {@code what} and adds
   * {@code output} (the process's log).
   */
  static void awaitListening(int port, Duration limit, BooleanSupplier alive, String what,
      Supplier<String> output) {
    long deadline = System.nanoTime() + limit.toNanos();
    while (true) {
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 500);
        return;
      } catch (IOException notYet) {
        if (!alive.getAsBoolean()) {
          throw new IllegalStateException(what + " exited before listening on port " + port + ":\n" + output.get());
        }
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException(what + " is not listening on port " + port + " after " + limit + ":\n"
              + output.get());
        }
        try {
          Thread.sleep(100);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException("interrupted while waiting for " + what, e);
        }
      }
    }
  }
}
