package io.kdensity.probes.drop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kdensity.probes.Fixtures;
import io.kdensity.probes.parse.ParseException;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class KfreeSkbFormatTest {

  @Test
  @DisplayName("this kernel's event format gives every reason its number, as the kernel filters by")
  void readsTheReasonNumbersOfTheRunningKernel() {
    Map<String, Integer> r =
        KfreeSkbFormat.reasons(Fixtures.load("drop/kfree_skb-format-6.18.txt"), "format");
    assertThat(r)
        .containsEntry("NOT_SPECIFIED", 2)
        .containsEntry("NO_SOCKET", 3)
        .containsEntry("SOCKET_RCVBUFF", 6)
        .containsEntry("NEIGH_CREATEFAIL", 57)
        .containsEntry("NEIGH_FAILED", 58)
        .containsEntry("NEIGH_QUEUEFULL", 59)
        .containsEntry("CPU_BACKLOG", 71)
        .containsEntry("MAX", 129)
        .hasSize(128);
    // every reason kdensity counts exists on this kernel
    for (DropReason reason : DropReason.values()) {
      assertThat(r).containsKey(reason.name());
    }
  }

  @Test
  @DisplayName(
      "a kernel before 5.17 has no reason field: no reasons, not an error (format of v5.15's include/trace/events/skb.h)")
  void anOlderKernelHasNoReasons() {
    assertThat(KfreeSkbFormat.reasons(Fixtures.load("drop/kfree_skb-format-5.15.txt"), "format"))
        .isEmpty();
  }

  @Test
  @DisplayName("a reason field whose names cannot be read is a parse error naming the file")
  void aReasonFieldWithoutNamesIsAParseError() {
    String format =
        "format:\n\tfield:enum skb_drop_reason reason;\toffset:36;\tsize:4;\tsigned:0;\n\n"
            + "print fmt: \"reason: %d\", REC->reason\n";
    assertThatThrownBy(() -> KfreeSkbFormat.reasons(format, "/t/kfree_skb/format"))
        .isInstanceOf(ParseException.class)
        .hasMessage(
            "cannot parse /t/kfree_skb/format: a reason field but no __print_symbolic of it");
  }
}
