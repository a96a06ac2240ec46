package io.kdensity.probes.drop;

import io.kdensity.probes.finding.Evidence;
import io.kdensity.probes.finding.Finding;
import io.kdensity.probes.probe.DropCounter;
import io.kdensity.probes.probe.DropCounter.Drops;
import io.kdensity.probes.probe.Metric;
import io.kdensity.probes.probe.MetricValues;
import io.kdensity.probes.probe.Probe;
import io.kdensity.probes.probe.ProbeContext;
import io.kdensity.probes.probe.ProbeResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The packets the kernel dropped in a step, by reason ({@link DropCounter}): {@code drops.total},
 * one {@code drops.<REASON>} per counted {@link DropReason} and {@code drops.other} for the rest.
 * It reports no finding of its own; it is evidence for the others' — a {@code SOFTNET_DROPS}
 * finding carries the step's {@code CPU_BACKLOG} drops, an IP loss the {@code NEIGH_*} drops.
 */
public final class DropReasonProbe implements Probe<Drops> {
  public static final String NAME = "drops";

  public static final Metric TOTAL =
      Metric.count(
          "drops.total", "packets the kernel dropped in the step (skb:kfree_skb), node-wide");
  public static final Metric OTHER =
      Metric.count("drops.other", "packets dropped for a reason not counted on its own");

  /** Where the evidence comes from, as the report shows it. */
  static final String SOURCE = "skb:kfree_skb";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public List<Metric> metrics() {
    List<Metric> m = new ArrayList<>(List.of(TOTAL, OTHER));
    for (DropReason r : DropReason.values()) {
      m.add(r.metric());
    }
    return m;
  }

  @Override
  public Drops snapshot(ProbeContext ctx) {
    DropCounter counter = ctx.scope().drops();
    return counter.available() ? counter.read() : new Drops(0, Map.of());
  }

  @Override
  public ProbeResult evaluate(Drops before, Drops after, ProbeContext ctx) {
    if (!ctx.scope().drops().available()) {
      return new ProbeResult(NAME, Map.of(), List.of(), after, List.of(ctx.scope().drops().why()));
    }
    long total = Math.max(0, after.total() - before.total());
    long counted = 0;
    MetricValues m = new MetricValues().put(TOTAL, total);
    for (DropReason r : DropReason.values()) {
      Long a = after.byReason().get(r.name());
      if (a != null) {
        long d = Math.max(0, a - before.byReason().getOrDefault(r.name(), 0L));
        m.put(r.metric(), d);
        counted += d;
      }
    }
    // the instances are read one after another, so a drop can land in the total's read and not
    // yet in its reason's: never below zero
    m.put(OTHER, Math.max(0, total - counted));
    return new ProbeResult(NAME, m.toMap(), List.of(), after);
  }

  /** The step's drops of every reason that explains the finding's code, as counters. */
  @Override
  public List<Evidence> evidenceFor(Finding finding, ProbeResult mine) {
    if (!(mine.snapshot() instanceof Drops after)) {
      return List.of();
    }
    List<Evidence> out = new ArrayList<>();
    for (DropReason r : DropReason.values()) {
      Double delta = mine.metrics().get(r.metric().name());
      Long end = after.byReason().get(r.name());
      if (r.explains(finding.code()) && delta != null && delta > 0 && end != null) {
        out.add(
            Evidence.counter(
                "kernel drops, reason " + r.name(),
                end - delta.longValue(),
                end,
                SOURCE + ": " + r.description()));
      }
    }
    return out;
  }
}
