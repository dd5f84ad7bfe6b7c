package io.janus.exporter;

import static org.assertj.core.api.Assertions.assertThat;

import io.janus.core.hpke.Hpke;
import io.janus.core.hpke.HpkeKeypair;
import io.janus.messages.Base64Url;
import io.janus.messages.HpkeAlgorithms;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The exporter as a process: with no broker reachable yet it runs, and SIGTERM stops it cleanly. */
class ExporterProcessTest {
  @TempDir
  Path dir;

  @Test
  void sigtermStopsItCleanlyEvenWhileTheBrokerIsUnreachable() throws Exception {
    HpkeKeypair k = Hpke.generate(1, HpkeAlgorithms.KEM_X25519_HKDF_SHA256, HpkeAlgorithms.KDF_HKDF_SHA256,
        HpkeAlgorithms.AEAD_AES_128_GCM);
    Path token = dir.resolve("token");
    Files.writeString(token, "t");
    Path key = dir.resolve("key");
    Files.writeString(key, Base64Url.encode(k.privateKey()));
    for (Path p : List.of(token, key)) {
      Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rw-------"));
    }
    Path ini = dir.resolve("exporter.ini");
    Files.writeString(ini, """
        [global]
        cluster = alpha
        role = master
        lockdir = %s
        [kafka]
        broker-address = 127.0.0.1:1
        [dap]
        leader = http://127.0.0.1:1/
        collector-token-file = %s
        collector-hpke-config = %s
        collector-private-key-file = %s
        [sample]
        task-id = AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8
        vdaf = {"Prio3SumVec":{"bits":32,"length":18,"chunk_length":24}}
        cadence = 1h
        """.formatted(dir.resolve("lock"), token, Base64Url.encode(k.config().toBytes()), key));
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process p = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), Main.class.getName(),
        ini.toString()).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    List<String> lines = new ArrayList<>();
    try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getErrorStream(), StandardCharsets.UTF_8))) {
      for (String l = r.readLine(); l != null; l = r.readLine()) {
        if (l.startsWith("janus-exporter: ")) {
          lines.add(l);
        }
        if (l.startsWith("janus-exporter: started")) {
          assertThat(dir.resolve("lock/janus-exporter.lock")).exists();
          // SIGTERM through the handle, which leaves the pipe being read open.
          assertThat(p.toHandle().destroy()).isTrue();
        }
      }
    }
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).isZero();
    assertThat(lines).first().asString().startsWith("janus-exporter: started: cluster alpha, control topic "
        + "alpha.control.master, collecting sample every 1h");
    assertThat(lines).contains("janus-exporter: stopped");
    assertThat(dir.resolve("lock/janus-exporter.lock")).doesNotExist();
  }
}
