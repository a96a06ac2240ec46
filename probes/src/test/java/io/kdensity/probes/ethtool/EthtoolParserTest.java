package io.kdensity.probes.ethtool;

import static io.kdensity.probes.Fixtures.load;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class EthtoolParserTest {

  @Test
  void ringsOfAVirtioNic() {
    Supported<RingParams> r =
        EthtoolParser.parseRings(load("ethtool/virtio-g.txt"), "ethtool -g eth0");
    assertThat(r.value()).isEqualTo(new RingParams(256, 256, 256, 256));
  }

  @Test
  void ringsOfAVethAreNotSupportedNotAnError() {
    Supported<RingParams> r =
        EthtoolParser.parseRings(load("ethtool/veth-g.txt"), "ethtool -g up0");
    assertThat(r.supported()).isFalse();
    assertThat(r.reason()).isEqualTo("netlink error: Operation not supported");
  }

  @Test
  void statsOfLoopbackAreNotSupported() {
    assertThat(EthtoolParser.parseStats(load("ethtool/lo-S.txt"), "ethtool -S lo").reason())
        .isEqualTo("no stats available");
  }

  @Test
  void statsOfAVeth() {
    Map<String, Long> s =
        EthtoolParser.parseStats(load("ethtool/veth-S.txt"), "ethtool -S up0").value();
    assertThat(s)
        .containsEntry("peer_ifindex", 2L)
        .containsEntry("rx_queue_0_drops", 0L)
        .hasSize(10);
  }

  @Test
  void channels() {
    assertThat(EthtoolParser.parseChannels(load("ethtool/veth-l.txt"), "ethtool -l up0").value())
        .isEqualTo(new Channels(2, 2, -1, 1, 1, -1));
    assertThat(EthtoolParser.parseChannels(load("ethtool/virtio-l.txt"), "ethtool -l eth0").value())
        .isEqualTo(new Channels(-1, -1, 1, -1, -1, 1));
  }

  @Test
  void featuresWithFixedFlags() {
    Map<String, Feature> f =
        EthtoolParser.parseFeatures(load("ethtool/veth-k.txt"), "ethtool -k up0").value();
    assertThat(f.get("generic-receive-offload"))
        .isEqualTo(new Feature("generic-receive-offload", false, false));
    assertThat(f.get("large-receive-offload"))
        .isEqualTo(new Feature("large-receive-offload", false, true));
    assertThat(f.get("tx-tcp6-segmentation").on()).isTrue();
  }

  @Test
  @DisplayName("ethtool -S counters are unsigned 64-bit: 2^64-1 parses, and a wrap is a small step")
  void statsAreUnsigned64Bit() {
    Map<String, Long> s =
        EthtoolParser.parseStats(load("ethtool/u64-max-S.txt"), "ethtool -S x").value();
    assertThat(Long.toUnsignedString(s.get("rx_packets"))).isEqualTo("18446744073709551615");
    assertThat(Long.toUnsignedString(s.get("tx_packets"))).isEqualTo("9223372036854775808");
    // from 2^64-1 the counter wrapped to 4: the increase is 5
    assertThat(4L - s.get("rx_packets")).isEqualTo(5);
  }

  @Test
  @DisplayName("a driver that reports every coalescing or ring value as n/a supports none of them")
  void everyValueNotAvailable() {
    assertThat(EthtoolParser.parseCoalesce(load("ethtool/all-na-c.txt"), "ethtool -c x").value())
        .isEmpty();
    assertThat(EthtoolParser.parseRings(load("ethtool/all-na-g.txt"), "ethtool -g x").value())
        .isEqualTo(new RingParams(-1, -1, -1, -1));
  }
}
