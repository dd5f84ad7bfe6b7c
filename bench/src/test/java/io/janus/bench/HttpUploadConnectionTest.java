package io.janus.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Response framing of {@link HttpUploadConnection}, on canned bytes: each response must be consumed exactly. */
class HttpUploadConnectionTest {
  private final HttpUploadConnection connection = new HttpUploadConnection(new InetSocketAddress("127.0.0.1", 9));

  private static InputStream bytes(String s) {
    return new ByteArrayInputStream(s.getBytes(StandardCharsets.ISO_8859_1));
  }

  private static String rest(InputStream in) throws IOException {
    return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
  }

  @Test
  void anEmptyCreatedResponseIsReadToItsEnd() throws IOException {
    InputStream in = bytes("HTTP/1.1 201 Created\r\nContent-Length: 0\r\n\r\nNEXT");
    assertThat(connection.readResponse(in)).isEqualTo(201);
    assertThat(rest(in)).isEqualTo("NEXT");
  }

  @Test
  void aContentLengthBodyIsSkipped() throws IOException {
    InputStream in = bytes("HTTP/1.1 400 Bad Request\r\ncontent-type: application/problem+json\r\n"
        + "content-length: 11\r\n\r\n{\"a\":\"b c\"}NEXT");
    assertThat(connection.readResponse(in)).isEqualTo(400);
    assertThat(rest(in)).isEqualTo("NEXT");
  }

  @Test
  void aChunkedBodyIsSkippedWithTrailers() throws IOException {
    InputStream in = bytes("HTTP/1.1 500 Internal Server Error\r\nTransfer-Encoding: chunked\r\n\r\n"
        + "5;ext=1\r\nhello\r\nA\r\n0123456789\r\n0\r\nX-Trailer: t\r\n\r\nNEXT");
    assertThat(connection.readResponse(in)).isEqualTo(500);
    assertThat(rest(in)).isEqualTo("NEXT");
  }

  @Test
  void aNoContentResponseHasNoBody() throws IOException {
    InputStream in = bytes("HTTP/1.1 204 No Content\r\n\r\nNEXT");
    assertThat(connection.readResponse(in)).isEqualTo(204);
    assertThat(rest(in)).isEqualTo("NEXT");
  }

  @Test
  void malformedResponsesAreRejected() {
    assertThatThrownBy(() -> connection.readResponse(bytes("HTTP/1.1 2x1 Created\r\n\r\n")))
        .isInstanceOf(IOException.class);
    assertThatThrownBy(() -> connection.readResponse(bytes("SMTP 220 ready\r\n\r\n")))
        .isInstanceOf(IOException.class);
    assertThatThrownBy(() -> connection.readResponse(bytes("HTTP/1.1 201 Created\r\nno colon\r\n\r\n")))
        .isInstanceOf(IOException.class);
    assertThatThrownBy(() -> connection.readResponse(bytes("HTTP/1.1 201 Created\r\nContent-Length: 9\r\n\r\nab")))
        .isInstanceOf(EOFException.class);
    assertThatThrownBy(() -> connection.readResponse(bytes("HTTP/1.1 201 Created\r\nContent-Len")))
        .isInstanceOf(EOFException.class);
  }

  @Test
  void aPutRequestCarriesItsBodyLength() {
    byte[] request = HttpUploadConnection.putRequest("127.0.0.1", 8080, "/tasks/x/reports",
        "application/dap-report", new byte[] {1, 2, 3});
    String text = new String(request, StandardCharsets.ISO_8859_1);
    assertThat(text).startsWith("PUT /tasks/x/reports HTTP/1.1\r\nHost: 127.0.0.1:8080\r\n")
        .contains("Content-Type: application/dap-report\r\nContent-Length: 3\r\n\r\n")
        .endsWith("\r\n\r\n\u0001\u0002\u0003");
  }
}
