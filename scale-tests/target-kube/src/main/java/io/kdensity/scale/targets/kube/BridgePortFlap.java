package io.kdensity.scale.targets.kube;

import io.fabric8.kubernetes.api.model.Pod;
import io.kdensity.probes.link.IpLinkParser;
import io.kdensity.probes.link.LinkInfo;
import io.kdensity.probes.parse.ParseException;
import io.kdensity.probes.shell.Command;
import io.kdensity.probes.shell.CommandResult;
import io.kdensity.probes.shell.NodeShell;
import io.kdensity.scale.plan.Attachment;
import io.kdensity.scale.targets.FlapResult;
import io.kdensity.scale.targets.InfrastructureException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.regex.Pattern;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * A link flap on a cluster node: takes the carrier of pod interfaces on bridge networks away by
 * setting their node-side veth down, and gives it back.
 *
 * <p>A link is set down on a real node only when both ends agree that it is the pod's: inside the
 * pod (its sandbox's namespace, found by the pod's UID) the interface is a veth whose peer lives in
 * another namespace with ifindex P; on the node, P is a veth that is up, is a port of the bridge
 * the network's config names ({@code bridge}, the bridge plugin's default {@code cni0}), and whose
 * own peer has the pod interface's ifindex in another namespace. Anything else is left alone and
 * noted. If the run dies while a link is down, deleting the pod (the run's cleanup) deletes the
 * veth with it.
 */
final class BridgePortFlap {
  /** The bridge plugin's default bridge (plugins/main/bridge: defaultBrName). */
  static final String DEFAULT_BRIDGE = "cni0";

  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final Pattern IFNAME = Pattern.compile("[A-Za-z0-9_.@:-]{1,15}");
  private static final Duration LIST_TIMEOUT = Duration.ofSeconds(30);

  private final KubeNode node;
  private final Map<String, String> bridges;

  /**
   * @param attachments the plan's networks; those of CNI type {@code bridge} can flap
   */
  BridgePortFlap(KubeNode node, List<Attachment> attachments) {
    this.node = node;
    this.bridges = bridgesOf(attachments);
  }

  /** Network name → the node bridge its pods' interfaces are ports of, for bridge networks. */
  static Map<String, String> bridgesOf(List<Attachment> attachments) {
    Map<String, String> out = new LinkedHashMap<>();
    for (Attachment a : attachments) {
      try {
        var config = JSON.readTree(a.config());
        if ("bridge".equals(config.path("type").asString(""))) {
          out.put(a.name(), config.path("bridge").asString(DEFAULT_BRIDGE));
        }
      } catch (JacksonException e) {
        // the plan reader checked every config: not reached
      }
    }
    return Map.copyOf(out);
  }

  /** A pod interface on a bridge network. */
  private record Candidate(String pod, String ifname, String network, String bridge) {
    String describe() {
      return ifname + " of pod " + pod + " (" + network + ")";
    }
  }

  /** The node-side link of a candidate, once both ends agreed. */
  private record Port(Candidate of, String link) {}

  /**
   * Flaps {@code count} bridge-network interfaces of {@code pods}, chosen by {@code seed}.
   *
   * @param down how long their carrier stays away
   */
  FlapResult flap(List<Pod> pods, int count, Duration down, long seed) {
    if (count <= 0) {
      return FlapResult.none(0, "");
    }
    List<Candidate> candidates = new ArrayList<>();
    Map<String, Pod> byName = new HashMap<>();
    for (Pod p : pods) {
      String name = p.getMetadata().getName();
      byName.put(name, p);
      for (NetworkStatus.Entry e : NetworkStatus.of(p).entries()) {
        String bridge = bridges.get(e.network());
        if (!e.isDefault() && bridge != null) {
          candidates.add(new Candidate(name, e.ifname(), e.network(), bridge));
        }
      }
    }
    if (candidates.isEmpty()) {
      return FlapResult.none(count, FlapResult.ONLY_BRIDGE_PORTS);
    }
    Collections.shuffle(candidates, new Random(seed));
    List<Candidate> chosen = candidates.subList(0, Math.min(count, candidates.size()));
    List<String> notes = new ArrayList<>();
    if (chosen.size() < count) {
      notes.add(FlapResult.fewerCandidates(candidates.size()));
    }
    List<Port> ports = resolve(chosen, byName, notes);
    if (ports.isEmpty()) {
      return new FlapResult(count, 0, Set.of(), notes);
    }
    NodeShell host = node.nodeNamespace();
    StringBuilder downs = new StringBuilder();
    StringBuilder ups = new StringBuilder();
    for (Port p : ports) {
      downs.append("link set dev ").append(p.link()).append(" down\n");
      ups.append("link set dev ").append(p.link()).append(" up\n");
    }
    try {
      CommandResult r = host.run(batch(downs));
      if (!r.ok()) {
        notes.add("setting node links down failed in part: " + r.firstErrorLine());
      }
      Thread.sleep(down.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      CommandResult r = host.run(batch(ups));
      if (!r.ok()) {
        throw new InfrastructureException(
            "cannot set the node-side links of flapped pod interfaces up again on "
                + host.describe()
                + " ("
                + String.join(", ", ports.stream().map(Port::link).toList())
                + "): "
                + r.firstErrorLine()
                + " — the run's cleanup deletes their pods, and the links with them");
      }
    }
    Set<String> flappedPods = new LinkedHashSet<>();
    ports.forEach(p -> flappedPods.add(p.of().pod()));
    return new FlapResult(count, ports.size(), flappedPods, notes);
  }

  private static Command batch(StringBuilder lines) {
    // -force: one link gone (its pod deleted meanwhile) does not keep the others down
    return Command.of("ip", "-force", "-batch", "-")
        .withStdin(lines.toString())
        .withTimeout(LIST_TIMEOUT);
  }

  /** Finds each candidate's node-side veth; those whose ends disagree are noted and skipped. */
  private List<Port> resolve(List<Candidate> chosen, Map<String, Pod> byName, List<String> notes) {
    Map<String, List<Candidate>> perPod = new LinkedHashMap<>();
    chosen.forEach(c -> perPod.computeIfAbsent(c.pod(), k -> new ArrayList<>()).add(c));
    KubeNode.PodShells shells = node.pods(perPod.keySet().stream().map(byName::get).toList());
    // each bridge's veth ports on the node, listed once
    Map<String, Optional<List<LinkInfo>>> ports = new HashMap<>();
    for (Candidate c : chosen) {
      ports.computeIfAbsent(
          c.bridge(),
          b ->
              list(
                  node.nodeNamespace(),
                  List.of("master", b, "type", "veth"),
                  "the veth ports of " + b,
                  notes));
    }
    List<Port> out = new ArrayList<>();
    for (var e : perPod.entrySet()) {
      NodeShell pod = shells.shells().get(e.getKey());
      if (pod == null) {
        notes.add(
            "pod "
                + e.getKey()
                + " not flapped: "
                + shells.uninspected().getOrDefault(e.getKey(), "its namespace was not found"));
        continue;
      }
      Optional<List<LinkInfo>> podVeths = list(pod, List.of("type", "veth"), "the veths", notes);
      if (podVeths.isEmpty()) {
        continue;
      }
      for (Candidate c : e.getValue()) {
        Optional<List<LinkInfo>> bridgePorts = ports.get(c.bridge());
        Optional<Port> port = bridgePorts.flatMap(b -> match(c, podVeths.get(), b));
        if (port.isPresent()) {
          out.add(port.get());
        } else if (bridgePorts.isPresent()) {
          notes.add(c.describe() + " not flapped: " + why(c, podVeths.get()));
        }
      }
    }
    return out;
  }

  /** The node port both ends agree on, if any. */
  private static Optional<Port> match(Candidate c, List<LinkInfo> podVeths, List<LinkInfo> ports) {
    LinkInfo inPod = find(podVeths, c.ifname());
    if (inPod == null || inPod.parentIndex() <= 0 || inPod.parentNetnsid() < 0) {
      return Optional.empty();
    }
    return ports.stream()
        .filter(
            p ->
                p.ifindex() == inPod.parentIndex()
                    && p.parentIndex() == inPod.ifindex()
                    && p.parentNetnsid() >= 0
                    && p.flags().contains("UP")
                    && IFNAME.matcher(p.name()).matches())
        .findFirst()
        .map(p -> new Port(c, p.name()));
  }

  /** Why a candidate's ends did not agree, for the window's notes. */
  private static String why(Candidate c, List<LinkInfo> podVeths) {
    LinkInfo inPod = find(podVeths, c.ifname());
    if (inPod == null) {
      return "it is not a veth in the pod";
    }
    if (inPod.parentIndex() <= 0 || inPod.parentNetnsid() < 0) {
      return "its veth peer is not in another namespace";
    }
    return "no veth port of "
        + c.bridge()
        + " that is up has ifindex "
        + inPod.parentIndex()
        + " with the pod interface ("
        + inPod.ifindex()
        + ") as its peer";
  }

  private static LinkInfo find(List<LinkInfo> links, String name) {
    return links.stream().filter(l -> l.name().equals(name)).findFirst().orElse(null);
  }

  /** {@code ip -j link show FILTER} in {@code sh}; on failure a note (naming {@code what}). */
  private static Optional<List<LinkInfo>> list(
      NodeShell sh, List<String> filter, String what, List<String> notes) {
    List<String> argv = new ArrayList<>(List.of("ip", "-j", "link", "show"));
    argv.addAll(filter);
    Command c = Command.of(argv).withTimeout(LIST_TIMEOUT);
    CommandResult r = sh.run(c);
    if (!r.ok()) {
      notes.add("cannot list " + what + " in " + sh.describe() + ": " + r.firstErrorLine());
      return Optional.empty();
    }
    try {
      return Optional.of(IpLinkParser.parse(r.stdout(), c.display() + " in " + sh.describe()));
    } catch (ParseException e) {
      notes.add(e.getMessage());
      return Optional.empty();
    }
  }
}
