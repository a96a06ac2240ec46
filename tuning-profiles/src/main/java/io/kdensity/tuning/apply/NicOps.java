package io.kdensity.tuning.apply;

import io.kdensity.probes.ethtool.EthtoolReader;
import io.kdensity.probes.ethtool.Feature;
import io.kdensity.probes.ethtool.Supported;
import io.kdensity.probes.link.IpLinkParser;
import io.kdensity.probes.link.LinkInfo;
import io.kdensity.probes.parse.Text;
import io.kdensity.probes.shell.Command;
import io.kdensity.probes.shell.NodeShell;
import io.kdensity.tuning.profile.NicSetting;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import tools.jackson.databind.JsonNode;

/** Reads and writes one NIC setting of one device through ethtool, ip link and sysfs. */
final class NicOps {
  /** ethtool's feature names (ethtool -k) of the offload settings. */
  private static final Map<NicSetting, String> FEATURE =
      Map.of(
          NicSetting.OFFLOADS_GRO, "generic-receive-offload",
          NicSetting.OFFLOADS_GSO, "generic-segmentation-offload",
          NicSetting.OFFLOADS_TSO, "tcp-segmentation-offload",
          NicSetting.OFFLOADS_LRO, "large-receive-offload");

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
  static Optional<String> read(NodeShell sh, String dev, NicSetting setting, String[] why) {
    EthtoolReader et = new EthtoolReader(sh);
    String field = setting.field();
    switch (setting.group()) {
      case RINGS -> {
        var r = et.rings(dev);
        if (!r.supported()) {
          why[0] = r.reason();
          return Optional.empty();
        }
        long v = setting == NicSetting.RINGS_RX ? r.value().rx() : r.value().tx();
        return present(v, why);
      }
      case CHANNELS -> {
        var c = et.channels(dev);
        if (!c.supported()) {
          why[0] = c.reason();
          return Optional.empty();
        }
        long v =
            switch (setting) {
              case CHANNELS_RX -> c.value().rx();
              case CHANNELS_TX -> c.value().tx();
              default -> c.value().combined();
            };
        return present(v, why);
      }
      case OFFLOADS -> {
        Supported<Map<String, Feature>> f = et.features(dev);
        Feature feature = f.supported() ? f.value().get(FEATURE.get(setting)) : null;
        if (feature == null) {
          why[0] = f.supported() ? "no feature " + FEATURE.get(setting) : f.reason();
          return Optional.empty();
        }
        return Optional.of(feature.on() ? "on" : "off");
      }
      case COALESCE -> {
        var c = et.coalesce(dev);
        Long v = c.supported() ? c.value().get(field) : null;
        if (v == null) {
          why[0] = c.supported() ? field + " is n/a" : c.reason();
          return Optional.empty();
        }
        return Optional.of(Long.toString(v));
      }
      case TXQUEUELEN, MTU -> {
        Command c = Command.of("ip", "-j", "link", "show", "dev", dev);
        JsonNode l = Text.jsonArray(sh.run(c).requireSuccess().stdout(), c.display()).get(0);
        return Optional.of(l.path(setting == NicSetting.MTU ? "mtu" : "txqlen").asString());
      }
      case RPS_CPUS, XPS_CPUS -> {
        String q = setting == NicSetting.RPS_CPUS ? "rx-0" : "tx-0";
        String path = "/sys/class/net/" + dev + "/queues/" + q + "/" + setting.key();
        var r = sh.readFiles(List.of(path)).get(path);
        if (!r.isOk()) {
          why[0] = r.error();
          return Optional.empty();
        }
        return Optional.of(r.content().strip());
      }
    }
    throw new IllegalStateException("unreachable: " + setting);
  }

  private static Optional<String> present(long v, String[] why) {
    if (v < 0) {
      why[0] = "the driver reports n/a";
      return Optional.empty();
    }
    return Optional.of(Long.toString(v));
  }

  static void write(NodeShell sh, String dev, NicSetting setting, String value) {
    String field = setting.field();
    switch (setting.group()) {
      case RINGS -> sh.run(Command.of("ethtool", "-G", dev, field, value)).requireSuccess();
      case CHANNELS -> sh.run(Command.of("ethtool", "-L", dev, field, value)).requireSuccess();
      case OFFLOADS -> sh.run(Command.of("ethtool", "-K", dev, field, value)).requireSuccess();
      case COALESCE -> sh.run(Command.of("ethtool", "-C", dev, field, value)).requireSuccess();
      case TXQUEUELEN, MTU ->
          sh.run(Command.of("ip", "link", "set", "dev", dev, setting.key(), value))
              .requireSuccess();
      case RPS_CPUS, XPS_CPUS -> {
        String kind = setting == NicSetting.RPS_CPUS ? "rx" : "tx";
        // the device name is an argument ($1), never part of the script
        Command ls =
            Command.of("sh", "-c", "ls -d /sys/class/net/\"$1\"/queues/" + kind + "-*", "sh", dev);
        for (String q : Text.lines(sh.run(ls).requireSuccess().stdout())) {
          sh.writeFile(q.strip() + "/" + setting.key(), value);
        }
      }
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
    return s.toLowerCase(Locale.ROOT);
  }
}
