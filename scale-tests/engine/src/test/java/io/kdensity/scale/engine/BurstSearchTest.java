package io.kdensity.scale.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class BurstSearchTest {

  @ParameterizedTest(name = "density {0}, resolution {1}, bursts up to {2} fit: tolerated {3}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          # density | resolution | largest fitting | tolerated | overflowed | bursts tried
            130     | 10         | 200             | 120       |            | 60 90 110 120
            130     | 10         | 27              | 20        | 30         | 60 30 10 20
            130     | 10         | 0               | 0         | 10         | 60 30 10
            130     | 10         | 100             | 100       | 110        | 60 90 110 100
            145     | 10         | 75              | 70        | 80         | 70 100 80
            15      | 10         | 9               | 0         | 10         | 10
            40      | 1          | 22              | 22        | 23         | 20 30 25 22 23
          """)
  void bisectsTheBurstOnTheResolution(
      int density, int resolution, int fitting, int tolerated, Integer overflowed, String tried) {
    List<Integer> bursts = new ArrayList<>();
    BurstSearch.Bounds b =
        BurstSearch.search(
            density,
            resolution,
            burst -> {
              bursts.add(burst);
              return burst <= fitting;
            });

    assertThat(b).isEqualTo(new BurstSearch.Bounds(tolerated, overflowed));
    assertThat(bursts)
        .containsExactlyElementsOf(
            java.util.Arrays.stream(tried.split(" ")).map(Integer::valueOf).toList());
  }
}
