package io.janus.fleet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class IniFileTest {
  @TempDir
  Path dir;

  private Path write(String text) throws Exception {
    Path p = dir.resolve("test.ini");
    Files.writeString(p, text, StandardCharsets.UTF_8);
    return p;
  }

  @Test
  void readsSectionsNamesAndValuesWithTheSyntaxRules() throws Exception {
    Path p = write("""
        # a comment
           # an indented comment

        [global]
          cluster   =   alpha  
        role=node
        [sample]
        a = 'single quoted '
        b = "double # not a comment"
        c = `back`
        d =
        e = ""
        f = it's
        _x-1 = ok
        """);
    IniFile ini = IniFile.read(p);
    assertThat(ini.sections()).extracting(IniSection::name).containsExactly("global", "sample");
    IniSection g = ini.requiredSection("global");
    assertThat(g.line()).isEqualTo(4);
    assertThat(g.string("cluster")).contains("alpha");
    assertThat(g.string("role")).contains("node");
    IniSection s = ini.requiredSection("sample");
    assertThat(s.string("a")).contains("single quoted ");
    assertThat(s.string("b")).contains("double # not a comment");
    assertThat(s.string("c")).contains("back");
    assertThat(s.string("d")).contains("");
    assertThat(s.string("e")).contains("");
    assertThat(s.string("f")).contains("it's");
    assertThat(s.string("_x-1")).contains("ok");
    assertThat(s.string("missing")).isEmpty();
  }

  static Stream<Arguments> syntaxErrors() {
    return Stream.of(
        Arguments.of("[global\n", "1: [global: a section header is [name] alone on its line"),
        Arguments.of("\n[9lives]\n", "2: [9lives]: a section name must match [a-zA-Z_][-a-zA-Z_0-9]*"),
        Arguments.of("[a]\n[b]\n[a]\n", "3: [a]: section repeated (first at line 1)"),
        Arguments.of("[a]\njust words\n", "2: just words: expected name = value"),
        Arguments.of("[a]\n= 3\n", "2: (empty name): a name must match [a-zA-Z_][-a-zA-Z_0-9]*"),
        Arguments.of("[a]\n1x = 3\n", "2: 1x: a name must match [a-zA-Z_][-a-zA-Z_0-9]*"),
        Arguments.of("[a]\nx.y = 3\n", "2: x.y: a name must match [a-zA-Z_][-a-zA-Z_0-9]*"),
        Arguments.of("x = 1\n", "1: x: outside any [section]"),
        Arguments.of("[a]\nx = 'open\n", "2: x: unterminated quote '"),
        Arguments.of("[a]\nx = \"open'\n", "2: x: unterminated quote \""),
        Arguments.of("[a]\nx = `\n", "2: x: unterminated quote `"),
        Arguments.of("[a]\nx = 1\n# c\nx = 2\n", "4: x: repeated in [a] (first at line 2)"));
  }

  @ParameterizedTest
  @MethodSource
  void syntaxErrors(String text, String expected) throws Exception {
    Path p = write(text);
    assertThatThrownBy(() -> IniFile.read(p)).isInstanceOf(ConfigException.class).hasMessage(p + ":" + expected);
  }

  static Stream<Arguments> valueErrors() {
    return Stream.of(
        Arguments.of("b = yes", "bool", "3: b: expected true or false, got 'yes'"),
        Arguments.of("b = True", "bool", "3: b: expected true or false, got 'True'"),
        Arguments.of("d = 5", "duration", "3: d: expected a duration such as 30s, 5m or 1h, got '5'"),
        Arguments.of("d = 5d", "duration", "3: d: expected a duration such as 30s, 5m or 1h, got '5d'"),
        Arguments.of("d = 1m30s", "duration", "3: d: expected a duration such as 30s, 5m or 1h, got '1m30s'"),
        Arguments.of("d = -5s", "duration", "3: d: expected a duration such as 30s, 5m or 1h, got '-5s'"),
        Arguments.of("d = 0m", "duration", "3: d: a duration must not be zero"),
        Arguments.of("d = 99999999999999999999s", "duration", "3: d: duration out of range: '99999999999999999999s'"),
        Arguments.of("d = 7s", "cadence", "3: d: a cadence in seconds must divide a minute and be less than 60"),
        Arguments.of("d = 60s", "cadence", "3: d: a cadence in seconds must divide a minute and be less than 60"),
        Arguments.of("d = 120S", "cadence", "3: d: a cadence in seconds must divide a minute and be less than 60"),
        Arguments.of("d = 7m", "cadence", "3: d: a cadence in minutes must divide an hour and be less than 60"),
        Arguments.of("d = 60m", "cadence", "3: d: a cadence in minutes must divide an hour and be less than 60"),
        Arguments.of("d = 5h", "cadence", "3: d: a cadence in hours must divide a day or be a positive multiple of 24"),
        Arguments.of("d = 36h", "cadence", "3: d: a cadence in hours must divide a day or be a positive multiple of 24"),
        Arguments.of("d = 0h", "cadence", "3: d: a duration must not be zero"),
        Arguments.of("l = a,,b", "list", "3: l: empty element in the comma-separated list"),
        Arguments.of("l = a,", "list", "3: l: empty element in the comma-separated list"),
        Arguments.of("c = maybe", "choice", "3: c: expected none or gzip, got 'maybe'"),
        Arguments.of("u = ftp://x/", "url", "3: u: expected an http or https URL, got 'ftp://x/'"),
        Arguments.of("u = not a url", "url", "3: u: not a URL: Illegal character in path"),
        Arguments.of("r = ''", "required", "3: r: must not be empty"),
        Arguments.of("unknown = 1", "required", "2: r: required in [s]"),
        Arguments.of("typo = 1", "unread", "3: typo: unknown key in [s]"));
  }

  @ParameterizedTest
  @MethodSource
  void valueErrors(String line, String reader, String expected) throws Exception {
    Path p = write("# values\n[s]\n" + line + "\n");
    IniSection s = IniFile.read(p).requiredSection("s");
    Runnable read = switch (reader) {
      case "bool" -> () -> s.bool("b", false);
      case "duration" -> () -> s.duration("d");
      case "cadence" -> () -> s.cadence("d");
      case "list" -> () -> s.list("l");
      case "choice" -> () -> s.choice("c", List.of("none", "gzip"), "none");
      case "url" -> () -> s.url("u");
      case "required" -> () -> s.requiredString("r");
      case "unread" -> s::rejectUnread;
      default -> throw new IllegalArgumentException(reader);
    };
    assertThatThrownBy(read::run).isInstanceOf(ConfigException.class).hasMessage(p + ":" + expected);
  }

  @Test
  void readsTypedValues() throws Exception {
    Path p = write("""
        [s]
        t = true
        f = false
        d1 = 90s
        d2 = 5M
        d3 = 2H
        c1 = 15s
        c2 = 20m
        c3 = 8h
        c4 = 48h
        c5 = 24h
        l = a, b ,c
        """);
    IniSection s = IniFile.read(p).requiredSection("s");
    assertThat(s.bool("t", false)).isTrue();
    assertThat(s.bool("f", true)).isFalse();
    assertThat(s.bool("absent", true)).isTrue();
    assertThat(s.duration("d1")).contains(Duration.ofSeconds(90));
    assertThat(s.duration("d2")).contains(Duration.ofMinutes(5));
    assertThat(s.duration("d3")).contains(Duration.ofHours(2));
    assertThat(s.cadence("c1").orElseThrow().period()).isEqualTo(Duration.ofSeconds(15));
    assertThat(s.cadence("c2").orElseThrow().period()).isEqualTo(Duration.ofMinutes(20));
    assertThat(s.cadence("c3").orElseThrow().period()).isEqualTo(Duration.ofHours(8));
    assertThat(s.cadence("c4").orElseThrow().period()).isEqualTo(Duration.ofHours(48));
    assertThat(s.cadence("c5").orElseThrow().period()).isEqualTo(Duration.ofHours(24));
    assertThat(s.list("l")).containsExactly("a", "b", "c");
    assertThat(s.list("absent")).isEmpty();
    s.rejectUnread();
  }

  @Test
  void missingAndUnknownSectionsNameTheirLine() throws Exception {
    Path p = write("[global]\nx = 1\n[jobs]\ny = 2\n[bogus]\n");
    IniFile ini = IniFile.read(p);
    assertThatThrownBy(() -> ini.requiredSection("dap"))
        .hasMessage(p + ":5: [dap]: required section missing");
    assertThatThrownBy(() -> ini.checkSections(Set.of("global"), Set.of("jobs")))
        .hasMessage(p + ":5: [bogus]: unknown section (known: [global])");
    IniFile ok = IniFile.read(write("[global]\n[jobs]\n[cluster]\n"));
    assertThat(ok.checkSections(Set.of("global"), Set.of("jobs", "cluster")))
        .extracting(IniSection::name).containsExactly("jobs", "cluster");
  }

  @Test
  void fileErrorsNameTheFile() throws Exception {
    Path missing = dir.resolve("nope.ini");
    assertThatThrownBy(() -> IniFile.read(missing)).isInstanceOf(ConfigException.class)
        .hasMessageStartingWith(missing + ":0: [file]: cannot read");
    Path latin1 = dir.resolve("latin1.ini");
    Files.write(latin1, new byte[] {'[', 'a', ']', '\n', 'x', '=', (byte) 0xE9, '\n'});
    assertThatThrownBy(() -> IniFile.read(latin1)).hasMessage(latin1 + ":0: [file]: not UTF-8 text");
  }

  @Test
  void cadencesFireAtMultiplesOfThePeriodFromTheEpoch() {
    Cadence fiveMinutes = new Cadence(Duration.ofMinutes(5));
    assertThat(fiveMinutes.nextAfter(0)).isEqualTo(300_000);
    assertThat(fiveMinutes.nextAfter(299_999)).isEqualTo(300_000);
    assertThat(fiveMinutes.nextAfter(300_000)).isEqualTo(600_000);
    assertThat(fiveMinutes.floor(599_999)).isEqualTo(300_000);
    assertThat(fiveMinutes).hasToString("5m");
    assertThat(new Cadence(Duration.ofHours(48))).hasToString("48h");
    assertThatThrownBy(() -> new Cadence(Duration.ofSeconds(90)))
        .hasMessage("cadence 90s does not divide a minute, an hour or a day");
  }
}
