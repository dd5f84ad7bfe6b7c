package io.janus.core.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AuthenticationHeadersTest {
  private static final AuthenticationToken BEARER = new AuthenticationToken(AuthenticationTokenType.BEARER,
      "YWJjZGVm-._~+/=");
  private static final AuthenticationToken DAP = new AuthenticationToken(AuthenticationTokenType.DAP_AUTH,
      "s3cret!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~");

  /** A case-insensitive header map, as HTTP servers present them. */
  private static Function<String, Optional<String>> headers(String... nameValue) {
    Map<String, String> m = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    for (int i = 0; i < nameValue.length; i += 2) {
      m.put(nameValue[i], nameValue[i + 1]);
    }
    return name -> Optional.ofNullable(m.get(name));
  }

  @Test
  void parsesBearer() {
    assertThat(AuthenticationHeaders.parse(headers("Authorization", "Bearer YWJjZGVm-._~+/="))).contains(BEARER);
    assertThat(AuthenticationHeaders.parse(headers("authorization", "bearer YWJjZGVm-._~+/="))).contains(BEARER);
    assertThat(AuthenticationHeaders.parse(headers("AUTHORIZATION", "BEARER   YWJjZGVm-._~+/=  ")))
        .contains(BEARER);
  }

  @Test
  void parsesDapAuthToken() {
    assertThat(AuthenticationHeaders.parse(headers("DAP-Auth-Token", DAP.token()))).contains(DAP);
    assertThat(AuthenticationHeaders.parse(headers("dap-auth-token", " " + DAP.token() + " "))).contains(DAP);
  }

  @Test
  void bearerWinsOverDapAuthToken() {
    assertThat(AuthenticationHeaders.parse(
        headers("DAP-Auth-Token", DAP.token(), "Authorization", "Bearer " + BEARER.token()))).contains(BEARER);
  }

  @Test
  void otherAuthorizationSchemeFallsBackToDapAuthToken() {
    assertThat(AuthenticationHeaders.parse(headers("Authorization", "Basic dXNlcjpwYXNz", "DAP-Auth-Token",
        DAP.token()))).contains(DAP);
    assertThat(AuthenticationHeaders.parse(headers("Authorization", "Basic dXNlcjpwYXNz"))).isEmpty();
  }

  @Test
  void missingHeadersGiveEmpty() {
    assertThat(AuthenticationHeaders.parse(headers())).isEmpty();
    assertThat(AuthenticationHeaders.parse(headers("Content-Type", "application/dap-report"))).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"Bearer", "Bearer ", "Bearer    ", "Bearer a b", "Bearer tok\u00e9n", "Bearer a\tb",
      "Bearer !nope", "BearerYWJj"})
  void malformedBearerGivesEmptyEvenWithDapAuthToken(String value) {
    assertThat(AuthenticationHeaders.parse(headers("Authorization", value))).isEmpty();
    if (value.length() > "Bearer".length() && value.charAt(6) == ' ') {
      // A present but broken Bearer token must not fall back to another header.
      assertThat(AuthenticationHeaders.parse(headers("Authorization", value, "DAP-Auth-Token", DAP.token())))
          .isEmpty();
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "   ", "two words", "caf\u00e9", "tab\there", "nul\u0000"})
  void malformedDapAuthTokenGivesEmpty(String value) {
    assertThat(AuthenticationHeaders.parse(headers("DAP-Auth-Token", value))).isEmpty();
  }

  @Test
  void headerForTokenRoundTrips() {
    AuthenticationHeader b = AuthenticationHeaders.header(BEARER);
    assertThat(b.name()).isEqualTo("Authorization");
    assertThat(b.value()).isEqualTo("Bearer " + BEARER.token());
    assertThat(b.toString()).doesNotContain(BEARER.token());
    AuthenticationHeader d = AuthenticationHeaders.header(DAP);
    assertThat(d.name()).isEqualTo("DAP-Auth-Token");
    assertThat(d.value()).isEqualTo(DAP.token());
    for (AuthenticationToken t : new AuthenticationToken[] {BEARER, DAP}) {
      AuthenticationHeader h = AuthenticationHeaders.header(t);
      assertThat(AuthenticationHeaders.parse(headers(h.name().toLowerCase(Locale.ROOT), h.value()))).contains(t);
    }
  }

  @Test
  void verifiesAgainstHash() {
    AuthenticationTokenHash bearerHash = BEARER.hash();
    assertThat(AuthenticationHeaders.verify(headers("Authorization", "Bearer " + BEARER.token()), bearerHash))
        .isTrue();
    // Right secret, wrong carrier: the stored type binds the header kind.
    assertThat(AuthenticationHeaders.verify(headers("DAP-Auth-Token", BEARER.token()), bearerHash)).isFalse();
    assertThat(AuthenticationHeaders.verify(headers("Authorization", "Bearer YWJjZGVm"), bearerHash)).isFalse();
    assertThat(AuthenticationHeaders.verify(headers(), bearerHash)).isFalse();
    assertThat(AuthenticationHeaders.verify(Optional.empty(), bearerHash)).isFalse();

    AuthenticationTokenHash dapHash = DAP.hash();
    assertThat(AuthenticationHeaders.verify(Optional.of(DAP), dapHash)).isTrue();
    assertThat(AuthenticationHeaders.verify(headers("DAP-Auth-Token", DAP.token() + "x"), dapHash)).isFalse();
  }
}
