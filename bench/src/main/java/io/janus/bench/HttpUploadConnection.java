package io.janus.bench;

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
 * One persistent HTTP/1.1 connection that sends pre-encoded requests and reads just enough of each response to
 * know its status and reuse the connection.
 *
 * <p>The load generator uses this instead of {@link java.net.http.HttpClient} so that, on a machine whose cores
 * the aggregator and PostgreSQL share, the generator spends as little CPU per request as possible: a request is
 * one write of bytes built before timing began. Responses are parsed strictly: a status line, headers, then a
 * body framed by {@code Content-Length} or chunked transfer coding. The connection is reopened when the server
 * asks to close it. Not thread-safe: one connection per load worker.
 */
final class HttpUploadConnection implements AutoCloseable {
  /** Longest status or header line accepted; anything longer is a broken server. */
  private static final int MAX_LINE = 8192;

  private final InetSocketAddress address;
  private Socket socket;
  private InputStream in;
  private OutputStream out;
  private final StringBuilder line = new StringBuilder(128);

  HttpUploadConnection(InetSocketAddress address) {
    this.address = address;
  }

  /**
   * Sends {@code request} (a complete HTTP/1.1 request: head and body) and returns the response status.
   *
   * @throws IOException if the connection fails or the response is malformed; the connection is then closed and
   *     the next call reconnects
   */
  int send(byte[] request) throws IOException {
    if (socket == null) {
      connect();
    }
    try {
      out.write(request);
      out.flush();
      return readResponse();
    } catch (IOException e) {
      close();
      throw e;
    }
  }

  private void connect() throws IOException {
    Socket s = new Socket();
    s.setTcpNoDelay(true);
    s.connect(address, 10_000);
    socket = s;
    in = new BufferedInputStream(s.getInputStream(), 8192);
    out = new BufferedOutputStream(s.getOutputStream(), 8192);
  }

  /** Reads one response from the connection; returns its status. Package-private for tests. */
  int readResponse() throws IOException {
    return readResponse(in);
  }

  /** Reads one response from {@code in}, closing this connection if the server said {@code Connection: close}. */
  int readResponse(InputStream in) throws IOException {
    String statusLine = readLine(in);
    if (!statusLine.startsWith("HTTP/1.1 ") && !statusLine.startsWith("HTTP/1.0 ") || statusLine.length() < 12) {
      throw new IOException("malformed status line: " + statusLine);
    }
    int status = parseStatus(statusLine);
    long contentLength = -1;
    boolean chunked = false;
    boolean closeAfter = statusLine.startsWith("HTTP/1.0 ");
    while (true) {
      String header = readLine(in);
      if (header.isEmpty()) {
        break;
      }
      int colon = header.indexOf(':');
      if (colon <= 0) {
        throw new IOException("malformed header line: " + header);
      }
      String name = header.substring(0, colon).trim();
      String value = header.substring(colon + 1).trim();
      if (name.equalsIgnoreCase("Content-Length")) {
        try {
          contentLength = Long.parseLong(value);
        } catch (NumberFormatException e) {
          throw new IOException("malformed Content-Length: " + value, e);
        }
      } else if (name.equalsIgnoreCase("Transfer-Encoding")) {
        chunked = value.equalsIgnoreCase("chunked");
      } else if (name.equalsIgnoreCase("Connection")) {
        closeAfter = value.equalsIgnoreCase("close");
      }
    }
    if (chunked) {
      skipChunkedBody(in);
    } else if (contentLength > 0) {
      skipFully(in, contentLength);
    } else if (contentLength < 0 && status >= 200 && status != 204 && status != 304) {
      // No framing: the body runs to the end of the connection (RFC 9112 section 6.3).
      while (in.read() >= 0) {
        // Drain.
      }
      closeAfter = true;
    }
    if (closeAfter) {
      close();
    }
    return status;
  }

  private static int parseStatus(String statusLine) throws IOException {
    int status = 0;
    for (int i = 9; i < 12; i++) {
      char c = statusLine.charAt(i);
      if (c < '0' || c > '9') {
        throw new IOException("malformed status line: " + statusLine);
      }
      status = status * 10 + (c - '0');
    }
    return status;
  }

  private void skipChunkedBody(InputStream in) throws IOException {
    while (true) {
      String size = readLine(in);
      int ext = size.indexOf(';');
      long n;
      try {
        n = Long.parseLong((ext >= 0 ? size.substring(0, ext) : size).trim(), 16);
      } catch (NumberFormatException e) {
        throw new IOException("malformed chunk size: " + size, e);
      }
      if (n == 0) {
        // Trailer section, ended by an empty line.
        while (!readLine(in).isEmpty()) {
          // Skip trailers.
        }
        return;
      }
      skipFully(in, n);
      if (!readLine(in).isEmpty()) {
        throw new IOException("chunk not followed by CRLF");
      }
    }
  }

  private static void skipFully(InputStream in, long n) throws IOException {
    long left = n;
    while (left > 0) {
      long skipped = in.skip(left);
      if (skipped <= 0) {
        if (in.read() < 0) {
          throw new EOFException("connection closed inside a response body");
        }
        skipped = 1;
      }
      left -= skipped;
    }
  }

  /** Reads a CRLF-terminated line (ISO-8859-1), without the terminator. */
  private String readLine(InputStream in) throws IOException {
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

  /**
   * Encodes a {@code PUT} of {@code body} to {@code path} on {@code host:port} with {@code contentType}, as one
   * byte array ready for {@link #send}.
   */
  static byte[] putRequest(String host, int port, String path, String contentType, byte[] body) {
    byte[] head = ("PUT " + path + " HTTP/1.1\r\n"
        + "Host: " + host + ":" + port + "\r\n"
        + "Content-Type: " + contentType + "\r\n"
        + "Content-Length: " + body.length + "\r\n"
        + "\r\n").getBytes(StandardCharsets.ISO_8859_1);
    byte[] request = new byte[head.length + body.length];
    System.arraycopy(head, 0, request, 0, head.length);
    System.arraycopy(body, 0, request, head.length, body.length);
    return request;
  }

  /** Closes the connection, if open; the next {@link #send} opens a new one. */
  @Override
  public void close() {
    if (socket != null) {
      try {
        socket.close();
      } catch (IOException e) {
        // Closing a connection we are abandoning: nothing left to do with it.
      }
      socket = null;
      in = null;
      out = null;
    }
  }
}
