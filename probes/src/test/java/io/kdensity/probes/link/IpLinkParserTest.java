package io.kdensity.probes.link;

import static io.kdensity.probes.Fixtures.load;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kdensity.probes.parse.ParseException;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class IpLinkParserTest {

  @Test
  @DisplayName("parses 1,204 links captured from a namespace with 1,200 veth ports on two bridges")
  void parsesLinksAtScale() {
    List<LinkInfo> links = IpLinkParser.parse(load("link/node-1200-veth.json"), "ip -j -d -s link");
    assertThat(links).hasSize(1204);
    Map<String, Long> kinds =
        links.stream().collect(Collectors.groupingBy(LinkInfo::kind, Collectors.counting()));
    assertThat(kinds)
        .containsEntry("veth", 1201L)
        .containsEntry("bridge", 2L)
        .containsEntry("device", 1L);
    Map<String, Long> ports =
        links.stream()
            .filter(l -> l.master() != null)
            .collect(Collectors.groupingBy(LinkInfo::master, Collectors.counting()));
    assertThat(ports).containsEntry("brA", 1023L).containsEntry("brB", 177L);
    LinkInfo v1 = links.stream().filter(l -> l.name().equals("v1")).findFirst().orElseThrow();
    assertThat(v1.ifindex()).isEqualTo(4);
    assertThat(v1.parentIndex()).isEqualTo(2);
    // its peer lives in another namespace (link_netnsid 0); a bridge has no parent at all
    assertThat(v1.parentNetnsid()).isEqualTo(0);
    assertThat(links.get(1).parentNetnsid()).isEqualTo(-1);
    assertThat(v1.address()).isEqualTo("56:18:41:31:71:a9");
    assertThat(v1.stats()).isEqualTo(new LinkStats(2, 176, 0, 0, 264, 23564, 0, 38));
    assertThat(
            links.stream()
                .filter(l -> l.name().equals("brA"))
                .findFirst()
                .orElseThrow()
                .fdbMaxLearned())
        .isEqualTo(-1);
  }

  @Test
  void readsPromiscuityOfAnUplinkWithMacvlanChildren() {
    List<LinkInfo> links = IpLinkParser.parse(load("link/node-small.json"), "ip -j -d -s link");
    LinkInfo up0 = links.stream().filter(l -> l.name().equals("up0")).findFirst().orElseThrow();
    assertThat(up0.kind()).isEqualTo("veth");
    assertThat(up0.promiscuity()).isEqualTo(1);
    assertThat(up0.promiscuous()).isTrue();
    List<LinkInfo> pod = IpLinkParser.parse(load("link/pod-small.json"), "ip -j -d -s link");
    assertThat(pod)
        .extracting(LinkInfo::name, LinkInfo::kind)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("lo", "device"),
            org.assertj.core.groups.Tuple.tuple("eth0", "veth"),
            org.assertj.core.groups.Tuple.tuple("net1", "macvlan"));
  }

  @Test
  void readsBridgePorts() {
    List<LinkInfo> links = IpLinkParser.parse(load("link/fabric-small.json"), "ip -j -d -s link");
    assertThat(links)
        .filteredOn(l -> "br0".equals(l.master()))
        .extracting(LinkInfo::name)
        .containsExactly("up0-fab");
  }

  @Test
  @DisplayName("truncated output names the command and the line")
  void truncatedOutputIsAParseError() {
    String text = load("link/node-small.json");
    assertThatThrownBy(
            () -> IpLinkParser.parse(text.substring(0, 300), "ip -j -d -s link in netns kd-x"))
        .isInstanceOf(ParseException.class)
        .hasMessageStartingWith("cannot parse ip -j -d -s link in netns kd-x line 1: not JSON");
  }

  @Test
  void aLinkWithoutNameIsAParseError() {
    assertThatThrownBy(() -> IpLinkParser.parse("[{\"ifindex\":1}]", "ip -j link"))
        .isInstanceOf(ParseException.class)
        .hasMessageContaining("link #1 has no ifname");
  }

  @Test
  void parsesProcNetDev() {
    Map<String, LinkStats> dev = NetDevParser.parse(load("netdev/pod.txt"), "/proc/net/dev");
    assertThat(dev.keySet()).containsExactly("lo", "eth0", "net1");
    assertThat(dev.get("net1")).isEqualTo(new LinkStats(1, 100, 0, 0, 10, 928, 0, 0));
  }
}
