package io.kdensity.scale.targets.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kdensity.scale.targets.InfrastructureException;
import io.kdensity.scale.targets.local.AddressWatch.Event;
import io.kdensity.scale.targets.local.AddressWatch.Seen;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Lines as iproute2 6.1's {@code ip -o monitor all-nsid address} prints them on this kernel. */
class AddressWatchTest {
  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          # line                                                                                                             | nsid | address      | tentative | dadfailed
          [nsid 0]3: ifb1    inet6 fd00:78::1/64 scope global tentative \\       valid_lft forever preferred_lft forever      | 0    | fd00:78::1   | true      | false
          [nsid 0]3: ifb1    inet6 fd00:78::1/64 scope global \\       valid_lft forever preferred_lft forever                | 0    | fd00:78::1   | false     | false
          [nsid 12]2: ifb0    inet6 fd00:78::2/64 scope global nodad \\       valid_lft forever preferred_lft forever         | 12   | fd00:78::2   | false     | false
          [nsid 3]4: eth0    inet6 FD00:0:0::0a/64 scope global dadfailed tentative \\       valid_lft forever preferred_lft forever | 3 | fd00::a | true   | true
          """)
  void parsesAnAddition(String line, int nsid, String address, boolean tentative, boolean failed) {
    assertThat(AddressWatch.parse(line, 7))
        .contains(new Event(nsid, address, tentative, failed, 7));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          # what is not a namespace's IPv6 addition                                                          | why
          3: v0    inet6 fd00:78::1/64 scope global tentative \\       valid_lft forever preferred_lft forever | the root namespace's own
          [nsid 0]3: ifb1    inet 198.18.7.1/24 scope global v0\\       valid_lft forever preferred_lft forever | IPv4: no DAD
          [nsid 0]Deleted 3: ifb1    inet6 fd00:78::1/64 scope global \\       valid_lft forever preferred_lft forever | a deletion
          """)
  void ignores(String line, String why) {
    assertThat(AddressWatch.parse(line, 7)).as(why).isEqualTo(Optional.empty());
  }

  @Test
  @DisplayName(
      "an address's first tentative and first valid moments are kept, in either order heard")
  void seenKeepsTheFirstOfEach() {
    Seen s =
        Seen.of(new Event(0, "fd00::1", true, false, 100))
            .merge(Seen.of(new Event(0, "fd00::1", true, false, 150)))
            .merge(Seen.of(new Event(0, "fd00::1", false, false, 1100)))
            .merge(Seen.of(new Event(0, "fd00::1", false, false, 1300)));
    assertThat(s).isEqualTo(new Seen(100, 1100, false));
    assertThat(s.ended()).isTrue();
    assertThat(Seen.of(new Event(0, "fd00::1", true, false, 100)).ended()).isFalse();
    assertThat(Seen.of(new Event(0, "fd00::1", true, true, 100)).ended()).isTrue();
  }

  @Test
  @DisplayName("namespace ids from ip -j netns list; a namespace without an id is left out")
  void ids() {
    assertThat(AddressWatch.ids("[{\"name\":\"kd-a\",\"id\":0},{\"name\":\"kd-b\"}]"))
        .isEqualTo(Map.of("kd-a", 0));
    assertThat(AddressWatch.ids("")).isEmpty();
    assertThatThrownBy(() -> AddressWatch.ids("kd-a (id: 0)"))
        .isInstanceOf(InfrastructureException.class)
        .hasMessageContaining("ip -j netns list");
  }
}
