package io.kdensity.scale.targets.kube;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class BundleRedactionTest {

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "https://api.prod.corp:6443/api                 | https://api.cluster.example:6443/api",
        "node worker-3.prod.corp is Ready                 | node node-1 is Ready",
        "inet 10.20.30.40/24 brd 10.20.30.255            | inet 192.0.2.1/24 brd 192.0.2.2",
        "again 10.20.30.40                                | again 192.0.2.1",
        "lo 127.0.0.1 and 198.18.0.7 stay                 | lo 127.0.0.1 and 198.18.0.7 stay",
        "kernel 6.18.44 and 1.2.3.4.5 are no addresses    | kernel 6.18.44 and 1.2.3.4.5 are no addresses",
        "mask 255.255.255.0 and 0.0.0.0 stay              | mask 255.255.255.0 and 0.0.0.0 stay",
      })
  void redacts(String in, String out) {
    BundleRedaction r = new BundleRedaction("worker-3.prod.corp", "api.prod.corp");
    // the mapping is per bundle: the first line's addresses come first
    r.apply("inet 10.20.30.40/24 brd 10.20.30.255");
    assertThat(r.apply(in)).isEqualTo(out);
  }

  @ParameterizedTest(name = "server {0}")
  @CsvSource({"127.0.0.1", "10.0.0.5"})
  void anAddressedServerIsMappedLikeAnyAddress(String server) {
    BundleRedaction r = new BundleRedaction("n1", server);

    assertThat(r.apply("lo 127.0.0.1 / api 10.0.0.5")).isEqualTo("lo 127.0.0.1 / api 192.0.2.1");
  }
}
