package io.kdensity.tuning.export;

import io.kdensity.tuning.profile.NicSetting;
import io.kdensity.tuning.profile.NicSettings;
import io.kdensity.tuning.profile.Profile;
import io.kdensity.tuning.profile.Setting;
import java.util.Locale;
import java.util.Map;

/** Renders a profile for other tools. Pod sysctls and advisory hints become comments. */
public final class ProfileExporter {
  private ProfileExporter() {}

  public enum Format {
    SYSCTL_D,
    TUNED,
    NTO
  }

  public static String export(Profile p, Format f) {
    return switch (f) {
      case SYSCTL_D -> sysctlD(p);
      case TUNED -> tuned(p);
      case NTO -> nto(p);
    };
  }

  /** {@code /etc/sysctl.d/90-kdensity-<name>.conf}. */
  public static String sysctlD(Profile p) {
    StringBuilder s = new StringBuilder();
    s.append("# kdensity profile ")
        .append(p.name())
        .append(": ")
        .append(p.description())
        .append('\n');
    s.append("# install as /etc/sysctl.d/90-kdensity-")
        .append(p.name())
        .append(".conf, then: sysctl --system\n");
    for (Setting v : p.sysctl().values()) {
      if (!v.reason().isEmpty()) {
        s.append("# ").append(v.reason()).append('\n');
      }
      s.append(v.key()).append(" = ").append(v.value()).append('\n');
    }
    comments(p, s, "# ");
    return s.toString();
  }

  /** {@code /etc/tuned/kdensity-<name>/tuned.conf}. */
  public static String tuned(Profile p) {
    StringBuilder s = new StringBuilder();
    s.append("# kdensity profile ")
        .append(p.name())
        .append(": ")
        .append(p.description())
        .append('\n');
    s.append("[main]\nsummary=")
        .append(p.description().replace('\n', ' '))
        .append("\ninclude=throughput-performance\n\n[sysctl]\n");
    for (Setting v : p.sysctl().values()) {
      s.append(v.key()).append('=').append(v.value()).append('\n');
    }
    for (NicSettings n : p.nic()) {
      s.append("\n[net_")
          .append(n.match().replaceAll("[^A-Za-z0-9]", "_"))
          .append("]\ntype=net\ndevices=")
          .append(n.match())
          .append('\n');
      for (Map.Entry<NicSetting, String> e : n.settings().entrySet()) {
        NicSetting k = e.getKey();
        // TuneD's net plugin option per ethtool group; the rest has no TuneD equivalent
        String option =
            switch (k.group()) {
              case RINGS -> "ring";
              case CHANNELS -> "channels";
              case OFFLOADS -> "features";
              case COALESCE -> "coalesce";
              default -> null;
            };
        if (option != null) {
          s.append(option).append('=').append(k.field()).append(' ').append(e.getValue());
        } else {
          s.append("# ").append(k.key()).append('=').append(e.getValue());
          s.append(" (set with ip link / sysfs)");
        }
        s.append('\n');
      }
    }
    comments(p, s, "# ");
    return s.toString();
  }

  /** An OpenShift Node Tuning Operator {@code Tuned} CR for nodes labelled for dense pods. */
  public static String nto(Profile p) {
    String name = "kdensity-" + p.name().toLowerCase(Locale.ROOT);
    StringBuilder s = new StringBuilder();
    s.append("apiVersion: tuned.openshift.io/v1\nkind: Tuned\nmetadata:\n  name: ")
        .append(name)
        .append(
            "\n  namespace: openshift-cluster-node-tuning-operator\nspec:\n  profile:\n  - name: ")
        .append(name)
        .append("\n    data: |\n");
    for (String line : tuned(p).split("\n")) {
      s.append("      ").append(line).append('\n');
    }
    s.append(
            "  recommend:\n  - machineConfigLabels:\n      machineconfiguration.openshift.io/role: worker-dense\n    priority: 20\n    profile: ")
        .append(name)
        .append('\n');
    return s.toString();
  }

  private static void comments(Profile p, StringBuilder s, String c) {
    if (!p.podSysctl().isEmpty()) {
      s.append(c)
          .append(
              "per-pod sysctls (set in each pod: securityContext.sysctls or the tuning CNI plugin):\n");
      p.podSysctl()
          .values()
          .forEach(
              v ->
                  s.append(c)
                      .append("  ")
                      .append(v.key())
                      .append(" = ")
                      .append(v.value())
                      .append('\n'));
    }
    if (!p.advisory().isEmpty()) {
      s.append(c).append("advisory, not applied:\n");
      p.advisory()
          .values()
          .forEach(
              v ->
                  s.append(c)
                      .append("  ")
                      .append(v.key())
                      .append(": ")
                      .append(v.value())
                      .append(v.reason().isEmpty() ? "" : " — " + v.reason())
                      .append('\n'));
    }
  }
}
