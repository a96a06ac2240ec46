package io.kdensity.scale.sim;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A Kubernetes API request path taken apart as the API server's request-info resolver does ({@code
 * k8s.io/apiserver/pkg/endpoints/request/requestinfo.go}): {@code
 * /api/v1/namespaces/ns/pods/name/exec?command=a&command=b} → group "", version v1, namespace ns,
 * resource pods, name, subresource exec, and the query's repeated parameters in order.
 *
 * @param group API group ("" for the core group)
 * @param version API version
 * @param namespace the namespace, or "" for a cluster-scoped request
 * @param resource the resource (plural), or "" (discovery)
 * @param name the object's name, or ""
 * @param subresource the subresource (status, exec, binding, proxy…), or ""
 * @param rest what follows the subresource ({@code configz} of {@code nodes/x/proxy/configz})
 * @param query decoded query parameters, each with its values in order
 */
record RequestPath(
    String group,
    String version,
    String namespace,
    String resource,
    String name,
    String subresource,
    String rest,
    Map<String, List<String>> query) {

  RequestPath {
    query = Map.copyOf(query);
  }

  /** Parses a path with its query; empty if it is not under {@code /api} or {@code /apis}. */
  static Optional<RequestPath> parse(String pathAndQuery) {
    int q = pathAndQuery.indexOf('?');
    String path = q < 0 ? pathAndQuery : pathAndQuery.substring(0, q);
    Map<String, List<String>> query = q < 0 ? Map.of() : query(pathAndQuery.substring(q + 1));
    List<String> parts = new ArrayList<>();
    for (String p : path.split("/")) {
      if (!p.isEmpty()) {
        parts.add(URLDecoder.decode(p, StandardCharsets.UTF_8));
      }
    }
    int i;
    String group;
    String version;
    if (parts.size() >= 2 && parts.get(0).equals("api")) {
      group = "";
      version = parts.get(1);
      i = 2;
    } else if (parts.size() >= 3 && parts.get(0).equals("apis")) {
      group = parts.get(1);
      version = parts.get(2);
      i = 3;
    } else {
      return Optional.empty();
    }
    String namespace = "";
    if (parts.size() == i + 3
        && parts.get(i).equals("namespaces")
        && List.of("status", "finalize").contains(parts.get(i + 2))) {
      // the namespace object's own subresources
      return Optional.of(
          new RequestPath(
              group, version, "", "namespaces", parts.get(i + 1), parts.get(i + 2), "", query));
    }
    if (parts.size() > i + 2 && parts.get(i).equals("namespaces")) {
      namespace = parts.get(i + 1);
      i += 2;
    }
    String resource = parts.size() > i ? parts.get(i) : "";
    String name = parts.size() > i + 1 ? parts.get(i + 1) : "";
    String sub = parts.size() > i + 2 ? parts.get(i + 2) : "";
    String rest = parts.size() > i + 3 ? String.join("/", parts.subList(i + 3, parts.size())) : "";
    return Optional.of(
        new RequestPath(group, version, namespace, resource, name, sub, rest, query));
  }

  static Map<String, List<String>> query(String q) {
    Map<String, List<String>> out = new LinkedHashMap<>();
    for (String kv : q.split("&")) {
      if (kv.isEmpty()) {
        continue;
      }
      int eq = kv.indexOf('=');
      String k = URLDecoder.decode(eq < 0 ? kv : kv.substring(0, eq), StandardCharsets.UTF_8);
      String v = eq < 0 ? "" : URLDecoder.decode(kv.substring(eq + 1), StandardCharsets.UTF_8);
      out.computeIfAbsent(k, x -> new ArrayList<>()).add(v);
    }
    return out;
  }

  /** The first value of a query parameter, or {@code otherwise}. */
  String param(String key, String otherwise) {
    List<String> v = query.get(key);
    return v == null || v.isEmpty() ? otherwise : v.get(0);
  }

  boolean is(String group, String resource) {
    return this.group.equals(group) && this.resource.equals(resource);
  }
}
