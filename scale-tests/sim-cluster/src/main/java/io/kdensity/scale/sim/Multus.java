package io.kdensity.scale.sim;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.kdensity.probes.addr.Addresses;
import io.kdensity.scale.targets.local.CniException;
import io.kdensity.scale.targets.local.CniResult;
import io.kdensity.scale.targets.local.EmbeddedNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Multus (thick plugin, v4) on the simulated node: one CNI ADD of a sandbox attaches the cluster
 * network on {@code eth0}, then each network of the pod's {@code k8s.v1.cni.cncf.io/networks}
 * selection, <em>serially</em>, by running the NetworkAttachmentDefinition's {@code spec.config}
 * through the real plugin binary — with {@code name} set from the NAD if the config has none,
 * {@code runtimeConfig.ips}/{@code mac} for plugins that declare the capability, {@code CNI_ARGS}
 * as the runtime passes them ({@code IgnoreUnknown=1;K8S_POD_NAMESPACE;K8S_POD_NAME;
 * K8S_POD_INFRA_CONTAINER_ID;K8S_POD_UID}) and {@code CNI_IFNAME} netN by position. Then it writes
 * the {@code network-status} annotation (name, interface, ips, mac, dns, {@code default}, and
 * {@code gateway} only from a default route of the result) and an {@code AddedInterface} event per
 * interface. A failed delegate undoes what was added and fails the ADD with Multus' words.
 *
 * <p>Differs from Multus: host-local keeps its leases under the sim's state folder, not {@code
 * /var/lib/cni/networks}; whereabouts runs as {@link WhereaboutsIpam}.
 */
final class Multus {
  static final String NETWORKS = "k8s.v1.cni.cncf.io/networks";
  static final String NETWORK_STATUS = "k8s.v1.cni.cncf.io/network-status";
  static final ResourceDefinitionContext NAD =
      new ResourceDefinitionContext.Builder()
          .withGroup("k8s.cni.cncf.io")
          .withVersion("v1")
          .withKind("NetworkAttachmentDefinition")
          .withPlural("network-attachment-definitions")
          .withNamespaced(true)
          .build();

  private static final JsonMapper JSON = JsonMapper.builder().build();

  /**
   * One attached interface, with what its DEL needs.
   *
   * @param ifname the interface in the pod
   * @param network the name network-status gives it ({@code ns/nad}, or the cluster network's)
   * @param plugins the plugin configs run, in order (one, or a conflist's)
   * @param cniArgs the CNI_ARGS of the ADD
   * @param result the last plugin's result
   * @param uplink the node NIC it hangs on, or -1
   * @param original the NAD's first plugin config before the sim's IPAM changes (whereabouts)
   */
  record Attached(
      String ifname,
      String network,
      List<ObjectNode> plugins,
      String cniArgs,
      CniResult result,
      int uplink,
      JsonNode original,
      boolean isDefault) {

    /**
     * The node-side links the plugins made for this interface alone (a veth peer), which go with
     * the pod's namespace; never the bridge or the NIC it hangs on, which stay.
     */
    List<String> nodeLinks() {
      JsonNode first = plugins.get(0);
      String bridge =
          "bridge".equals(first.path("type").asString(""))
              ? first.path("bridge").asString("cni0")
              : "";
      String master = first.path("master").asString("");
      return result.hostInterfaces().stream()
          .filter(i -> !i.equals(bridge) && !i.equals(master))
          .toList();
    }
  }

  private final KubernetesClient client;
  private final EmbeddedNode node;
  private final ObjectNode clusterNetwork;
  private final WhereaboutsIpam whereabouts;
  private final SegmentRouter router;
  private final EventRecorder events;
  private final Path ipamDir;

  /**
   * @param clusterNetwork the default network's CNI config (eth0), with its {@code name}
   */
  Multus(
      KubernetesClient client,
      EmbeddedNode node,
      ObjectNode clusterNetwork,
      WhereaboutsIpam whereabouts,
      SegmentRouter router,
      EventRecorder events,
      Path ipamDir) {
    this.client = client;
    this.node = node;
    this.clusterNetwork = clusterNetwork;
    this.whereabouts = whereabouts;
    this.router = router;
    this.events = events;
    this.ipamDir = ipamDir;
  }

  /**
   * Attaches every network of the pod to the sandbox, in order.
   *
   * @throws MultusException with Multus' message if one fails (what was attached is detached)
   */
  List<Attached> add(Pod pod, Sandbox sb) {
    String ns = pod.getMetadata().getNamespace();
    String name = pod.getMetadata().getName();
    String uid = pod.getMetadata().getUid();
    String args =
        "IgnoreUnknown=1;K8S_POD_NAMESPACE="
            + ns
            + ";K8S_POD_NAME="
            + name
            + ";K8S_POD_INFRA_CONTAINER_ID="
            + sb.id()
            + ";K8S_POD_UID="
            + uid;
    List<Attached> done = new ArrayList<>();
    try {
      String clusterName = clusterNetwork.path("name").asString();
      done.add(
          attach(
              sb,
              "eth0",
              clusterName,
              clusterName,
              List.of(clusterNetwork.deepCopy()),
              args,
              null,
              true,
              pod));
      List<NetworkSelection> selections;
      try {
        var annotations = pod.getMetadata().getAnnotations();
        String a = annotations == null ? null : annotations.get(NETWORKS);
        selections = a == null ? List.of() : NetworkSelection.parse(a);
      } catch (IllegalArgumentException e) {
        throw new MultusException(e.getMessage());
      }
      int position = 1;
      for (NetworkSelection s : selections) {
        String nadNs = s.namespace().isEmpty() ? ns : s.namespace();
        List<ObjectNode> plugins = delegate(nadNs, s.name());
        String ifname = s.ifname().isEmpty() ? "net" + position : s.ifname();
        done.add(
            attach(
                sb,
                ifname,
                nadNs + "/" + s.name(),
                s.name(),
                withCapabilities(plugins, s),
                args,
                s,
                false,
                pod));
        position++;
      }
    } catch (MultusException e) {
      del(pod, sb, done);
      throw e;
    }
    return done;
  }

  private Attached attach(
      Sandbox sb,
      String ifname,
      String network,
      String shortName,
      List<ObjectNode> plugins,
      String args,
      NetworkSelection selection,
      boolean isDefault,
      Pod pod) {
    JsonNode original = plugins.get(0).deepCopy();
    List<ObjectNode> run = new ArrayList<>();
    for (ObjectNode p : plugins) {
      run.add(runnable(p));
    }
    CniResult result = null;
    List<ObjectNode> added = new ArrayList<>();
    try {
      for (ObjectNode p : run) {
        ObjectNode c = p.deepCopy();
        if (result != null) {
          c.set("prevResult", JSON.readTree(result.json()));
        }
        result =
            node.cni()
                .add(
                    sb.id(), sb.netnsPath(), ifname, c.path("type").asString(), c.toString(), args);
        added.add(p);
      }
    } catch (CniException | JacksonException e) {
      for (int i = added.size() - 1; i >= 0; i--) {
        ObjectNode p = added.get(i);
        try {
          node.cni()
              .del(sb.id(), sb.netnsPath(), ifname, p.path("type").asString(), p.toString(), args);
        } catch (CniException ignored) {
          // DEL is best effort here, as in libcni's rollback
        }
      }
      String msg = e instanceof CniException ce ? ce.pluginMessage() : e.getMessage();
      throw new MultusException(
          "["
              + pod.getMetadata().getNamespace()
              + "/"
              + pod.getMetadata().getName()
              + "/"
              + pod.getMetadata().getUid()
              + ":"
              + shortName
              + "]: error adding container to network \""
              + shortName
              + "\": "
              + msg);
    }
    if (WhereaboutsIpam.uses(original)) {
      whereabouts.allocated(
          original,
          result.addresses(),
          sb.id(),
          pod.getMetadata().getNamespace() + "/" + pod.getMetadata().getName(),
          ifname);
    }
    int uplink = router.uplinkOf(original);
    router.attached(uplink, run.get(0), result.sandboxMac(), result.addresses());
    events.record(
        pod,
        "Normal",
        "AddedInterface",
        // Go's %v of a []string: [a b]
        "Add " + ifname + " [" + String.join(" ", result.addresses()) + "] from " + network);
    return new Attached(ifname, network, run, args, result, uplink, original, isDefault);
  }

  /** The plugin config as run here: host-local leases under the sim, whereabouts translated. */
  private ObjectNode runnable(ObjectNode plugin) {
    ObjectNode c = WhereaboutsIpam.uses(plugin) ? whereabouts.translate(plugin) : plugin.deepCopy();
    if (c.path("ipam") instanceof ObjectNode ipam
        && "host-local".equals(ipam.path("type").asString(""))
        && !ipam.has("dataDir")) {
      ipam.put("dataDir", ipamDir.toString());
    }
    return c;
  }

  /**
   * The NAD's config as plugin configs, each with the list's (or the NAD's) name and cniVersion.
   *
   * @throws MultusException if the NAD is missing or its config is not a CNI config
   */
  private List<ObjectNode> delegate(String namespace, String name) {
    GenericKubernetesResource nad;
    try {
      nad = client.genericKubernetesResources(NAD).inNamespace(namespace).withName(name).get();
    } catch (KubernetesClientException e) {
      nad = null;
    }
    if (nad == null) {
      throw new MultusException(
          "GetNetworkDelegates: failed getting the delegate: getKubernetesDelegate: cannot find a"
              + " network-attachment-definition ("
              + name
              + ") in namespace ("
              + namespace
              + "): network-attachment-definitions.k8s.cni.cncf.io \""
              + name
              + "\" not found");
    }
    Object spec = nad.getAdditionalProperties().get("spec");
    Object config = spec instanceof Map<?, ?> m ? m.get("config") : null;
    JsonNode conf;
    try {
      conf = JSON.readTree(config == null ? "" : config.toString());
    } catch (JacksonException e) {
      conf = null;
    }
    if (!(conf instanceof ObjectNode o)) {
      throw new MultusException(
          "GetNetworkDelegates: failed getting the delegate: getKubernetesDelegate: cannot get a"
              + " network-attachment-definition ("
              + name
              + "): invalid config in spec.config");
    }
    String confName = o.path("name").asString(name);
    String version = o.path("cniVersion").asString("0.3.1");
    List<ObjectNode> plugins = new ArrayList<>();
    if (o.path("plugins") instanceof ArrayNode list) {
      for (JsonNode p : list) {
        ObjectNode c = ((ObjectNode) p).deepCopy();
        c.put("name", confName);
        c.put("cniVersion", version);
        plugins.add(c);
      }
    } else {
      ObjectNode c = o.deepCopy();
      c.put("name", confName);
      c.put("cniVersion", version);
      plugins.add(c);
    }
    return plugins;
  }

  /** runtimeConfig for the plugins that declare the capability, as libcni injects it. */
  private static List<ObjectNode> withCapabilities(List<ObjectNode> plugins, NetworkSelection s) {
    for (ObjectNode p : plugins) {
      JsonNode caps = p.path("capabilities");
      if (caps.path("ips").asBoolean(false) && !s.ips().isEmpty()) {
        ArrayNode ips = runtimeConfig(p).putArray("ips");
        s.ips().forEach(ips::add);
      }
      if (caps.path("mac").asBoolean(false) && !s.mac().isEmpty()) {
        runtimeConfig(p).put("mac", s.mac());
      }
    }
    return plugins;
  }

  private static ObjectNode runtimeConfig(ObjectNode p) {
    return p.path("runtimeConfig") instanceof ObjectNode r ? r : p.putObject("runtimeConfig");
  }

  /** CNI DEL of every attached interface, last first (errors are swallowed, DEL is idempotent). */
  void del(Pod pod, Sandbox sb, List<Attached> attached) {
    List<Attached> reversed = new ArrayList<>(attached);
    Collections.reverse(reversed);
    for (Attached a : reversed) {
      List<ObjectNode> plugins = new ArrayList<>(a.plugins());
      Collections.reverse(plugins);
      for (ObjectNode p : plugins) {
        try {
          node.cni()
              .del(
                  sb.id(),
                  sb.netnsPath(),
                  a.ifname(),
                  p.path("type").asString(),
                  p.toString(),
                  a.cniArgs());
        } catch (CniException e) {
          // a DEL that fails leaves nothing Multus can fix
        }
      }
      if (WhereaboutsIpam.uses(a.original())) {
        whereabouts.released(sb.id());
      }
      router.detached(a.uplink(), a.result().sandboxMac(), a.result().addresses());
    }
  }

  /** Writes the pod's network-status annotation, as Multus does before its ADD returns. */
  void writeStatus(Pod pod, List<Attached> attached) {
    List<Map<String, Object>> status = new ArrayList<>();
    for (Attached a : attached) {
      Map<String, Object> e = new LinkedHashMap<>();
      e.put("name", a.network());
      e.put("interface", a.ifname());
      e.put("ips", a.result().addresses().stream().map(Addresses::canonical).toList());
      if (!a.result().sandboxMac().isEmpty()) {
        e.put("mac", a.result().sandboxMac());
      }
      if (a.isDefault()) {
        e.put("default", true);
      }
      e.put("dns", Map.of());
      if (!a.result().defaultRouteGateways().isEmpty()) {
        e.put("gateway", a.result().defaultRouteGateways());
      }
      status.add(e);
    }
    String json = JSON.writeValueAsString(status);
    client
        .pods()
        .inNamespace(pod.getMetadata().getNamespace())
        .withName(pod.getMetadata().getName())
        .edit(
            p ->
                new PodBuilder(p)
                    .editMetadata()
                    .addToAnnotations(NETWORK_STATUS, json)
                    .endMetadata()
                    .build());
  }
}
