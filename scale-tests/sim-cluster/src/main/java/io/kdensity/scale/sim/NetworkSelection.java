package io.kdensity.scale.sim;

import java.util.ArrayList;
import java.util.List;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * One entry of a pod's {@code k8s.v1.cni.cncf.io/networks} annotation, as Multus parses it ({@code
 * pkg/k8sclient}, parsePodNetworkAnnotation): the JSON list form ({@code [{"name": "sat-a",
 * "interface": "net1", "ips": [...]}]}) or the short text form ({@code ns/sat-a@net1, sat-b}).
 *
 * @param namespace the NetworkAttachmentDefinition's namespace ("" for the pod's own)
 * @param name its name
 * @param ifname the interface asked for, or "" (Multus then names it net1, net2… by position)
 * @param ips fixed addresses with prefix length (passed to plugins with the {@code ips} capability)
 * @param mac a fixed MAC, or ""
 */
record NetworkSelection(
    String namespace, String name, String ifname, List<String> ips, String mac) {
  private static final JsonMapper JSON = JsonMapper.builder().build();

  NetworkSelection {
    ips = List.copyOf(ips);
  }

  /**
   * @throws IllegalArgumentException with Multus' words if the annotation cannot be parsed
   */
  static List<NetworkSelection> parse(String annotation) {
    String a = annotation.strip();
    List<NetworkSelection> out = new ArrayList<>();
    if (a.isEmpty()) {
      return out;
    }
    if (a.startsWith("[")) {
      JsonNode list;
      try {
        list = JSON.readTree(a);
      } catch (JacksonException e) {
        throw new IllegalArgumentException(
            "parsePodNetworkAnnotation: failed to parse pod Network Attachment Selection"
                + " Annotation JSON format: "
                + e.getOriginalMessage());
      }
      for (JsonNode n : list) {
        List<String> ips = new ArrayList<>();
        n.path("ips").forEach(ip -> ips.add(ip.asString()));
        String name = n.path("name").asString("");
        if (name.isEmpty()) {
          throw new IllegalArgumentException(
              "parsePodNetworkAnnotation: a network selection has no name: " + n);
        }
        out.add(
            new NetworkSelection(
                n.path("namespace").asString(""),
                name,
                n.path("interface").asString(""),
                ips,
                n.path("mac").asString("")));
      }
      return out;
    }
    for (String item : a.split(",")) {
      String s = item.strip();
      if (s.isEmpty()) {
        continue;
      }
      String ns = "";
      String ifname = "";
      int slash = s.indexOf('/');
      if (slash >= 0) {
        ns = s.substring(0, slash);
        s = s.substring(slash + 1);
      }
      int at = s.indexOf('@');
      if (at >= 0) {
        ifname = s.substring(at + 1);
        s = s.substring(0, at);
      }
      out.add(new NetworkSelection(ns, s, ifname, List.of(), ""));
    }
    return out;
  }
}
