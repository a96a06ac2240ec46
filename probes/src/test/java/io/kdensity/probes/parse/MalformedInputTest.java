package io.kdensity.probes.parse;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kdensity.probes.addr.IfInet6Parser;
import io.kdensity.probes.addr.IpAddrParser;
import io.kdensity.probes.cpu.ProcStatParser;
import io.kdensity.probes.cpu.SoftirqsParser;
import io.kdensity.probes.cpu.SoftnetStatParser;
import io.kdensity.probes.ethtool.EthtoolParser;
import io.kdensity.probes.fdb.BridgeFdbParser;
import io.kdensity.probes.link.IpLinkParser;
import io.kdensity.probes.link.NetDevParser;
import io.kdensity.probes.neigh.IpNeighParser;
import io.kdensity.probes.neigh.NeighCacheStatParser;
import io.kdensity.probes.reach.FpingParser;
import io.kdensity.probes.socket.Snmp6Parser;
import io.kdensity.probes.socket.SnmpParser;
import io.kdensity.probes.socket.SockstatParser;
import java.util.function.BiFunction;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every parser, fed output it cannot read, fails with a {@link ParseException} naming the source —
 * never a NumberFormatException, an index out of bounds or a Jackson exception.
 */
class MalformedInputTest {

  static Stream<Arguments> cases() {
    return Stream.of(
        c("ip -j link", IpLinkParser::parse, "[{\"ifname\": \"x\", \"ifindex\": \"abc\"}]"),
        c("ip -j link", IpLinkParser::parse, "[{\"ifname\": {\"a\": 1}, \"ifindex\": 1}]"),
        c("ip -j link", IpLinkParser::parse, "[{\"ifname\": \"x\", \"ifindex\": 1e40}]"),
        c(
            "ip -j link",
            IpLinkParser::parse,
            "[{\"ifname\": \"x\", \"ifindex\": 1, \"stats64\": {\"rx\": {\"bytes\": \"lots\"}}}]"),
        c("ip -j link", IpLinkParser::parse, "{\"not\": \"an array\"}"),
        c("ip -j link", IpLinkParser::parse, "[{\"ifname\": \"x\""),
        c(
            "ip -j addr",
            IpAddrParser::parse,
            "[{\"ifname\": \"x\", \"addr_info\": [{\"prefixlen\": \"x\"}]}]"),
        c("ip -j neigh", IpNeighParser::parse, "[{\"dst\": [1, 2]}]"),
        c("ip -j neigh", IpNeighParser::parse, "[{\"dst\": \"fd00::1\", \"state\": [{}]}]"),
        c("bridge -j fdb", BridgeFdbParser::parse, "[{\"mac\": \"x\", \"vlan\": \"v\"}]"),
        c(
            "/proc/net/if_inet6",
            IfInet6Parser::parse,
            "fd00000000000000000000000000zz01 02 40 00 80 eth0\n"),
        c("/proc/net/if_inet6", IfInet6Parser::parse, "fd00 02 40\n"),
        c("/proc/net/stat/ndisc_cache", NeighCacheStatParser::parse, "allocs destroys\n1 2\n"),
        c("/proc/net/stat/ndisc_cache", NeighCacheStatParser::parse, "entries\n"),
        c(
            "/proc/net/stat/ndisc_cache",
            NeighCacheStatParser::parse,
            "entries table_fulls\n0000001 1ffffffffffffffff\n"),
        c("/proc/net/softnet_stat", SoftnetStatParser::parse, "00000001 00000002\n"),
        c("/proc/net/softnet_stat", SoftnetStatParser::parse, "1ffffffffffffffff 0 0\n"),
        c("/proc/softirqs", SoftirqsParser::parse, "CPU0 CPU1\nNET_RX: 1\n"),
        c("/proc/softirqs", SoftirqsParser::parse, "CPU0\nNET_RX: 99999999999999999999\n"),
        c("/proc/stat", ProcStatParser::parse, "cpu 1 2\n"),
        c("/proc/stat", ProcStatParser::parse, "cpu a b c d e f g h\n"),
        c("ethtool -S", EthtoolParser::parseStats, "NIC statistics:\n rx: 18446744073709551616\n"),
        c("ethtool -S", EthtoolParser::parseStats, "NIC statistics:\n rx 5\n"),
        c("ethtool -k", EthtoolParser::parseFeatures, "Features for x:\nrx-checksumming: maybe\n"),
        c("ethtool -g", EthtoolParser::parseRings, "Ring parameters for x:\n"),
        c("fping", FpingParser::parse, "fd00::1 is sleeping\n"),
        c("fping", FpingParser::parse, "garbage\n"),
        c("/proc/net/snmp", SnmpParser::parse, "Udp: InDatagrams\nUdp: x\n"),
        c("/proc/net/snmp", SnmpParser::parse, "Udp: InDatagrams NoPorts\nUdp: 1\n"),
        c("/proc/net/snmp6", Snmp6Parser::parse, "Udp6InDatagrams\n"),
        c("/proc/net/sockstat", SockstatParser::parse, "UDP: inuse x mem 1\n"),
        c("/proc/net/dev", NetDevParser::parse, "header\nheader\n  eth0: 1 2 3\n"));
  }

  private static Arguments c(String source, BiFunction<String, String, ?> parser, String text) {
    return Arguments.of(source, text, parser);
  }

  @ParameterizedTest(name = "{0}: {1}")
  @DisplayName("unreadable output is a ParseException naming the source, nothing else")
  @MethodSource("cases")
  void failsWithParseException(String source, String text, BiFunction<String, String, ?> parser) {
    assertThatThrownBy(() -> parser.apply(text, source))
        .isExactlyInstanceOf(ParseException.class)
        .hasMessageStartingWith("cannot parse " + source);
  }
}
