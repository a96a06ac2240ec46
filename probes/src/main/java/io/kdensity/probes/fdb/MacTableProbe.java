package io.kdensity.probes.fdb;

import io.kdensity.probes.finding.Cause;
import io.kdensity.probes.finding.Evidence;
import io.kdensity.probes.finding.Finding;
import io.kdensity.probes.finding.Severity;
import io.kdensity.probes.link.IpLinkParser;
import io.kdensity.probes.link.LinkInfo;
import io.kdensity.probes.probe.Capacities;
import io.kdensity.probes.probe.Metric;
import io.kdensity.probes.probe.MetricValues;
import io.kdensity.probes.probe.PodInterface;
import io.kdensity.probes.probe.PodView;
import io.kdensity.probes.probe.Probe;
import io.kdensity.probes.probe.ProbeContext;
import io.kdensity.probes.probe.ProbeResult;
import io.kdensity.probes.shell.Command;
import io.kdensity.probes.shell.NodeShell;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Layer-2 tables: learned MACs per bridge against the declared switch table size and the kernel's
 * {@code fdb_max_learned}; bridge ports against the 1,023 port limit; macvlan/ipvlan children per
 * uplink against the NIC's unicast filter: the declared one on emulated uplinks, the NIC's real
 * promiscuity on a node's ({@link Capacities.UnicastFilter}).
 *
 * <p>And the broadcast queue of each uplink that carries children. macvlan does not copy a
 * broadcast, or a multicast more than one child listens to, to its children where it arrives: its
 * receive handler queues it on the port's {@code bc_queue} ({@code macvlan_broadcast_enqueue}) and
 * a kernel worker copies each queued frame to every child ({@code macvlan_process_broadcast}), so
 * the queue drains more slowly the more children share the uplink. A full queue ({@code
 * bcqueuelen}, 1,000 by default; the port uses the largest any child asks for) drops the frame and
 * counts it in the uplink's {@code rx_dropped} ({@code dev_core_stats_rx_dropped_inc}). ipvlan
 * queues multicast the same way, on a fixed backlog of 1,000 ({@code ipvlan_multicast_enqueue}).
 * Lost frames are ARP requests, router advertisements and all-nodes multicast the pods never see.
 * On an emulated uplink (a veth) nothing else counts there; on a NIC the driver's own drops and
 * frames no protocol handles count there too.
 */
public final class MacTableProbe implements Probe<MacTableProbe.Snapshot> {

  public static final Metric FDB_LEARNED =
      Metric.count("l2.fdb.learned", "MACs learned by the bridges that play the switch");
  public static final Metric FDB_CAPACITY =
      Metric.count("l2.fdb.capacity", "the declared MAC table of the switch");
  public static final Metric BRIDGE_MAX_PORTS =
      Metric.count("l2.bridge.max_ports", "ports of the fullest bridge");
  public static final Metric UPLINKS_PROMISCUOUS =
      Metric.count("l2.uplinks.promiscuous", "uplinks running promiscuous");
  public static final Metric UPLINKS_MAX_CHILDREN =
      Metric.count("l2.uplinks.max_children", "macvlan/ipvlan MACs on the busiest uplink");
  public static final Metric UPLINKS_UNICAST_FILTER =
      Metric.count(
          "l2.uplinks.unicast_filter",
          "unicast filter slots of an uplink's NIC port (the plan's nicUnicastFilter)");
  public static final Metric UPLINKS_RX_DROPPED =
      Metric.count(
          "l2.uplinks.rx_dropped",
          "frames the uplinks carrying macvlan/ipvlan children dropped on receive in the step: their broadcast queue was full (on a NIC also the driver's drops)");

  /** macvlan's default {@code bcqueuelen} and ipvlan's fixed multicast backlog. */
  static final int BROADCAST_QUEUE = 1000;

  static final Command LINKS = Command.of("ip", "-j", "-d", "-s", "link");
  static final Command FDB = Command.of("bridge", "-j", "fdb", "show");

  /**
   * @param nearLimit a bridge at or above this fraction of its port limit raises a warning
   */
  public record Thresholds(double nearLimit) {
    public static final Thresholds DEFAULT = new Thresholds(0.9);
  }

  /**
   * One bridge.
   *
   * @param where the namespace (shell description)
   * @param name bridge name
   * @param switchRole whether it plays the top-of-rack switch (the declared MAC table applies)
   * @param ports enslaved ports
   * @param learned learned MAC addresses
   * @param fdbMaxLearned the kernel's per-bridge limit, -1 if not set or not visible
   */
  public record Bridge(
      String where, String name, boolean switchRole, int ports, int learned, long fdbMaxLearned) {}

  /**
   * An uplink (NIC port) carrying macvlan/ipvlan children.
   *
   * @param kind the children's kind: macvlan or ipvlan (a device has one receive handler)
   */
  public record Uplink(String name, String kind, int children, int promiscuity) {}

  /**
   * @param rxDropped {@code rx_dropped} of every node link that is no bridge port (a port's receive
   *     handler is the bridge's, so it carries no macvlan/ipvlan): the uplinks' counters, also of a
   *     step's first children, whose uplink the previous snapshot did not list as one
   */
  public record Snapshot(List<Bridge> bridges, List<Uplink> uplinks, Map<String, Long> rxDropped) {
    public Snapshot {
      bridges = List.copyOf(bridges);
      uplinks = List.copyOf(uplinks);
      rxDropped = Map.copyOf(rxDropped);
    }
  }

  private final Thresholds thresholds;

  public MacTableProbe(Thresholds thresholds) {
    this.thresholds = thresholds;
  }

  @Override
  public String name() {
    return "mac-table";
  }

  @Override
  public List<Metric> metrics() {
    return List.of(
        FDB_LEARNED,
        FDB_CAPACITY,
        BRIDGE_MAX_PORTS,
        UPLINKS_PROMISCUOUS,
        UPLINKS_MAX_CHILDREN,
        UPLINKS_UNICAST_FILTER,
        UPLINKS_RX_DROPPED);
  }

  @Override
  public Snapshot snapshot(ProbeContext ctx) {
    List<Bridge> bridges = new ArrayList<>();
    List<NodeShell> domains = new ArrayList<>();
    domains.add(ctx.scope().node());
    for (NodeShell d : ctx.scope().l2Domains()) {
      if (d != ctx.scope().node()) {
        domains.add(d);
      }
    }
    List<LinkInfo> nodeLinks = null;
    for (NodeShell d : domains) {
      boolean switchRole = ctx.scope().l2Domains().contains(d);
      List<LinkInfo> links =
          IpLinkParser.parse(
              d.run(LINKS).requireSuccess().stdout(), LINKS.display() + " in " + d.describe());
      if (d == ctx.scope().node()) {
        nodeLinks = links;
      }
      Map<String, Integer> ports = new HashMap<>();
      Map<String, LinkInfo> brs = new LinkedHashMap<>();
      for (LinkInfo l : links) {
        if (l.isKind("bridge")) {
          brs.put(l.name(), l);
        }
        if (l.master() != null) {
          ports.merge(l.master(), 1, Integer::sum);
        }
      }
      if (brs.isEmpty()) {
        continue;
      }
      Map<String, Integer> learned = new HashMap<>();
      for (FdbEntry e :
          BridgeFdbParser.parse(
              d.run(FDB).requireSuccess().stdout(), FDB.display() + " in " + d.describe())) {
        if (e.learned()) {
          learned.merge(e.master(), 1, Integer::sum);
        }
      }
      for (LinkInfo b : brs.values()) {
        bridges.add(
            new Bridge(
                d.describe(),
                b.name(),
                switchRole,
                ports.getOrDefault(b.name(), 0),
                learned.getOrDefault(b.name(), 0),
                b.fdbMaxLearned()));
      }
    }
    Map<String, Integer> children = new LinkedHashMap<>();
    Map<String, String> kinds = new HashMap<>();
    for (PodView pod : ctx.scope().pods()) {
      for (PodInterface i : pod.interfaces()) {
        if (i.master() != null && (i.kind().equals("macvlan") || i.kind().equals("ipvlan"))) {
          children.merge(i.master(), 1, Integer::sum);
          kinds.put(i.master(), i.kind());
        }
      }
    }
    Map<String, LinkInfo> byName = new HashMap<>();
    Map<String, Long> rxDropped = new HashMap<>();
    for (LinkInfo l : nodeLinks) {
      byName.put(l.name(), l);
      if (l.master() == null) {
        rxDropped.put(l.name(), l.stats().rxDropped());
      }
    }
    List<Uplink> uplinks = new ArrayList<>();
    children.forEach(
        (parent, n) -> {
          LinkInfo l = byName.get(parent);
          uplinks.add(new Uplink(parent, kinds.get(parent), n, l == null ? -1 : l.promiscuity()));
        });
    return new Snapshot(bridges, uplinks, rxDropped);
  }

  @Override
  public ProbeResult evaluate(Snapshot before, Snapshot after, ProbeContext ctx) {
    Capacities cap = ctx.scope().capacities();
    MetricValues m = new MetricValues();
    List<Finding> findings = new ArrayList<>();
    List<String> notes = new ArrayList<>();
    Map<String, Bridge> prev = new HashMap<>();
    before.bridges().forEach(b -> prev.put(b.where() + "/" + b.name(), b));
    int learnedSwitch = 0;
    int maxPorts = 0;
    for (Bridge b : after.bridges()) {
      Bridge p =
          prev.getOrDefault(
              b.where() + "/" + b.name(),
              new Bridge(b.where(), b.name(), b.switchRole(), 0, 0, -1));
      maxPorts = Math.max(maxPorts, b.ports());
      if (b.switchRole()) {
        learnedSwitch += b.learned();
      }
      String subject = "bridge " + b.name() + " (" + b.where() + ")";
      Evidence learnedEv =
          Evidence.counter("learned FDB entries on " + b.name(), p.learned(), b.learned());
      if (b.switchRole() && b.learned() > cap.switchMacTable()) {
        findings.add(
            Finding.of(
                Severity.CRITICAL,
                Cause.SWITCH_MAC_TABLE_EXCEEDED,
                subject,
                String.format(
                    "%,d learned MACs exceed the declared switch MAC table of %,d",
                    b.learned(), cap.switchMacTable()),
                List.of(
                    learnedEv,
                    Evidence.observed(
                        "declared switch MAC table", String.valueOf(cap.switchMacTable())))));
      }
      if (b.fdbMaxLearned() > 0 && b.learned() >= b.fdbMaxLearned()) {
        findings.add(
            Finding.of(
                Severity.CRITICAL,
                Cause.FDB_MAX_LEARNED_REACHED,
                subject,
                String.format(
                    "%,d learned MACs reached fdb_max_learned %,d", b.learned(), b.fdbMaxLearned()),
                List.of(
                    learnedEv,
                    Evidence.observed("fdb_max_learned", String.valueOf(b.fdbMaxLearned())))));
      }
      Evidence portsEv = Evidence.counter("ports of " + b.name(), p.ports(), b.ports());
      if (b.ports() >= cap.bridgePortLimit()) {
        findings.add(
            Finding.of(
                Severity.CRITICAL,
                Cause.BRIDGE_FULL,
                subject,
                String.format(
                    "bridge is full: %,d of %,d ports; the next port fails with 'Exchange full'",
                    b.ports(), cap.bridgePortLimit()),
                List.of(portsEv)));
      } else if (b.ports() >= thresholds.nearLimit() * cap.bridgePortLimit()) {
        findings.add(
            Finding.of(
                Severity.WARNING,
                Cause.BRIDGE_NEAR_FULL,
                subject,
                String.format(
                    "bridge near its port limit: %,d of %,d ports",
                    b.ports(), cap.bridgePortLimit()),
                List.of(portsEv)));
      }
    }
    m.put(FDB_LEARNED, learnedSwitch);
    m.put(FDB_CAPACITY, cap.switchMacTable());
    m.put(BRIDGE_MAX_PORTS, maxPorts);
    Map<String, Uplink> prevUp = new HashMap<>();
    before.uplinks().forEach(u -> prevUp.put(u.name(), u));
    int promisc = 0;
    int maxChildren = 0;
    long dropped = 0;
    for (Uplink u : after.uplinks()) {
      maxChildren = Math.max(maxChildren, u.children());
      if (u.promiscuity() > 0) {
        promisc++;
      }
      Uplink p = prevUp.getOrDefault(u.name(), new Uplink(u.name(), u.kind(), 0, 0));
      fallback(u, p, cap).ifPresent(findings::add);
      long was = before.rxDropped().getOrDefault(u.name(), 0L);
      long now = after.rxDropped().getOrDefault(u.name(), 0L);
      // a link made again under the same name counts from zero
      long from = now >= was ? was : 0;
      dropped += now - from;
      if (now > from) {
        findings.add(broadcastQueueFull(u, p.children(), from, now, cap));
      }
      if (cap.unicastFilter() == Capacities.UnicastFilter.OBSERVED
          && u.promiscuity() == 0
          && u.children() > cap.nicUnicastFilter()) {
        notes.add(
            String.format(
                "uplink %s carries %,d macvlan/ipvlan MACs, beyond the %,d unicast filter slots declared, and is not promiscuous: its NIC has room, or its driver fell back in hardware, which the kernel does not show (see ethtool -S)",
                u.name(), u.children(), cap.nicUnicastFilter()));
      }
    }
    m.put(UPLINKS_PROMISCUOUS, promisc);
    m.put(UPLINKS_MAX_CHILDREN, maxChildren);
    m.put(UPLINKS_UNICAST_FILTER, cap.nicUnicastFilter());
    m.put(UPLINKS_RX_DROPPED, dropped);
    return new ProbeResult(name(), m.toMap(), findings, after, notes);
  }

  /**
   * Frames an uplink dropped on receive: critical on an emulated uplink, where only the children's
   * broadcast queue counts there; a warning on a NIC, whose driver counts its own drops there too.
   */
  private static Finding broadcastQueueFull(
      Uplink u, int childrenBefore, long droppedBefore, long droppedNow, Capacities cap) {
    long lost = droppedNow - droppedBefore;
    boolean emulated = cap.unicastFilter() == Capacities.UnicastFilter.DECLARED;
    String queue =
        u.kind().equals("ipvlan")
            ? String.format(
                "the ipvlan multicast backlog (%,d frames, fixed) was full", BROADCAST_QUEUE)
            : String.format(
                "the macvlan broadcast queue (bc_queue: %,d frames unless a child's bcqueuelen asks for more) was full",
                BROADCAST_QUEUE);
    String message =
        String.format(
                "%,d broadcast/multicast frames dropped on uplink %s: %s; a kernel worker copies each queued frame to every one of its %,d %s children, so the queue drains more slowly the more children share the uplink, and the pods miss ARP requests, router advertisements and all-nodes multicast",
                lost, u.name(), queue, u.children(), u.kind())
            + (emulated
                ? ""
                : " (on a NIC rx_dropped also counts the driver's own drops and frames no protocol handles: ethtool -S tells them apart)");
    return Finding.of(
        emulated ? Severity.CRITICAL : Severity.WARNING,
        Cause.BROADCAST_QUEUE_FULL,
        "uplink " + u.name(),
        message,
        List.of(
            Evidence.counter("rx_dropped of " + u.name(), droppedBefore, droppedNow),
            Evidence.counter(u.kind() + " children on " + u.name(), childrenBefore, u.children())));
  }

  /**
   * The promiscuous fallback of one uplink: on emulated uplinks its MACs beyond the declared
   * filter, on real NICs the promiscuity it runs with while carrying MACs.
   */
  private static Optional<Finding> fallback(Uplink u, Uplink before, Capacities cap) {
    List<Evidence> evidence =
        List.of(
            Evidence.counter("MAC children on " + u.name(), before.children(), u.children()),
            Evidence.counter("promiscuity of " + u.name(), before.promiscuity(), u.promiscuity()),
            Evidence.observed(
                "declared unicast filter slots", String.valueOf(cap.nicUnicastFilter())));
    String message;
    if (cap.unicastFilter() == Capacities.UnicastFilter.DECLARED) {
      if (u.children() <= cap.nicUnicastFilter()) {
        return Optional.empty();
      }
      message =
          String.format(
              "%,d macvlan/ipvlan MACs exceed the %,d unicast filter slots declared for the emulated NIC: a real NIC with that filter runs promiscuous and its CPU sees every frame (the emulated veth has no filter and is promiscuous from its first MAC)",
              u.children(), cap.nicUnicastFilter());
    } else {
      if (u.children() == 0 || u.promiscuity() == 0) {
        return Optional.empty();
      }
      message =
          String.format(
              "the NIC runs promiscuous (promiscuity %d) with %,d macvlan/ipvlan MACs: no room for them in its unicast filter (or none), so its CPU sees every frame on the wire",
              u.promiscuity(), u.children());
    }
    return Optional.of(
        Finding.of(
            Severity.WARNING, Cause.UNICAST_FILTER_FULL, "uplink " + u.name(), message, evidence));
  }
}
