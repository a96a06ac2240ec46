package io.kdensity.scale.targets.local;

import static org.assertj.core.api.Assertions.assertThat;

import io.kdensity.config.run.IpamPlugin;
import io.kdensity.reports.model.Latency;
import io.kdensity.scale.targets.AttachStages;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class IpamTimerTest {
  @TempDir Path dir;

  @ParameterizedTest(name = "{0}")
  @DisplayName("a wrapper's line: the plugin, the command, how long it ran")
  @CsvSource(
      delimiter = '|',
      nullValues = "-",
      value = {
        // line                                                            | plugin    | cmd | µs
        "host-local ADD kd-r1-p0007 net3 1733312345.123456 1733312345.151234 | HOST_LOCAL | ADD | 27778",
        "static DEL kd-r1-p0001 net2 1733312345,000001 1733312345,000101    | STATIC     | DEL | 100",
        "whatever ADD c net1 10.5 11.5                                      | OTHER      | ADD | 1000000",
        "host-local ADD c net1 11.5 10.5                                    | -          | -   | -",
        "host-local ADD c net1 x 10.5                                       | -          | -   | -",
        "host-local ADD c 10.5 11.5                                         | -          | -   | -",
      })
  void parse(String line, IpamPlugin plugin, String command, Long micros) {
    Optional<IpamTimer.Run> r = IpamTimer.parse(line);
    if (plugin == null) {
      assertThat(r).isEmpty();
      return;
    }
    assertThat(r).isPresent();
    assertThat(r.get().plugin()).isEqualTo(plugin);
    assertThat(r.get().command()).isEqualTo(command);
    assertThat(r.get().nanos()).isEqualTo(micros * 1000);
  }

  @Test
  @DisplayName(
      "the wrapper passes stdin, stdout, arguments and the exit code through, and logs its run")
  void theWrapperIsTransparent() throws Exception {
    Path real =
        Files.writeString(
            dir.resolve("host-local"), "#!/bin/sh\ncat\necho \"args:$*\"\nsleep 0.05\nexit 3\n");
    Files.setPosixFilePermissions(real, PosixFilePermissions.fromString("rwxr-xr-x"));
    LocalNetwork net =
        new LocalNetwork(
            "sat-a",
            "macvlan",
            CniConfig.parse(
                "{\"type\": \"macvlan\", \"ipam\": {\"type\": \"host-local\", \"ranges\": []}}"),
            "uplink0",
            0,
            List.of());
    IpamTimer timer = new IpamTimer(dir.resolve("state"));
    List<IpamPlugin> wrapped =
        timer.install(
            List.of(net), t -> t.equals("host-local") ? Optional.of(real) : Optional.empty());
    assertThat(wrapped).containsExactly(IpamPlugin.HOST_LOCAL);

    ProcessBuilder pb =
        new ProcessBuilder(timer.binDir().resolve("host-local").toString(), "a", "b")
            .redirectErrorStream(true);
    // what a plugin's exec of its IPAM plugin passes on
    pb.environment()
        .putAll(Map.of("CNI_COMMAND", "ADD", "CNI_CONTAINERID", "kd-x", "CNI_IFNAME", "net1"));
    Process p = pb.start();
    p.getOutputStream().write("{\"cniVersion\": \"1.0.0\"}\n".getBytes(StandardCharsets.UTF_8));
    p.getOutputStream().close();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).isEqualTo(3);
    assertThat(out).isEqualTo("{\"cniVersion\": \"1.0.0\"}\nargs:a b\n");

    assertThat(Files.readString(dir.resolve("state").resolve(IpamTimer.LOG)))
        .startsWith("host-local ADD kd-x net1 ");
    AttachStages stages = AttachStages.recorder();
    timer.drain(stages);
    Latency ran = stages.ipams().get(IpamPlugin.HOST_LOCAL);
    assertThat(ran.count()).isEqualTo(1);
    // the real binary slept 50 ms; the wrapper's own start is outside what it times
    assertThat(ran.p50()).isBetween(50.0, 2000.0);
  }

  @Test
  @DisplayName("drain records each ADD once, skips DELs, and leaves a half-written line for later")
  void drain() throws Exception {
    Path state = dir.resolve("state");
    Files.createDirectories(state);
    Path log = state.resolve(IpamTimer.LOG);
    IpamTimer timer = new IpamTimer(state);
    Files.writeString(
        log,
        "host-local ADD p1 net1 100.000000 100.020000\n"
            + "host-local DEL p1 net1 100.100000 100.101000\n"
            + "static ADD p1 net2 100.200000 100.202000\n"
            + "host-local ADD p2 net1 100.3");
    AttachStages first = AttachStages.recorder();
    timer.drain(first);
    Map<IpamPlugin, Latency> f = first.ipams();
    assertThat(f).containsOnlyKeys(IpamPlugin.HOST_LOCAL, IpamPlugin.STATIC);
    assertThat(f.get(IpamPlugin.HOST_LOCAL).count()).isEqualTo(1);
    assertThat(f.get(IpamPlugin.HOST_LOCAL).p50()).isBetween(19.9, 20.1);
    assertThat(f.get(IpamPlugin.STATIC).p50()).isBetween(1.9, 2.1);

    Files.writeString(log, "00000 100.340000\n", java.nio.file.StandardOpenOption.APPEND);
    AttachStages second = AttachStages.recorder();
    timer.drain(second);
    assertThat(second.ipams()).containsOnlyKeys(IpamPlugin.HOST_LOCAL);
    assertThat(second.ipams().get(IpamPlugin.HOST_LOCAL).p50()).isBetween(39.9, 40.1);
  }

  @Test
  @DisplayName("a path a single quote could break out of is not wrapped")
  void unsafePathsAreNotWrapped() throws Exception {
    Path odd = Files.createDirectories(dir.resolve("it's"));
    IpamTimer timer = new IpamTimer(dir.resolve("state"));
    LocalNetwork net =
        new LocalNetwork(
            "sat-a",
            "macvlan",
            CniConfig.parse("{\"type\": \"macvlan\", \"ipam\": {\"type\": \"host-local\"}}"),
            "uplink0",
            0,
            List.of());
    assertThat(timer.install(List.of(net), t -> Optional.of(odd.resolve(t)))).isEmpty();
    assertThat(timer.binDir().resolve("host-local")).doesNotExist();
  }
}
