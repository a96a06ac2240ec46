package io.kdensity.scale.predict;

import io.kdensity.probes.finding.FindingCode;
import io.kdensity.probes.finding.Severity;
import io.kdensity.probes.neigh.NeighbourProbe.Family;
import io.kdensity.probes.probe.Capacities;
import io.kdensity.reports.model.Prediction;
import io.kdensity.reports.model.Prediction.CalibrationPoint;
import io.kdensity.reports.model.Prediction.Headroom;
import io.kdensity.scale.plan.Plan;
import io.kdensity.scale.plan.Slo;
import io.kdensity.scale.plan.Traffic;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Which limit a density breaks first, and between which pod counts, from two calibration points:
 * each limit's size as the node reported it and each cost per pod as measured, linear where the
 * kernel's rule makes it linear, with the bring-up's transient as a range where it is not.
 *
 * <p>The neighbour tables: a new entry is refused when the entries counted against {@code
 * gc_thresh3} reach it and forced GC frees none ({@code neigh_alloc}, {@code neigh_forced_gc},
 * net/core/neighbour.c), and forced GC frees every entry but the pinned ones ({@link
 * io.kdensity.probes.neigh.GcHold}). So a density needs its pinned entries: per pod, linear once a
 * step's bring-up is gone (the steady census), plus, while a step's pods come up and are first
 * swept, the entries their bring-up pins (the most pinned at once while the calibration's second
 * step ran, less the steady census after it). The table breaks for good where the steady line
 * passes {@code gc_thresh3}, and can break from where the steady line and one step's transient pass
 * it: the range.
 */
public final class CapacityModel {
  private CapacityModel() {}

  /** The limits whose costs are measured: each needs two calibration points. */
  static final Set<FindingCode> CALIBRATED =
      EnumSet.of(
          FindingCode.NEIGH_TABLE_OVERFLOW,
          FindingCode.BRIDGE_PORT_LIMIT,
          FindingCode.FDB_OVER_CAPACITY,
          FindingCode.NIC_PROMISC_FALLBACK,
          FindingCode.SOCKET_RCVBUF_ERRORS,
          FindingCode.CONNTRACK_TABLE_FULL);

  /**
   * The prediction for {@code pods}. The limits that need no calibration (a host-local network's
   * addresses) are predicted from any number of points; the measured ones ({@link #CALIBRATED})
   * need two points at different pod counts, and without them are listed as not modelled, with why.
   *
   * @param points the calibration points, none to any; the last one's bring-up is taken as one
   *     plain step of the plan (its pods less the first point's)
   */
  public static Prediction predict(Plan plan, List<CalibrationPoint> points, int pods) {
    return predict(plan, points, pods, List.of());
  }

  /**
   * The prediction for {@code pods} with the node's own limits on its pods ({@link
   * io.kdensity.scale.targets.Target#nodeLimits}: a cluster node's kubelet pod slots, allocatable
   * CPU and memory), which need no calibration either.
   */
  public static Prediction predict(
      Plan plan, List<CalibrationPoint> points, int pods, List<Headroom> nodeLimits) {
    List<CalibrationPoint> sorted =
        points.stream().sorted(Comparator.comparingInt(CalibrationPoint::pods)).toList();
    List<Headroom> limits = new ArrayList<>();
    boolean calibrated = Prediction.calibrates(sorted);
    if (calibrated) {
      CalibrationPoint a = sorted.get(0);
      CalibrationPoint b = sorted.get(sorted.size() - 1);
      limits.addAll(neighbourTables(a, b, pods));
      bridge(a, b, pods).ifPresent(limits::add);
      fdb(a, b, pods).ifPresent(limits::add);
      unicastFilter(plan, a, b, pods).ifPresent(limits::add);
      conntrack(a, b, pods).ifPresent(limits::add);
      incast(plan.traffic().udp(), b, pods).ifPresent(limits::add);
      memory(a, b, pods).ifPresent(limits::add);
    }
    limits.addAll(IpamRanges.of(plan, pods));
    limits.addAll(nodeLimits);
    return new Prediction(
        pods,
        plan.interfacesPerPod(),
        limits,
        sorted,
        unmodelled(plan, limits, calibrated ? "" : uncalibrated(sorted)));
  }

  /**
   * The same calibration's neighbour tables at another density, the rest left out: what sizing
   * {@code gc_thresh3} for a target density needs ({@code kdensity recommend --target-pods}).
   * Without the two points, no limit.
   */
  public static Prediction neighbourTablesAt(Prediction p, int pods) {
    if (!p.calibrated()) {
      return new Prediction(pods, p.interfacesPerPod(), List.of(), p.calibration(), List.of());
    }
    List<CalibrationPoint> c = p.calibration();
    return new Prediction(
        pods,
        p.interfacesPerPod(),
        neighbourTables(c.get(0), c.get(c.size() - 1), pods),
        c,
        List.of());
  }

  private static List<Headroom> neighbourTables(CalibrationPoint a, CalibrationPoint b, int pods) {
    List<Headroom> out = new ArrayList<>();
    for (Family f : Family.values()) {
      neighbour(f, a, b, pods).ifPresent(out::add);
    }
    return out;
  }

  /** Why the measured limits are not predicted from {@code points}. */
  static String uncalibrated(List<CalibrationPoint> points) {
    return "needs two calibration points (plain steps that passed), and "
        + (points.isEmpty()
            ? "the node failed its first step"
            : String.format(
                "the node failed before a second one above %,d pods",
                points.get(points.size() - 1).pods()));
  }

  static Optional<Headroom> neighbour(Family f, CalibrationPoint a, CalibrationPoint b, int pods) {
    Optional<Long> steadyA = Measure.pinnedSteady(f).in(a);
    Optional<Long> steadyB = Measure.pinnedSteady(f).in(b);
    Optional<Long> peakB = Measure.pinnedPeak(f).in(b);
    Optional<Long> size = Measure.gcThresh3(f).in(b);
    if (steadyA.isEmpty() || steadyB.isEmpty() || peakB.isEmpty() || size.isEmpty()) {
      return Optional.empty();
    }
    Line steady = Line.through(a.pods(), steadyA.get(), b.pods(), steadyB.get());
    if (steady.perPod() <= 0 && peakB.get() <= steadyB.get()) {
      return Optional.empty(); // the family is not used by the pods
    }
    int step = b.pods() - a.pods();
    long sampled = Math.max(0, peakB.get() - steadyB.get());
    // a plain step makes its new pods' entries while the bring-up's own are still pinned: at least
    // one step's worth of the steady cost, in peaks shorter than a census can see
    double transientOfStep = Math.max(sampled, steady.perPod() * step);
    Integer by = steady.firstAbove(size.get(), 0);
    Integer from = steady.firstAbove(size.get(), transientOfStep);
    String basis =
        String.format(
            "%.1f pinned entries a pod %s once a step's bring-up is gone (censuses at %d and %d"
                + " pods after a steady hold): it breaks for good at %s pods. A plain step of %d new"
                + " pods makes their entries while its bring-up's own are still pinned, at least"
                + " one step's worth (%,d entries; the censuses while the step to %d pods ran saw"
                + " %,d more than steady at most, the rest peaks shorter than a census): it can"
                + " break from %s pods. An entry is refused once the pinned entries reach"
                + " gc_thresh3 %,d, since forced GC frees only unpinned ones",
            steady.perPod(),
            signed(steady.base()),
            a.pods(),
            b.pods(),
            by == null ? "no" : String.format("%,d", by),
            step,
            Math.round(transientOfStep),
            b.pods(),
            sampled,
            from == null ? "no" : String.format("%,d", from),
            size.get());
    return Optional.of(
        new Headroom(
            f.label() + " neighbour table, gc_thresh3",
            FindingCode.NEIGH_TABLE_OVERFLOW,
            size.get(),
            "entries",
            steady.at(pods),
            steady.at(pods) + Math.round(transientOfStep),
            from,
            by,
            basis));
  }

  static Optional<Headroom> bridge(CalibrationPoint a, CalibrationPoint b, int pods) {
    // none when no bridge grows with the pods
    return Growth.of(Measure.BRIDGE_PORTS, a, b)
        .map(
            g ->
                g.limit(
                    "ports of the fullest Linux bridge",
                    FindingCode.BRIDGE_PORT_LIMIT,
                    Capacities.LINUX_BRIDGE_PORTS,
                    "ports",
                    pods,
                    g.perPod("ports", "on the fullest bridge")
                        + "; a bridge numbers its ports 1 to 1,023 (BR_MAX_PORTS 1,024 less port"
                        + " 0, net/bridge/br_if.c find_portno) and refuses the next with EXFULL",
                    false));
  }

  static Optional<Headroom> fdb(CalibrationPoint a, CalibrationPoint b, int pods) {
    long capacity = Measure.FDB_CAPACITY.in(b).orElse(0L);
    if (capacity <= 0) {
      return Optional.empty();
    }
    return Growth.of(Measure.FDB_LEARNED, a, b)
        .map(
            g ->
                g.limit(
                    "the top-of-rack switch's MAC table",
                    FindingCode.FDB_OVER_CAPACITY,
                    capacity,
                    "MACs",
                    pods,
                    g.perPod("MACs learned", "")
                        + String.format(
                            " against a switch MAC table of %,d (the plan's switchMacTable, or"
                                + " its default)",
                            capacity),
                    false));
  }

  /**
   * The busiest uplink's NIC unicast filter: each macvlan/ipvlan child adds its MAC to its master's
   * filter ({@code dev_uc_add}); past the NIC's slots the driver turns the port promiscuous ({@code
   * __dev_set_rx_mode}) and its CPU sees every frame on the wire. The node keeps working, so the
   * crossing is a warning unless one of the plan's SLOs counts NIC_PROMISC_FALLBACK warnings.
   */
  static Optional<Headroom> unicastFilter(
      Plan plan, CalibrationPoint a, CalibrationPoint b, int pods) {
    long slots = Measure.UNICAST_FILTER.in(b).orElse(0L);
    if (slots <= 0) {
      return Optional.empty(); // no filter declared
    }
    boolean counted =
        plan.slos().stream()
            .anyMatch(s -> s.counts(FindingCode.NIC_PROMISC_FALLBACK, Severity.WARNING));
    // none when no uplink gains children with the pods
    return Growth.of(Measure.UPLINK_MACS, a, b)
        .map(
            g ->
                g.limit(
                    "the busiest uplink's NIC unicast filter",
                    FindingCode.NIC_PROMISC_FALLBACK,
                    slots,
                    "MACs",
                    pods,
                    g.perPod("macvlan/ipvlan MACs", "on the busiest uplink")
                        + String.format(
                            " against %,d unicast filter slots declared for a NIC port (the"
                                + " plan's nicUnicastFilter, or its default); past them the NIC"
                                + " runs promiscuous and its CPU sees every frame on the wire: %s",
                            slots,
                            counted
                                ? "an SLO of the plan counts it, so it fails the step"
                                : "a warning, the node keeps working"),
                    !counted));
  }

  /**
   * The node namespace's connection tracking table: the kernel holds each namespace's count to the
   * node-wide {@code nf_conntrack_max} ({@code __nf_conntrack_alloc}) and drops the packet of a new
   * connection past it when no unassured entry near its hash can be evicted. Entries follow
   * connections, not interfaces: an entry lives while its flow sends within the protocol's timeout
   * (30 s for ICMP, 120 s for a UDP stream, 5 days for an established TCP connection). So the cost
   * is taken after each calibration hold, the plan's traffic held in steady state, and the line
   * holds while each pod's traffic stays what it was. A ramp's short step sends fewer flows than
   * the hold (its sweep and those of the steps before it within the timeout), so its knee can lie
   * above the crossing, never below it for long. None where the namespace tracks nothing or its
   * entries did not grow.
   */
  static Optional<Headroom> conntrack(CalibrationPoint a, CalibrationPoint b, int pods) {
    long max = Measure.CONNTRACK_MAX.in(b).orElse(0L);
    if (max <= 0) {
      return Optional.empty(); // no conntrack in the node's namespace, or no limit (0)
    }
    return Growth.of(Measure.CONNTRACK_STEADY, a, b)
        .map(
            g ->
                g.limit(
                    "the node namespace's connection tracking table",
                    FindingCode.CONNTRACK_TABLE_FULL,
                    max,
                    "entries",
                    pods,
                    g.perPod("entries", "in the node's namespace after each steady hold")
                        + String.format(
                            " against nf_conntrack_max %,d, which the kernel holds each"
                                + " namespace's count to. Entries follow connections, not"
                                + " interfaces: each lives while its flow sends within its"
                                + " timeout, so the line holds while each pod's traffic stays what"
                                + " it was in the hold; a ramp's short steps send fewer flows and"
                                + " can pass the crossing for a while",
                            max),
                    false));
  }

  static Optional<Headroom> incast(Traffic.Udp udp, CalibrationPoint b, int pods) {
    Optional<Long> sent = Measure.INCAST_SENT.in(b);
    Optional<Long> dropped = Measure.INCAST_RCVBUF_ERRORS.in(b);
    Optional<Long> sinks = Measure.INCAST_SINKS.in(b);
    if (!udp.enabled()
        || udp.pattern() != Traffic.UdpPattern.INCAST
        || sent.isEmpty()
        || dropped.isEmpty()
        || sinks.isEmpty()
        || sinks.get() < 1
        || sent.get() < 1) {
      return Optional.empty();
    }
    // every pod adds perPod datagrams to a burst, spread round-robin over the sinks
    double perSinkPerPod = udp.perPod() / (double) sinks.get();
    long burst = sent.get() / sinks.get();
    long need = Math.round(perSinkPerPod * pods);
    if (dropped.get() == 0) {
      return Optional.of(
          new Headroom(
              "an incast sink's receive buffer",
              FindingCode.SOCKET_RCVBUF_ERRORS,
              burst,
              "datagrams a burst, per sink (at least)",
              need,
              need,
              null,
              null,
              String.format(
                  "each sink took all %,d datagrams of a calibration burst as large as %,d pods"
                      + " send (%d a pod)",
                  burst, pods, udp.perPod())));
    }
    long absorbed = (sent.get() - dropped.get()) / sinks.get();
    int at = (int) Math.floor(absorbed / perSinkPerPod) + 1;
    return Optional.of(
        new Headroom(
            "an incast sink's receive buffer",
            FindingCode.SOCKET_RCVBUF_ERRORS,
            absorbed,
            "datagrams a burst, per sink",
            need,
            need,
            at,
            at,
            String.format(
                "a sink took %,d of a %,d-datagram calibration burst (its receive buffer over each"
                    + " datagram's truesize, and what its reader took meanwhile) and dropped %,d;"
                    + " each pod adds %d to a burst",
                absorbed, burst, dropped.get() / sinks.get(), udp.perPod())));
  }

  /**
   * The node's memory: what is not available to new work, per pod between the two points after
   * their steady holds, against MemTotal. Everything on the node that grew meanwhile is in the cost
   * (on the local target, kdensity's own process too), so the kernel's unreclaimable part, where
   * pod namespaces and interfaces live, is given apart. A node runs short of memory a little before
   * the line passes MemTotal (the kernel keeps vm.min_free_kbytes back), so the pod count is an
   * upper bound.
   */
  static Optional<Headroom> memory(CalibrationPoint a, CalibrationPoint b, int pods) {
    Optional<Long> ua = Measure.MEM_USED_STEADY_KB.in(a);
    Optional<Long> ub = Measure.MEM_USED_STEADY_KB.in(b);
    Optional<Long> ka = Measure.MEM_KERNEL_STEADY_KB.in(a);
    Optional<Long> kb = Measure.MEM_KERNEL_STEADY_KB.in(b);
    Optional<Long> total = Measure.MEM_TOTAL_KB.in(b);
    if (ua.isEmpty() || ub.isEmpty() || ka.isEmpty() || kb.isEmpty() || total.isEmpty()) {
      return Optional.empty();
    }
    Line used = Line.through(a.pods(), ua.get(), b.pods(), ub.get());
    if (used.perPod() <= 0) {
      return Optional.empty(); // nothing measurable grew with the pods
    }
    Line kernel = Line.through(a.pods(), ka.get(), b.pods(), kb.get());
    Integer at = used.firstAbove(total.get(), 0);
    return Optional.of(
        new Headroom(
            "the node's memory",
            FindingCode.ATTACH_FAILED,
            total.get() / 1024,
            "MiB",
            used.at(pods) / 1024,
            used.at(pods) / 1024,
            at,
            at,
            String.format(
                "%,.0f kB a pod %s kB not available to new work (%,d MiB at %d pods, %,d MiB at"
                    + " %d, after each steady hold; /proc/meminfo MemTotal less MemAvailable), of"
                    + " it %,.0f kB a pod the kernel's own that it cannot reclaim (namespaces,"
                    + " interfaces, their per-CPU stats: SUnreclaim, Percpu, KernelStack,"
                    + " PageTables). Whatever else grew on the node meanwhile is in the cost. A"
                    + " node with %,d MiB refuses new pods, or kills, a little before the line"
                    + " reaches it",
                used.perPod(),
                signed(used.base()),
                ua.get() / 1024,
                a.pods(),
                ub.get() / 1024,
                b.pods(),
                kernel.perPod(),
                total.get() / 1024)));
  }

  /**
   * A measure that grows with the pods: its values at both calibration points and the line through
   * them.
   */
  record Growth(Line line, int podsA, long atA, int podsB, long atB) {
    /** The measure's growth, if both points recorded it and it grows. */
    static Optional<Growth> of(Measure m, CalibrationPoint a, CalibrationPoint b) {
      Optional<Long> va = m.in(a);
      Optional<Long> vb = m.in(b);
      if (va.isEmpty() || vb.isEmpty()) {
        return Optional.empty();
      }
      Line line = Line.through(a.pods(), va.get(), b.pods(), vb.get());
      return line.perPod() <= 0
          ? Optional.empty()
          : Optional.of(new Growth(line, a.pods(), va.get(), b.pods(), vb.get()));
    }

    /** "1.0 ports a pod + 0 on the fullest bridge (20 at 20 pods, 40 at 40)". */
    String perPod(String what, String where) {
      return String.format(
          "%.1f %s a pod %s%s (%,d at %d pods, %,d at %d)",
          line.perPod(),
          what,
          signed(line.base()),
          where.isEmpty() ? "" : " " + where,
          atA,
          podsA,
          atB,
          podsB);
    }

    /**
     * The limit of {@code size} this growth passes: what {@code pods} need of it, and the first pod
     * count past it, with and without transients alike (the cost has none).
     */
    Headroom limit(
        String limit,
        FindingCode code,
        long size,
        String unit,
        int pods,
        String basis,
        boolean warning) {
      Integer at = line.firstAbove(size, 0);
      return new Headroom(
          limit, code, size, unit, line.at(pods), line.at(pods), at, at, basis, warning);
    }
  }

  /** "+ 154" or "− 6": a fitted line's base as the text adds it. */
  static String signed(double base) {
    long b = Math.round(base);
    return String.format("%s %,d", b < 0 ? "−" : "+", Math.abs(b));
  }

  /** Why a finding code the model has no limit for is not predicted. */
  private static final Map<FindingCode, String> NOT_MODELLED =
      Map.of(
          FindingCode.IP_LOSS,
          "not modelled on its own: an address lost to a full neighbour table comes with"
              + " NEIGH_TABLE_OVERFLOW",
          FindingCode.ATTACH_FAILED,
          "not modelled: the plan has no host-local range that runs out, the node no pod limit"
              + " it reports (a cluster's maxPods, allocatable CPU and memory), and plugin errors"
              + " are seen when they happen",
          FindingCode.SOFTNET_DROPS,
          "not modelled: how many flood copies queue at once depends on which interfaces come up"
              + " together; only a ramp measures it",
          FindingCode.SOFTNET_TIME_SQUEEZE,
          "not modelled: NET_RX's budget depends on the packet mix",
          FindingCode.NIC_PROMISC_FALLBACK,
          "no uplink gained macvlan/ipvlan MACs with the calibration's pods, or the plan declares"
              + " no unicast filter (nicUnicastFilter 0)",
          FindingCode.NEIGH_TABLE_OVERFLOW,
          "the calibration's pods pinned no neighbour entries",
          FindingCode.BRIDGE_PORT_LIMIT,
          "no bridge gained ports with the calibration's pods",
          FindingCode.FDB_OVER_CAPACITY,
          "no declared switch MAC table, or no MACs learned with the calibration's pods",
          FindingCode.SOCKET_RCVBUF_ERRORS,
          "modelled for an incast load only, and the plan has none",
          FindingCode.CONNTRACK_TABLE_FULL,
          "the node's namespace tracked no connections, or its entries did not grow with the"
              + " calibration's pods (the embedded node tracks none unless its plan sets"
              + " target.local.conntrack)");

  /**
   * @param uncalibrated why the measured limits are missing, "" when the calibration had its points
   */
  static List<String> unmodelled(Plan plan, List<Headroom> limits, String uncalibrated) {
    Set<FindingCode> modelled = EnumSet.noneOf(FindingCode.class);
    limits.forEach(h -> modelled.add(h.code()));
    List<String> out = new ArrayList<>();
    for (Slo s : plan.slos()) {
      if (s.finding() != null && !modelled.contains(s.finding())) {
        String why =
            !uncalibrated.isEmpty() && CALIBRATED.contains(s.finding())
                ? uncalibrated
                : NOT_MODELLED.getOrDefault(s.finding(), "not modelled");
        out.add(s.describe() + ": " + why);
      } else if (s.metric() != null) {
        out.add(s.describe() + ": latencies, rates and bring-up counters are not modelled");
      }
    }
    return out;
  }
}
