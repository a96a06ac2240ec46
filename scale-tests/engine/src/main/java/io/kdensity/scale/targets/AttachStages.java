package io.kdensity.scale.targets;

import io.kdensity.config.run.CniPlugin;
import io.kdensity.config.run.IpamPlugin;
import io.kdensity.reports.model.Latency;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.HdrHistogram.ConcurrentHistogram;

/**
 * Where a scale change's attach time went, stage by stage, as far as the target sees the stages:
 * each pod's sandbox (its network namespace's anchor process, the part a pause container plays) and
 * each interface's CNI ADD by the plugin that made it. An ADD includes its IPAM plugin and whatever
 * the plugin waits for before it returns (the reference plugins wait for the interface's IPv6
 * addresses to leave DAD). A pod's ADDs run one after another, as Multus calls its delegates, so a
 * pod is ready after its sandbox and the sum of its ADDs. After the ADDs, each IPv6 address's DAD
 * (tentative → valid, inside the ADD or after it) and how long after its interface's ADD the
 * address became usable: a plugin that returns before DAD ends leaves that wait to the pod. Then,
 * when the step's first sweep reaches each new address: the wait from the first echo request to its
 * first answer, and inside it the gateway's first neighbour resolution of the address. Pool threads
 * record into it at the same time.
 *
 * @param sandboxMicros per pod, microseconds
 * @param addMicros per interface, by plugin, microseconds
 * @param ipamMicros per interface, the IPAM plugin's run inside its ADD, by IPAM plugin,
 *     microseconds (local target in CNI mode)
 * @param dadMicros per IPv6 pod address, from tentative to valid, microseconds
 * @param usableMicros per IPv6 pod address, from its interface's ADD returning to the address
 *     leaving DAD (1 µs when the ADD waited for it), microseconds
 * @param firstInterfaceMicros per pod on a cluster: scheduled → Multus' first AddedInterface event
 *     (the sandbox, Multus and the first ADD, which a cluster shows as one), microseconds
 * @param networkStatusMicros per pod on a cluster: Multus' last AddedInterface event → its
 *     network-status annotation, microseconds
 * @param firstAnswerMicros per new pod address, from the first echo request its gateway sent it in
 *     the step's first sweep to the first answer, microseconds (local target)
 * @param neighbourMicros per new pod address, inside that wait: the first request → the kernel's
 *     notice that the gateway's neighbour entry for the address is reachable, microseconds (local
 *     target)
 * @param onSettled what the target still records once the step's addresses settled (the DAD stages
 *     end after the change returns), run once by {@link #settled}
 */
public record AttachStages(
    ConcurrentHistogram sandboxMicros,
    Map<CniPlugin, ConcurrentHistogram> addMicros,
    Map<IpamPlugin, ConcurrentHistogram> ipamMicros,
    ConcurrentHistogram dadMicros,
    ConcurrentHistogram usableMicros,
    ConcurrentHistogram firstInterfaceMicros,
    ConcurrentHistogram networkStatusMicros,
    ConcurrentHistogram firstAnswerMicros,
    ConcurrentHistogram neighbourMicros,
    AtomicReference<Runnable> onSettled) {
  public AttachStages {
    addMicros = Collections.unmodifiableMap(new EnumMap<>(addMicros));
    ipamMicros = Collections.unmodifiableMap(new EnumMap<>(ipamMicros));
  }

  /** An empty recorder with a histogram for every stage. */
  public static AttachStages recorder() {
    Map<CniPlugin, ConcurrentHistogram> adds = new EnumMap<>(CniPlugin.class);
    for (CniPlugin p : CniPlugin.values()) {
      adds.put(p, ScaleResult.newHistogram());
    }
    Map<IpamPlugin, ConcurrentHistogram> ipams = new EnumMap<>(IpamPlugin.class);
    for (IpamPlugin p : IpamPlugin.values()) {
      ipams.put(p, ScaleResult.newHistogram());
    }
    return new AttachStages(
        ScaleResult.newHistogram(),
        adds,
        ipams,
        ScaleResult.newHistogram(),
        ScaleResult.newHistogram(),
        ScaleResult.newHistogram(),
        ScaleResult.newHistogram(),
        ScaleResult.newHistogram(),
        ScaleResult.newHistogram(),
        new AtomicReference<>());
  }

  /** Records a pod's sandbox, {@code nanos} long. */
  public void sandbox(long nanos) {
    record(sandboxMicros, nanos);
  }

  /** Records one interface's ADD by {@code plugin}, {@code nanos} long. */
  public void add(CniPlugin plugin, long nanos) {
    record(addMicros.get(plugin), nanos);
  }

  /** Records one run of an IPAM plugin inside an interface's ADD, {@code nanos} long. */
  public void ipam(IpamPlugin plugin, long nanos) {
    record(ipamMicros.get(plugin), nanos);
  }

  /** Has {@code action} run when the engine calls {@link #settled}. */
  public void whenSettled(Runnable action) {
    onSettled.set(action);
  }

  /**
   * The engine's wait for the step's addresses to leave DAD is over: the target records the stages
   * that end with it. Runs at most once.
   */
  public void settled() {
    Runnable r = onSettled.getAndSet(null);
    if (r != null) {
      r.run();
    }
  }

  /** Records one address's DAD, {@code nanos} from tentative to valid. */
  public void dad(long nanos) {
    record(dadMicros, nanos);
  }

  /** Records how long after its interface's ADD one address left DAD, {@code nanos}. */
  public void usableAfterAttach(long nanos) {
    record(usableMicros, nanos);
  }

  /** Records a new pod address's wait from its first echo request to its first answer. */
  public void firstAnswer(long nanos) {
    record(firstAnswerMicros, nanos);
  }

  /** Records the gateway's first neighbour resolution of a new pod address, {@code nanos}. */
  public void neighbourResolution(long nanos) {
    record(neighbourMicros, nanos);
  }

  /** The wait for the first answer, in milliseconds ({@link Latency#NONE} if none). */
  public Latency firstAnswer() {
    return ScaleResult.latency(firstAnswerMicros);
  }

  /** The gateway's first neighbour resolution, in milliseconds ({@link Latency#NONE} if none). */
  public Latency neighbourResolution() {
    return ScaleResult.latency(neighbourMicros);
  }

  /** Records a pod's wait from scheduled to its first interface, on a cluster. */
  public void firstInterface(long nanos) {
    record(firstInterfaceMicros, nanos);
  }

  /** Records a pod's wait from its last interface to its network-status, on a cluster. */
  public void networkStatus(long nanos) {
    record(networkStatusMicros, nanos);
  }

  /** Scheduled → first interface, in milliseconds ({@link Latency#NONE} off a cluster). */
  public Latency firstInterface() {
    return ScaleResult.latency(firstInterfaceMicros);
  }

  /** Last interface → network-status, in milliseconds ({@link Latency#NONE} off a cluster). */
  public Latency networkStatus() {
    return ScaleResult.latency(networkStatusMicros);
  }

  /** DAD's quantiles in milliseconds ({@link Latency#NONE} if nothing recorded). */
  public Latency dad() {
    return ScaleResult.latency(dadMicros);
  }

  /** The wait after the ADD until the address is usable, in milliseconds. */
  public Latency usableAfterAttach() {
    return ScaleResult.latency(usableMicros);
  }

  private static void record(ConcurrentHistogram micros, long nanos) {
    micros.recordValue(Math.max(1, nanos / 1000));
  }

  /** The sandbox stage's quantiles in milliseconds ({@link Latency#NONE} if nothing recorded). */
  public Latency sandbox() {
    return ScaleResult.latency(sandboxMicros);
  }

  /** Each plugin's ADD quantiles in milliseconds, for the plugins that made an interface. */
  public Map<CniPlugin, Latency> adds() {
    return recorded(addMicros, CniPlugin.class);
  }

  /** Each IPAM plugin's quantiles in milliseconds, for the plugins that were timed. */
  public Map<IpamPlugin, Latency> ipams() {
    return recorded(ipamMicros, IpamPlugin.class);
  }

  private static <K extends Enum<K>> Map<K, Latency> recorded(
      Map<K, ConcurrentHistogram> histograms, Class<K> keys) {
    Map<K, Latency> out = new EnumMap<>(keys);
    histograms.forEach(
        (p, h) -> {
          if (h.getTotalCount() > 0) {
            out.put(p, ScaleResult.latency(h));
          }
        });
    return out;
  }
}
