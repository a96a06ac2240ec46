package io.kdensity.probes.socket;

import static io.kdensity.probes.Fixtures.load;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kdensity.probes.parse.ParseException;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SocketParsersTest {

  @Test
  void snmpPairsNamesWithValues() {
    MibCounters c = SnmpParser.parse(load("snmp/snmp.txt"), "/proc/net/snmp");
    assertThat(c.get("Udp", "InDatagrams")).isEqualTo(36);
    assertThat(c.get("Udp", "RcvbufErrors")).isZero();
    assertThat(c.get("Tcp", "MaxConn")).isEqualTo(-1);
    assertThat(c.get("Ip", "InReceives")).isEqualTo(5551);
  }

  @Test
  void netstatHasTcpExtPruneCounters() {
    MibCounters c = SnmpParser.parse(load("netstat/netstat.txt"), "/proc/net/netstat");
    assertThat(c.groups()).containsKeys("TcpExt", "IpExt");
    assertThat(c.groups().get("TcpExt"))
        .containsKeys("PruneCalled", "RcvPruned", "OfoPruned", "TCPRcvCollapsed");
  }

  @Test
  void snmp6IsGroupedByPrefix() {
    MibCounters c = Snmp6Parser.parse(load("snmp6/snmp6.txt"), "/proc/net/snmp6");
    assertThat(c.get("Ip6", "OutRequests")).isEqualTo(10);
    assertThat(c.groups().get("Udp6")).containsKeys("RcvbufErrors", "SndbufErrors", "InErrors");
    assertThat(c.groups()).containsKeys("Icmp6", "UdpLite6");
  }

  @Test
  void sockstat() {
    MibCounters c = SockstatParser.parse(load("sockstat/sockstat.txt"), "/proc/net/sockstat");
    assertThat(c.get("TCP", "mem")).isEqualTo(62);
    assertThat(c.get("sockets", "used")).isEqualTo(8);
    assertThat(c.get("FRAG", "memory")).isZero();
    assertThat(
            SockstatParser.parse(load("sockstat/sockstat6.txt"), "/proc/net/sockstat6")
                .get("UDP6", "inuse"))
        .isZero();
  }

  @Test
  void aValuesLineThatDoesNotMatchItsNamesIsAnError() {
    assertThatThrownBy(
            () -> SnmpParser.parse("Udp: InDatagrams NoPorts\nUdp: 1\n", "/proc/net/snmp"))
        .isInstanceOf(ParseException.class)
        .hasMessage("cannot parse /proc/net/snmp line 2: 2 names but 1 values: 'Udp: 1'");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          a names line of a colon alone        | ':\nx\n'          | cannot parse /proc/net/snmp line 2: expected a values line for '': 'x'
          a values line of another group       | 'Udp: A\nTcp: 1\n' | cannot parse /proc/net/snmp line 2: expected a values line for 'Udp': 'Tcp: 1'
          a names line without fields, a value | 'Udp:\nUdp: 1\n'   | cannot parse /proc/net/snmp line 2: 0 names but 1 values: 'Udp: 1'
          a names line without a colon         | 'Udp\nUdp\n'       | cannot parse /proc/net/snmp line 2: expected a values line for 'Udp': 'Udp'
          """)
  @DisplayName(
      "a malformed /proc/net/snmp is a ParseException naming the line, never another exception")
  void malformedSnmpIsAParseException(String what, String text, String message) {
    assertThatThrownBy(() -> SnmpParser.parse(text.replace("\\n", "\n"), "/proc/net/snmp"))
        .isInstanceOf(ParseException.class)
        .hasMessage(message);
  }

  @Test
  @DisplayName("a group with no fields at all is an empty group")
  void aGroupWithoutFieldsIsEmpty() {
    assertThat(SnmpParser.parse("Udp:\nUdp:\n", "/proc/net/snmp").groups()).containsOnlyKeys("Udp");
  }
}
