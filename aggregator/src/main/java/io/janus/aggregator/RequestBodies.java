package io.janus.aggregator;

import io.helidon.common.buffers.DataReader;
import io.helidon.webserver.http.ServerRequest;
import io.janus.messages.DecodeException;
import io.janus.messages.TaskId;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.OptionalLong;
import java.util.function.Function;

/**
 * Reading and decoding a DAP request body, the same for every draft: nothing is trusted, nothing is unbounded.
 * Each draft's service checks the {@code Content-Type} its way first.
 */
public final class RequestBodies {
  private RequestBodies() {}

  /**
   * The request body, read only if it fits {@code limit}: a longer {@code Content-Length} is refused before reading,
   * and a chunked body is cut off once it passes the limit or {@code bodyTimeout}.
   *
   * @throws DapException.PayloadTooLarge if the body is longer than {@code limit}
   * @throws DapException.BodyTimeout if the body took longer than {@code bodyTimeout} to arrive
   * @throws ClientAbortException if the connection closed or stalled before the body was complete
   */
  public static byte[] read(ServerRequest req, long limit, Duration bodyTimeout) {
    if (!req.content().hasEntity()) {
      return new byte[0];
    }
    OptionalLong declared = req.headers().contentLength();
    if (declared.isPresent() && declared.getAsLong() > limit) {
      throw new DapException.PayloadTooLarge(limit);
    }
    long deadline = System.nanoTime() + bodyTimeout.toNanos();
    int expected = (int) Math.min(declared.orElse(8192), limit);
    ByteArrayOutputStream out = new ByteArrayOutputStream(Math.max(expected, 1));
    byte[] buffer = new byte[8192];
    try (InputStream in = req.content().inputStream()) {
      for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
        out.write(buffer, 0, n);
        if (out.size() > limit) {
          throw new DapException.PayloadTooLarge(limit);
        }
        // Each read returns as bytes arrive, so a body trickled byte by byte is caught here.
        if (System.nanoTime() - deadline > 0) {
          throw new DapException.BodyTimeout(bodyTimeout);
        }
      }
      return out.toByteArray();
    } catch (IOException | UncheckedIOException | DataReader.InsufficientDataAvailableException e) {
      throw new ClientAbortException("the request body could not be read: " + e, e);
    }
  }

  /**
   * {@code decoder} applied to {@code body}, a failure being the client's {@code invalidMessage}.
   *
   * @throws DapException.InvalidMessage if the body does not decode, or decodes to values out of range
   */
  public static <T> T decode(byte[] body, TaskId taskId, Function<byte[], T> decoder) {
    try {
      return decoder.apply(body);
    } catch (DecodeException e) {
      // The decoder's message names the field and offset only, never secret values.
      throw new DapException.InvalidMessage(taskId, "The message could not be decoded: " + e.getMessage());
    } catch (IllegalArgumentException e) {
      throw new DapException.InvalidMessage(taskId, "The message is not valid: " + e.getMessage());
    }
  }
}
