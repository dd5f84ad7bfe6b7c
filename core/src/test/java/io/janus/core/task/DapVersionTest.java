package io.janus.core.task;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DapVersionTest {
  @Test
  void namesParseForgivingCaseAndHyphen() {
    assertThat(DapVersion.fromText("DAP-09")).hasValue(DapVersion.DAP_09);
    assertThat(DapVersion.fromText("dap09")).hasValue(DapVersion.DAP_09);
    assertThat(DapVersion.fromText(" dap_09 ")).hasValue(DapVersion.DAP_09);
    assertThat(DapVersion.fromText("DAP-18")).hasValue(DapVersion.DAP_18);
    assertThat(DapVersion.fromText("dap18")).hasValue(DapVersion.DAP_18);
    assertThat(DapVersion.fromText("DAP-17")).isEmpty();
    assertThat(DapVersion.DAP_09.text()).isEqualTo("DAP-09");
    assertThat(DapVersion.DAP_18.text()).isEqualTo("DAP-18");
  }
}
