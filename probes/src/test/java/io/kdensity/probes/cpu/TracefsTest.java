package io.kdensity.probes.cpu;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TracefsTest {

  @ParameterizedTest(name = "{0} → ''{1}''")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          kd-r1a2b3                      | r1a2b3
          kd-r1a2b3-drops                | r1a2b3
          kd-r1a2b3-drop-cpu_backlog     | r1a2b3
          kd-R1A2B3                      |
          kd-r1a2b                       |
          kdx-r1a2b3                     |
          someone-elses-instance         |
          """)
  void theRunOfAnInstanceIsInItsName(String instance, String runId) {
    assertThat(Tracefs.runIdOf(instance)).isEqualTo(Optional.ofNullable(runId));
  }
}
