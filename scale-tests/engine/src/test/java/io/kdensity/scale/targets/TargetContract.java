package io.kdensity.scale.targets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kdensity.probes.probe.PodView;
import io.kdensity.scale.plan.Plan;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * What every {@link Target} promises, whatever it runs on: preflight creates nothing; scaling up
 * and down holds exactly the pods asked for, each with eth0 and the plan's interfaces, and reports
 * what attaching them cost; close removes everything the run created, once, and a closed target
 * refuses to scale. Each target runs it: the cluster one against the fake cluster, the local one on
 * the real kernel.
 */
public abstract class TargetContract {

  /** A plan of this target's kind with {@link #INTERFACES} interfaces per pod. */
  protected abstract Plan plan();

  /** A new target for the plan, not set up. */
  protected abstract Target newTarget(Plan plan);

  /** What of the target's run still exists: namespaces, or API objects, by name. */
  protected abstract List<String> leftovers(Target t);

  /** Interfaces per pod of {@link #plan()}, eth0 not counted. */
  protected static final int INTERFACES = 2;

  @Test
  @DisplayName("preflight creates nothing")
  void preflightCreatesNothing() {
    try (Target t = newTarget(plan())) {
      t.preflight();
      assertThat(leftovers(t)).isEmpty();
    }
  }

  @Test
  @DisplayName(
      "scaling up and down holds exactly the pods asked for, each with eth0 and the plan's interfaces")
  void scalesUpAndDown() {
    try (Target t = newTarget(plan())) {
      t.setUp();
      ScaleResult up = t.scaleTo(3);
      assertThat(up.findings()).isEmpty();
      assertThat(up.pods()).isEqualTo(3);
      assertThat(t.pods()).isEqualTo(3);
      assertThat(up.readyMicros().getTotalCount()).as("one ready latency per new pod").isEqualTo(3);
      List<PodView> pods = t.scope().pods();
      assertThat(pods).hasSize(3);
      assertThat(pods)
          .allSatisfy(p -> assertThat(p.interfaces()).hasSize(INTERFACES + 1))
          .extracting(PodView::name)
          .doesNotHaveDuplicates();

      ScaleResult down = t.scaleTo(1);
      assertThat(down.findings()).isEmpty();
      assertThat(t.pods()).isEqualTo(1);
      assertThat(t.scope().pods()).hasSize(1);
    }
  }

  @Test
  @DisplayName(
      "close removes everything the run created, a second close does nothing, and a closed target refuses to scale")
  void closeRemovesEverything() {
    Target t = newTarget(plan());
    t.setUp();
    t.scaleTo(2);
    assertThat(leftovers(t)).isNotEmpty();
    t.close();
    assertThat(leftovers(t)).isEmpty();
    t.close();
    assertThatThrownBy(() -> t.scaleTo(1)).isInstanceOf(InfrastructureException.class);
  }
}
