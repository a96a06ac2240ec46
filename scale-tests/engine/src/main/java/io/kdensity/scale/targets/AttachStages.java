package io.kdensity.scale.targets;

import io.kdensity.config.run.CniPlugin;
import io.kdensity.reports.model.Latency;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import org.HdrHistogram.ConcurrentHistogram;

/**
 * Where a scale change's attach time went, stage by stage, as far as the target sees the stages:
 * each pod's sandbox (its network namespace's anchor process, the part a pause container plays) and
 * each interface's CNI ADD by the plugin that made it. An ADD includes its IPAM plugin and whatever
 * the plugin waits for before it returns (the reference plugins wait for the interface's IPv6
 * addresses to leave DAD). A pod's ADDs run one after another, as Multus calls its delegates, so a
 * pod is ready after its sandbox and the sum of its ADDs. Pool threads record into it at the same
 * time.
 *
 * @param sandboxMicros per pod, microseconds
 * @param addMicros per interface, by plugin, microseconds
 */
public record AttachStages(
    ConcurrentHistogram sandboxMicros, Map<CniPlugin, ConcurrentHistogram> addMicros) {
  public AttachStages {
    addMicros = Collections.unmodifiableMap(new EnumMap<>(addMicros));
  }

  /** An empty recorder with a histogram for every stage. */
  public static AttachStages recorder() {
    Map<CniPlugin, ConcurrentHistogram> adds = new EnumMap<>(CniPlugin.class);
    for (CniPlugin p : CniPlugin.values()) {
      adds.put(p, ScaleResult.newHistogram());
    }
    return new AttachStages(ScaleResult.newHistogram(), adds);
  }

  /** Records a pod's sandbox, {@code nanos} long. */
  public void sandbox(long nanos) {
    sandboxMicros.recordValue(Math.max(1, nanos / 1000));
  }

  /** Records one interface's ADD by {@code plugin}, {@code nanos} long. */
  public void add(CniPlugin plugin, long nanos) {
    addMicros.get(plugin).recordValue(Math.max(1, nanos / 1000));
  }

  /** The sandbox stage's quantiles in milliseconds ({@link Latency#NONE} if nothing recorded). */
  public Latency sandbox() {
    return ScaleResult.latency(sandboxMicros);
  }

  /** Each plugin's ADD quantiles in milliseconds, for the plugins that made an interface. */
  public Map<CniPlugin, Latency> adds() {
    Map<CniPlugin, Latency> out = new EnumMap<>(CniPlugin.class);
    addMicros.forEach(
        (p, h) -> {
          if (h.getTotalCount() > 0) {
            out.put(p, ScaleResult.latency(h));
          }
        });
    return out;
  }
}
