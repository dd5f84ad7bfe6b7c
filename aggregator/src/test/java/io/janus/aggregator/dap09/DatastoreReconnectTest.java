package io.janus.aggregator.dap09;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.helidon.webserver.WebServer;
import io.janus.aggregator.Aggregator;
import io.janus.aggregator.AggregatorServer;
import io.janus.core.hpke.HpkeKeypair;
import io.janus.core.task.QueryType;
import io.janus.core.task.Task;
import io.janus.core.vdaf.FakeVdaf;
import io.janus.core.vdaf.PingPongVdaf;
import io.janus.messages.HpkeCiphertext;
import io.janus.messages.ReportId;
import io.janus.messages.Role;
import io.janus.messages.Time;
import io.janus.messages.dap09.Dap09;
import io.janus.messages.dap09.Report;
import io.janus.messages.dap09.ReportMetadata;
import io.janus.server.datastore.Datastore;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The aggregator through a database outage and back: its connections to a real PostgreSQL pass through a TCP relay
 * that the test cuts and restores. While the database is unreachable uploads answer 503 with {@code Retry-After};
 * once it is back they succeed again, with no restart: the pool reconnects.
 */
class DatastoreReconnectTest {
  private static final FakeVdaf VDAF = new FakeVdaf();
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static TestAggregator fixtures;
  private static Relay relay;
  private static HikariDataSource pool;
  private static Aggregator aggregator;
  private static WebServer server;
  private static Task task;
  private static HpkeKeypair helperKey;

  @BeforeAll
  static void start() throws IOException {
    fixtures = new TestAggregator(10);
    task = fixtures.put(fixtures.task(Role.LEADER, new QueryType.TimeInterval(), TestAggregator.ONE_ROUND)
        .hpkeKeys(List.of(fixtures.newKeypair())).build());
    helperKey = fixtures.newKeypair();
    URI target = URI.create(fixtures.db.jdbcUrl().substring("jdbc:".length()));
    relay = new Relay(new InetSocketAddress(target.getHost(), target.getPort()));
    HikariConfig c = new HikariConfig();
    c.setJdbcUrl("jdbc:postgresql://127.0.0.1:" + relay.port() + target.getRawPath()
        + (target.getRawQuery() == null ? "" : "?" + target.getRawQuery()));
    c.setConnectionTimeout(500);
    c.setAutoCommit(false);
    c.setTransactionIsolation("TRANSACTION_REPEATABLE_READ");
    pool = new HikariDataSource(c);
    Datastore datastore = new Datastore(pool, fixtures.db.crypter(), fixtures.clock, 10, new SimpleMeterRegistry());
    aggregator = new Aggregator(datastore, fixtures.clock, io.janus.core.vdaf.TaskVdafs.byInstance(TestAggregator.FAKE_VDAFS),
        new Aggregator.Settings(1, 0, 4, 4, 600_000, 1000, 1_800_000));
    server = WebServer.builder().host("127.0.0.1").port(0)
        .routing(r -> AggregatorServer.routing(r, aggregator, new SimpleMeterRegistry())).build().start();
  }

  @AfterAll
  static void stop() throws IOException {
    server.stop();
    aggregator.close();
    pool.close();
    relay.close();
    fixtures.close();
  }

  @Test
  void uploadsAnswer503WhileTheDatabaseIsDownAndSucceedOnceItIsBack() throws Exception {
    assertThat(upload().statusCode()).isEqualTo(201);

    relay.cut();
    HttpResponse<byte[]> during = upload();
    assertThat(during.statusCode()).isEqualTo(503);
    assertThat(during.headers().firstValue("Retry-After")).hasValue("5");

    relay.restore();
    long deadline = System.nanoTime() + 30_000_000_000L;
    int status;
    do {
      status = upload().statusCode();
    } while (status == 503 && System.nanoTime() < deadline);
    assertThat(status).as("an upload after the database came back").isEqualTo(201);
  }

  private static HttpResponse<byte[]> upload() throws Exception {
    Time time = fixtures.reportTime();
    ReportId id = new ReportId(fixtures.bytes(16));
    PingPongVdaf.Sharded s = VDAF.shard(new long[] {1}, id.bytes(), new byte[0]);
    HpkeCiphertext leader = TestAggregator.seal(task.hpkeKeys().get(0), Role.LEADER, task.id(), id, time,
        s.publicShare(), s.leaderInputShare(), List.of());
    HpkeCiphertext helper = TestAggregator.seal(helperKey, Role.HELPER, task.id(), id, time, s.publicShare(),
        s.helperInputShare(), List.of());
    byte[] body = new Report(new ReportMetadata(id, time), s.publicShare(), leader, helper).toBytes();
    return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port()
            + Dap09.reportsPath(task.id()))).header("Content-Type", Report.MEDIA_TYPE)
        .PUT(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  /** A TCP relay to PostgreSQL that can drop every connection and refuse new ones, then come back on its port. */
  private static final class Relay implements AutoCloseable {
    private final InetSocketAddress target;
    private final int port;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private volatile ServerSocket listener;

    Relay(InetSocketAddress target) throws IOException {
      this.target = target;
      this.listener = listen(0);
      this.port = listener.getLocalPort();
      accept(listener);
    }

    int port() {
      return port;
    }

    private static ServerSocket listen(int port) throws IOException {
      ServerSocket s = new ServerSocket();
      s.setReuseAddress(true);
      s.bind(new InetSocketAddress("127.0.0.1", port));
      return s;
    }

    private void accept(ServerSocket s) {
      Thread.ofVirtual().start(() -> {
        while (!s.isClosed()) {
          try {
            Socket client = s.accept();
            Socket upstream = new Socket(target.getAddress(), target.getPort());
            open.add(client);
            open.add(upstream);
            pump(client, upstream);
            pump(upstream, client);
          } catch (IOException e) {
            return;
          }
        }
      });
    }

    private void pump(Socket from, Socket to) {
      Thread.ofVirtual().start(() -> {
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
          in.transferTo(out);
        } catch (IOException e) {
          // One side went away; closing both below ends the other pump too.
        } finally {
          closeQuietly(from);
          closeQuietly(to);
        }
      });
    }

    /** The database becomes unreachable: connections break, new ones are refused. */
    void cut() throws IOException {
      listener.close();
      for (Socket s : open) {
        closeQuietly(s);
      }
      open.clear();
    }

    /** The database is reachable again on the same port. */
    void restore() throws IOException {
      listener = listen(port);
      accept(listener);
    }

    private static void closeQuietly(Socket s) {
      try {
        s.close();
      } catch (IOException e) {
        // Already closed.
      }
    }

    @Override
    public void close() throws IOException {
      cut();
    }
  }
}
