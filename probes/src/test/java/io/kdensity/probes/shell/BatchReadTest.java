package io.kdensity.probes.shell;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class BatchReadTest {
  @Test
  void manyFilesAreReadInRunsOfAtMost200InTheirOrder() {
    List<String> paths = IntStream.range(0, 450).mapToObj(i -> "/proc/" + i + "/net/x").toList();

    List<List<String>> chunks = BatchRead.chunks(paths);

    assertThat(chunks).extracting(List::size).containsExactly(200, 200, 50);
    assertThat(chunks.stream().flatMap(List::stream).toList()).isEqualTo(paths);
  }

  @Test
  void nothingToReadIsNoCommand() {
    assertThat(BatchRead.chunks(List.of())).isEmpty();
  }
}
