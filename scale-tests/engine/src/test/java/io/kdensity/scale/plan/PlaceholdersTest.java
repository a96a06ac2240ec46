package io.kdensity.scale.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kdensity.config.yaml.ConfigException;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PlaceholdersTest {
  private static final Map<String, String> ENV =
      Map.of("KDENSITY_NODE", "worker-3", "KDENSITY_MASTER", "ens1f0", "EMPTY", "");

  @ParameterizedTest(name = "{0} → {1}")
  @DisplayName("placeholders are replaced from the environment, defaults when unset or empty")
  @CsvSource(
      delimiter = '|',
      value = {
        "node: ${KDENSITY_NODE}                 | node: worker-3",
        "master: \"${KDENSITY_MASTER}\", x      | master: \"ens1f0\", x",
        "context: ${KDENSITY_CONTEXT:-lab}      | context: lab",
        "context: ${EMPTY:-lab}                 | context: lab",
        "a: ${KDENSITY_NODE}-${KDENSITY_MASTER} | a: worker-3-ens1f0",
        "# a comment keeps ${UNSET}             | # a comment keeps ${UNSET}",
        "node: x # or ${UNSET}                  | node: x # or ${UNSET}",
        "cost: $5 and ${lower}                  | cost: $5 and ${lower}",
      })
  void expands(String line, String expected) {
    assertThat(Placeholders.expand(line.strip(), "p.yaml", ENV)).isEqualTo(expected.strip());
  }

  @Test
  @DisplayName("every unset placeholder is named with its line, and how to set it")
  void unsetPlaceholdersAreErrorsWithTheirLine() {
    assertThatThrownBy(
            () ->
                Placeholders.expand(
                    "name: x\ntarget:\n  node: ${KDENSITY_NODE2}\n  m: ${NIC}\n", "p.yaml", ENV))
        .isInstanceOf(ConfigException.class)
        .hasMessage(
            "p.yaml:3: ${KDENSITY_NODE2} is not set: export KDENSITY_NODE2=… or give a default,"
                + " ${KDENSITY_NODE2:-value}\n"
                + "p.yaml:4: ${NIC} is not set: export NIC=… or give a default, ${NIC:-value}");
  }

  @Test
  @DisplayName("lines keep their numbers, so later errors still point at the right line")
  void linesAreKept() {
    String text = "a: ${KDENSITY_NODE}\n\nb: 1\n";
    assertThat(Placeholders.expand(text, "p.yaml", ENV)).isEqualTo("a: worker-3\n\nb: 1\n");
  }
}
