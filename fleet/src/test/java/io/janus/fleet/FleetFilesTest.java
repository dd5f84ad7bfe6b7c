package io.janus.fleet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FleetFilesTest {
  @TempDir
  Path dir;

  @Test
  void aSecondLockOnTheSameDirectoryIsRefusedAndReleasedOnClose() {
    Path lockdir = dir.resolve("locks");
    LockFile first = LockFile.acquire(lockdir, "janus-agent");
    assertThat(first.path()).exists();
    assertThatThrownBy(() -> LockFile.acquire(lockdir, "janus-agent"))
        .isInstanceOf(LockFile.HeldException.class)
        .hasMessageContaining("another janus-agent is running on lock directory " + lockdir)
        .hasMessageContaining("process " + ProcessHandle.current().pid());
    first.close();
    assertThat(first.path()).doesNotExist();
    LockFile.acquire(lockdir, "janus-agent").close();
  }

  @Test
  void secretFilesMustNotBeWorldReadable() throws Exception {
    Path token = dir.resolve("token");
    Files.writeString(token, " s3cret \n");
    Files.setPosixFilePermissions(token, PosixFilePermissions.fromString("rw-r--r--"));
    Path ini = dir.resolve("x.ini");
    Files.writeString(ini, "[kafka]\napi-token-file = " + token + "\nother = " + dir.resolve("none") + "\n");
    IniSection s = IniFile.read(ini).requiredSection("kafka");
    assertThatThrownBy(() -> SecretFiles.read(s, "api-token-file")).isInstanceOf(ConfigException.class)
        .hasMessage(ini + ":2: api-token-file: " + token + " holds a secret but is readable by every user (chmod o-r "
            + token + ")");
    assertThatThrownBy(() -> SecretFiles.read(s, "other"))
        .hasMessage(ini + ":3: other: " + dir.resolve("none") + " is not a readable file");
    Files.setPosixFilePermissions(token, PosixFilePermissions.fromString("rw-r-----"));
    assertThat(SecretFiles.read(s, "api-token-file")).contains("s3cret");
  }

  @Test
  void globalAndDebugSections() throws Exception {
    Path ini = dir.resolve("g.ini");
    Files.writeString(ini, "[global]\ncluster = a.b-c\nrole = master\nlockdir = /tmp/x\n[debug]\ndump = true\n");
    IniFile f = IniFile.read(ini);
    assertThat(GlobalConfig.read(f)).isEqualTo(new GlobalConfig("a.b-c", "master",
        java.util.Optional.of(Path.of("/tmp/x"))));
    assertThat(DebugConfig.read(f)).isEqualTo(new DebugConfig(true, false));

    Files.writeString(ini, "[global]\ncluster = a\nrole = worker\n");
    assertThatThrownBy(() -> GlobalConfig.read(IniFile.read(ini)))
        .hasMessage(ini + ":3: role: expected node or master, got 'worker'");
    Files.writeString(ini, "[global]\ncluster = a\n");
    assertThatThrownBy(() -> GlobalConfig.read(IniFile.read(ini))).hasMessage(ini + ":1: role: required in [global]");
    Files.writeString(ini, "[global]\nrole = node\n");
    assertThatThrownBy(() -> GlobalConfig.read(IniFile.read(ini)))
        .hasMessage(ini + ":1: cluster: required in [global]");
    Files.writeString(ini, "[global]\ncluster = a b\nrole = node\n");
    assertThatThrownBy(() -> GlobalConfig.read(IniFile.read(ini)))
        .hasMessage(ini + ":2: cluster: may hold only letters, digits, '.', '_' and '-' (it prefixes Kafka topics)");
    Files.writeString(ini, "[global]\ncluster = a\nrole = node\nlockdri = /x\n");
    assertThatThrownBy(() -> GlobalConfig.read(IniFile.read(ini)))
        .hasMessage(ini + ":4: lockdri: unknown key in [global]");
  }

  @Test
  void cpuBuckets() {
    assertThat(MetricLayout.cpuBucket(0)).isEqualTo(0);
    assertThat(MetricLayout.cpuBucket(9)).isEqualTo(0);
    assertThat(MetricLayout.cpuBucket(10)).isEqualTo(1);
    assertThat(MetricLayout.cpuBucket(799)).isEqualTo(6);
    assertThat(MetricLayout.cpuBucket(800)).isEqualTo(7);
    assertThat(MetricLayout.SAMPLE.length()).isEqualTo(18);
    assertThat(MetricLayout.SAMPLE.fields().get(MetricLayout.MOUNT_TOTAL)).isEqualTo("mount_total_mib");
  }
}
