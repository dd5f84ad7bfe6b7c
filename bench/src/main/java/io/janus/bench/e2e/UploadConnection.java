package io.janus.bench.e2e;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * One persistent HTTP/1.1 connection that writes pre-encoded upload requests and reads each response's status,
 * skipping its body (framed by {@code Content-Length} or chunked coding), so the connection can be reused.
 *
 * <p>Raw sockets instead of {@link java.net.http.HttpClient}: on a 2-core machine shared with both aggregators and
 * both databases, the load generator should cost as little CPU per request as possible. Not thread-safe: one per
 * upload worker.
 */
final class UploadConnection implements AutoCloseable {
  private static final int MAX_LINE = 8192;

  private final InetSocketAddress address;
  private final StringBuilder line = new StringBuilder(128);
  private Socket socket;
  private InputStream in;
  private OutputStream out;

  UploadConnection(InetSocketAddress address) {
    this.address = address;
  }

  /**
   * Writes {@code request} (head and body) and returns the response's status code.
   *
   * @throws IOException if the connection fails or the response is malformed; the connection is then closed and
   *     the next call reconnects
   */
  int send(byte[] request) throws IOException {
    if (socket == null) {
      Socket s = new Socket();
      s.setTcpNoDelay(true);
      s.connect(address, 10_000);
      socket = s;
      in = new BufferedInputStream(s.getInputStream(), 4096);
      out = new BufferedOutputStream(s.getOutputStream(), 8192);
    }
    try {
      out.write(request);
      out.flush();
      return readResponse();
    } catch (IOException e) {
      close();
      throw e;
    } catch (NumberFormatException e) {
      close();
      throw new IOException("malformed number in a response head: " + e.getMessage(), e);
    }
  }

  private int readResponse() throws IOException {
    String status = readLine();
    if (status.length() < 12 || !status.startsWith("HTTP/1.1 ")) {
      throw new IOException("malformed status line: " + status);
    }
    int code = Integer.parseInt(status, 9, 12, 10);
    long length = -1;
    boolean chunked = false;
    boolean closeAfter = false;
    for (String h = readLine(); !h.isEmpty(); h = readLine()) {
      int colon = h.indexOf(':');
      if (colon <= 0) {
        throw new IOException("malformed header line: " + h);
      }
      String name = h.substring(0, colon).trim();
      String value = h.substring(colon + 1).trim();
      if (name.equalsIgnoreCase("content-length")) {
        length = Long.parseLong(value);
      } else if (name.equalsIgnoreCase("transfer-encoding")) {
        chunked = value.equalsIgnoreCase("chunked");
      } else if (name.equalsIgnoreCase("connection")) {
        closeAfter = value.equalsIgnoreCase("close");
      }
    }
    if (chunked) {
      for (long n = Long.parseLong(chunkSize(readLine()), 16); n > 0; n = Long.parseLong(chunkSize(readLine()), 16)) {
        skip(n);
        if (!readLine().isEmpty()) {
          throw new IOException("chunk not followed by CRLF");
        }
      }
      while (!readLine().isEmpty()) {
        // Trailers carry nothing the benchmark needs.
      }
    } else if (length > 0) {
      skip(length);
    } else if (length < 0 && code != 204 && code != 304) {
      throw new IOException("response " + code + " without framing");
    }
    if (closeAfter) {
      close();
    }
    return code;
  }

  private static String chunkSize(String s) {
    int ext = s.indexOf(';');
    return (ext >= 0 ? s.substring(0, ext) : s).trim();
  }

  private void skip(long n) throws IOException {
    for (long left = n; left > 0; ) {
      long k = in.skip(left);
      if (k <= 0) {
        if (in.read() < 0) {
          throw new EOFException("connection closed inside a response body");
        }
        k = 1;
      }
      left -= k;
    }
  }

  private String readLine() throws IOException {
    line.setLength(0);
    while (true) {
      int b = in.read();
      if (b < 0) {
        throw new EOFException("connection closed inside a response head");
      }
      if (b == '\r') {
        if (in.read() != '\n') {
          throw new IOException("bare CR in a response head");
        }
        return line.toString();
      }
      if (line.length() == MAX_LINE) {
        throw new IOException("response line longer than " + MAX_LINE + " bytes");
      }
      line.append((char) b);
    }
  }

  /** Encodes {@code PUT path} with {@code body} to {@code 127.0.0.1:port} as one byte array for {@link #send}. */
  static byte[] put(int port, String path, String contentType, byte[] body) {
    byte[] head = ("PUT " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nContent-Type: " + contentType
        + "\r\nContent-Length: " + body.length + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1);
    byte[] request = new byte[head.length + body.length];
    System.arraycopy(head, 0, request, 0, head.length);
    System.arraycopy(body, 0, request, head.length, body.length);
    return request;
  }

  /** Closes the connection if open; the next {@link #send} reconnects. */
  @Override
  public void close() {
    if (socket != null) {
      try {
        socket.close();
      } catch (IOException e) {
        // The connection is being abandoned either way.
      }
      socket = null;
      in = null;
      out = null;
    }
  }
}
