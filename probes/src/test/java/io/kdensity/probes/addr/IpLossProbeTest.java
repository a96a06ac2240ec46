package io.kdensity.probes.addr;

import static io.kdensity.probes.Fixtures.load;
import static org.assertj.core.api.Assertions.assertThat;

import io.kdensity.probes.finding.Cause;
import io.kdensity.probes.finding.Finding;
import io.kdensity.probes.finding.FindingCode;
import io.kdensity.probes.probe.PodInterface;
import io.kdensity.probes.probe.PodView;
import io.kdensity.probes.probe.ProbeContext;
import io.kdensity.probes.probe.ProbeResult;
import io.kdensity.probes.probe.ProbeScope;
import io.kdensity.probes.probe.TestScopes;
import io.kdensity.probes.shell.Command;
import io.kdensity.probes.shell.CommandResult;
import io.kdensity.probes.shell.FixtureShell;
import io.kdensity.probes.shell.LocalShell;
import io.kdensity.probes.shell.NetnsShell;
import io.kdensity.probes.shell.NodeShell;
import io.micrometer.core.instrument.MockClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class IpLossProbeTest {

  /** The captured pod: fd00:10:1::10 dadfailed, fd00:10:1::20 tentative. */
  private final FixtureShell pod2 =
      new FixtureShell("pod2").file("/proc/net/if_inet6", load("ifinet6/dadfailed-tentative.txt"));

  private final MockClock clock = new MockClock();

  private ProbeScope scope(String... expected) {
    return scope(PodInterface.UNKNOWN_TIME, expected);
  }

  private ProbeScope scope(long attachedAt, String... expected) {
    PodView pod =
        new PodView(
            "p2",
            pod2,
            List.of(
                new PodInterface(
                    "net1", "macvlan-a", "macvlan", "up0", List.of(expected), attachedAt)));
    return TestScopes.scope(new FixtureShell("h"), new FixtureShell("n"), List.of(pod));
  }

  @Test
  @DisplayName(
      "reports dadfailed, missing and long-tentative addresses with pod, interface and address")
  void reportsEachKindOfLoss() {
    IpLossProbe probe = new IpLossProbe(IpLossProbe.Thresholds.DEFAULT);
    ProbeContext ctx =
        new ProbeContext(
            scope("fd00:10:1::10", "fd00:10:1::20", "fd00:10:1::30"), Runnable::run, clock);
    IpLossProbe.Snapshot before = probe.snapshot(ctx);
    clock.add(Duration.ofSeconds(6));
    IpLossProbe.Snapshot after = probe.snapshot(ctx);

    ProbeResult r = probe.evaluate(before, after, ctx);

    assertThat(r.metrics())
        .containsEntry("ip.expected", 3.0)
        .containsEntry("ip.present", 0.0)
        .containsEntry("ip.lost", 3.0)
        .containsEntry("ip.lost.dadfailed", 1.0)
        .containsEntry("ip.lost.missing", 1.0)
        .containsEntry("ip.lost.tentative", 1.0);
    assertThat(r.findings()).extracting(Finding::code).containsOnly(FindingCode.IP_LOSS);
    assertThat(r.findings())
        .extracting(Finding::message)
        .containsExactly(
            "1 of 3 addresses missing from their interfaces",
            "1 of 3 addresses failed duplicate address detection",
            "1 of 3 addresses still tentative 5 s or more after their interface was attached");
    assertThat(r.findings().get(1).subject()).isEqualTo("pod p2 net1");
    assertThat(r.findings().get(1).evidence().get(0).raw()).isEqualTo("fd00:10:1::10 dadfailed");
    assertThat(r.findings())
        .extracting(Finding::cause)
        .containsExactly(Cause.ADDRESS_NOT_CONFIGURED, Cause.DAD_FAILED, Cause.STILL_TENTATIVE);
  }

  @ParameterizedTest(name = "attached {0} s before the first snapshot, hold {1} s → lost {2}")
  @DisplayName(
      "a tentative address is lost once the grace (5 s) has passed since its interface was attached, however short the hold")
  @CsvSource({
    // attached s before, hold s, lost
    "0, 1, false",
    "0, 2, false",
    "4, 0, false",
    "4, 1, true", // the shipped plans hold 1-2 s: the grace must count from the attach
    "10, 0, true",
  })
  void tentativeGraceCountsFromTheAttach(int attachedBefore, int hold, boolean lost) {
    IpLossProbe probe = new IpLossProbe(IpLossProbe.Thresholds.DEFAULT);
    clock.add(Duration.ofSeconds(60));
    long attachedAt = clock.monotonicTime() - Duration.ofSeconds(attachedBefore).toNanos();
    ProbeContext ctx = new ProbeContext(scope(attachedAt, "fd00:10:1::20"), Runnable::run, clock);
    IpLossProbe.Snapshot before = probe.snapshot(ctx);
    clock.add(Duration.ofSeconds(hold));
    ProbeResult r = probe.evaluate(before, probe.snapshot(ctx), ctx);
    assertThat(r.metrics())
        .containsEntry("ip.tentative", 1.0)
        .containsEntry("ip.lost.tentative", lost ? 1.0 : 0.0);
    assertThat(r.findings()).hasSize(lost ? 1 : 0);
  }

  @Test
  @DisplayName("without an attach time, an address tentative in both snapshots counts as lost")
  void unknownAttachTimeFallsBackToBothSnapshots() {
    IpLossProbe probe = new IpLossProbe(IpLossProbe.Thresholds.DEFAULT);
    ProbeContext ctx = new ProbeContext(scope("fd00:10:1::20"), Runnable::run, clock);
    IpLossProbe.Snapshot before = probe.snapshot(ctx);
    ProbeResult r = probe.evaluate(before, probe.snapshot(ctx), ctx);
    assertThat(r.metrics()).containsEntry("ip.lost.tentative", 1.0);
    IpLossProbe.Snapshot empty = new IpLossProbe.Snapshot(1, 1, 0, List.of());
    assertThat(probe.evaluate(empty, probe.snapshot(ctx), ctx).metrics())
        .containsEntry("ip.lost.tentative", 0.0);
  }

  /** Pod p1 with net1 (fd00:10:1::11) and net2 (fd00:10:1::12), both configured. */
  private static ProbeScope healthyPod() {
    FixtureShell healthy =
        new FixtureShell("pod1")
            .file(
                "/proc/net/if_inet6",
                "fd000010000100000000000000000011 04 40 00 80     net1\nfd000010000100000000000000000012 05 40 00 80     net2\n");
    PodView pod =
        new PodView(
            "p1",
            healthy,
            List.of(
                new PodInterface("net1", "a", "macvlan", "up0", List.of("fd00:10:1::11")),
                new PodInterface("net2", "b", "macvlan", "up1", List.of("fd00:10:1::12"))));
    return TestScopes.scope(new FixtureShell("h"), new FixtureShell("n"), List.of(pod));
  }

  @Test
  @DisplayName(
      "an address that is configured but did not answer its gateway is lost as unreachable")
  void unreachableAddressesAreLost() {
    ProbeScope scope =
        healthyPod().withReachability(Map.of("fd00:10:1::11", true, "fd00:10:1::12", false));
    IpLossProbe probe = new IpLossProbe(IpLossProbe.Thresholds.DEFAULT);
    ProbeContext ctx = new ProbeContext(scope, Runnable::run, clock);
    IpLossProbe.Snapshot s = probe.snapshot(ctx);
    ProbeResult r = probe.evaluate(s, s, ctx);
    assertThat(r.metrics())
        .containsEntry("ip.present", 2.0)
        .containsEntry("ip.lost.unreachable", 1.0)
        .containsEntry("ip.probed", 2.0);
    assertThat(r.findings())
        .singleElement()
        .satisfies(
            f -> {
              assertThat(f.message()).isEqualTo("1 of 2 addresses did not answer their gateway");
              assertThat(f.subject()).isEqualTo("pod p1 net2");
            });
  }

  @Test
  @DisplayName(
      "an address still tentative when the traffic started cannot have answered: it is not counted unreachable")
  void anAddressTentativeBeforeTheTrafficIsNotJudgedByIt() {
    ProbeScope scope =
        healthyPod().withReachability(Map.of("fd00:10:1::11", false, "fd00:10:1::12", false));
    IpLossProbe probe = new IpLossProbe(IpLossProbe.Thresholds.DEFAULT);
    ProbeContext ctx = new ProbeContext(scope, Runnable::run, clock);
    IpLossProbe.Snapshot before =
        new IpLossProbe.Snapshot(
            1,
            2,
            1,
            List.of(
                new IpLossProbe.Problem(
                    "p1", "net1", "fd00:10:1::11", IpLossProbe.Reason.TENTATIVE, null)));
    ProbeResult r = probe.evaluate(before, probe.snapshot(ctx), ctx);
    // net1 was tentative before the pings: only net2 (usable throughout) is judged
    assertThat(r.metrics())
        .containsEntry("ip.probed", 1.0)
        .containsEntry("ip.lost.unreachable", 1.0)
        .containsEntry("ip.lost", 1.0);
    assertThat(r.findings()).singleElement().extracting(Finding::subject).isEqualTo("pod p1 net2");
  }

  @Test
  void podsWithIpv4AddressesAreReadWithIpAddr() {
    FixtureShell pod = new FixtureShell("pod").command("ip -j addr", load("addr/pod-healthy.json"));
    PodView view =
        new PodView(
            "p1",
            pod,
            List.of(
                new PodInterface(
                    "net1", "a", "macvlan", "up0", List.of("fd00:10:1::10", "198.18.0.9"))));
    IpLossProbe probe = new IpLossProbe(IpLossProbe.Thresholds.DEFAULT);
    ProbeContext ctx =
        new ProbeContext(
            TestScopes.scope(new FixtureShell("h"), new FixtureShell("n"), List.of(view)),
            Runnable::run,
            clock);
    IpLossProbe.Snapshot s = probe.snapshot(ctx);
    assertThat(s.present()).isEqualTo(1);
    assertThat(s.problems())
        .singleElement()
        .isEqualTo(
            new IpLossProbe.Problem("p1", "net1", "198.18.0.9", IpLossProbe.Reason.MISSING, null));
    assertThat(pod.calls()).containsExactly("ip -j addr");
  }

  @Test
  @DisplayName(
      "a scan reads every pod's addresses with one call to the shell they are read through (one"
          + " exec on a cluster), not one per pod")
  void oneReadForEveryPodThroughTheirSharedShell() {
    FixtureShell host = new FixtureShell("probe pod");
    List<PodView> pods = new ArrayList<>();
    for (int i = 1; i <= 3; i++) {
      host.file(
          "/proc/100" + i + "/net/if_inet6",
          "fd00001000010000000000000000000" + i + " 04 40 00 80     net1\n");
      pods.add(
          new PodView(
              "p" + i,
              NetnsShell.ofProcess("p" + i, 1000 + i, host),
              List.of(
                  new PodInterface(
                      "net1",
                      "a",
                      "macvlan",
                      "up0",
                      List.of("fd00:10:1::" + i),
                      PodInterface.UNKNOWN_TIME))));
    }
    ProbeContext ctx =
        new ProbeContext(
            TestScopes.scope(new FixtureShell("h"), new FixtureShell("n"), pods),
            Runnable::run,
            clock);

    IpLossProbe.Snapshot s = new IpLossProbe(IpLossProbe.Thresholds.DEFAULT).snapshot(ctx);

    assertThat(s.present()).isEqualTo(3);
    assertThat(s.problems()).isEmpty();
    assertThat(host.calls())
        .containsExactly(
            "files:/proc/1001/net/if_inet6,/proc/1002/net/if_inet6,/proc/1003/net/if_inet6");
  }

  @Test
  @DisplayName(
      "pods with IPv4 addresses are read with one batch of `ip -j addr` through their shared shell")
  void dualStackPodsAreReadInOneBatch(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("addr.json"), load("addr/pod-healthy.json"));
    LocalShell local = new LocalShell();
    AtomicInteger hostRuns = new AtomicInteger();
    NodeShell host =
        new NodeShell() {
          public CommandResult run(Command c) {
            hostRuns.incrementAndGet();
            return local.run(c);
          }

          public String readFile(String path) {
            return local.readFile(path);
          }

          public void writeFile(String path, String content) {
            throw new UnsupportedOperationException();
          }

          public String describe() {
            return "probe pod";
          }
        };
    List<PodView> pods = new ArrayList<>();
    for (int i = 1; i <= 3; i++) {
      // a pod entered through the host; its `ip -j addr` answered by the captured output
      NodeShell pod =
          new NodeShell() {
            public Optional<DelegatedRun> runVia(Command c) {
              return Optional.of(new DelegatedRun(host, Command.of("cat", dir + "/addr.json")));
            }

            public CommandResult run(Command c) {
              throw new AssertionError("not run on its own: " + c.display());
            }

            public String readFile(String path) {
              throw new AssertionError();
            }

            public void writeFile(String path, String content) {
              throw new UnsupportedOperationException();
            }

            public String describe() {
              return "pod";
            }
          };
      pods.add(
          new PodView(
              "p" + i,
              pod,
              List.of(
                  new PodInterface(
                      "net1", "a", "macvlan", "up0", List.of("fd00:10:1::10", "198.18.0.9")))));
    }
    ProbeContext ctx =
        new ProbeContext(
            TestScopes.scope(new FixtureShell("h"), new FixtureShell("n"), pods),
            Runnable::run,
            clock);

    IpLossProbe.Snapshot s = new IpLossProbe(IpLossProbe.Thresholds.DEFAULT).snapshot(ctx);

    assertThat(hostRuns).hasValue(1);
    assertThat(s.expected()).isEqualTo(6);
    assertThat(s.present()).isEqualTo(3); // as in the single-pod test: the IPv4 address is missing
  }
}
