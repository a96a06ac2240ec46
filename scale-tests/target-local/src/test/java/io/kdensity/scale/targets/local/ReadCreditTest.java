package io.kdensity.scale.targets.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class ReadCreditTest {
  private static final long MS = 1_000_000L;

  /** Reads it allows at {@code now}, spending them. */
  private static int drain(ReadCredit c, long now) {
    c.refill(now);
    int n = 0;
    while (c.mayRead()) {
      c.read();
      n++;
    }
    return n;
  }

  @Test
  @DisplayName(
      "500 reads a second with a cap of 1: a second of idling saves one read, not 500 (the burst waits in the socket's buffer)")
  void idlingSavesNoMoreThanTheCap() {
    ReadCredit c = new ReadCredit(500, 1, 0);
    assertThat(drain(c, 0)).isEqualTo(1); // full at the start
    assertThat(drain(c, 1_000 * MS)).isEqualTo(1);
    assertThat(drain(c, 1_001 * MS)).isZero(); // half a read earned
    assertThat(drain(c, 1_002 * MS)).isEqualTo(1);
  }

  @Test
  @DisplayName("under load it reads at its rate: 10 ms at 500/s are 5 reads")
  void readsAtItsRateWhileBusy() {
    ReadCredit c = new ReadCredit(500, 1, 0);
    drain(c, 0);
    int reads = 0;
    for (long t = 1; t <= 10; t++) {
      reads += drain(c, t * MS);
    }
    assertThat(reads).isEqualTo(5);
  }

  @Test
  @DisplayName("a cap of 64 lets an idle reader take 64 at once, and no more")
  void aLargerCapSavesMore() {
    ReadCredit c = new ReadCredit(500, 64, 0);
    drain(c, 0);
    assertThat(drain(c, 5_000 * MS)).isEqualTo(64);
  }

  @Test
  void refusesANonPositiveRateOrCap() {
    assertThatThrownBy(() -> new ReadCredit(0, 1, 0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new ReadCredit(500, 0, 0))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
