package io.kdensity.scale.plan;

import io.kdensity.probes.DefaultProbes;
import io.kdensity.probes.addr.IpLossProbe;
import io.kdensity.probes.cpu.PacketCpuProbe;
import io.kdensity.probes.fdb.MacTableProbe;
import io.kdensity.probes.finding.FindingCode;
import io.kdensity.probes.finding.Severity;
import io.kdensity.probes.neigh.NeighbourProbe;
import io.kdensity.probes.socket.SocketBufferProbe;
import io.kdensity.scale.metrics.StepMetricCatalog;
import io.kdensity.tuning.yaml.Reader;
import io.kdensity.tuning.yaml.YNode;
import io.kdensity.tuning.yaml.YNode.YList;
import io.kdensity.tuning.yaml.YNode.YMap;
import io.kdensity.tuning.yaml.YNode.YScalar;
import io.kdensity.tuning.yaml.Yaml;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Loads a ramp plan from YAML and validates all of it, reporting every problem with its line.
 *
 * <pre>{@code
 * Plan plan = PlanLoader.load(Path.of("scale-tests/plans/default.yaml"));
 * }</pre>
 */
public final class PlanLoader {
  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final List<String> TOP =
      List.of(
          "name",
          "description",
          "target",
          "primary",
          "attachments",
          "interfacesPerPod",
          "ramp",
          "settle",
          "hold",
          "traffic",
          "probes",
          "slos",
          "stop",
          "bisect",
          "profiles",
          "cleanup");
  private static final int MAX_PODS = 100_000;

  private PlanLoader() {}

  /**
   * Loads and validates; throws {@link io.kdensity.tuning.yaml.ConfigException} with all problems.
   */
  public static Plan load(Path file) {
    return parse(Yaml.load(file), file.toString());
  }

  public static Plan parse(String yaml, String file) {
    return parse(Yaml.parse(yaml, file), file);
  }

  private static Plan parse(YNode doc, String file) {
    Reader r = new Reader(file);
    YMap root = r.map(doc);
    if (root == null) {
      r.throwIfAny();
    }
    r.allowOnly(root, TOP);
    String name = r.requireString(root, "name");
    String description = r.string(root, "description", "");
    TargetSpec target = target(r, r.map(root, "target"));
    Attachment primary =
        r.opt(root, "primary")
            .map(n -> attachment(r, n, target, true))
            .orElse(defaultPrimary(target));
    List<Attachment> attachments = new ArrayList<>();
    YList al = r.list(root, "attachments");
    if (al != null) {
      for (YNode n : al.items()) {
        Attachment a = attachment(r, n, target);
        if (a != null) {
          if (attachments.stream().anyMatch(x -> x.name().equals(a.name()))
              || (primary != null && primary.name().equals(a.name()))) {
            r.error(n, "attachment name '" + a.name() + "' is used twice");
          }
          attachments.add(a);
        }
      }
    }
    int perPod = (int) r.integer(root, "interfacesPerPod", attachments.size(), 0, 64);
    if (perPod > 0 && attachments.isEmpty()) {
      r.error(
          root.get("interfacesPerPod") == null ? root : root.get("interfacesPerPod"),
          "interfacesPerPod is " + perPod + " but no attachments are declared");
    }
    Ramp ramp = ramp(r, root);
    checkIpCapacity(r, attachments, perPod, ramp);
    if (primary != null) {
      checkIpCapacity(r, List.of(primary), 1, ramp);
    }
    Duration settle = r.duration(root, "settle", Duration.ofSeconds(2));
    Duration hold = r.duration(root, "hold", Duration.ofSeconds(5));
    Traffic traffic = traffic(r, r.map(root, "traffic"));
    DefaultProbes.Thresholds thresholds = thresholds(r, r.map(root, "probes"));
    List<Slo> slos = slos(r, root);
    YMap stop = r.map(root, "stop");
    r.allowOnly(stop, List.of("policy", "extraSteps"));
    Plan.StopPolicy stopPolicy =
        new Plan.StopPolicy(
            r.enumValue(
                stop, "policy", Plan.StopPolicy.Mode.class, Plan.StopPolicy.Mode.FIRST_FAILURE),
            (int) r.integer(stop, "extraSteps", 0, 0, 1000));
    YMap bis = r.map(root, "bisect");
    r.allowOnly(bis, List.of("enabled", "resolution"));
    Plan.Bisect bisect =
        new Plan.Bisect(
            r.bool(bis, "enabled", true), (int) r.integer(bis, "resolution", 10, 1, MAX_PODS));
    List<String> profiles = r.strings(root, "profiles");
    Plan.Cleanup cleanup = r.enumValue(root, "cleanup", Plan.Cleanup.class, Plan.Cleanup.ALWAYS);
    r.throwIfAny();
    return new Plan(
        name,
        description,
        file,
        target,
        primary,
        attachments,
        perPod,
        ramp,
        settle,
        hold,
        traffic,
        thresholds,
        slos,
        stopPolicy,
        bisect,
        profiles,
        cleanup);
  }

  private static TargetSpec target(Reader r, YMap t) {
    r.allowOnly(t, List.of("type", "node", "local", "kube"));
    TargetSpec.Type type = r.enumValue(t, "type", TargetSpec.Type.class, TargetSpec.Type.LOCAL);
    String node = r.string(t, "node", type == TargetSpec.Type.LOCAL ? "local" : null);
    YMap l = r.map(t, "local");
    r.allowOnly(
        l,
        List.of(
            "cniDirs",
            "uplinks",
            "switchMacTable",
            "nicUnicastFilter",
            "dualStack",
            "attachConcurrency",
            "stateDir",
            "teardown"));
    TargetSpec.Local d = TargetSpec.Local.DEFAULT;
    List<String> dirs = r.strings(l, "cniDirs");
    TargetSpec.Local local =
        new TargetSpec.Local(
            dirs.isEmpty() ? d.cniDirs() : dirs.stream().map(Path::of).toList(),
            (int) r.integer(l, "uplinks", d.uplinks(), 1, 64),
            (int) r.integer(l, "switchMacTable", d.switchMacTable(), 1, Integer.MAX_VALUE),
            (int) r.integer(l, "nicUnicastFilter", d.nicUnicastFilter(), 0, Integer.MAX_VALUE),
            r.bool(l, "dualStack", d.dualStack()),
            (int) r.integer(l, "attachConcurrency", d.attachConcurrency(), 1, 512),
            Path.of(r.string(l, "stateDir", d.stateDir().toString())),
            r.enumValue(l, "teardown", TargetSpec.Local.Teardown.class, d.teardown()));
    YMap k = r.map(t, "kube");
    r.allowOnly(
        k,
        List.of(
            "kubeconfig",
            "context",
            "image",
            "probeImage",
            "qps",
            "burst",
            "concurrency",
            "readyTimeout"));
    TargetSpec.Kube kd = TargetSpec.Kube.DEFAULT;
    TargetSpec.Kube kube =
        new TargetSpec.Kube(
            r.string(k, "kubeconfig", kd.kubeconfig()),
            r.string(k, "context", kd.context()),
            r.string(k, "image", kd.image()),
            r.string(k, "probeImage", kd.probeImage()),
            (int) r.integer(k, "qps", kd.qps(), 1, 10_000),
            (int) r.integer(k, "burst", kd.burst(), 1, 10_000),
            (int) r.integer(k, "concurrency", kd.concurrency(), 1, 10_000),
            (int)
                r.duration(k, "readyTimeout", Duration.ofSeconds(kd.readyTimeoutSeconds()))
                    .toSeconds());
    if (type == TargetSpec.Type.KUBE && (node == null || node.isBlank())) {
      r.error(t == null ? 0 : t.line(), "target.node must name the Kubernetes node under test");
    }
    return new TargetSpec(type, node, local, kube);
  }

  private static Attachment defaultPrimary(TargetSpec t) {
    String ranges =
        t.local().dualStack()
            ? "[[{\"subnet\":\"fd00:100::/64\"}],[{\"subnet\":\"198.18.0.0/16\"}]]"
            : "[[{\"subnet\":\"fd00:100::/64\"}]]";
    return new Attachment(
        "kd-primary",
        "{\"cniVersion\":\"1.0.0\",\"name\":\"kd-primary\",\"type\":\"ptp\",\"ipam\":{\"type\":\"host-local\",\"ranges\":"
            + ranges
            + "}}",
        0);
  }

  /** {@code {name, config}} where config is a JSON string or an inline YAML mapping. */
  private static Attachment attachment(Reader r, YNode n, TargetSpec target) {
    return attachment(r, n, target, false);
  }

  private static Attachment attachment(Reader r, YNode n, TargetSpec target, boolean primary) {
    YMap m = r.map(n);
    if (m == null) {
      return null;
    }
    r.allowOnly(m, List.of("name", "config", "ips"));
    String name = r.requireString(m, "name");
    if (name != null && !name.matches("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?")) {
      r.error(
          m.get("name"),
          "attachment name '" + name + "' must be a Kubernetes name (lower case, digits, dashes)");
    }
    Optional<YNode> c = r.require(m, "config");
    if (c.isEmpty() || name == null) {
      return null;
    }
    JsonNode json;
    try {
      json =
          c.get() instanceof YScalar s
              ? JSON.readTree(s.value())
              : JSON.valueToTree(Yaml.toPlain(c.get()));
    } catch (JacksonException e) {
      r.error(c.get(), "config of '" + name + "' is not valid JSON: " + e.getOriginalMessage());
      return null;
    }
    if (!(json instanceof ObjectNode o)) {
      r.error(c.get(), "config of '" + name + "' must be a JSON object");
      return null;
    }
    String type = o.path("type").asString("");
    if (type.isEmpty()) {
      r.error(c.get(), "config of '" + name + "' has no CNI \"type\"");
    }
    o.put("name", name);
    if (!o.has("cniVersion")) {
      o.put("cniVersion", "1.0.0");
    }
    for (String addr : addresses(o.path("ipam"))) {
      if (!AddressPolicy.allowed(addr)) {
        r.error(
            c.get(),
            "config of '"
                + name
                + "' uses "
                + addr
                + ": kdensity only hands out addresses from "
                + AddressPolicy.RANGES);
      }
    }
    String master = o.path("master").asString("");
    if (target.type() == TargetSpec.Type.LOCAL && !master.isEmpty()) {
      int uplink = master.matches("uplink\\d+") ? Integer.parseInt(master.substring(6)) : -1;
      if (uplink < 0 || uplink >= target.local().uplinks()) {
        r.error(
            c.get(),
            "config of '"
                + name
                + "': on the local target \"master\" must be uplink0..uplink"
                + (target.local().uplinks() - 1)
                + ", found '"
                + master
                + "'");
      }
    }
    List<String> ips = r.strings(m, "ips");
    if (!ips.isEmpty()) {
      for (String subnet : ips) {
        if (Subnet.parse(subnet).isEmpty()) {
          r.error(
              m.get("ips"), "ips of '" + name + "': '" + subnet + "' is not a subnet in CIDR form");
        } else if (!AddressPolicy.allowed(subnet)) {
          r.error(
              m.get("ips"),
              "ips of '"
                  + name
                  + "': "
                  + subnet
                  + " is outside "
                  + AddressPolicy.RANGES
                  + ", the only ranges kdensity hands out");
        }
      }
      if (primary && !"static".equals(o.path("ipam").path("type").asString(""))) {
        // eth0's plugin (ptp) needs a gateway, which runtimeConfig ips cannot carry: the pod's
        // address and gateway go into the static IPAM config itself
        r.error(
            m.line(),
            "primary: 'ips' needs \"ipam\": {\"type\": \"static\"} in its config (kdensity writes"
                + " each pod's address and gateway into it)");
      }
      if (!primary && !o.path("capabilities").path("ips").asBoolean(false)) {
        r.error(
            c.get(),
            "config of '"
                + name
                + "' needs \"capabilities\": {\"ips\": true} for 'ips': Multus passes a pod's"
                + " ips as runtimeConfig only to configs that declare the capability");
      }
      if (!primary && !"static".equals(o.path("ipam").path("type").asString(""))) {
        r.error(
            c.get(),
            "config of '"
                + name
                + "' needs \"ipam\": {\"type\": \"static\"} for 'ips': the static plugin is the"
                + " one that takes runtimeConfig ips");
      }
    }
    return new Attachment(name, o.toString(), ips, m.line());
  }

  /** Every attachment with {@code ips} must hold an address for each of its interfaces at max. */
  private static void checkIpCapacity(
      Reader r, List<Attachment> attachments, int perPod, Ramp ramp) {
    if (attachments.isEmpty() || ramp.steps().isEmpty()) {
      return;
    }
    int maxPods = ramp.steps().get(ramp.steps().size() - 1);
    for (int a = 0; a < attachments.size(); a++) {
      Attachment at = attachments.get(a);
      int slots = Plan.slotsPerPod(a, attachments.size(), perPod);
      java.math.BigInteger need = java.math.BigInteger.valueOf((long) maxPods * slots);
      for (String text : at.ips()) {
        Subnet.parse(text)
            .filter(subnet -> subnet.capacity().compareTo(need) < 0)
            .ifPresent(
                subnet ->
                    r.error(
                        at.line(),
                        "ips of '"
                            + at.name()
                            + "': "
                            + text
                            + " holds "
                            + subnet.capacity()
                            + " pod addresses, the ramp needs "
                            + need));
      }
    }
  }

  /** Every subnet, range bound, gateway and static address in an IPAM config. */
  static List<String> addresses(JsonNode ipam) {
    List<String> out = new ArrayList<>();
    for (String f : List.of("subnet", "rangeStart", "rangeEnd", "gateway")) {
      if (ipam.has(f)) {
        out.add(ipam.get(f).asString());
      }
    }
    for (JsonNode set : ipam.path("ranges")) {
      for (JsonNode range : set) {
        for (String f : List.of("subnet", "rangeStart", "rangeEnd", "gateway")) {
          if (range.has(f)) {
            out.add(range.get(f).asString());
          }
        }
      }
    }
    for (JsonNode a : ipam.path("addresses")) {
      out.add(a.path("address").asString(""));
    }
    return out;
  }

  private static Ramp ramp(Reader r, YMap root) {
    YMap m = r.map(root, "ramp");
    if (m == null) {
      r.require(root, "ramp");
      return new Ramp(List.of(1));
    }
    r.allowOnly(m, List.of("steps", "start", "step", "max", "mode", "factor"));
    YList steps = r.list(m, "steps");
    if (steps != null) {
      if (m.get("start") != null || m.get("max") != null) {
        r.error(m, "ramp: give either 'steps' or 'start'/'step'/'max', not both");
      }
      List<Integer> s = new ArrayList<>();
      int prev = 0;
      for (YNode n : steps.items()) {
        int v = (int) r.integer(n, -1, 1, MAX_PODS);
        if (v >= 0 && v <= prev) {
          r.error(n, "ramp steps must increase: " + v + " after " + prev);
        }
        if (v > 0) {
          s.add(v);
          prev = Math.max(prev, v);
        }
      }
      if (steps.items().isEmpty()) {
        r.error(steps, "ramp.steps is empty");
      }
      return new Ramp(s.isEmpty() ? List.of(1) : s);
    }
    int start = (int) r.integer(m, "start", 10, 1, MAX_PODS);
    int max = (int) r.integer(m, "max", -1, 1, MAX_PODS);
    if (m.get("max") == null) {
      r.error(m, "ramp needs 'steps' or 'max'");
    }
    String mode = r.string(m, "mode", "linear");
    if (max < start && max > 0) {
      r.error(m.get("max"), "ramp.max " + max + " is below ramp.start " + start);
      return new Ramp(List.of(start));
    }
    if (max <= 0) {
      return new Ramp(List.of(start));
    }
    if ("exponential".equals(mode)) {
      return Ramp.exponential(start, r.number(m, "factor", 2.0, 1.01, 100), max);
    }
    if (!"linear".equals(mode)) {
      r.error(
          m.get("mode"), "'ramp.mode' must be one of linear, exponential, found '" + mode + "'");
    }
    return Ramp.linear(start, (int) r.integer(m, "step", start, 1, MAX_PODS), max);
  }

  private static Traffic traffic(Reader r, YMap m) {
    r.allowOnly(m, List.of("reachability", "pingInterval", "pingTimeout", "pingRetries", "udp"));
    Traffic d = Traffic.DEFAULT;
    YMap u = r.map(m, "udp");
    r.allowOnly(u, List.of("enabled", "pods", "rate", "payload", "rcvbuf"));
    Traffic.Udp ud = Traffic.Udp.OFF;
    Traffic.Udp udp =
        new Traffic.Udp(
            r.bool(u, "enabled", ud.enabled()),
            (int) r.integer(u, "pods", ud.pods(), 1, 64),
            (int) r.integer(u, "rate", ud.rate(), 1, 2_000_000),
            (int) r.integer(u, "payload", ud.payload(), 1, 8192),
            (int) r.integer(u, "rcvbuf", ud.rcvbuf(), 256, 1 << 30));
    return new Traffic(
        r.bool(m, "reachability", d.reachability()),
        r.duration(m, "pingInterval", d.pingInterval()),
        r.duration(m, "pingTimeout", d.pingTimeout()),
        (int) r.integer(m, "pingRetries", d.pingRetries(), 0, 10),
        udp);
  }

  private static DefaultProbes.Thresholds thresholds(Reader r, YMap m) {
    r.allowOnly(m, List.of("ipLoss", "neighbour", "macTable", "packetCpu", "socketBuffer"));
    YMap ip = r.map(m, "ipLoss");
    r.allowOnly(ip, List.of("tentativeGrace", "maxLost", "examples"));
    IpLossProbe.Thresholds ipd = IpLossProbe.Thresholds.DEFAULT;
    YMap ne = r.map(m, "neighbour");
    r.allowOnly(ne, List.of("maxTableFulls", "nearLimit"));
    YMap mac = r.map(m, "macTable");
    r.allowOnly(mac, List.of("nearLimit"));
    YMap cpu = r.map(m, "packetCpu");
    r.allowOnly(cpu, List.of("maxDrops", "maxTimeSqueeze"));
    YMap sock = r.map(m, "socketBuffer");
    r.allowOnly(sock, List.of("maxRcvbufErrors", "maxSndbufErrors"));
    return new DefaultProbes.Thresholds(
        new IpLossProbe.Thresholds(
            r.duration(ip, "tentativeGrace", ipd.tentativeGrace()),
            (int) r.integer(ip, "maxLost", ipd.maxLost(), 0, Integer.MAX_VALUE),
            (int) r.integer(ip, "examples", ipd.examples(), 0, 10_000)),
        new NeighbourProbe.Thresholds(
            r.integer(ne, "maxTableFulls", 0, 0, Long.MAX_VALUE),
            r.number(ne, "nearLimit", 0.9, 0, 1)),
        new MacTableProbe.Thresholds(r.number(mac, "nearLimit", 0.9, 0, 1)),
        new PacketCpuProbe.Thresholds(
            r.integer(cpu, "maxDrops", 0, 0, Long.MAX_VALUE),
            r.integer(cpu, "maxTimeSqueeze", 0, 0, Long.MAX_VALUE)),
        new SocketBufferProbe.Thresholds(
            r.integer(sock, "maxRcvbufErrors", 0, 0, Long.MAX_VALUE),
            r.integer(sock, "maxSndbufErrors", 0, 0, Long.MAX_VALUE)));
  }

  /** Every critical finding fails a step unless the plan says otherwise. */
  public static List<Slo> defaultSlos() {
    List<Slo> out = new ArrayList<>();
    for (FindingCode c : FindingCode.values()) {
      out.add(new Slo(null, c, Severity.CRITICAL, 0, 0));
    }
    return out;
  }

  private static List<Slo> slos(Reader r, YMap root) {
    YList l = r.list(root, "slos");
    if (l == null) {
      return defaultSlos();
    }
    List<Slo> out = new ArrayList<>();
    for (YNode n : l.items()) {
      YMap m = r.map(n);
      if (m == null) {
        continue;
      }
      r.allowOnly(m, List.of("metric", "finding", "severity", "max"));
      String metric = r.string(m, "metric", null);
      String finding = r.string(m, "finding", null);
      if ((metric == null) == (finding == null)) {
        r.error(m, "an SLO names either a 'metric' or a 'finding'");
        continue;
      }
      if (metric != null && StepMetricCatalog.find(metric).isEmpty()) {
        r.error(
            m.get("metric"),
            "unknown metric '"
                + metric
                + "'"
                + StepMetricCatalog.closest(metric)
                    .map(c -> " (did you mean '" + c + "'?)")
                    .orElse(""));
      }
      FindingCode code = null;
      if (finding != null) {
        try {
          code = FindingCode.valueOf(finding);
        } catch (IllegalArgumentException e) {
          r.error(
              m.get("finding"),
              "unknown finding code '"
                  + finding
                  + "' (one of "
                  + java.util.Arrays.toString(FindingCode.values())
                  + ")");
        }
      }
      Severity sev = r.enumValue(m, "severity", Severity.class, Severity.CRITICAL);
      double max = 0;
      Optional<YNode> mx = r.opt(m, "max");
      if (mx.isEmpty()) {
        r.error(m, "an SLO needs 'max'");
      } else {
        String v = r.scalar(mx.get());
        Optional<Duration> d = v == null ? Optional.empty() : Reader.parseDuration(v);
        if (d.isPresent()) {
          max = d.get().toMillis();
        } else {
          max = r.number(m, "max", 0, 0, Double.MAX_VALUE);
        }
      }
      out.add(new Slo(metric, code, sev, max, m.line()));
    }
    return out;
  }
}
