package io.kdensity.probes.addr;

import io.kdensity.probes.concurrent.Completions;
import io.kdensity.probes.finding.Cause;
import io.kdensity.probes.finding.Evidence;
import io.kdensity.probes.finding.Finding;
import io.kdensity.probes.finding.Severity;
import io.kdensity.probes.probe.Metric;
import io.kdensity.probes.probe.MetricValues;
import io.kdensity.probes.probe.PodInterface;
import io.kdensity.probes.probe.PodView;
import io.kdensity.probes.probe.Probe;
import io.kdensity.probes.probe.ProbeContext;
import io.kdensity.probes.probe.ProbeResult;
import io.kdensity.probes.shell.BatchRun;
import io.kdensity.probes.shell.Command;
import io.kdensity.probes.shell.CommandResult;
import io.kdensity.probes.shell.FileRead;
import io.kdensity.probes.shell.FileReads;
import io.kdensity.probes.shell.NodeShell;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * IP loss: compares the addresses each pod was given with what is configured inside its network
 * namespace, and with whether the address answered this step's reachability sweep.
 *
 * <p>An address is lost when it is missing, failed duplicate address detection, stayed tentative
 * longer than the grace period after its interface was attached, or did not answer its gateway.
 * Pure-IPv6 pods are read from {@code /proc/net/if_inet6} (no process start when the pod has an
 * anchor process); pods with IPv4 addresses are read with {@code ip -j addr}. Why an unreachable
 * address did not answer is established afterwards from the other probes' evidence ({@link
 * LossDiagnosis}).
 */
public final class IpLossProbe implements Probe<IpLossProbe.Snapshot> {

  /** What is wrong with an address as seen inside its pod, or from its gateway. */
  public enum Reason {
    MISSING(Cause.ADDRESS_NOT_CONFIGURED),
    DADFAILED(Cause.DAD_FAILED),
    TENTATIVE(Cause.STILL_TENTATIVE),
    UNREACHABLE(Cause.LOSS_UNEXPLAINED);

    private final Cause cause;

    Reason(Cause cause) {
      this.cause = cause;
    }

    /** The cause as far as this probe alone can tell. */
    public Cause cause() {
      return cause;
    }

    String lowerName() {
      return name().toLowerCase();
    }
  }

  public static final Metric EXPECTED =
      Metric.count("ip.expected", "addresses the pods were given");
  public static final Metric PRESENT =
      Metric.count("ip.present", "expected addresses configured and past DAD");
  public static final Metric TENTATIVE =
      Metric.count("ip.tentative", "expected addresses still tentative at the end of the step");
  public static final Metric LOST = Metric.count("ip.lost", "addresses lost, for any reason");
  public static final Metric PROBED =
      Metric.count("ip.probed", "addresses pinged from their gateway this step");

  /** {@code ip.lost.<reason>}: addresses lost for one reason. */
  public static final Map<Reason, Metric> LOST_BY_REASON = lostByReason();

  private static Map<Reason, Metric> lostByReason() {
    Map<Reason, Metric> m = new EnumMap<>(Reason.class);
    for (Reason r : Reason.values()) {
      m.put(r, Metric.count("ip.lost." + r.lowerName(), "addresses lost: " + r.lowerName()));
    }
    return Collections.unmodifiableMap(m);
  }

  /**
   * @param tentativeGrace an address still tentative this long after its interface was attached
   *     counts as lost
   * @param maxLost losses tolerated before a finding is raised
   * @param examples how many lost addresses a finding lists as evidence
   */
  public record Thresholds(Duration tentativeGrace, int maxLost, int examples) {
    public static final Thresholds DEFAULT = new Thresholds(Duration.ofSeconds(5), 0, 20);
  }

  /**
   * A problem address.
   *
   * @param age how long ago its interface was attached, or null if unknown
   */
  public record Problem(String pod, String ifname, String address, Reason reason, Duration age) {}

  /**
   * @param pods pods inspected
   * @param expected addresses expected
   * @param present expected addresses configured and past DAD
   * @param problems missing, dadfailed and tentative addresses
   */
  public record Snapshot(int pods, int expected, int present, List<Problem> problems) {
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
  public List<Metric> metrics() {
    List<Metric> all = new ArrayList<>(List.of(EXPECTED, PRESENT, TENTATIVE, LOST, PROBED));
    all.addAll(LOST_BY_REASON.values());
    return all;
  }

  @Override
  public Snapshot snapshot(ProbeContext ctx) {
    long now = ctx.clock().monotonicTime();
    // IPv6-only pods: every pod's if_inet6 in one read per shell they are read through (on a
    // cluster one exec in the probe pod for the whole scan, not one per pod)
    // and the others' `ip -j addr` in batches there too
    Map<String, NodeShell> v6Only = new LinkedHashMap<>();
    Map<String, BatchRun.Run> withV4 = new LinkedHashMap<>();
    for (PodView pod : ctx.scope().pods()) {
      if (needsV4(pod)) {
        withV4.put(pod.name(), new BatchRun.Run(pod.shell(), IP_ADDR));
      } else {
        v6Only.put(pod.name(), pod.shell());
      }
    }
    Map<String, FileRead> inet6 = FileReads.readThroughSharedShells(v6Only, IF_INET6);
    Map<String, CommandResult> addrs = BatchRun.runAll(withV4, ctx.executor());
    List<CompletableFuture<PodResult>> futures = new ArrayList<>();
    for (PodView pod : ctx.scope().pods()) {
      FileRead read = inet6.get(pod.name());
      CommandResult addr = addrs.get(pod.name());
      futures.add(
          CompletableFuture.supplyAsync(() -> inspect(pod, read, addr, now), ctx.executor()));
    }
    int expected = 0;
    int present = 0;
    List<Problem> problems = new ArrayList<>();
    for (CompletableFuture<PodResult> f : futures) {
      PodResult r = Completions.join(f);
      expected += r.expected;
      present += r.present;
      problems.addAll(r.problems);
    }
    return new Snapshot(ctx.scope().pods().size(), expected, present, problems);
  }

  private record PodResult(int expected, int present, List<Problem> problems) {}

  private static final String IF_INET6 = "/proc/net/if_inet6";

  /** Whether a pod has IPv4 addresses to check ({@code if_inet6} lists only IPv6 ones). */
  private static boolean needsV4(PodView pod) {
    return pod.interfaces().stream()
        .flatMap(i -> i.addresses().stream())
        .anyMatch(a -> a.indexOf(':') < 0);
  }

  private static final Command IP_ADDR = Command.of("ip", "-j", "addr");

  /**
   * @param inet6 the pod's {@code if_inet6} if read already with others', else null
   * @param ipAddr the pod's {@code ip -j addr} for a pod with IPv4 addresses, else null
   */
  private static PodResult inspect(PodView pod, FileRead inet6, CommandResult ipAddr, long now) {
    List<AddressInfo> actual;
    if (ipAddr != null) {
      actual =
          IpAddrParser.parse(
              ipAddr.requireSuccess().stdout(), IP_ADDR.display() + " in pod " + pod.name());
    } else {
      String text = inet6 != null ? inet6.require() : pod.shell().readFile(IF_INET6);
      actual = IfInet6Parser.parse(text, IF_INET6 + " of pod " + pod.name());
    }
    Map<String, AddressInfo> byKey = new HashMap<>();
    for (AddressInfo a : actual) {
      byKey.put(a.ifname() + " " + a.address(), a);
    }
    int expected = 0;
    int present = 0;
    List<Problem> problems = new ArrayList<>();
    for (PodInterface i : pod.interfaces()) {
      Duration age =
          i.attachedAt() == PodInterface.UNKNOWN_TIME
              ? null
              : Duration.ofNanos(Math.max(0, now - i.attachedAt()));
      for (String addr : i.addresses()) {
        expected++;
        AddressInfo a = byKey.get(i.ifname() + " " + addr);
        Reason r =
            a == null
                ? Reason.MISSING
                : a.dadfailed() ? Reason.DADFAILED : a.tentative() ? Reason.TENTATIVE : null;
        if (r == null) {
          present++;
        } else {
          problems.add(new Problem(pod.name(), i.ifname(), addr, r, age));
        }
      }
    }
    return new PodResult(expected, present, problems);
  }

  @Override
  public ProbeResult evaluate(Snapshot before, Snapshot after, ProbeContext ctx) {
    Map<Reason, List<Problem>> lost = new EnumMap<>(Reason.class);
    // an address not usable when the traffic started (still in DAD) or at its end cannot have
    // answered: it is judged by its state, never as unreachable
    Set<String> notUsable = new HashSet<>();
    before.problems().forEach(p -> notUsable.add(p.address()));
    int tentativeNow = 0;
    for (Problem p : after.problems()) {
      notUsable.add(p.address());
      if (p.reason() == Reason.TENTATIVE) {
        tentativeNow++;
        if (!tentativeTooLong(p, before)) {
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
                  .add(new Problem(pod.name(), i.ifname(), addr, Reason.UNREACHABLE, null));
            }
          }
        }
      }
    }
    int total = lost.values().stream().mapToInt(List::size).sum();
    MetricValues m = new MetricValues();
    m.put(EXPECTED, after.expected());
    m.put(PRESENT, after.present());
    m.put(TENTATIVE, tentativeNow);
    m.put(LOST, total);
    m.put(PROBED, probed);
    for (Reason r : Reason.values()) {
      m.put(LOST_BY_REASON.get(r), lost.getOrDefault(r, List.of()).size());
    }
    List<Finding> findings = new ArrayList<>();
    if (total > thresholds.maxLost()) {
      for (Map.Entry<Reason, List<Problem>> e : lost.entrySet()) {
        findings.add(finding(e.getKey(), e.getValue(), after.expected()));
      }
    }
    return new ProbeResult(name(), m.toMap(), findings, after);
  }

  /**
   * Tentative past the grace since its interface was attached; when the attach time is unknown,
   * tentative in both snapshots (the best this probe can tell).
   */
  private boolean tentativeTooLong(Problem p, Snapshot before) {
    if (p.age() != null) {
      return p.age().compareTo(thresholds.tentativeGrace()) >= 0;
    }
    return before.problems().stream()
        .anyMatch(
            b ->
                b.reason() == Reason.TENTATIVE
                    && b.pod().equals(p.pod())
                    && b.ifname().equals(p.ifname())
                    && b.address().equals(p.address()));
  }

  /**
   * The address of one of this probe's examples of a lost address ({@code pod P IF}, {@code ADDR
   * reason}); empty for any other evidence a finding carries (another probe's counters).
   */
  public static Optional<String> lostAddress(Evidence e) {
    if (e.before() != null || !e.what().startsWith(EXAMPLE_PREFIX)) {
      return Optional.empty();
    }
    return Optional.of(e.raw().split(" ", 2)[0]);
  }

  private static final String EXAMPLE_PREFIX = "pod ";

  /** The finding for addresses lost for one reason (a diagnosis may refine its cause later). */
  private Finding finding(Reason reason, List<Problem> ps, int expected) {
    List<Evidence> ev = new ArrayList<>();
    for (Problem p : ps.subList(0, Math.min(ps.size(), thresholds.examples()))) {
      String age =
          p.age() == null ? "" : String.format(" %.1f s after attach", p.age().toMillis() / 1000.0);
      ev.add(
          Evidence.observed(
              EXAMPLE_PREFIX + p.pod() + " " + p.ifname(),
              p.address() + " " + reason.lowerName() + age));
    }
    String what =
        switch (reason) {
          case MISSING -> "missing from their interfaces";
          case DADFAILED -> "failed duplicate address detection";
          case TENTATIVE ->
              "still tentative "
                  + thresholds.tentativeGrace().toSeconds()
                  + " s or more after their interface was attached";
          case UNREACHABLE -> "did not answer their gateway";
        };
    String subject = ps.size() == 1 ? "pod " + ps.get(0).pod() + " " + ps.get(0).ifname() : "node";
    return Finding.of(
        Severity.CRITICAL,
        reason.cause(),
        subject,
        String.format("%,d of %,d addresses %s", ps.size(), expected, what),
        ev);
  }
}
