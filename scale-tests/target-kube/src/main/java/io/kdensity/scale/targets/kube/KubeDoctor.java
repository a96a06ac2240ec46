package io.kdensity.scale.targets.kube;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.kdensity.probes.DefaultProbes;
import io.kdensity.probes.probe.NodeFacts;
import io.kdensity.probes.probe.ProbeRunner;
import io.kdensity.probes.probe.ProbeScope;
import io.kdensity.probes.probe.StepProbes;
import io.kdensity.probes.probe.Sweep;
import io.kdensity.probes.shell.Command;
import io.kdensity.probes.shell.CommandResult;
import io.kdensity.scale.plan.Plan;
import io.kdensity.scale.targets.RunId;
import io.kdensity.scale.targets.ScaleResult;
import io.kdensity.scale.targets.TrafficResult;
import io.micrometer.core.instrument.Clock;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code kdensity doctor --kube}: the whole cluster path walked once with one pod before a ramp
 * walks it thousands of times — preflight (read-only), the probe DaemonSet, exec without and with
 * stdin (a v4 exec that cannot end stdin would hang here, not at step 1), one canary pod on the
 * plan's first network and its network-status, each probe once, the step's pings, and the teardown.
 * Then a fixture bundle for tests and bug reports: every exec with what the node answered, the API
 * objects the run read, the checks — redacted ({@link BundleRedaction}).
 */
public final class KubeDoctor {
  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final String STDIN_TOKEN = "kdensity-doctor-stdin\n";

  /**
   * One thing checked.
   *
   * @param name what was checked
   * @param ok whether it held
   * @param detail what was seen, or why it failed
   * @param millis how long it took
   */
  public record Check(String name, boolean ok, String detail, long millis) {}

  /**
   * @param checks every check, in order; the first failing one ends the walk
   * @param bundle the folder the fixture bundle was written to
   */
  public record Result(List<Check> checks, Path bundle) {
    public boolean ok() {
      return checks.stream().allMatch(Check::ok);
    }
  }

  private final Plan canary;
  private final Clock clock;
  private final Consumer<Check> progress;
  private final List<Check> checks = new ArrayList<>();

  private KubeDoctor(Plan plan, Clock clock, Consumer<Check> progress) {
    this.canary = plan.canary();
    this.clock = clock;
    this.progress = progress;
  }

  /**
   * Walks the path on the plan's node and writes the bundle into {@code out}.
   *
   * @param progress told each check as it ends
   */
  public static Result run(Plan plan, Path out, Clock clock, Consumer<Check> progress) {
    return new KubeDoctor(plan, clock, progress).walk(out);
  }

  /** A step of the walk: returns what it saw, or throws why it failed. */
  private interface Step {
    String run() throws Exception;
  }

  /** Runs a check; false if it failed (the walk then stops). */
  private boolean check(String name, Step step) {
    long t0 = clock.monotonicTime();
    Check c;
    try {
      c = new Check(name, true, step.run(), millisSince(t0));
    } catch (Exception e) {
      c =
          new Check(
              name, false, e.getMessage() == null ? e.toString() : e.getMessage(), millisSince(t0));
    }
    checks.add(c);
    progress.accept(c);
    return c.ok();
  }

  private long millisSince(long t0) {
    return (clock.monotonicTime() - t0) / 1_000_000;
  }

  private Result walk(Path out) {
    ExecTranscript transcript = new ExecTranscript();
    Map<String, String> api = new java.util.LinkedHashMap<>();
    KubernetesClient client = KubeTargets.client(canary.target().kube());
    String runId = RunId.random().value();
    String node = canary.target().node();
    DaemonSetNode probe =
        new DaemonSetNode(
            client,
            "kdensity-" + runId,
            runId,
            node,
            canary.target().kube().probeImage(),
            Duration.ofSeconds(canary.target().kube().readyTimeoutSeconds()),
            clock,
            new RateLimiter(canary.target().kube().qps(), canary.target().kube().burst(), clock),
            transcript::recording);
    try (KubeTarget target =
            new KubeTarget(canary, client, probe, runId, NodeFacts.UNKNOWN, clock);
        ProbeRunner probes =
            new ProbeRunner(DefaultProbes.registry(canary.thresholds()), clock, 8)) {
      boolean ok =
          check(
                  "API server",
                  () -> {
                    api.put("version", json(client.getKubernetesVersion()));
                    return client.getMasterUrl()
                        + " answers, Kubernetes "
                        + client.getKubernetesVersion().getGitVersion();
                  })
              && check(
                  "preflight",
                  () -> {
                    Node n = client.nodes().withName(node).get();
                    if (n != null) {
                      api.put("node", json(n));
                    }
                    List<String> warnings = target.preflight();
                    return warnings.isEmpty()
                        ? "permissions, Multus' CRD, node " + node + " Ready with room for the pods"
                        : "passed with warnings: " + String.join("; ", warnings);
                  })
              && check(
                  "probe pod",
                  () -> {
                    target.setUp();
                    return "the probe DaemonSet's pod runs on "
                        + node
                        + " (host network and PID, privileged); the NADs' masters are its links";
                  })
              && check(
                  "exec without stdin",
                  () -> {
                    CommandResult r =
                        probe.nodeNamespace().run(Command.of("uname", "-r")).requireSuccess();
                    return "uname -r: "
                        + r.stdout().strip()
                        + " in "
                        + r.elapsed().toMillis()
                        + " ms";
                  })
              && check(
                  "exec with stdin",
                  () -> {
                    CommandResult r =
                        probe
                            .nodeNamespace()
                            .run(
                                Command.of("cat")
                                    .withStdin(STDIN_TOKEN)
                                    .withTimeout(Duration.ofSeconds(30)))
                            .requireSuccess();
                    if (!r.stdout().equals(STDIN_TOKEN)) {
                      throw new IllegalStateException(
                          "cat echoed '"
                              + r.stdout().strip()
                              + "' for '"
                              + STDIN_TOKEN.strip()
                              + "'");
                    }
                    return "stdin reached the command and ended (bounded by its length, as v4"
                        + " exec cannot close it) in "
                        + r.elapsed().toMillis()
                        + " ms";
                  })
              && check("canary pod", () -> canaryPod(target, client, api))
              && check("probes", () -> probeOnce(target, probes))
              && check("pings", () -> pings(target));
      snapshot(client, target.namespace(), api);
      check(
          "teardown",
          () -> {
            target.close();
            if (client.namespaces().withName(target.namespace()).get() != null) {
              throw new IllegalStateException(
                  "namespace " + target.namespace() + " is still there");
            }
            return "the canary, the probe and namespace " + target.namespace() + " are gone";
          });
      if (!ok) {
        progress.accept(new Check("walk", false, "stopped at the first failing check", 0));
      }
    } finally {
      String server = client.getMasterUrl() == null ? "" : client.getMasterUrl().getHost();
      client.close();
      write(out, transcript, api, new BundleRedaction(node, server));
    }
    return new Result(List.copyOf(checks), out);
  }

  private String canaryPod(KubeTarget target, KubernetesClient client, Map<String, String> api) {
    ScaleResult r = target.scaleTo(1);
    int expected = 1 + canary.interfacesPerPod();
    if (!r.findings().isEmpty()) {
      throw new IllegalStateException("the canary pod failed: " + r.findings());
    }
    if (r.interfaces() != expected) {
      throw new IllegalStateException(
          "the canary pod's network-status lists "
              + r.interfaces()
              + " interfaces, not "
              + expected
              + " (eth0 and "
              + (canary.attachments().isEmpty() ? "none" : canary.attachments().get(0).name())
              + ")");
    }
    return "Ready with "
        + r.interfaces()
        + " interfaces in its network-status ("
        + (canary.attachments().isEmpty()
            ? "eth0 only: the plan has no network"
            : "eth0 and net1 on " + canary.attachments().get(0).name())
        + "), attached in "
        + r.attachMicros().getMaxValue() / 1000
        + " ms";
  }

  private static String probeOnce(KubeTarget target, ProbeRunner probes) {
    ProbeScope scope = target.scope();
    if (!scope.uninspected().isEmpty()) {
      throw new IllegalStateException(
          "the canary's network namespace was not found on the node: " + scope.uninspected());
    }
    Sweep before = probes.snapshot(scope);
    StepProbes step = probes.evaluate(before, probes.snapshot(scope), scope);
    if (!step.errors().isEmpty()) {
      throw new IllegalStateException("probes failed: " + step.errors());
    }
    return step.results().size()
        + " probes, "
        + step.metrics().size()
        + " metrics (e.g. neighbour table limit gc_thresh3 "
        + step.metrics().getOrDefault("neigh.v6.gc_thresh3", Double.NaN).longValue()
        + ")";
  }

  private String pings(KubeTarget target) {
    TrafficResult t = target.traffic(canary.traffic(), Duration.ofSeconds(1));
    List<String> silent =
        t.reachability().entrySet().stream()
            .filter(e -> !e.getValue())
            .map(Map.Entry::getKey)
            .toList();
    if (!silent.isEmpty()) {
      throw new IllegalStateException("no answer from " + silent);
    }
    return t.reachability().size() + " addresses answered";
  }

  /** The run's objects as the API served them, before the teardown. */
  private static void snapshot(KubernetesClient client, String namespace, Map<String, String> api) {
    try {
      api.put("pods", json(client.pods().inNamespace(namespace).list()));
      api.put("events", json(client.v1().events().inNamespace(namespace).list()));
      api.put(
          "network-attachment-definitions",
          json(client.genericKubernetesResources(KubeLabels.NAD).inNamespace(namespace).list()));
    } catch (KubernetesClientException e) {
      api.put("snapshot-error", "\"" + e.getMessage().replace("\"", "'") + "\"");
    }
  }

  private static String json(Object o) {
    if (o instanceof HasMetadata h && h.getMetadata() != null) {
      h.getMetadata().setManagedFields(null);
    }
    return Serialization.asJson(o);
  }

  private void write(
      Path out, ExecTranscript transcript, Map<String, String> api, BundleRedaction redact) {
    try {
      Files.createDirectories(out.resolve("api"));
      Files.writeString(
          out.resolve("checks.json"),
          redact.apply(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(checks)),
          StandardCharsets.UTF_8);
      StringBuilder lines = new StringBuilder();
      for (ExecTranscript.Exec e : transcript.execs()) {
        lines.append(redact.apply(JSON.writeValueAsString(e))).append('\n');
      }
      Files.writeString(out.resolve("exec.jsonl"), lines, StandardCharsets.UTF_8);
      for (Map.Entry<String, String> e : api.entrySet()) {
        Files.writeString(
            out.resolve("api").resolve(e.getKey() + ".json"),
            redact.apply(e.getValue()),
            StandardCharsets.UTF_8);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot write the doctor bundle " + out + ": " + e.getMessage(), e);
    }
  }
}
