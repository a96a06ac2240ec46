package io.kdensity.scale.engine;

import io.kdensity.probes.addr.IpLossProbe;
import io.kdensity.probes.cpu.PacketCpuProbe;
import io.kdensity.probes.finding.Cause;
import io.kdensity.probes.finding.Evidence;
import io.kdensity.probes.finding.Finding;
import io.kdensity.probes.finding.FindingCode;
import io.kdensity.probes.link.IpLinkParser;
import io.kdensity.probes.neigh.IpNeighParser;
import io.kdensity.probes.neigh.NeighEntry;
import io.kdensity.probes.neigh.NeighbourProbe;
import io.kdensity.probes.shell.Command;
import io.kdensity.probes.shell.CommandResult;
import io.kdensity.probes.shell.NodeShell;
import io.kdensity.probes.shell.ShellException;
import io.kdensity.scale.targets.Target;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Explains addresses that did not answer: for each example address of an unexplained {@code
 * IP_LOSS}, what the evidence says — the node-wide table refused entries ({@code table_fulls} rose)
 * and the pinging side has no usable entry for its peer; the pinging side has no route to the peer;
 * neighbour discovery for the peer failed while packets were dropped (softnet backlog); or nothing
 * checked explains it, in which case the finding lists what was checked. The finding takes the
 * cause most of its examples show; the evidence gives each example's. Only the lost addresses vote:
 * the other probes' evidence on the finding (the kernel's drop counters) stays as it is.
 */
final class LossDiagnosis {
  private final Function<String, Optional<Target.PingPath>> paths;

  /**
   * @param paths where the step's traffic checked each address from ({@link Target#pingPath})
   */
  LossDiagnosis(Function<String, Optional<Target.PingPath>> paths) {
    this.paths = paths;
  }

  /** The findings with every unexplained IP loss diagnosed; the others unchanged. */
  List<Finding> diagnose(List<Finding> findings, Map<String, Double> metrics) {
    List<Finding> out = new ArrayList<>();
    for (Finding f : findings) {
      out.add(
          f.code() == FindingCode.IP_LOSS && f.cause() == Cause.LOSS_UNEXPLAINED
              ? diagnose(f, metrics)
              : f);
    }
    return out;
  }

  private Finding diagnose(Finding f, Map<String, Double> metrics) {
    NeighbourProbe.FamilyMetrics v6 = NeighbourProbe.Family.V6.metrics();
    NeighbourProbe.FamilyMetrics v4 = NeighbourProbe.Family.V4.metrics();
    double refused =
        metrics.getOrDefault(v6.tableFulls().name(), 0.0)
            + metrics.getOrDefault(v4.tableFulls().name(), 0.0);
    double backlogDrops = metrics.getOrDefault(PacketCpuProbe.DROPPED.name(), 0.0);
    Map<Cause, Integer> votes = new EnumMap<>(Cause.class);
    List<Evidence> checked = new ArrayList<>();
    int examples = 0;
    for (Evidence e : f.evidence()) {
      Optional<String> address = IpLossProbe.lostAddress(e);
      if (address.isEmpty()) {
        // another probe's evidence for the loss (kernel drop counters): kept as it is, no vote
        checked.add(e);
        continue;
      }
      examples++;
      Verdict v = check(address.get(), refused, backlogDrops);
      votes.merge(v.cause(), 1, Integer::sum);
      checked.add(
          Evidence.observed(e.what() + " " + address.get(), v.cause().summary() + ": " + v.why()));
    }
    if (votes.isEmpty()) {
      return f;
    }
    Cause dominant =
        votes.entrySet().stream()
            .max(Map.Entry.<Cause, Integer>comparingByValue().thenComparing(e -> -rank(e.getKey())))
            .orElseThrow()
            .getKey();
    StringBuilder split = new StringBuilder();
    votes.forEach(
        (c, n) ->
            split
                .append(split.length() == 0 ? "" : ", ")
                .append(n)
                .append(' ')
                .append(c.summary()));
    return f.because(
        dominant, f.message() + " — of the " + examples + " checked: " + split, checked);
  }

  /** Precedence when examples split evenly: the more specific cause first. */
  private static int rank(Cause c) {
    return switch (c) {
      case NEIGHBOUR_REFUSED -> 0;
      case NO_ROUTE -> 1;
      case NEIGHBOUR_UNANSWERED -> 2;
      default -> 3;
    };
  }

  private record Verdict(Cause cause, String why) {}

  private Verdict check(String address, double refused, double backlogDrops) {
    Optional<Target.PingPath> path = paths.apply(address);
    if (path.isEmpty()) {
      return new Verdict(Cause.LOSS_UNEXPLAINED, "not pinged this step; nothing to check");
    }
    Target.PingPath p = path.get();
    List<Side> sides = new ArrayList<>(List.of(new Side(p.from(), p.peer())));
    if (p.replyFrom() != null) {
      sides.add(new Side(p.replyFrom(), p.replyPeer()));
    }
    List<String> routes = new ArrayList<>();
    for (Side side : sides) {
      Optional<String> route = route(side);
      if (route.isEmpty()) {
        return new Verdict(Cause.NO_ROUTE, "no route to " + side.peer() + side.where());
      }
      routes.add(route.get());
    }
    // the first side without a usable neighbour entry for its peer (the request's, then the
    // answer's); if both have one, the request's side is the one shown
    Side shown = sides.get(0);
    Optional<NeighEntry> entry = neighbour(shown);
    boolean unresolved = entry.isEmpty() || entry.get().failed();
    for (Side side : sides.subList(1, sides.size())) {
      Optional<NeighEntry> e = neighbour(side);
      if (!unresolved && (e.isEmpty() || e.get().failed())) {
        shown = side;
        entry = e;
        unresolved = true;
      }
    }
    String state = entry.map(NeighEntry::describe).orElse("no entry");
    String at = "entry for " + shown.peer() + shown.where() + ": " + state;
    if (refused > 0 && unresolved) {
      return new Verdict(
          Cause.NEIGHBOUR_REFUSED,
          String.format(
              "%s while the node's table refused %,.0f entries (table_fulls)", at, refused));
    }
    if (unresolved && backlogDrops > 0) {
      return new Verdict(
          Cause.NEIGHBOUR_UNANSWERED,
          String.format(
              "%s while %,.0f packets were dropped on full input backlogs", at, backlogDrops));
    }
    long linkDrops = unresolved ? linkDrops(shown) : 0;
    if (linkDrops > 0) {
      return new Verdict(
          Cause.NEIGHBOUR_UNANSWERED,
          String.format(
              "%s; the links there dropped %,d packets (rx+tx, since set-up)", at, linkDrops));
    }
    return new Verdict(
        Cause.LOSS_UNEXPLAINED,
        String.format(
            "checked: route %s; %s; table_fulls +%,.0f; backlog drops +%,.0f; link drops %,d",
            String.join(" / ", routes), at, refused, backlogDrops, linkDrops));
  }

  /** Packets the side's links dropped (uplink, bridge, veth), since they were created. */
  private static long linkDrops(Side p) {
    try {
      Command c = Command.of("ip", "-j", "-s", "link");
      CommandResult r = p.shell().run(c);
      if (!r.ok()) {
        return 0;
      }
      return IpLinkParser.parse(r.stdout(), c.display() + " in " + p.shell().describe()).stream()
          .mapToLong(l -> l.stats().rxDropped() + l.stats().txDropped())
          .sum();
    } catch (RuntimeException e) {
      return 0;
    }
  }

  /** One end of a ping: a namespace and the address it sends to. */
  private record Side(NodeShell shell, String peer) {
    String where() {
      return " in " + shell.describe();
    }
  }

  /** The route to the peer ({@code dev X via Y}), or empty when there is none. */
  private static Optional<String> route(Side p) {
    CommandResult r;
    try {
      r = p.shell().run(Command.of("ip", "route", "get", p.peer()));
    } catch (ShellException e) {
      return Optional.of("unknown (" + e.getMessage() + ")");
    }
    String out = r.stdout().strip();
    if (!r.ok() || out.isEmpty() || out.startsWith("unreachable") || out.contains(" unreachable")) {
      return Optional.empty();
    }
    return Optional.of(out.split("\n")[0]);
  }

  private static Optional<NeighEntry> neighbour(Side p) {
    try {
      Command c = Command.of("ip", "-j", "-s", "neigh", "show", "to", p.peer());
      CommandResult r = p.shell().run(c);
      if (!r.ok()) {
        return Optional.empty();
      }
      return IpNeighParser.parse(r.stdout(), c.display() + " in " + p.shell().describe()).stream()
          .findFirst();
    } catch (RuntimeException e) {
      return Optional.empty();
    }
  }
}
