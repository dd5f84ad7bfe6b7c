package io.janus.server.testing;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TestDatabaseTest {
  @Test
  void replacesTheDatabaseNameAndKeepsParameters() {
    assertThat(TestDatabase.Server.replaceDatabase("jdbc:postgresql://db:5432/postgres?user=u&password=p", "x"))
        .isEqualTo("jdbc:postgresql://db:5432/x?user=u&password=p");
    assertThat(TestDatabase.Server.replaceDatabase("jdbc:postgresql://db/postgres", "x"))
        .isEqualTo("jdbc:postgresql://db/x");
    assertThat(TestDatabase.Server.replaceDatabase("jdbc:postgresql://db:5432?user=u", "x"))
        .isEqualTo("jdbc:postgresql://db:5432/x?user=u");
    assertThat(TestDatabase.Server.replaceDatabase("jdbc:postgresql://db:5432", "x"))
        .isEqualTo("jdbc:postgresql://db:5432/x");
  }

  @Test
  void eachDatabaseIsSeparate() throws Exception {
    try (TestDatabase a = TestDatabase.create(); TestDatabase b = TestDatabase.create()) {
      assertThat(a.jdbcUrl()).isNotEqualTo(b.jdbcUrl());
      a.datastore().run("put", tx -> tx.hpkeKeys().put(new Fixtures(1).hpkeKeypair(1)));
      boolean inB = b.datastore().run("get", tx -> tx.hpkeKeys().get(1).isPresent());
      assertThat(inB).isFalse();
    }
  }
}
