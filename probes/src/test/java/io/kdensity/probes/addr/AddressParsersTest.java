package io.kdensity.probes.addr;

import static io.kdensity.probes.Fixtures.load;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kdensity.probes.parse.ParseException;
import java.util.List;
import org.junit.jupiter.api.Test;

class AddressParsersTest {

  @Test
  void ipAddrShowsDadFailedAndTentativeAddresses() {
    List<AddressInfo> a =
        IpAddrParser.parse(load("addr/pod-dadfailed-tentative.json"), "ip -j addr");
    assertThat(a)
        .extracting(
            AddressInfo::ifname,
            AddressInfo::address,
            AddressInfo::tentative,
            AddressInfo::dadfailed)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("net1", "fd00:10:1::20", true, false),
            org.assertj.core.groups.Tuple.tuple("net1", "fd00:10:1::10", true, true),
            org.assertj.core.groups.Tuple.tuple("net1", "fe80::50f9:8eff:fe0e:b0c8", false, false));
    assertThat(a.get(0).prefix()).isEqualTo(64);
    assertThat(a.get(2).scope()).isEqualTo("link");
  }

  @Test
  void ipAddrOfAHealthyPodHasUsableAddresses() {
    List<AddressInfo> a = IpAddrParser.parse(load("addr/pod-healthy.json"), "ip -j addr");
    assertThat(a)
        .filteredOn(x -> x.address().equals("fd00:10:1::10"))
        .singleElement()
        .matches(AddressInfo::usable);
  }

  @Test
  void ifInet6ShowsTheSameStatesAsIpAddr() {
    List<AddressInfo> a =
        IfInet6Parser.parse(load("ifinet6/dadfailed-tentative.txt"), "/proc/net/if_inet6");
    assertThat(a).hasSize(3);
    AddressInfo failed =
        a.stream().filter(x -> x.address().equals("fd00:10:1::10")).findFirst().orElseThrow();
    assertThat(failed.dadfailed()).isTrue();
    assertThat(failed.tentative()).isTrue();
    AddressInfo tentative =
        a.stream().filter(x -> x.address().equals("fd00:10:1::20")).findFirst().orElseThrow();
    assertThat(tentative.tentative()).isTrue();
    assertThat(tentative.dadfailed()).isFalse();
    assertThat(a.get(0).scope()).isEqualTo("link");
    assertThat(a.get(0).ifname()).isEqualTo("net1");
  }

  @Test
  void ifInet6WithAShortLineIsAParseError() {
    assertThatThrownBy(() -> IfInet6Parser.parse("fd00 04 40\n", "/proc/net/if_inet6"))
        .isInstanceOf(ParseException.class)
        .hasMessage(
            "cannot parse /proc/net/if_inet6 line 1: expected 6 fields: addr idx plen scope flags name: 'fd00 04 40'");
  }

  @Test
  void canonicalFormsCompareEqual() {
    assertThat(Addresses.canonical("FD00:0:0::0001/64")).isEqualTo("fd00::1");
    assertThat(Addresses.canonical("fd00:10:1:0:0:0:0:10")).isEqualTo("fd00:10:1::10");
    assertThat(Addresses.canonical("198.18.0.5/24")).isEqualTo("198.18.0.5");
    assertThat(Addresses.fromHex32("fd000010000100000000000000000020")).isEqualTo("fd00:10:1::20");
    assertThat(Addresses.fromHex32("00000000000000000000000000000001")).isEqualTo("::1");
    assertThat(Addresses.fromHex32("fd000000000000010000000000000000")).isEqualTo("fd00:0:0:1::");
  }
}
