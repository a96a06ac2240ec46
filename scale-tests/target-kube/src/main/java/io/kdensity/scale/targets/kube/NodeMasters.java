package io.kdensity.scale.targets.kube;

import io.kdensity.probes.link.IpLinkParser;
import io.kdensity.probes.link.LinkInfo;
import io.kdensity.probes.parse.ParseException;
import io.kdensity.probes.shell.Command;
import io.kdensity.probes.shell.CommandResult;
import io.kdensity.probes.shell.NodeShell;
import io.kdensity.scale.plan.Attachment;
import io.kdensity.scale.targets.InfrastructureException;
import io.kdensity.scale.targets.PreflightException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The node links the plan's NADs name as {@code master} (macvlan, ipvlan, vlan), checked on the
 * node before the first pod: the plugin fails every ADD on a node without it ({@code failed to
 * lookup master "ens5f1": Link not found}), and without this check that would read as a knee at the
 * first step instead of a plan written for another node.
 */
public final class NodeMasters {
  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  private NodeMasters() {}

  /** A NAD and the master it names. */
  public record Named(String nad, String master) {}

  /** The masters the attachments' CNI configs name (a single config or a conflist's plugins). */
  public static List<Named> of(List<Attachment> attachments) {
    List<Named> out = new ArrayList<>();
    for (Attachment a : attachments) {
      JsonNode config;
      try {
        config = JSON.readTree(a.config());
      } catch (JacksonException e) {
        continue; // the plan loader has already refused it
      }
      List<JsonNode> plugins = new ArrayList<>();
      if (config.path("plugins").isArray()) {
        config.path("plugins").forEach(plugins::add);
      } else {
        plugins.add(config);
      }
      for (JsonNode p : plugins) {
        String master = p.path("master").asString("");
        if (!master.isEmpty()) {
          out.add(new Named(a.name(), master));
        }
      }
    }
    return out;
  }

  /**
   * @param nodeNamespace the node's network namespace (the probe pod's, on the host network)
   * @throws PreflightException naming each NAD whose master the node lacks, and the node's links
   */
  static void check(NodeShell nodeNamespace, List<Attachment> attachments, String node) {
    List<Named> named = of(attachments);
    if (named.isEmpty()) {
      return;
    }
    Command c = Command.of("ip", "-j", "link", "show").withTimeout(TIMEOUT);
    CommandResult r = nodeNamespace.run(c);
    if (!r.ok()) {
      throw new InfrastructureException(
          "cannot list the links of node " + node + ": " + r.firstErrorLine());
    }
    List<LinkInfo> links;
    try {
      links = IpLinkParser.parse(r.stdout(), c.display() + " on node " + node);
    } catch (ParseException e) {
      throw new InfrastructureException(e.getMessage(), e);
    }
    Set<String> names = links.stream().map(LinkInfo::name).collect(Collectors.toSet());
    List<String> missing = new ArrayList<>();
    for (Named n : named) {
      if (!names.contains(n.master())) {
        missing.add(
            "NAD '"
                + n.nad()
                + "' names master \""
                + n.master()
                + "\", which node "
                + node
                + " does not have (its links: "
                + links.stream()
                    .map(LinkInfo::name)
                    .filter(l -> !l.startsWith("veth") && !l.startsWith("cali"))
                    .sorted()
                    .collect(Collectors.joining(", "))
                + "): every pod's ADD would fail with 'Link not found'; set KDENSITY_MASTER"
                + " (or the plan's master) to one of its NICs");
      }
    }
    if (!missing.isEmpty()) {
      throw PreflightException.onNode("kube target", missing);
    }
  }
}
