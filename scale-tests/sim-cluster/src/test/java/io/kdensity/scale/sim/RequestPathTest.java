package io.kdensity.scale.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** API paths taken apart as kube-apiserver's request-info resolver does. */
class RequestPathTest {
  @ParameterizedTest(name = "{0}")
  @DisplayName("group, namespace, resource, name and subresource of a path")
  @CsvSource(
      delimiter = '|',
      value = {
        "/api/v1/namespaces/ns/pods/p/exec?command=ls | '' | ns | pods | p | exec",
        "/api/v1/namespaces/ns/pods | '' | ns | pods | '' | ''",
        "/api/v1/namespaces/ns | '' | '' | namespaces | ns | ''",
        "/api/v1/namespaces/ns/finalize | '' | '' | namespaces | ns | finalize",
        "/api/v1/namespaces | '' | '' | namespaces | '' | ''",
        "/apis/apps/v1/namespaces/ns/daemonsets/d | apps | ns | daemonsets | d | ''",
        "/api/v1/nodes/n1/proxy/configz | '' | '' | nodes | n1 | proxy",
        "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews | authorization.k8s.io | '' | selfsubjectaccessreviews | '' | ''"
      })
  void parses(String path, String group, String ns, String resource, String name, String sub) {
    RequestPath p = RequestPath.parse(path).orElseThrow();
    assertThat(List.of(p.group(), p.namespace(), p.resource(), p.name(), p.subresource()))
        .containsExactly(group, ns, resource, name, sub);
  }

  @Test
  @DisplayName("repeated query parameters keep their order, decoded")
  void repeatedParameters() {
    RequestPath p =
        RequestPath.parse(
                "/api/v1/namespaces/n/pods/p/exec?command=sh&command=-c&command=echo%20a%26b")
            .orElseThrow();
    assertThat(p.query().get("command")).containsExactly("sh", "-c", "echo a&b");
    assertThat(RequestPath.parse("/version")).isEmpty();
  }
}
