package io.kdensity.scale.engine;

import io.kdensity.config.run.CniPlugin;
import io.kdensity.probes.Fixtures;
import io.kdensity.probes.probe.NodeFacts;
import io.kdensity.probes.probe.PodView;
import io.kdensity.probes.probe.ProbeScope;
import io.kdensity.probes.probe.TestScopes;
import io.kdensity.probes.shell.FixtureShell;
import io.kdensity.scale.plan.Traffic;
import io.kdensity.scale.targets.AttachStages;
import io.kdensity.scale.targets.ScaleResult;
import io.kdensity.scale.targets.Target;
import io.kdensity.scale.targets.TrafficResult;
import io.kdensity.tuning.apply.NodeAccess;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.HdrHistogram.ConcurrentHistogram;

/**
 * A node whose neighbour table overflows from {@code limit} pods on: its traffic raises {@code
 * table_fulls} in the served {@code ndisc_cache} by one per pod beyond the limit.
 */
final class FakeTarget implements Target {
  final FixtureShell host = TestScopes.host();
  final FixtureShell node = TestScopes.node();
  final List<Integer> scaledTo = new ArrayList<>();
  private final int limit;
  private int pods;
  private long fulls;
  private final FakeCpu cpu;

  /** Pod name → the shell of its namespace, when the scope shows pods ({@link #showingPods}). */
  final Map<String, FixtureShell> podShells = new java.util.LinkedHashMap<>();

  private boolean showPods;
  private int burstFrom = Integer.MAX_VALUE;

  /**
   * From {@code pods} on, bringing pods up makes the table refuse one entry per new pod (before the
   * step's first probe), as a burst of DAD and solicitation entries does on a real node.
   */
  FakeTarget refusingBringUpFrom(int pods) {
    burstFrom = pods;
    return this;
  }

  private double pinnedPerNewPod;
  private int addedSinceSweep;

  /**
   * The first sweep after pods were added counts {@code perNewPod} more pods' worth of entries per
   * pod added, as a bring-up's entries stay pinned until they age out; later sweeps count only the
   * pods (a node in steady state). {@code limit} is then the steady-state capacity.
   */
  FakeTarget pinningBringUp(double perNewPod) {
    pinnedPerNewPod = perNewPod;
    return this;
  }

  /** Sweeps run since set-up. */
  int sweeps;

  private int dropsFrom = Integer.MAX_VALUE;
  private long backlogDrops;

  /**
   * From {@code pods} on, bringing pods up makes CPU 0's input backlog drop 100 packets per new pod
   * (before the step's first probe), as the timer-batched floods of new bridge ports do.
   */
  FakeTarget droppingAtBringUpFrom(int pods) {
    dropsFrom = pods;
    return this;
  }

  /** The served softnet_stat: the captured one with CPU 0's dropped column raised. */
  private void writeSoftnet() {
    String[] rows = Fixtures.load("softnet/softnet_stat-2cpu.txt").split("\n");
    String[] f = rows[0].split(" ");
    f[1] = String.format("%08x", Long.parseLong(f[1], 16) + backlogDrops);
    rows[0] = String.join(" ", f);
    host.file("/proc/net/softnet_stat", String.join("\n", rows) + "\n");
  }

  boolean closed;

  /** The scope lists the pods, each a namespace with no addresses (every read recorded). */
  FakeTarget showingPods() {
    showPods = true;
    return this;
  }

  FakeTarget(int limit) {
    this(limit, null);
  }

  /**
   * A node whose pods are attached by child processes spending {@link #CPU_PER_POD} each, taking
   * {@link #WALL_PER_POD} of the scale phase per pod (the machine idle {@link #IDLE_PER_POD} of
   * it), with {@link #ORCHESTRATION} of the harness's own work per scale; its traffic agents spend
   * {@link #TRAFFIC_CPU}.
   */
  FakeTarget(int limit, FakeCpu cpu) {
    this.limit = limit;
    this.cpu = cpu;
    writeNdisc();
  }

  static final Duration CPU_PER_POD = Duration.ofMillis(20);
  static final Duration WALL_PER_POD = Duration.ofMillis(40);
  static final Duration ORCHESTRATION = Duration.ofMillis(5);
  static final Duration IDLE_PER_POD = Duration.ofMillis(8);
  static final Duration TRAFFIC_CPU = Duration.ofMillis(500);

  @Override
  public boolean attachesInChildProcesses() {
    return cpu != null;
  }

  private void writeNdisc() {
    String row =
        String.format(
            "%08x 00000000 00000000 00000000   00000000 00000000 00000000   00000000         00000000         00000000         %08x       00000000            %08x",
            Math.min(pods * 12, 1024), fulls, fulls);
    host.file(
        "/proc/net/stat/ndisc_cache",
        "entries  allocs   destroys hash_grows lookups  hits     res_failed rcv_probes_mcast rcv_probes_ucast periodic_gc_runs forced_gc_runs unresolved_discards table_fulls\n"
            + row
            + "\n");
  }

  @Override
  public String describe() {
    return "fake node";
  }

  @Override
  public String runId() {
    return "fake01";
  }

  @Override
  public List<String> preflight() {
    return List.of();
  }

  @Override
  public void setUp() {}

  @Override
  public ScaleResult scaleTo(int n) {
    scaledTo.add(n);
    ConcurrentHistogram attach = ScaleResult.newHistogram();
    ConcurrentHistogram ready = ScaleResult.newHistogram();
    AttachStages stages = AttachStages.recorder();
    for (int i = pods; i < n; i++) {
      attach.recordValue(1500_000);
      ready.recordValue(9000_000);
      // a pod: its sandbox, eth0 by ptp, five macvlan interfaces
      stages.sandbox(300_000_000L);
      stages.add(CniPlugin.PTP, 700_000_000L);
      for (int k = 0; k < 5; k++) {
        stages.add(CniPlugin.MACVLAN, 1_600_000_000L);
      }
    }
    int added = Math.max(0, n - pods);
    // each pod's six addresses: DAD of 1 s, the last five's ending 2 s after their ADD (static
    // addresses: the ADD did not wait), recorded once the engine's settle is over
    stages.whenSettled(
        () -> {
          for (int i = 0; i < added * 6; i++) {
            stages.dad(1_000_000_000L);
            stages.usableAfterAttach(i % 6 == 0 ? 0 : 2_000_000_000L);
          }
        });
    pods = n;
    addedSinceSweep += added;
    if (n >= burstFrom && added > 0) {
      fulls += added;
      writeNdisc();
    }
    if (n >= dropsFrom && added > 0) {
      backlogDrops += 100L * added;
      writeSoftnet();
    }
    if (cpu == null) {
      return new ScaleResult(
          n, n * 6, attach, ready, stages, List.of(), Duration.ofMillis(1), Duration.ofMillis(0));
    }
    cpu.childSpent(CPU_PER_POD.multipliedBy(added));
    cpu.idled(IDLE_PER_POD.multipliedBy(added));
    return new ScaleResult(
        n,
        n * 6,
        attach,
        ready,
        stages,
        List.of(),
        WALL_PER_POD.multipliedBy(added).plus(ORCHESTRATION),
        ORCHESTRATION);
  }

  @Override
  public int pods() {
    return pods;
  }

  @Override
  public ProbeScope scope() {
    List<PodView> views = new ArrayList<>();
    if (showPods) {
      for (int i = 1; i <= pods; i++) {
        String name = "p" + i;
        FixtureShell shell =
            podShells.computeIfAbsent(
                name, n -> new FixtureShell(n).file("/proc/net/if_inet6", ""));
        views.add(new PodView(name, shell, List.of()));
      }
    }
    return ProbeScope.builder(host, node).socketNamespaces(List.of(host)).pods(views).build();
  }

  @Override
  public TrafficResult traffic(Traffic traffic, Duration hold) {
    sweeps++;
    double counted = pods + addedSinceSweep * pinnedPerNewPod;
    addedSinceSweep = 0;
    if (counted >= limit) {
      fulls += (long) (counted - limit) + 1;
      writeNdisc();
    }
    if (cpu != null) {
      cpu.childSpent(TRAFFIC_CPU);
    }
    return new TrafficResult(Map.of(), TrafficResult.Udp.NONE, Duration.ZERO);
  }

  @Override
  public NodeFacts facts() {
    return NodeFacts.UNKNOWN;
  }

  @Override
  public NodeAccess nodeAccess() {
    throw new UnsupportedOperationException();
  }

  @Override
  public void setPodSysctls(Map<String, String> sysctls) {}

  @Override
  public void close() {
    closed = true;
  }
}
