package io.kdensity.scale.soak;

import static org.assertj.core.api.Assertions.assertThat;

import io.kdensity.reports.model.StepOutcome;
import io.kdensity.scale.engine.Step;
import io.kdensity.scale.plan.Soak;
import io.micrometer.core.instrument.MockClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class SoakPlannerTest {
  private final MockClock clock = new MockClock();
  private final List<Duration> slept = new ArrayList<>();
  private final Sleeper sleeper =
      d -> {
        slept.add(d);
        clock.add(d);
      };

  private static Soak soak(String churn, String flap) {
    return new Soak(
        100,
        Duration.ofMinutes(5),
        Duration.ofMinutes(1),
        Soak.Rate.parse(churn, Duration.ofMinutes(1)).orElseThrow(),
        Soak.Rate.parse(flap, Duration.ofMinutes(1)).orElseThrow(),
        Duration.ofSeconds(1),
        0);
  }

  /** Runs the planner to its end; each step "takes" {@code stepTakes} of the fake clock. */
  private List<Step> all(SoakPlanner p, Duration stepTakes) {
    List<Step> steps = new ArrayList<>();
    List<StepOutcome> done = new ArrayList<>();
    for (Optional<Step> n = p.next(done); n.isPresent(); n = p.next(done)) {
      steps.add(n.get());
      clock.add(stepTakes);
      done.add(null);
    }
    return steps;
  }

  @Test
  @DisplayName(
      "bring-up, then a window every interval until the duration: window 1 is the baseline, churn every 2 minutes, flap every minute")
  void windows() {
    SoakPlanner p = new SoakPlanner(soak("10%/2m", "2%/1m"), 6, clock, sleeper);
    List<Step> steps = all(p, Duration.ofSeconds(20));

    // step  pods  window  at(s)  churn  flap
    Object[][] expected = {
      {1, 100, null, null, null, null},
      {2, 100, 1, 0L, 0, 0},
      {3, 100, 2, 60L, 0, 12},
      {4, 100, 3, 120L, 10, 12},
      {5, 100, 4, 180L, 0, 12},
      {6, 100, 5, 240L, 10, 12},
    };
    assertThat(steps).hasSize(expected.length);
    for (int i = 0; i < expected.length; i++) {
      Step s = steps.get(i);
      Step.Window w = s.window();
      assertThat(
              new Object[] {
                s.index(),
                s.pods(),
                w == null ? null : w.number(),
                w == null ? null : w.at().toSeconds(),
                w == null ? null : w.churn(),
                w == null ? null : w.flap()
              })
          .as("step %d", i + 1)
          .containsExactly(expected[i]);
    }
    // the bring-up took 20 s of the fake clock before the soak started; each window waits out
    // the 40 s its step left of the minute
    assertThat(slept)
        .containsExactly(
            Duration.ofSeconds(40),
            Duration.ofSeconds(40),
            Duration.ofSeconds(40),
            Duration.ofSeconds(40));
    assertThat(p.stepsLeft()).isZero();
  }

  @Test
  @DisplayName("a window longer than the interval makes the next start at once; none after the end")
  void lateWindows() {
    SoakPlanner p = new SoakPlanner(soak("0%", "0%"), 6, clock, sleeper);
    List<Step> steps = all(p, Duration.ofSeconds(150));

    // window 3 would be due at 120 s, but the soak has run 300 s of its 300 by then
    assertThat(steps).hasSize(3);
    assertThat(steps.subList(1, 3))
        .extracting(s -> s.window().at().toSeconds())
        .containsExactly(0L, 150L);
    assertThat(slept).isEmpty();
  }

  @Test
  @DisplayName("Ctrl-C while waiting for a window ends the soak")
  void interruptedWait() {
    SoakPlanner p =
        new SoakPlanner(
            soak("0%", "0%"),
            6,
            clock,
            d -> {
              throw new InterruptedException();
            });
    List<StepOutcome> done = new ArrayList<>();
    assertThat(p.next(done)).isPresent();
    done.add(null);
    clock.add(1, TimeUnit.SECONDS);
    assertThat(p.next(done)).isPresent(); // window 1 is due at once
    done.add(null);
    assertThat(p.next(done)).isEmpty();
    assertThat(Thread.interrupted()).isTrue();
  }
}
