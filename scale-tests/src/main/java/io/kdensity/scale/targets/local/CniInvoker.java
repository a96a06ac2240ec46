package io.kdensity.scale.targets.local;

import io.kdensity.probes.shell.Command;
import io.kdensity.probes.shell.CommandResult;
import io.kdensity.probes.shell.NodeShell;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Calls CNI plugin binaries through the CNI protocol (CNI_COMMAND, CNI_CONTAINERID, CNI_NETNS,
 * CNI_IFNAME, CNI_PATH in the environment, the network config on stdin), as Multus and the
 * container runtime do. Plugins run in the node's network namespace, where bridges and macvlan
 * parents live.
 */
public final class CniInvoker {
  private static final JsonMapper JSON = JsonMapper.builder().build();
  static final Duration TIMEOUT = Duration.ofSeconds(60);

  private final NodeShell node;
  private final List<Path> pluginDirs;

  /**
   * @param node shell of the node's network namespace
   * @param pluginDirs where plugin binaries are looked up, in order (CNI_PATH)
   */
  public CniInvoker(NodeShell node, List<Path> pluginDirs) {
    this.node = node;
    this.pluginDirs = List.copyOf(pluginDirs);
  }

  /** The binary of a plugin type, if installed. */
  public Optional<Path> find(String type) {
    return pluginDirs.stream().map(d -> d.resolve(type)).filter(Files::isExecutable).findFirst();
  }

  private Path require(String type) {
    return find(type)
        .orElseThrow(
            () ->
                new io.kdensity.scale.targets.InfrastructureException(
                    "CNI plugin '"
                        + type
                        + "' not found in "
                        + pluginDirs
                        + " (Debian package containernetworking-plugins)"));
  }

  /** ADD: creates the interface and returns what the plugin configured. */
  public CniResult add(String containerId, String netns, String ifname, String config) {
    return add(containerId, netns, ifname, config, List.of());
  }

  /**
   * ADD with fixed addresses, passed as {@code runtimeConfig.ips} the way libcni does for a pod
   * whose Multus network selection names {@code ips} (only to configs declaring the capability).
   */
  public CniResult add(
      String containerId, String netns, String ifname, String config, List<String> ips) {
    JsonNode conf = parse(config, "network config");
    String type = conf.path("type").asString();
    CommandResult r = exec("ADD", type, containerId, netns, ifname, withIps(conf, ips, config));
    JsonNode res = parse(r.stdout(), type + " ADD result");
    List<String> ifs = new ArrayList<>();
    String sandbox = ifname;
    for (JsonNode i : res.path("interfaces")) {
      ifs.add(i.path("name").asString());
      if (i.has("sandbox") && !i.path("sandbox").asString().isEmpty()) {
        sandbox = i.path("name").asString();
      }
    }
    List<String> addrs = new ArrayList<>();
    List<String> gws = new ArrayList<>();
    for (JsonNode ip : res.path("ips")) {
      addrs.add(ip.path("address").asString());
      if (ip.has("gateway")) {
        gws.add(ip.path("gateway").asString());
      }
    }
    return new CniResult(ifs, sandbox, addrs, gws);
  }

  /** DEL: removes the interface and releases its addresses. */
  public void del(String containerId, String netns, String ifname, String config) {
    del(containerId, netns, ifname, config, List.of());
  }

  /** DEL with the same runtimeConfig ips as the ADD. */
  public void del(
      String containerId, String netns, String ifname, String config, List<String> ips) {
    JsonNode conf = parse(config, "network config");
    exec(
        "DEL",
        conf.path("type").asString(),
        containerId,
        netns,
        ifname,
        withIps(conf, ips, config));
  }

  /**
   * The config with the static IPAM plugin's {@code addresses} set to {@code ips}, each with the
   * gateway at the same index: how eth0 gets a fixed address (its plugin needs the gateway).
   */
  static String withStaticAddresses(String config, List<String> ips, List<String> gateways) {
    if (ips.isEmpty()) {
      return config;
    }
    tools.jackson.databind.node.ObjectNode c =
        (tools.jackson.databind.node.ObjectNode) parse(config, "network config");
    tools.jackson.databind.node.ArrayNode arr =
        ((tools.jackson.databind.node.ObjectNode) c.path("ipam")).putArray("addresses");
    for (int i = 0; i < ips.size(); i++) {
      arr.addObject().put("address", ips.get(i)).put("gateway", gateways.get(i));
    }
    return c.toString();
  }

  /** The config with {@code runtimeConfig.ips}, when there are ips and the config declares them. */
  static String withIps(JsonNode conf, List<String> ips, String config) {
    if (ips.isEmpty()
        || !conf.path("capabilities").path("ips").asBoolean(false)
        || !(conf instanceof tools.jackson.databind.node.ObjectNode o)) {
      return config;
    }
    tools.jackson.databind.node.ObjectNode copy = o.deepCopy();
    tools.jackson.databind.node.ArrayNode arr = copy.putObject("runtimeConfig").putArray("ips");
    ips.forEach(arr::add);
    return copy.toString();
  }

  private CommandResult exec(
      String cmd, String type, String containerId, String netns, String ifname, String config) {
    Path bin = require(type);
    Map<String, String> env =
        Map.of(
            "CNI_COMMAND", cmd,
            "CNI_CONTAINERID", containerId,
            "CNI_NETNS", netns,
            "CNI_IFNAME", ifname,
            "CNI_PATH", String.join(":", pluginDirs.stream().map(Path::toString).toList()));
    CommandResult r =
        node.run(Command.of(bin.toString()).withEnv(env).withStdin(config).withTimeout(TIMEOUT));
    if (!r.ok()) {
      String msg = r.firstErrorLine();
      int code = 0;
      try {
        JsonNode err = JSON.readTree(r.stdout());
        if (err.has("msg")) {
          msg =
              err.path("msg").asString()
                  + (err.has("details") && !err.path("details").asString().isEmpty()
                      ? ": " + err.path("details").asString()
                      : "");
          code = err.path("code").asInt();
        }
      } catch (JacksonException e) {
        // not a CNI error object: the first line of output says what happened
      }
      throw new CniException(type, cmd, code, msg);
    }
    return r;
  }

  private static JsonNode parse(String text, String what) {
    try {
      return JSON.readTree(text);
    } catch (JacksonException e) {
      throw new io.kdensity.scale.targets.InfrastructureException(
          "cannot parse " + what + ": " + e.getOriginalMessage());
    }
  }
}
