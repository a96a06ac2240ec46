package io.kdensity.probes.addr;

import io.kdensity.probes.finding.Evidence;
import io.kdensity.probes.finding.Finding;
import io.kdensity.probes.finding.FindingCode;
import io.kdensity.probes.finding.Severity;
import io.kdensity.probes.probe.PodInterface;
import io.kdensity.probes.probe.PodView;
import io.kdensity.probes.probe.Probe;
import io.kdensity.probes.probe.ProbeContext;
import io.kdensity.probes.probe.ProbeResult;
import io.kdensity.probes.shell.Command;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * IP loss: compares the addresses each pod was given with what is configured inside its network
 * namespace, and with whether the address answered this step's reachability sweep.
 *
 * <p>An address is lost when it is missing, failed duplicate address detection, stayed tentative
 * longer than the grace period, or did not answer its gateway. Pure-IPv6 pods are read from {@code
 * /proc/net/if_inet6} (no process start when the pod has an anchor process); pods with IPv4
 * addresses are read with {@code ip -j addr}.
 */
public final class IpLossProbe implements Probe<IpLossProbe.Snapshot> {

  /** Why an address counts as lost. */
  public enum Reason {
    MISSING,
    DADFAILED,
    TENTATIVE,
    UNREACHABLE
  }

  /**
   * @param tentativeGrace an address still tentative after this long (tentative in two snapshots at
   *     least this far apart) counts as lost
   * @param maxLost losses tolerated before a finding is raised
   * @param examples how many lost addresses a finding lists as evidence
   */
  public record Thresholds(Duration tentativeGrace, int maxLost, int examples) {
    public static final Thresholds DEFAULT = new Thresholds(Duration.ofSeconds(5), 0, 20);
  }

  /** A problem address: pod, interface, address, state. */
  public record Problem(String pod, String ifname, String address, Reason reason) {}

  /**
   * @param at when it was taken
   * @param pods pods inspected
   * @param expected addresses expected
   * @param present expected addresses configured and past DAD
   * @param problems missing, dadfailed and tentative addresses
   */
  public record Snapshot(Instant at, int pods, int expected, int present, List<Problem> problems) {
    public Snapshot {
      problems = List.copyOf(problems);
    }
  }

  private final Thresholds thresholds;

  public IpLossProbe(Thresholds thresholds) {
    this.thresholds = thresholds;
  }

  @Override
  public String name() {
    return "ip-loss";
  }

  @Override
  public Snapshot snapshot(ProbeContext ctx) {
    Instant at = ctx.clock().instant();
    List<CompletableFuture<PodResult>> futures = new ArrayList<>();
    for (PodView pod : ctx.scope().pods()) {
      futures.add(CompletableFuture.supplyAsync(() -> inspect(pod), ctx.executor()));
    }
    int expected = 0;
    int present = 0;
    List<Problem> problems = new ArrayList<>();
    for (CompletableFuture<PodResult> f : futures) {
      PodResult r = join(f);
      expected += r.expected;
      present += r.present;
      problems.addAll(r.problems);
    }
    return new Snapshot(at, ctx.scope().pods().size(), expected, present, problems);
  }

  private static PodResult join(CompletableFuture<PodResult> f) {
    try {
      return f.join();
    } catch (java.util.concurrent.CompletionException e) {
      if (e.getCause() instanceof RuntimeException re) {
        throw re;
      }
      throw e;
    }
  }

  private record PodResult(int expected, int present, List<Problem> problems) {}

  private static PodResult inspect(PodView pod) {
    boolean needsV4 =
        pod.interfaces().stream()
            .flatMap(i -> i.addresses().stream())
            .anyMatch(a -> a.indexOf(':') < 0);
    List<AddressInfo> actual;
    if (needsV4) {
      Command c = Command.of("ip", "-j", "addr");
      actual =
          IpAddrParser.parse(
              pod.shell().run(c).requireSuccess().stdout(), c.display() + " in pod " + pod.name());
    } else {
      actual =
          IfInet6Parser.parse(
              pod.shell().readFile("/proc/net/if_inet6"),
              "/proc/net/if_inet6 of pod " + pod.name());
    }
    Map<String, AddressInfo> byKey = new HashMap<>();
    for (AddressInfo a : actual) {
      byKey.put(a.ifname() + " " + a.address(), a);
    }
    int expected = 0;
    int present = 0;
    List<Problem> problems = new ArrayList<>();
    for (PodInterface i : pod.interfaces()) {
      for (String addr : i.addresses()) {
        expected++;
        AddressInfo a = byKey.get(i.ifname() + " " + addr);
        if (a == null) {
          problems.add(new Problem(pod.name(), i.ifname(), addr, Reason.MISSING));
        } else if (a.dadfailed()) {
          problems.add(new Problem(pod.name(), i.ifname(), addr, Reason.DADFAILED));
        } else if (a.tentative()) {
          problems.add(new Problem(pod.name(), i.ifname(), addr, Reason.TENTATIVE));
        } else {
          present++;
        }
      }
    }
    return new PodResult(expected, present, problems);
  }

  @Override
  public ProbeResult evaluate(Snapshot before, Snapshot after, ProbeContext ctx) {
    boolean graceElapsed =
        Duration.between(before.at(), after.at()).compareTo(thresholds.tentativeGrace()) >= 0;
    Set<String> tentativeBefore = new HashSet<>();
    for (Problem p : before.problems()) {
      if (p.reason() == Reason.TENTATIVE) {
        tentativeBefore.add(p.pod() + " " + p.ifname() + " " + p.address());
      }
    }
    Map<Reason, List<Problem>> lost = new EnumMap<>(Reason.class);
    Set<String> notUsable = new HashSet<>();
    int tentativeNow = 0;
    for (Problem p : after.problems()) {
      notUsable.add(p.address());
      if (p.reason() == Reason.TENTATIVE) {
        tentativeNow++;
        if (!graceElapsed
            || !tentativeBefore.contains(p.pod() + " " + p.ifname() + " " + p.address())) {
          continue;
        }
      }
      lost.computeIfAbsent(p.reason(), r -> new ArrayList<>()).add(p);
    }
    Map<String, Boolean> reach = ctx.scope().reachability();
    int probed = 0;
    if (!reach.isEmpty()) {
      for (var pod : ctx.scope().pods()) {
        for (PodInterface i : pod.interfaces()) {
          for (String addr : i.addresses()) {
            Boolean alive = reach.get(addr);
            if (alive == null || notUsable.contains(addr)) {
              continue;
            }
            probed++;
            if (!alive) {
              lost.computeIfAbsent(Reason.UNREACHABLE, r -> new ArrayList<>())
                  .add(new Problem(pod.name(), i.ifname(), addr, Reason.UNREACHABLE));
            }
          }
        }
      }
    }
    int total = lost.values().stream().mapToInt(List::size).sum();
    Map<String, Double> m = new HashMap<>();
    m.put("ip.expected", (double) after.expected());
    m.put("ip.present", (double) after.present());
    m.put("ip.tentative", (double) tentativeNow);
    m.put("ip.lost", (double) total);
    m.put("ip.probed", (double) probed);
    for (Reason r : Reason.values()) {
      m.put("ip.lost." + r.name().toLowerCase(), (double) lost.getOrDefault(r, List.of()).size());
    }
    List<Finding> findings = new ArrayList<>();
    if (total > thresholds.maxLost()) {
      for (Map.Entry<Reason, List<Problem>> e : lost.entrySet()) {
        findings.add(finding(e.getKey(), e.getValue(), after.expected()));
      }
    }
    return new ProbeResult(name(), m, findings, after);
  }

  private Finding finding(Reason reason, List<Problem> ps, int expected) {
    List<Evidence> ev = new ArrayList<>();
    for (Problem p : ps.subList(0, Math.min(ps.size(), thresholds.examples()))) {
      ev.add(
          Evidence.observed(
              "pod " + p.pod() + " " + p.ifname(), p.address() + " " + describe(p.reason())));
    }
    String what =
        switch (reason) {
          case MISSING -> "missing from their interfaces";
          case DADFAILED -> "failed duplicate address detection";
          case TENTATIVE ->
              "still tentative after " + thresholds.tentativeGrace().toSeconds() + " s";
          case UNREACHABLE -> "did not answer their gateway";
        };
    String subject = ps.size() == 1 ? "pod " + ps.get(0).pod() + " " + ps.get(0).ifname() : "node";
    return new Finding(
        FindingCode.IP_LOSS,
        Severity.CRITICAL,
        subject,
        String.format("%,d of %,d addresses %s", ps.size(), expected, what),
        ev);
  }

  private static String describe(Reason r) {
    return switch (r) {
      case MISSING -> "missing";
      case DADFAILED -> "dadfailed";
      case TENTATIVE -> "tentative";
      case UNREACHABLE -> "unreachable";
    };
  }
}
