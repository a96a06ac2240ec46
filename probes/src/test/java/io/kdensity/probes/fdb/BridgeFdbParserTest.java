package io.kdensity.probes.fdb;

import static io.kdensity.probes.Fixtures.load;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class BridgeFdbParserTest {

  @Test
  void countsLearnedEntriesPerBridgeAtScale() {
    List<FdbEntry> fdb =
        BridgeFdbParser.parse(load("fdb/bridge-1200-ports.json"), "bridge -j fdb show");
    assertThat(fdb).hasSize(6012);
    Map<String, Long> learned =
        fdb.stream()
            .filter(FdbEntry::learned)
            .collect(Collectors.groupingBy(FdbEntry::master, Collectors.counting()));
    assertThat(learned).containsOnly(Map.entry("brA", 1023L), Map.entry("brB", 177L));
  }

  @Test
  void permanentAndSelfEntriesAreNotLearned() {
    List<FdbEntry> fdb = BridgeFdbParser.parse(load("fdb/fabric-small.json"), "bridge -j fdb show");
    assertThat(fdb)
        .filteredOn(FdbEntry::learned)
        .hasSize(3)
        .allMatch(e -> e.master().equals("br0"));
    assertThat(fdb).filteredOn(e -> e.state().equals("permanent") && e.master() != null).hasSize(1);
  }
}
