package io.kdensity.scale.engine;

import io.kdensity.probes.addr.AddressInfo;
import io.kdensity.probes.addr.IfInet6Parser;
import io.kdensity.probes.addr.IpLossProbe;
import io.kdensity.probes.probe.ProbeContext;
import io.kdensity.probes.probe.ProbeScope;
import io.kdensity.probes.shell.NodeShell;
import io.micrometer.core.instrument.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

/**
 * Waits until every address on the pods' datapath has left the tentative state (DAD finished), at
 * most the plan's settle time: the pods' own addresses, and every address in the namespaces the run
 * owns on their path ({@link ProbeScope#datapathNamespaces()}, e.g. the node side of the newest
 * pod's routed veth: until its link-local address is past DAD the node sends no neighbour
 * solicitation on it and cannot reach the pod). Not settling is not an error: the IP loss probe
 * reports what stays tentative.
 */
public final class Settle {
  private final IpLossProbe probe;
  private final Clock clock;

  /**
   * @param thresholds the plan's IP loss thresholds (what counts as tentative is the probe's)
   * @param clock the run's clock
   */
  public Settle(IpLossProbe.Thresholds thresholds, Clock clock) {
    this.probe = new IpLossProbe(thresholds);
    this.clock = clock;
  }

  /**
   * What the wait found.
   *
   * @param settled every address was past DAD before the deadline
   * @param tentative addresses still tentative at the last look ({@code pod ifname address} or
   *     {@code namespace ifname address}), at most 10
   * @param polling the time spent looking (reading the pods' and the datapath's addresses), not the
   *     time between looks: what the harness itself added to the wait
   */
  public record Result(boolean settled, List<String> tentative, Duration polling) {
    public Result {
      tentative = List.copyOf(tentative);
    }

    static final Result NOTHING_TO_WAIT_FOR = new Result(true, List.of(), Duration.ZERO);
  }

  /** Waits at most {@code atMost} for the scope's addresses to leave the tentative state. */
  public Result await(ProbeScope scope, Duration atMost) {
    if (atMost.isZero() || scope.pods().isEmpty()) {
      return Result.NOTHING_TO_WAIT_FOR;
    }
    ProbeContext ctx = new ProbeContext(scope, Runnable::run, clock);
    AtomicReference<List<String>> last = new AtomicReference<>(List.of());
    AtomicLong polling = new AtomicLong();
    try {
      Awaitility.await("pod addresses and their datapath to finish DAD")
          .atMost(atMost)
          .pollDelay(Duration.ZERO)
          .pollInterval(Duration.ofMillis(250))
          .until(
              () -> {
                long t0 = clock.monotonicTime();
                List<String> tentative = new ArrayList<>();
                probe.snapshot(ctx).problems().stream()
                    .filter(p -> p.reason() == IpLossProbe.Reason.TENTATIVE)
                    .forEach(p -> tentative.add(p.pod() + " " + p.ifname() + " " + p.address()));
                for (NodeShell ns : scope.datapathNamespaces()) {
                  tentativeIn(ns, tentative);
                }
                last.set(tentative);
                polling.addAndGet(clock.monotonicTime() - t0);
                return tentative.isEmpty();
              });
      return new Result(true, List.of(), Duration.ofNanos(polling.get()));
    } catch (ConditionTimeoutException e) {
      List<String> left = last.get();
      return new Result(
          false, left.subList(0, Math.min(10, left.size())), Duration.ofNanos(polling.get()));
    }
  }

  private static void tentativeIn(NodeShell ns, List<String> out) {
    String where = "/proc/net/if_inet6 of " + ns.describe();
    for (AddressInfo a : IfInet6Parser.parse(ns.readFile("/proc/net/if_inet6"), where)) {
      if (a.tentative()) {
        out.add(ns.describe() + " " + a.ifname() + " " + a.address());
      }
    }
  }
}
