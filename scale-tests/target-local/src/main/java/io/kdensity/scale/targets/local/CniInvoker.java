package io.kdensity.scale.targets.local;

import io.kdensity.probes.shell.Command;
import io.kdensity.probes.shell.CommandResult;
import io.kdensity.probes.shell.NodeShell;
import io.kdensity.scale.targets.InfrastructureException;
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
                new InfrastructureException(
                    "CNI plugin '"
                        + type
                        + "' not found in "
                        + pluginDirs
                        + " (Debian package containernetworking-plugins)"));
  }

  /** ADD: creates the interface and returns what the plugin configured. */
  CniResult add(String containerId, String netns, String ifname, CniConfig config) {
    return add(containerId, netns, ifname, config.type(), config.text(), "");
  }

  /**
   * ADD with a config as text and {@code CNI_ARGS}, as a runtime or Multus calls a plugin.
   *
   * @param type the plugin binary (the config's {@code type})
   * @param cniArgs {@code K=V;K=V}, or "" for none
   * @throws CniException if the plugin fails
   */
  public CniResult add(
      String containerId, String netns, String ifname, String type, String config, String cniArgs) {
    CommandResult r = exec("ADD", type, containerId, netns, ifname, config, cniArgs);
    JsonNode res = parse(r.stdout(), type + " ADD result");
    List<String> ifs = new ArrayList<>();
    String sandbox = ifname;
    String mac = "";
    for (JsonNode i : res.path("interfaces")) {
      ifs.add(i.path("name").asString());
      if (i.has("sandbox") && !i.path("sandbox").asString().isEmpty()) {
        sandbox = i.path("name").asString();
        mac = i.path("mac").asString("");
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
    List<String> defaults = new ArrayList<>();
    for (JsonNode route : res.path("routes")) {
      String dst = route.path("dst").asString("");
      if ((dst.equals("0.0.0.0/0") || dst.equals("::/0")) && route.has("gw")) {
        defaults.add(route.path("gw").asString());
      }
    }
    return new CniResult(ifs, sandbox, mac, addrs, gws, defaults, r.stdout());
  }

  /** DEL: removes the interface and releases its addresses (the same config as the ADD). */
  void del(String containerId, String netns, String ifname, CniConfig config) {
    del(containerId, netns, ifname, config.type(), config.text(), "");
  }

  /**
   * DEL with a config as text and {@code CNI_ARGS}.
   *
   * @throws CniException if the plugin fails
   */
  public void del(
      String containerId, String netns, String ifname, String type, String config, String cniArgs) {
    exec("DEL", type, containerId, netns, ifname, config, cniArgs);
  }

  private CommandResult exec(
      String cmd,
      String type,
      String containerId,
      String netns,
      String ifname,
      String config,
      String cniArgs) {
    Path bin = require(type);
    Map<String, String> env = new java.util.HashMap<>();
    env.put("CNI_COMMAND", cmd);
    env.put("CNI_CONTAINERID", containerId);
    env.put("CNI_NETNS", netns);
    env.put("CNI_IFNAME", ifname);
    env.put("CNI_PATH", String.join(":", pluginDirs.stream().map(Path::toString).toList()));
    if (!cniArgs.isEmpty()) {
      env.put("CNI_ARGS", cniArgs);
    }
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
      throw new InfrastructureException("cannot parse " + what + ": " + e.getOriginalMessage());
    }
  }
}
