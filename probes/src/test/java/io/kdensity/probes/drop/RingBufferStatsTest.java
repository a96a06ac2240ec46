package io.kdensity.probes.drop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kdensity.probes.Fixtures;
import io.kdensity.probes.parse.ParseException;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class RingBufferStatsTest {

  @Test
  @DisplayName(
      "a one-page buffer that was given 5,000 events holds 124 and counts 4,876 overwritten: 5,000 written")
  void writtenIsEntriesPlusOverrunPlusRead() {
    assertThat(RingBufferStats.written(Fixtures.load("drop/ring-stats-5000.txt"), "stats"))
        .isEqualTo(5_000);
  }

  @Test
  @DisplayName("events already read count as written")
  void readEventsCount() {
    assertThat(
            RingBufferStats.written(
                "entries: 3\noverrun: 10\ncommit overrun: 0\nread events: 7\n", "stats"))
        .isEqualTo(20);
  }

  @Test
  @DisplayName("stats without an overrun line are a parse error naming the file")
  void missingLineIsAParseError() {
    assertThatThrownBy(() -> RingBufferStats.written("entries: 3\nread events: 0\n", "/i/stats"))
        .isInstanceOf(ParseException.class)
        .hasMessage("cannot parse /i/stats: no 'entries', 'overrun' and 'read events' lines");
  }

  @Test
  @DisplayName("a count that is not a number is a parse error naming the line")
  void badNumberIsAParseError() {
    assertThatThrownBy(
            () -> RingBufferStats.written("entries: x\noverrun: 0\nread events: 0\n", "/i/stats"))
        .isInstanceOf(ParseException.class)
        .hasMessage("cannot parse /i/stats line 1: 'x' is not a number: 'entries: x'");
  }
}
