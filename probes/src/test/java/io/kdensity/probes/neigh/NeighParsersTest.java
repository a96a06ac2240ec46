package io.kdensity.probes.neigh;

import static io.kdensity.probes.Fixtures.load;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kdensity.probes.parse.ParseException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class NeighParsersTest {

  @Test
  @DisplayName("sums per-CPU rows of an ndisc_cache captured during an overflow")
  void parsesTableFulls() {
    NeighCacheStats s =
        NeighCacheStatParser.parse(
            load("neighstat/ndisc-table-fulls.txt"), "/proc/net/stat/ndisc_cache");
    assertThat(s.entries()).isEqualTo(0x101);
    assertThat(s.tableFulls()).isEqualTo(0x171c + 0x210b);
    assertThat(s.forcedGcRuns()).isEqualTo(0x17a9 + 0x2221);
    assertThat(s.allocs()).isEqualTo(0x3651 + 0x3bbf);
  }

  @Test
  void arpCacheHasTheSameFormat() {
    NeighCacheStats s =
        NeighCacheStatParser.parse(load("neighstat/arp.txt"), "/proc/net/stat/arp_cache");
    assertThat(s.tableFulls()).isZero();
    assertThat(s.entries()).isGreaterThanOrEqualTo(0);
  }

  @Test
  void aRowWithMissingColumnsNamesTheLine() {
    String text =
        "entries  allocs table_fulls forced_gc_runs\n00000001 00000002 00000003 00000004\n00000001 00000002\n";
    assertThatThrownBy(() -> NeighCacheStatParser.parse(text, "/proc/net/stat/ndisc_cache"))
        .isInstanceOf(ParseException.class)
        .hasMessage(
            "cannot parse /proc/net/stat/ndisc_cache line 3: expected 4 columns, found 2: '00000001 00000002'");
  }

  @Test
  void aKernelWithoutTableFullsParsesWithTheColumnUnknown() {
    NeighCacheStats s =
        NeighCacheStatParser.parse(
            load("neighstat/ndisc-3x-no-table-fulls.txt"), "/proc/net/stat/ndisc_cache");
    assertThat(s.tableFulls()).isEqualTo(NeighCacheStats.UNKNOWN);
    assertThat(s.entries()).isEqualTo(0x10);
    assertThat(s.lookups()).isEqualTo(0x42a + 0xa0);
    assertThat(s.forcedGcRuns()).isZero();
  }

  @Test
  void aKernelWithoutEntriesIsNamed() {
    assertThatThrownBy(
            () ->
                NeighCacheStatParser.parse(
                    "allocs forced_gc_runs\n1 2\n", "/proc/net/stat/ndisc_cache"))
        .hasMessageContaining("no column 'entries'");
  }

  @Test
  void parsesNeighbourEntries() {
    List<NeighEntry> e = IpNeighParser.parse(load("neigh/big-overflow.json"), "ip -j neigh");
    assertThat(e).hasSize(161);
    assertThat(e.stream().filter(NeighEntry::failed).count()).isEqualTo(2);
    assertThat(IpNeighParser.parse(load("neigh/pod.json"), "ip -j neigh"))
        .singleElement()
        .satisfies(
            n -> {
              assertThat(n.dst()).isEqualTo("fd00:10:1::1");
              assertThat(n.dev()).isEqualTo("net1");
              assertThat(n.state()).containsExactly("REACHABLE");
            });
  }

  @Test
  void withStatisticsAnEntrySaysWhenItLastChanged() {
    // ip -j -s neigh on Linux 6.18 (iproute2 6.1): used/confirmed/updated in whole seconds
    String json =
        "[{\"dst\":\"fd00:10:1::1\",\"dev\":\"net1\",\"lladdr\":\"02:fc:00:00:00:05\","
            + "\"used\":30,\"confirmed\":23,\"updated\":3,\"probes\":1,\"state\":[\"REACHABLE\"]}]";
    assertThat(IpNeighParser.parse(json, "ip -j -s neigh"))
        .singleElement()
        .satisfies(
            n -> {
              assertThat(n.sinceUpdate()).isEqualTo(Duration.ofSeconds(3));
              assertThat(n.describe()).isEqualTo("REACHABLE, changed 3 s ago");
            });
    assertThat(IpNeighParser.parse(load("neigh/pod.json"), "ip -j neigh").get(0).describe())
        .isEqualTo("REACHABLE");
  }
}
