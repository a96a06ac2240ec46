package io.kdensity.probes.neigh;

import io.kdensity.probes.neigh.NeighbourProbe.Family;
import io.kdensity.probes.neigh.NeighbourProbe.Role;
import io.kdensity.probes.probe.PodView;
import io.kdensity.probes.probe.ProbeScope;
import io.kdensity.probes.shell.Command;
import io.kdensity.probes.shell.CommandResult;
import io.kdensity.probes.shell.CommandTimeoutException;
import io.kdensity.probes.shell.NodeShell;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Every neighbour entry of the run's namespaces, sorted as forced GC sees it ({@link GcHold}), by
 * role and family: how many of the table's entries a density pins. One {@code ip -j -s neigh} per
 * namespace, the pods' included, so it is for calibration at small densities, not for every step
 * (the {@link NeighbourProbe} counts the pods' entries as the kernel's total less the rest).
 *
 * <p>Covers the node's namespace, the emulated outside's, every pod's and the machine's own root
 * namespace when it is not the node's; namespaces that are not the run's are left out.
 */
public final class NeighbourCensus {
  static final Command DUMP = Command.of("ip", "-j", "-s", "neigh", "show", "nud", "all");
  static final Command NETNS_LIST = Command.of("ip", "netns", "list");
  static final Duration NAMESPACE_TIMEOUT = Duration.ofSeconds(5);

  private NeighbourCensus() {}

  /** Entries of one role and family by how forced GC sees them. */
  public record Tally(long exempt, long pinned, long removable) {
    public static final Tally NONE = new Tally(0, 0, 0);

    /** The entries the kernel compares with gc_thresh1/2/3. */
    public long counted() {
      return pinned + removable;
    }

    public Tally plus(Tally o) {
      return new Tally(exempt + o.exempt, pinned + o.pinned, removable + o.removable);
    }

    Tally plus(GcHold h) {
      return plus(
          new Tally(
              h == GcHold.EXEMPT ? 1 : 0,
              h == GcHold.PINNED ? 1 : 0,
              h == GcHold.REMOVABLE ? 1 : 0));
    }
  }

  /** The tallies of one census, by role and family. */
  public record Census(Map<Role, Map<Family, Tally>> tallies) {
    public Census {
      Map<Role, Map<Family, Tally>> copy = new EnumMap<>(Role.class);
      tallies.forEach((r, m) -> copy.put(r, Map.copyOf(m)));
      tallies = Map.copyOf(copy);
    }

    public Tally tally(Role r, Family f) {
      return tallies.getOrDefault(r, Map.of()).getOrDefault(f, Tally.NONE);
    }

    /** The family's entries over every role. */
    public Tally total(Family f) {
      Tally t = Tally.NONE;
      for (Role r : Role.values()) {
        t = t.plus(tally(r, f));
      }
      return t;
    }
  }

  /**
   * Every neighbour entry on the machine by family: the root namespace's and every named one's
   * ({@code ip netns list}), which is what the kernel's tables count when the run's namespaces are
   * all named. Needs no scope, so it can run while pods come and go; a namespace deleted meanwhile
   * is skipped, and one without a name (a process's that is not bound under /run/netns) is not
   * seen.
   */
  public static Map<Family, Tally> machine(NodeShell host) {
    Map<Family, Tally> out = new EnumMap<>(Family.class);
    String root = host.run(DUMP).requireSuccess().stdout();
    sort(IpNeighParser.parse(root, DUMP.display())).forEach((f, t) -> out.merge(f, t, Tally::plus));
    String names = host.run(NETNS_LIST).requireSuccess().stdout();
    for (String line : names.split("\n")) {
      String ns = line.strip().split("\\s+")[0];
      if (ns.isEmpty()) {
        continue;
      }
      Command dump = Command.of("ip", "-n", ns, "-j", "-s", "neigh", "show", "nud", "all");
      CommandResult r;
      try {
        r = host.run(dump.withTimeout(NAMESPACE_TIMEOUT));
      } catch (CommandTimeoutException e) {
        continue; // a namespace being torn down can hang its dump
      }
      if (r.ok()) { // else it went away since it was listed
        sort(IpNeighParser.parse(r.stdout(), dump.display()))
            .forEach((f, t) -> out.merge(f, t, Tally::plus));
      }
    }
    return out;
  }

  /** Dumps and sorts the entries of every namespace of {@code scope}. */
  public static Census take(ProbeScope scope) {
    Map<Role, Map<Family, Tally>> out = new EnumMap<>(Role.class);
    add(out, Role.NODE, scope.node());
    for (NodeShell ns : scope.outsideNode()) {
      add(out, Role.EMULATION, ns);
    }
    for (PodView p : scope.pods()) {
      add(out, Role.PODS, p.shell());
    }
    if (scope.host() != scope.node()) {
      add(out, Role.OTHER, scope.host());
    }
    return new Census(out);
  }

  private static void add(Map<Role, Map<Family, Tally>> out, Role role, NodeShell ns) {
    CommandResult r = ns.run(DUMP).requireSuccess();
    sort(IpNeighParser.parse(r.stdout(), DUMP.display() + " in " + ns.describe()))
        .forEach(
            (f, t) ->
                out.computeIfAbsent(role, k -> new EnumMap<>(Family.class))
                    .merge(f, t, Tally::plus));
  }

  /** The entries by family, each sorted as forced GC sees it. */
  static Map<Family, Tally> sort(List<NeighEntry> entries) {
    Map<Family, Tally> out = new EnumMap<>(Family.class);
    for (NeighEntry e : entries) {
      out.merge(e.ipv6() ? Family.V6 : Family.V4, Tally.NONE.plus(GcHold.of(e)), Tally::plus);
    }
    return out;
  }
}
