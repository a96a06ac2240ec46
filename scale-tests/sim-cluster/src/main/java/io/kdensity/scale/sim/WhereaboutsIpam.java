package io.kdensity.scale.sim;

import inet.ipaddr.IPAddress;
import inet.ipaddr.IPAddressString;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * whereabouts IPAM on the simulated node. whereabouts is no Debian package, so a config whose IPAM
 * is {@code {"type": "whereabouts", "range": …}} runs the real host-local plugin over the same
 * range instead, and the allocation is recorded where whereabouts keeps it: the IPPool of the range
 * in {@code kube-system}, named by whereabouts' NormalizeRange (':' and '/' become '-'), keyed by
 * the address's offset in the range, with the sandbox id, the pod ({@code podref} "namespace/name")
 * and the interface (whereabouts 0.8). A DEL frees the sandbox's allocations.
 *
 * <p>Differs from whereabouts: host-local hands out the range's second address first (it reserves
 * the first as gateway), whereabouts the first; leases are a local file per address, not the
 * IPPool's optimistic lock, so there is no contention to measure.
 */
final class WhereaboutsIpam {
  static final String NAMESPACE = "kube-system";
  static final ResourceDefinitionContext IPPOOL =
      new ResourceDefinitionContext.Builder()
          .withGroup("whereabouts.cni.cncf.io")
          .withVersion("v1alpha1")
          .withKind("IPPool")
          .withPlural("ippools")
          .withNamespaced(true)
          .build();

  private final KubernetesClient client;
  private final Path dataDir;

  WhereaboutsIpam(KubernetesClient client, Path dataDir) {
    this.client = client;
    this.dataDir = dataDir;
  }

  static boolean uses(JsonNode pluginConfig) {
    return "whereabouts".equals(pluginConfig.path("ipam").path("type").asString(""));
  }

  /** The plugin config with host-local in place of whereabouts over the same range. */
  ObjectNode translate(ObjectNode pluginConfig) {
    ObjectNode c = pluginConfig.deepCopy();
    JsonNode w = c.path("ipam");
    String range = w.path("range").asString("");
    IPAddress net = new IPAddressString(range).getAddress();
    if (net == null) {
      throw new IllegalArgumentException("whereabouts: invalid range '" + range + "'");
    }
    ObjectNode r = c.objectNode().put("subnet", net.toPrefixBlock().toCanonicalString());
    copy(w, r, "range_start", "rangeStart");
    copy(w, r, "range_end", "rangeEnd");
    copy(w, r, "gateway", "gateway");
    ObjectNode ipam = c.putObject("ipam");
    ipam.put("type", "host-local");
    ipam.put("dataDir", dataDir.toString());
    ArrayNode set = ipam.putArray("ranges").addArray();
    set.add(r);
    return c;
  }

  private static void copy(JsonNode from, ObjectNode to, String key, String as) {
    if (from.has(key)) {
      to.put(as, from.path(key).asString());
    }
  }

  /** Records an ADD's addresses that fall in the original config's whereabouts range. */
  synchronized void allocated(
      JsonNode originalConfig,
      List<String> addresses,
      String containerId,
      String podRef,
      String ifname) {
    String range = originalConfig.path("ipam").path("range").asString("");
    IPAddress block = new IPAddressString(range).getAddress().toPrefixBlock();
    for (String a : addresses) {
      IPAddress addr = new IPAddressString(a).getAddress();
      if (addr == null || !block.contains(addr.withoutPrefixLength())) {
        continue;
      }
      String offset = addr.getValue().subtract(block.getValue()).toString();
      update(
          range,
          allocations ->
              allocations.put(
                  offset, Map.of("id", containerId, "podref", podRef, "ifname", ifname)));
    }
  }

  /** A DEL: frees every allocation of the sandbox. */
  synchronized void released(String containerId) {
    var pools = client.genericKubernetesResources(IPPOOL).inNamespace(NAMESPACE);
    for (GenericKubernetesResource pool : pools.list().getItems()) {
      Map<String, Object> allocations = new LinkedHashMap<>(allocations(pool));
      if (allocations.values().removeIf(a -> containerId.equals(((Map<?, ?>) a).get("id")))) {
        @SuppressWarnings("unchecked")
        Map<String, Object> spec =
            new LinkedHashMap<>((Map<String, Object>) pool.getAdditionalProperties().get("spec"));
        spec.put("allocations", allocations);
        pool.getAdditionalProperties().put("spec", spec);
        pools.resource(pool).update();
      }
    }
  }

  private interface Change {
    void apply(Map<String, Object> allocations);
  }

  private void update(String range, Change change) {
    String name = range.replace(":", "-").replace("/", "-");
    var pools = client.genericKubernetesResources(IPPOOL).inNamespace(NAMESPACE);
    GenericKubernetesResource pool = pools.withName(name).get();
    Map<String, Object> allocations = new LinkedHashMap<>();
    if (pool != null) {
      allocations.putAll(allocations(pool));
    }
    change.apply(allocations);
    GenericKubernetesResource updated =
        new GenericKubernetesResourceBuilder()
            .withApiVersion("whereabouts.cni.cncf.io/v1alpha1")
            .withKind("IPPool")
            .withNewMetadata()
            .withName(name)
            .withNamespace(NAMESPACE)
            .endMetadata()
            .addToAdditionalProperties("spec", Map.of("range", range, "allocations", allocations))
            .build();
    if (pool == null) {
      pools.resource(updated).create();
    } else {
      pools.resource(updated).update();
    }
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> allocations(GenericKubernetesResource pool) {
    Map<String, Object> spec = (Map<String, Object>) pool.getAdditionalProperties().get("spec");
    Object a = spec == null ? null : spec.get("allocations");
    return a == null ? Map.of() : (Map<String, Object>) a;
  }
}
