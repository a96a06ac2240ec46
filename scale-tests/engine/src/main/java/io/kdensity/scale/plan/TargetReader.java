package io.kdensity.scale.plan;

import io.kdensity.config.run.AttachMode;
import io.kdensity.config.yaml.Reader;
import io.kdensity.config.yaml.YNode.YMap;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** Binds a plan's {@code target} section: local or kube, the node, and each target's settings. */
final class TargetReader {
  private TargetReader() {}

  static TargetSpec target(Reader r, YMap t) {
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
            "teardown",
            "attach",
            "routers",
            "conntrack"));
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
            r.enumValue(l, "teardown", TargetSpec.Local.Teardown.class, d.teardown()),
            r.enumValue(l, "attach", AttachMode.class, d.attach()),
            (int) r.integer(l, "routers", d.routers(), 0, TargetSpec.Local.MAX_ROUTERS),
            r.bool(l, "conntrack", d.conntrack()));
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
}
