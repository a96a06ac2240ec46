package io.kdensity.scale.targets.kube;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.mockwebserver.http.RecordedRequest;
import io.kdensity.probes.DefaultProbes;
import io.kdensity.probes.probe.NodeFacts;
import io.kdensity.probes.probe.ProbeRunner;
import io.kdensity.probes.shell.FixtureShell;
import io.kdensity.scale.plan.Plan;
import io.kdensity.tuning.apply.JournalTarget;
import io.micrometer.core.instrument.Clock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * Preflight checks what the run will do (issue 13, item 11): every request a run, a restore and a
 * cleanup send is turned into the authorization attributes the real API server derives from it
 * ({@code k8s.io/apiserver/pkg/endpoints/request/requestinfo.go}: POST → create, GET → get, list
 * without a name, watch with {@code ?watch=true}, PATCH → patch, PUT → update, DELETE → delete,
 * deletecollection without a name) and must be among the permissions preflight checks; rbac.yaml
 * must grant every one of them.
 */
class KubePermissionsTest {
  private final FakeCluster cluster = new FakeCluster(2500, true).startKubelet();

  @AfterEach
  void close() {
    cluster.close();
  }

  /** What the API server's authorizer sees of one request, or null for non-resource requests. */
  static KubePreflight.Permission attributes(String method, String pathAndQuery) {
    String path = pathAndQuery.split("\\?", 2)[0];
    boolean watch = pathAndQuery.contains("watch=true");
    List<String> parts = new ArrayList<>(List.of(path.substring(1).split("/")));
    String group;
    if (parts.get(0).equals("api") && parts.size() <= 2
        || parts.get(0).equals("apis") && parts.size() <= 3) {
      return null; // discovery (/api, /apis, /apis/g/v): non-resource, open to every identity
    }
    if (parts.get(0).equals("api")) {
      group = "";
      parts = parts.subList(2, parts.size());
    } else if (parts.get(0).equals("apis")) {
      group = parts.get(1);
      parts = parts.subList(3, parts.size());
    } else {
      return null; // /version, /openapi: non-resource URLs
    }
    boolean namespaced = parts.size() >= 3 && parts.get(0).equals("namespaces");
    List<String> rest = namespaced ? parts.subList(2, parts.size()) : parts;
    String resource = rest.get(0);
    String name = rest.size() > 1 ? rest.get(1) : "";
    String sub = rest.size() > 2 ? rest.get(2) : "";
    String verb =
        switch (method) {
          case "POST" -> "create";
          case "GET", "HEAD" -> watch ? "watch" : name.isEmpty() ? "list" : "get";
          case "PUT" -> "update";
          case "PATCH" -> "patch";
          case "DELETE" -> name.isEmpty() ? "deletecollection" : "delete";
          default -> throw new IllegalArgumentException(method);
        };
    return new KubePreflight.Permission(group, resource, sub, verb, namespaced, "");
  }

  /** Group, resource, subresource and verb: what a rule grants, wherever it is checked. */
  private static String key(KubePreflight.Permission p) {
    return p.describe();
  }

  @Test
  @DisplayName(
      "every request of a ramp with a scale-down, a restore pod and a cleanup is checked by preflight")
  void everyCallIsChecked() throws Exception {
    Plan plan = KubeTargetTest.plan("{steps: [3, 6]}");
    try (ProbeRunner probes =
            new ProbeRunner(
                DefaultProbes.registry(DefaultProbes.Thresholds.DEFAULT), Clock.SYSTEM, 2);
        KubeTarget t =
            new KubeTarget(
                plan, cluster.client, cluster.node(), "abc123", NodeFacts.UNKNOWN, Clock.SYSTEM)) {
      // a profile with unsafe pod sysctls: preflight also reads the kubelet's allow-list
      cluster.allowedUnsafeSysctls.add("net.ipv6.conf.*");
      t.setPodSysctls(java.util.Map.of("net.ipv6.conf.all.accept_dad", "0"));
      assertThat(t.preflight()).isEmpty();
      t.setUp();
      KubeTargetTest.ramp(t, plan, probes);
      t.scaleTo(2); // a bisection's scale-down deletes pods by name
      RunLease.renew(cluster.client, t.namespace(), Clock.SYSTEM); // every 15 s in a real run
      KubeCleanup.find(cluster.client, Instant.now(), null); // a cleanup elsewhere meanwhile
    }
    try (RestorePod restore =
        RestorePod.start(
            cluster.client,
            JournalTarget.cluster(null, null, null, FakeCluster.NODE, null),
            "probe:1",
            Duration.ofSeconds(10),
            p ->
                new FixtureShell("node")
                    .command(
                        "sh -c " + RootNamespace.SCRIPT, "1 net:[4026531840] net:[4026531840]\n"),
            Clock.SYSTEM)) {
      restore.access();
    }
    for (KubeCleanup.RunNamespace n :
        KubeCleanup.find(cluster.client, Instant.now().plusSeconds(3600), null)) {
      KubeCleanup.remove(cluster.client, n, Duration.ofSeconds(10));
    }

    Set<String> checked = new TreeSet<>();
    KubePreflight.PERMISSIONS.forEach(p -> checked.add(key(p)));
    KubePreflight.OPTIONAL.forEach(p -> checked.add(key(p)));
    Set<String> made = new TreeSet<>();
    int n = cluster.server.getRequestCount();
    for (int i = 0; i < n; i++) {
      RecordedRequest r = cluster.server.takeRequest(1, TimeUnit.SECONDS);
      if (FakeCluster.KUBELET_AGENT.equals(r.getHeader("User-Agent"))) {
        continue; // the fake kubelet's own calls
      }
      KubePreflight.Permission p = attributes(r.getMethod(), r.getPath());
      if (p != null) {
        made.add(key(p));
      }
    }
    // asked of every identity by the API server itself, and the CRD check handles its own 403
    made.remove("create authorization.k8s.io/selfsubjectaccessreviews");
    made.remove("get apiextensions.k8s.io/customresourcedefinitions");
    // the node is read for its facts and Ready condition: "get nodes" is checked
    assertThat(made).isNotEmpty().isSubsetOf(checked);
    // and what a run is known to do is among what was observed here (the fake covers it)
    assertThat(made)
        .contains(
            "deletecollection pods",
            "delete pods",
            "patch coordination.k8s.io/leases",
            "get coordination.k8s.io/leases",
            "list namespaces",
            "watch pods",
            "get nodes/proxy");
  }

  @Test
  @DisplayName("rbac.yaml grants every permission preflight checks")
  void rbacGrantsEveryCheckedPermission() throws Exception {
    Load load = new Load(LoadSettings.builder().build());
    List<Map<String, Object>> rules = new ArrayList<>();
    for (Object doc : load.loadAllFromString(Files.readString(Path.of("kube/rbac.yaml")))) {
      @SuppressWarnings("unchecked")
      Map<String, Object> m = (Map<String, Object>) doc;
      if ("ClusterRole".equals(m.get("kind"))) {
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> r = (List<Map<String, Object>>) m.get("rules");
        rules.addAll(r);
      }
    }
    List<String> missing = new ArrayList<>();
    for (KubePreflight.Permission p : KubePreflight.PERMISSIONS) {
      String resource = p.resource() + (p.subresource().isEmpty() ? "" : "/" + p.subresource());
      boolean granted =
          rules.stream()
              .anyMatch(
                  r ->
                      ((List<?>) r.get("apiGroups")).contains(p.group())
                          && ((List<?>) r.get("resources")).contains(resource)
                          && ((List<?>) r.get("verbs")).contains(p.verb()));
      if (!granted) {
        missing.add(p.describe());
      }
    }
    assertThat(missing).isEmpty();
  }

  @Test
  @DisplayName("request attributes are derived as the API server derives them")
  void attributesOfRequests() {
    assertThat(attributes("GET", "/api/v1/namespaces/ns/pods?labelSelector=x&watch=true"))
        .extracting(KubePreflight.Permission::describe)
        .isEqualTo("watch pods");
    assertThat(attributes("DELETE", "/apis/apps/v1/namespaces/ns/daemonsets?labelSelector=x"))
        .extracting(KubePreflight.Permission::describe)
        .isEqualTo("deletecollection apps/daemonsets");
    assertThat(attributes("GET", "/api/v1/namespaces/ns/pods/p/exec?command=sh"))
        .extracting(KubePreflight.Permission::describe)
        .isEqualTo("get pods/exec");
    assertThat(attributes("GET", "/api/v1/namespaces/kdensity-abc123"))
        .extracting(KubePreflight.Permission::describe, KubePreflight.Permission::namespaced)
        .containsExactly("get namespaces", false);
    assertThat(attributes("GET", "/version")).isNull();
  }
}
