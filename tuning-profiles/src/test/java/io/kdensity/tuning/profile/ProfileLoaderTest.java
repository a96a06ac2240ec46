package io.kdensity.tuning.profile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kdensity.config.yaml.ConfigError;
import io.kdensity.config.yaml.ConfigException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ProfileLoaderTest {
  @TempDir Path dir;

  @Test
  @DisplayName(
      "a child inherits every key of its parent it does not set, overrides the ones it does, and"
          + " each value says which file and line it came from")
  void inheritanceResolvesKeyByKeyWithOrigins() throws Exception {
    Files.writeString(
        dir.resolve("base.yaml"),
        String.join(
            "\n",
            "name: base",
            "sysctl:",
            "  net.ipv6.neigh.default.gc_thresh3: {value: 2048, reason: parent}",
            "  net.core.netdev_budget: {value: 400, reason: parent}",
            "podSysctl:",
            "  net.ipv6.conf.default.accept_dad: {value: 1, reason: parent}",
            ""));
    Files.writeString(
        dir.resolve("child.yaml"),
        String.join(
            "\n",
            "name: child",
            "extends: base",
            "sysctl:",
            "  net.ipv6.neigh.default.gc_thresh3: {value: 8192, reason: child}",
            "advisory:",
            "  kubeletMaxPods: {value: \"500\", reason: child}",
            ""));
    Profile p = new ProfileLoader(List.of(dir)).load("child");
    assertThat(p.parents()).containsExactly("base");
    assertThat(p.sysctl().get("net.ipv6.neigh.default.gc_thresh3").value()).isEqualTo("8192");
    assertThat(p.sysctl().get("net.ipv6.neigh.default.gc_thresh3").origin())
        .isEqualTo(dir.resolve("child.yaml") + ":4");
    assertThat(p.sysctl().get("net.core.netdev_budget").value()).isEqualTo("400");
    assertThat(p.sysctl().get("net.core.netdev_budget").origin())
        .isEqualTo(dir.resolve("base.yaml") + ":4");
    assertThat(p.podSysctl().get("net.ipv6.conf.default.accept_dad").value()).isEqualTo("1");
    assertThat(p.advisory().get("kubeletMaxPods").value()).isEqualTo("500");
  }

  @Test
  @DisplayName(
      "the built-in profiles load, every value has a reason, and dense-ipv6 raises every"
          + " neighbour limit kernel-defaults sets")
  void builtInProfilesAreConsistent() {
    Profile dense = new ProfileLoader(List.of()).load("dense-ipv6");
    Profile stock = new ProfileLoader(List.of()).load("kernel-defaults");
    assertThat(dense.parents()).containsExactly("kernel-defaults");
    for (Profile p : List.of(dense, stock)) {
      assertThat(p.sysctl().values()).allSatisfy(s -> assertThat(s.reason()).isNotBlank());
      assertThat(p.podSysctl().values()).allSatisfy(s -> assertThat(s.reason()).isNotBlank());
    }
    List<String> limits =
        stock.sysctl().keySet().stream()
            .filter(k -> k.contains(".neigh.default.gc_thresh"))
            .toList();
    assertThat(limits).hasSize(6);
    for (String k : limits) {
      assertThat(Long.parseLong(dense.sysctl().get(k).value()))
          .as(k)
          .isGreaterThan(Long.parseLong(stock.sysctl().get(k).value()));
    }
  }

  @Test
  @DisplayName("a profile with several mistakes reports every one with its file and line")
  void reportsAllErrorsWithLines() throws Exception {
    Path f = dir.resolve("bad.yaml");
    Files.writeString(
        f,
        String.join(
            "\n",
            "name: bad",
            "sysctl:",
            "  net.ipv6.neigh.default.gc_thresh3: lots",
            "  net.ipv6.neigh.default.gc_tresh2: 512",
            "  net.ipv4.udp_mem: \"1 2\"",
            "podSysctl:",
            "  net.core.rmem_max: 1000",
            "nic:",
            "  - match: kd-*",
            "    offloads: {gro: maybe}",
            "    mtu: 20",
            "colour: blue",
            ""));
    assertThatThrownBy(() -> new ProfileLoader(List.of()).load(f.toString()))
        .isInstanceOf(ConfigException.class)
        .satisfies(
            e -> {
              List<ConfigError> errs = ((ConfigException) e).errors();
              assertThat(errs)
                  .extracting(ConfigError::line)
                  .containsExactly(3, 4, 5, 7, 10, 11, 12);
              assertThat(errs.get(0).message())
                  .contains("'net.ipv6.neigh.default.gc_thresh3' expects integers, found 'lots'");
              assertThat(errs.get(1).message())
                  .isEqualTo(
                      "unknown sysctl 'net.ipv6.neigh.default.gc_tresh2' (not in kdensity's catalog of network sysctls)");
              assertThat(errs.get(2).message()).contains("expects 3 integers");
              assertThat(errs.get(3).message()).contains("is node-wide and cannot be set per pod");
              assertThat(errs.get(4).message()).contains("must be on or off, found 'maybe'");
              assertThat(errs.get(5).message()).contains("must be between 68 and 65535, found 20");
              assertThat(errs.get(6).message()).isEqualTo("unknown key 'colour'");
              assertThat(errs.get(0).file()).isEqualTo(f.toString());
            });
  }

  @ParameterizedTest(name = "{0}")
  @DisplayName(
      "a podSysctl key that would match a '*' segment of the catalog but carries shell or path characters is a config error with its line")
  @ValueSource(
      strings = {
        "net.ipv6.conf.x$(touch /tmp/kd-owned).accept_dad",
        "net.ipv6.conf.x;reboot.accept_dad",
        "net.ipv6.conf.a b.accept_dad",
        "net/ipv6/conf/../../../../tmp/x/accept_dad"
      })
  void podSysctlKeysAreCheckedBeforeTheCatalog(String key) throws Exception {
    Path f = dir.resolve("evil.yaml");
    Files.writeString(f, "name: evil\npodSysctl:\n  '" + key + "': 0\n");
    assertThatThrownBy(() -> new ProfileLoader(List.of()).load(f.toString()))
        .isInstanceOf(ConfigException.class)
        .satisfies(
            e ->
                assertThat(((ConfigException) e).errors())
                    .singleElement()
                    .satisfies(
                        err -> {
                          assertThat(err.line()).isEqualTo(3);
                          assertThat(err.message()).startsWith("not a sysctl key: '" + key + "'");
                        }));
  }

  @Test
  void childOverridesParentFromTheSearchPath() throws Exception {
    Files.writeString(
        dir.resolve("mine.yaml"),
        "name: mine\nextends: dense-ipv6\nsysctl:\n  net.core.netdev_budget: {value: 900, reason: more}\n");
    Profile p = new ProfileLoader(List.of(dir)).load("mine");
    assertThat(p.parents()).containsExactly("dense-ipv6", "kernel-defaults");
    assertThat(p.sysctl().get("net.core.netdev_budget").value()).isEqualTo("900");
    assertThat(p.sysctl().get("net.core.netdev_budget").origin())
        .isEqualTo(dir.resolve("mine.yaml") + ":4");
    assertThat(p.sysctl().get("net.ipv6.neigh.default.gc_thresh3").value()).isEqualTo("65536");
  }

  @Test
  void cyclesAndUnknownParentsAreErrors() throws Exception {
    Files.writeString(dir.resolve("a.yaml"), "name: a\nextends: b\n");
    Files.writeString(dir.resolve("b.yaml"), "name: b\nextends: a\n");
    assertThatThrownBy(() -> new ProfileLoader(List.of(dir)).load("a"))
        .hasMessageContaining("extends itself");
    assertThatThrownBy(() -> new ProfileLoader(List.of(dir)).load("nope"))
        .hasMessageContaining("no such profile (known: a, b, dense-ipv6, kernel-defaults)");
  }

  @Test
  void invalidYamlNamesTheLine() throws Exception {
    Path f = dir.resolve("broken.yaml");
    Files.writeString(f, "name: x\nsysctl:\n  a: [1,\n");
    assertThatThrownBy(() -> new ProfileLoader(List.of()).load(f.toString()))
        .hasMessageStartingWith(f + ":4: not valid YAML");
  }
}
