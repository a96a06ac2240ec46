package io.kdensity.scale.targets.local;

import io.kdensity.scale.targets.InfrastructureException;
import java.util.List;
import java.util.function.Consumer;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A network's CNI config, parsed once: its type, whether it takes runtime {@code ips}, and the text
 * passed to the plugin on stdin. Variants for one pod (fixed addresses) are derived copies.
 */
final class CniConfig {
  private static final JsonMapper JSON = JsonMapper.builder().build();

  private final ObjectNode json;
  private final String text;

  private CniConfig(ObjectNode json) {
    this.json = json;
    this.text = json.toString();
  }

  /**
   * @throws InfrastructureException if the text is not a JSON object (plans are validated first, so
   *     this names a bug rather than bad input)
   */
  static CniConfig parse(String text) {
    try {
      JsonNode n = JSON.readTree(text);
      if (n instanceof ObjectNode o) {
        return new CniConfig(o);
      }
    } catch (JacksonException e) {
      throw new InfrastructureException("cannot parse a CNI config: " + e.getOriginalMessage());
    }
    throw new InfrastructureException("a CNI config must be a JSON object: " + text);
  }

  /** The plugin type ({@code macvlan}). */
  String type() {
    return json.path("type").asString();
  }

  /** The config as the plugin reads it. */
  String text() {
    return text;
  }

  /** A field of the config (for the local target's name rewriting), or "" if absent. */
  String field(String name) {
    return json.path(name).asString("");
  }

  /** A boolean field of the config ({@code isGateway}), false if absent. */
  boolean flag(String name) {
    return json.path(name).asBoolean(false);
  }

  JsonNode ipam() {
    return json.path("ipam");
  }

  /** A copy with fields changed ({@code master}, {@code bridge}, IPAM {@code dataDir}). */
  CniConfig with(Consumer<ObjectNode> change) {
    ObjectNode copy = json.deepCopy();
    change.accept(copy);
    return new CniConfig(copy);
  }

  /**
   * The config with {@code runtimeConfig.ips}, the way libcni passes a Multus selection's {@code
   * ips}: only to a config that declares the {@code ips} capability.
   */
  CniConfig withRuntimeIps(List<String> ips) {
    if (ips.isEmpty() || !json.path("capabilities").path("ips").asBoolean(false)) {
      return this;
    }
    return with(
        c -> {
          ArrayNode arr = c.putObject("runtimeConfig").putArray("ips");
          ips.forEach(arr::add);
        });
  }

  /**
   * The config with the static IPAM plugin's {@code addresses} set to {@code ips}, each with the
   * gateway at the same index: how eth0 gets a fixed address (its plugin needs the gateway).
   */
  CniConfig withStaticAddresses(List<String> ips, List<String> gateways) {
    if (ips.isEmpty()) {
      return this;
    }
    return with(
        c -> {
          ArrayNode arr = ((ObjectNode) c.path("ipam")).putArray("addresses");
          for (int i = 0; i < ips.size(); i++) {
            arr.addObject().put("address", ips.get(i)).put("gateway", gateways.get(i));
          }
        });
  }
}
