package io.kdensity.scale.soak;

import io.kdensity.probes.addr.IpLossProbe;
import io.kdensity.probes.conntrack.ConntrackProbe;
import io.kdensity.probes.cpu.PacketCpuProbe;
import io.kdensity.probes.fdb.MacTableProbe;
import io.kdensity.probes.finding.Cause;
import io.kdensity.probes.neigh.NeighbourProbe;
import io.kdensity.probes.probe.Metric;
import io.kdensity.probes.process.ProcessFootprint;
import io.kdensity.probes.socket.SocketBufferProbe;
import io.kdensity.scale.metrics.EngineMetrics;
import io.kdensity.scale.metrics.NodeObject;

/**
 * What a soak watches across its windows, and how each is judged.
 *
 * <ul>
 *   <li>{@link Kind#LEAK}: a count of objects that is exact at a constant pod count; any rise above
 *       the first window's that holds for two windows is a leak.
 *   <li>{@link Kind#GROWTH}: a level with noise (entries, latencies, memory); a drift when the
 *       {@link Trend} test says so and the fitted change is above the noise floor ({@code
 *       absFloor}, or {@code relFloor} of the first window's value if larger). The first window is
 *       left out of the fit once there are enough others: it follows the bring-up at once
 *       (kdensity's heap and JIT warming up).
 *   <li>{@link Kind#ONSET}: a per-window counter change (drops, refused entries, lost addresses)
 *       that was 0 in the first window and moved in two later ones. Each window's value is the
 *       probe's before/after change within the window, so a counter that wrapped (32-bit softnet)
 *       or was reset by a re-created device is never a jump here: the probes take changes modulo
 *       the counter's width and skip devices that were not there at both ends.
 * </ul>
 */
public enum Watch {
  NEIGH_V6(
      Kind.GROWTH,
      NeighbourProbe.Family.V6.metrics().gcEntries(),
      NeighbourProbe.Family.V6.metrics().gcThresh3(),
      NeighbourProbe.Family.V6.metrics().gcThresh1(),
      Cause.ENTRIES_GROWING,
      Noise.rising(16, 0)),
  NEIGH_V4(
      Kind.GROWTH,
      NeighbourProbe.Family.V4.metrics().gcEntries(),
      NeighbourProbe.Family.V4.metrics().gcThresh3(),
      NeighbourProbe.Family.V4.metrics().gcThresh1(),
      Cause.ENTRIES_GROWING,
      Noise.rising(16, 0)),
  FDB(
      Kind.GROWTH,
      MacTableProbe.FDB_LEARNED,
      MacTableProbe.FDB_CAPACITY,
      Cause.ENTRIES_GROWING,
      Noise.rising(16, 0)),
  CONNTRACK(
      Kind.GROWTH,
      ConntrackProbe.ENTRIES,
      ConntrackProbe.MAX_ENTRIES,
      Cause.ENTRIES_GROWING,
      Noise.rising(256, 0.1)),
  ATTACH_P99(
      Kind.GROWTH, EngineMetrics.ATTACH.p99(), null, Cause.LATENCY_RISING, Noise.rising(5, 0.5)),
  READY_P99(
      Kind.GROWTH, EngineMetrics.READY.p99(), null, Cause.LATENCY_RISING, Noise.rising(5, 0.5)),
  RSS(Kind.GROWTH, ProcessFootprint.RSS, null, Cause.MEMORY_GROWING, Noise.rising(64, 0)),
  THREADS(Kind.GROWTH, ProcessFootprint.THREADS, null, Cause.MEMORY_GROWING, Noise.rising(8, 0)),
  OPEN_FILES(
      Kind.GROWTH, ProcessFootprint.OPEN_FILES, null, Cause.MEMORY_GROWING, Noise.rising(16, 0)),
  CHILDREN(Kind.GROWTH, ProcessFootprint.CHILDREN, null, Cause.MEMORY_GROWING, Noise.rising(8, 0)),
  MACHINE_MEMORY(
      Kind.GROWTH,
      ProcessFootprint.MACHINE_AVAILABLE,
      null,
      Cause.MEMORY_GROWING,
      Noise.falling(256, 0)),
  NAMESPACES(Kind.LEAK, NodeObject.NAMESPACES.metric(), null, Cause.OBJECTS_NOT_FREED, Noise.EXACT),
  NODE_LINKS(Kind.LEAK, NodeObject.NODE_LINKS.metric(), null, Cause.OBJECTS_NOT_FREED, Noise.EXACT),
  NODE_ROUTES(
      Kind.LEAK, NodeObject.NODE_ROUTES.metric(), null, Cause.OBJECTS_NOT_FREED, Noise.EXACT),
  IPAM_LEASES(
      Kind.LEAK, NodeObject.IPAM_LEASES.metric(), null, Cause.OBJECTS_NOT_FREED, Noise.EXACT),
  SOFTNET_DROPS(Kind.ONSET, PacketCpuProbe.DROPPED, null, Cause.COUNTER_MOVING, Noise.EXACT),
  UPLINK_DROPS(
      Kind.ONSET, MacTableProbe.UPLINKS_RX_DROPPED, null, Cause.COUNTER_MOVING, Noise.EXACT),
  RCVBUF_ERRORS(
      Kind.ONSET, SocketBufferProbe.RCVBUF_ERRORS, null, Cause.COUNTER_MOVING, Noise.EXACT),
  SNDBUF_ERRORS(
      Kind.ONSET, SocketBufferProbe.SNDBUF_ERRORS, null, Cause.COUNTER_MOVING, Noise.EXACT),
  NEIGH_TABLE_FULLS(
      Kind.ONSET,
      NeighbourProbe.Family.V6.metrics().tableFulls(),
      null,
      Cause.COUNTER_MOVING,
      Noise.EXACT),
  CONNTRACK_DROPS(Kind.ONSET, ConntrackProbe.DROPS, null, Cause.COUNTER_MOVING, Noise.EXACT),
  IP_LOST(Kind.ONSET, IpLossProbe.LOST, null, Cause.LOSS_APPEARED, Noise.EXACT);

  /**
   * Which way a figure goes bad and how big a fitted change must be to count: at least {@code
   * absFloor}, or {@code relFloor} of the first window's value if that is larger.
   *
   * @param direction 1 when rising is bad, -1 when falling is (free memory)
   */
  public record Noise(int direction, double absFloor, double relFloor) {
    /** An exact count (objects, counter changes): any rise counts. */
    public static final Noise EXACT = new Noise(1, 0, 0);

    static Noise rising(double absFloor, double relFloor) {
      return new Noise(1, absFloor, relFloor);
    }

    static Noise falling(double absFloor, double relFloor) {
      return new Noise(-1, absFloor, relFloor);
    }
  }

  /** How a watched figure is judged. */
  public enum Kind {
    LEAK,
    GROWTH,
    ONSET
  }

  private final Kind kind;
  private final Metric metric;
  private final Metric limit;
  private final Metric collectorStart;
  private final Cause cause;
  private final Noise noise;

  Watch(Kind kind, Metric metric, Metric limit, Cause cause, Noise noise) {
    this(kind, metric, limit, null, cause, noise);
  }

  Watch(Kind kind, Metric metric, Metric limit, Metric collectorStart, Cause cause, Noise noise) {
    this.kind = kind;
    this.metric = metric;
    this.limit = limit;
    this.collectorStart = collectorStart;
    this.cause = cause;
    this.noise = noise;
  }

  public Kind kind() {
    return kind;
  }

  public Metric metric() {
    return metric;
  }

  /** The limit the figure runs into (gc_thresh3, the declared MAC table), or null. */
  public Metric limit() {
    return limit;
  }

  /**
   * Where the kernel starts collecting what grows, or null: the neighbour table's periodic GC does
   * not run below gc_thresh1 ({@code neigh_periodic_work} returns at once), so entries of gone
   * addresses pile up to there and are freed above it once unused for gc_stale_time. A growth below
   * it levels off there unless the entries stay in use.
   */
  public Metric collectorStart() {
    return collectorStart;
  }

  public Cause cause() {
    return cause;
  }

  /** 1 when rising is bad, -1 when falling is (free memory). */
  public int direction() {
    return noise.direction();
  }

  /** The smallest fitted change over the trend's samples that counts, given the first value. */
  public double floor(double first) {
    return Math.max(noise.absFloor(), noise.relFloor() * Math.abs(first));
  }
}
