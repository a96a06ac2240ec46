package io.kdensity.tuning.apply;

import io.kdensity.probes.ethtool.EthtoolReader;
import io.kdensity.probes.ethtool.Feature;
import io.kdensity.probes.ethtool.Supported;
import io.kdensity.probes.link.IpLinkParser;
import io.kdensity.probes.link.LinkInfo;
import io.kdensity.probes.parse.Text;
import io.kdensity.probes.shell.Command;
import io.kdensity.probes.shell.NodeShell;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import tools.jackson.databind.JsonNode;

/** Reads and writes one NIC setting of one device through ethtool, ip link and sysfs. */
final class NicOps {
  private static final Map<String, String> FEATURE =
      Map.of(
          "gro", "generic-receive-offload",
          "gso", "generic-segmentation-offload",
          "tso", "tcp-segmentation-offload",
          "lro", "large-receive-offload");

  private NicOps() {}

  static List<String> devices(NodeShell shell) {
    Command c = Command.of("ip", "-j", "-d", "link");
    return IpLinkParser.parse(
            shell.run(c).requireSuccess().stdout(), c.display() + " in " + shell.describe())
        .stream()
        .map(LinkInfo::name)
        .toList();
  }

  /** The current value, or empty with the reason in {@code why[0]} if the device cannot do it. */
  static Optional<String> read(NodeShell sh, String dev, String setting, String[] why) {
    EthtoolReader et = new EthtoolReader(sh);
    String group = setting.contains(".") ? setting.substring(0, setting.indexOf('.')) : setting;
    String field = setting.contains(".") ? setting.substring(setting.indexOf('.') + 1) : "";
    switch (group) {
      case "rings" -> {
        var r = et.rings(dev);
        if (!r.supported()) {
          why[0] = r.reason();
          return Optional.empty();
        }
        long v = field.equals("rx") ? r.value().rx() : r.value().tx();
        return present(v, why);
      }
      case "channels" -> {
        var c = et.channels(dev);
        if (!c.supported()) {
          why[0] = c.reason();
          return Optional.empty();
        }
        long v =
            switch (field) {
              case "rx" -> c.value().rx();
              case "tx" -> c.value().tx();
              default -> c.value().combined();
            };
        return present(v, why);
      }
      case "offloads" -> {
        Supported<Map<String, Feature>> f = et.features(dev);
        Feature feature = f.supported() ? f.value().get(FEATURE.get(field)) : null;
        if (feature == null) {
          why[0] = f.supported() ? "no feature " + FEATURE.get(field) : f.reason();
          return Optional.empty();
        }
        return Optional.of(feature.on() ? "on" : "off");
      }
      case "coalesce" -> {
        var c = et.coalesce(dev);
        Long v = c.supported() ? c.value().get(field) : null;
        if (v == null) {
          why[0] = c.supported() ? field + " is n/a" : c.reason();
          return Optional.empty();
        }
        return Optional.of(Long.toString(v));
      }
      case "txqueuelen", "mtu" -> {
        Command c = Command.of("ip", "-j", "link", "show", "dev", dev);
        JsonNode l = Text.jsonArray(sh.run(c).requireSuccess().stdout(), c.display()).get(0);
        return Optional.of(l.path(group.equals("mtu") ? "mtu" : "txqlen").asString());
      }
      case "rps_cpus", "xps_cpus" -> {
        String q = group.equals("rps_cpus") ? "rx-0" : "tx-0";
        String path = "/sys/class/net/" + dev + "/queues/" + q + "/" + group;
        var r = sh.readFiles(List.of(path)).get(path);
        if (!r.isOk()) {
          why[0] = r.error();
          return Optional.empty();
        }
        return Optional.of(r.content().strip());
      }
      default -> throw new IllegalArgumentException("unknown NIC setting " + setting);
    }
  }

  private static Optional<String> present(long v, String[] why) {
    if (v < 0) {
      why[0] = "the driver reports n/a";
      return Optional.empty();
    }
    return Optional.of(Long.toString(v));
  }

  static void write(NodeShell sh, String dev, String setting, String value) {
    String group = setting.contains(".") ? setting.substring(0, setting.indexOf('.')) : setting;
    String field = setting.contains(".") ? setting.substring(setting.indexOf('.') + 1) : "";
    switch (group) {
      case "rings" -> sh.run(Command.of("ethtool", "-G", dev, field, value)).requireSuccess();
      case "channels" -> sh.run(Command.of("ethtool", "-L", dev, field, value)).requireSuccess();
      case "offloads" -> sh.run(Command.of("ethtool", "-K", dev, field, value)).requireSuccess();
      case "coalesce" -> sh.run(Command.of("ethtool", "-C", dev, field, value)).requireSuccess();
      case "txqueuelen", "mtu" ->
          sh.run(Command.of("ip", "link", "set", "dev", dev, group, value)).requireSuccess();
      case "rps_cpus", "xps_cpus" -> {
        String kind = group.equals("rps_cpus") ? "rx" : "tx";
        Command ls =
            Command.of("sh", "-c", "ls -d /sys/class/net/\"$1\"/queues/" + kind + "-*", "sh", dev);
        for (String q : Text.lines(sh.run(ls).requireSuccess().stdout())) {
          sh.writeFile(q.strip() + "/" + group, value);
        }
      }
      default -> throw new IllegalArgumentException("unknown NIC setting " + setting);
    }
  }

  /** Whether a read-back value equals what was written (masks and vectors normalised). */
  static boolean same(String a, String b) {
    return norm(a).equals(norm(b));
  }

  static String norm(String v) {
    String s = v.strip().replaceAll("\\s+", " ");
    if (s.matches("[0-9a-fA-F,]+") && s.contains(",")) {
      s = s.replace(",", "");
    }
    if (s.matches("0+[0-9a-fA-F]+")) {
      s = s.replaceFirst("^0+(?=.)", "");
    }
    return s.toLowerCase(java.util.Locale.ROOT);
  }
}
