package io.janus.core.task;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.janus.messages.TaskId;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class TaskprovTest {
  private static final HexFormat HEX = HexFormat.of();

  @Test
  void saltIsJanusConstant() {
    // Janus release/0.7 aggregator_core/src/taskprov.rs, taskprov_salt(): SHA-256("dap-taskprov").
    assertThat(HEX.formatHex(Taskprov.SALT))
        .isEqualTo("28b9bb4f624f679ac198d968f4b09eec74017a52cb4cf639fb83e047723a0ffe");
  }

  /**
   * A vector computed independently with Python's hmac module (RFC 5869 by hand): ikm = 00..1f, salt =
   * SHA-256("dap-taskprov"), info = task ID 64..83.
   */
  @Test
  void derivesVerifyKeyWithHkdfSha256() {
    byte[] init = new byte[32];
    byte[] id = new byte[32];
    for (int i = 0; i < 32; i++) {
      init[i] = (byte) i;
      id[i] = (byte) (100 + i);
    }
    assertThat(HEX.formatHex(Taskprov.deriveVerifyKey(init, new TaskId(id), 16)))
        .isEqualTo("03bf4376da0c022c1e2744ed827f4be2");
    // Longer than one HMAC block: the second block chains the first.
    assertThat(HEX.formatHex(Taskprov.deriveVerifyKey(init, new TaskId(id), 48))).isEqualTo(
        "03bf4376da0c022c1e2744ed827f4be2c38dea97382e9398367ba3eee124d93c"
            + "2650e2d839d03191f203f2aadfd55b90");
  }

  @Test
  void keyDependsOnTask() {
    byte[] init = new byte[32];
    byte[] a = Taskprov.deriveVerifyKey(init, new TaskId(new byte[32]), 16);
    byte[] other = new byte[32];
    other[31] = 1;
    assertThat(Taskprov.deriveVerifyKey(init, new TaskId(other), 16)).isNotEqualTo(a);
  }

  @Test
  void rejectsBadInputs() {
    TaskId id = new TaskId(new byte[32]);
    assertThatThrownBy(() -> Taskprov.deriveVerifyKey(new byte[31], id, 16))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Taskprov.deriveVerifyKey(new byte[32], id, 0))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void taskIdIsSha256OfTheConfig() throws Exception {
    byte[] config = {1, 2, 3};
    assertThat(Taskprov.taskId(config).bytes()).isEqualTo(MessageDigest.getInstance("SHA-256").digest(config));
  }
}
