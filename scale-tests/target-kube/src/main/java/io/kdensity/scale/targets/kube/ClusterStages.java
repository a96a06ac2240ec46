package io.kdensity.scale.targets.kube;

import io.kdensity.config.run.CniPlugin;
import io.kdensity.scale.plan.Attachment;
import io.kdensity.scale.targets.AttachStages;
import io.kdensity.scale.targets.kube.PodTracker.Added;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * The stages of a pod's attach as a cluster shows them, from when the informers delivered each
 * milestone: scheduled; one Multus {@code AddedInterface} event per interface, sent as each
 * delegate's ADD returns (Multus calls them one after another, so the gap between two events is the
 * later interface's ADD); the network-status annotation Multus writes after the last. What happens
 * between scheduling and the first event — the kubelet's sandbox, the runtime, Multus reading the
 * pod and the first ADD — is one stage here; the sandbox alone, IPAM and DAD are not visible from
 * the API. The events and the pod come through two watches, so an interval shorter than their skew
 * reads 0.
 */
final class ClusterStages {
  private final Map<String, CniPlugin> plugins;

  /**
   * @param attachments the plan's networks, whose NADs carry their names
   */
  ClusterStages(List<Attachment> attachments) {
    Map<String, CniPlugin> m = new HashMap<>();
    for (Attachment a : attachments) {
      m.put(a.name(), pluginOf(a));
    }
    this.plugins = Map.copyOf(m);
  }

  /** The plugin of a CNI config, or of a conflist's first plugin; OTHER if it cannot tell. */
  static CniPlugin pluginOf(Attachment a) {
    JsonNode c = a.json();
    JsonNode type =
        c.path("plugins").isArray() ? c.path("plugins").path(0).path("type") : c.path("type");
    return CniPlugin.of(type.asString(""));
  }

  /** The plugin of the delegate Multus named ({@code namespace/name} or a bare name). */
  CniPlugin plugin(String network) {
    String name = network.substring(network.lastIndexOf('/') + 1);
    return plugins.getOrDefault(name, CniPlugin.OTHER);
  }

  /**
   * Records one pod's stages into {@code out}: scheduled → first AddedInterface, each later
   * interface's ADD by its network's plugin, last AddedInterface → network-status. A milestone not
   * seen (0) leaves its stages out.
   */
  void record(long scheduled, long networked, List<Added> added, AttachStages out) {
    if (added.isEmpty()) {
      return;
    }
    List<Added> inOrder = added.stream().sorted(Comparator.comparingLong(Added::at)).toList();
    Added first = inOrder.get(0);
    Added last = inOrder.get(inOrder.size() - 1);
    if (scheduled != 0) {
      out.firstInterface(Math.max(0, first.at() - scheduled));
    }
    for (int i = 1; i < inOrder.size(); i++) {
      Added a = inOrder.get(i);
      out.add(plugin(a.network()), a.at() - inOrder.get(i - 1).at());
    }
    if (networked != 0) {
      out.networkStatus(Math.max(0, networked - last.at()));
    }
  }
}
