package io.kdensity.scale.targets.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kdensity.probes.cpu.Tracefs;
import io.kdensity.probes.drop.DropReason;
import io.kdensity.probes.drop.TracefsDropCounter;
import io.kdensity.probes.probe.DropCounter.Drops;
import io.kdensity.probes.shell.Command;
import io.kdensity.probes.shell.LocalShell;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Real kernel: three drops provoked in the run's own namespaces are counted under the reason the
 * kernel gives them.
 *
 * <ul>
 *   <li>{@code NO_SOCKET}: datagrams to a port nothing listens on ({@code __udp6_lib_rcv});
 *   <li>{@code NEIGH_QUEUEFULL} and {@code NEIGH_FAILED}: datagrams to an on-link IPv4 address
 *       nobody holds, each from its own socket (so no send buffer holds the sender back). They wait
 *       on the INCOMPLETE entry's queue; beyond {@code unres_qlen_bytes} (212,992 bytes: 256 of
 *       them here) {@code __neigh_event_send} drops the oldest, and when resolution gives up
 *       ({@code mcast_solicit} 3 × 1 s) {@code neigh_invalidate} drops the rest through {@code
 *       arp_error_report}. Every datagram is dropped once, by one of the two. (IPv6's {@code
 *       ndisc_error_report} drops them with a plain {@code kfree_skb}: NOT_SPECIFIED on 6.18.)
 * </ul>
 *
 * The counts are node-wide, so the machine's own drops may add a few: the bounds allow for that.
 */
@Tag("kernel")
class DropReasonsIT {
  static final int DATAGRAMS = 500;
  static final int UNRESOLVED = 600;

  /** Drops of the same reasons the rest of the machine may add in those seconds. */
  static final int MACHINE_SLACK = 20;

  private final LocalShell host = new LocalShell();
  private final LocalNames names = LocalNames.random();

  @AfterEach
  void noLeftovers() {
    new LocalCleanup(host).removeRun(names.runId());
  }

  private void run(String... argv) {
    host.run(Command.of(argv)).requireSuccess();
  }

  @Test
  @DisplayName(
      "datagrams to a closed port count as NO_SOCKET, to an unresolvable neighbour as NEIGH_QUEUEFULL or NEIGH_FAILED, once each; the instances go with the counter")
  void countsEachDropUnderItsKernelReason() {
    String a = names.prefix() + "a";
    String b = names.prefix() + "b";
    run("ip", "netns", "add", a);
    run("ip", "netns", "add", b);
    run("ip", "-n", a, "link", "set", "lo", "up");
    run("ip", "-n", a, "link", "add", "v0", "type", "veth", "peer", "name", "v1", "netns", b);
    run("ip", "-n", a, "link", "set", "v0", "up");
    run("ip", "-n", b, "link", "set", "v1", "up");
    run("ip", "-n", a, "addr", "add", "198.18.208.1/24", "dev", "v0");

    Drops before;
    Drops after;
    try (TracefsDropCounter drops = TracefsDropCounter.open(host, names.runId())) {
      assertThat(drops.reasons()).containsExactly(DropReason.values());
      assertThat(instancesOfTheRun()).hasSize(DropReason.values().length + 1);
      before = drops.read();
      bash(a, "for i in $(seq " + DATAGRAMS + "); do echo x > /dev/udp/::1/9; done");
      bash(a, "for i in $(seq " + UNRESOLVED + "); do echo x > /dev/udp/198.18.208.99/9; done");
      // resolution gives up after three solicitations a second apart
      after =
          await()
              .atMost(Duration.ofSeconds(15))
              .pollInterval(Duration.ofMillis(250))
              .until(
                  drops::read,
                  d ->
                      delta(before, d, DropReason.NEIGH_QUEUEFULL)
                              + delta(before, d, DropReason.NEIGH_FAILED)
                          >= UNRESOLVED);
    }
    assertThat(instancesOfTheRun()).isEmpty();

    long noSocket = delta(before, after, DropReason.NO_SOCKET);
    long queueFull = delta(before, after, DropReason.NEIGH_QUEUEFULL);
    long failed = delta(before, after, DropReason.NEIGH_FAILED);
    System.out.printf(
        "drops: NO_SOCKET %d, NEIGH_QUEUEFULL %d, NEIGH_FAILED %d, total %d%n",
        noSocket, queueFull, failed, after.total() - before.total());
    assertThat(noSocket).isBetween((long) DATAGRAMS, (long) DATAGRAMS + MACHINE_SLACK);
    assertThat(queueFull).isPositive();
    assertThat(failed).isPositive();
    assertThat(queueFull + failed).isBetween((long) UNRESOLVED, (long) UNRESOLVED + MACHINE_SLACK);
    assertThat(after.total() - before.total())
        .isGreaterThanOrEqualTo(noSocket + queueFull + failed);
  }

  private void bash(String namespace, String script) {
    run("ip", "netns", "exec", namespace, "bash", "-c", script);
  }

  private List<String> instancesOfTheRun() {
    try (Tracefs tracefs = Tracefs.open(host)) {
      return tracefs.instances().stream()
          .filter(i -> Tracefs.runIdOf(i).orElse("").equals(names.runId()))
          .toList();
    }
  }

  private static long delta(Drops before, Drops after, DropReason r) {
    return after.byReason().get(r.name()) - before.byReason().get(r.name());
  }
}
