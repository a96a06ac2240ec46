package io.kdensity.scale.soak;

import io.kdensity.reports.model.StepOutcome;
import io.kdensity.scale.engine.Step;
import io.kdensity.scale.engine.StepSource;
import io.kdensity.scale.plan.Soak;
import io.micrometer.core.instrument.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * A soak's steps: first one step that brings the node to the soak's pods, then a window every
 * interval until the duration is over. Window 1 is the baseline (nothing churned or flapped); from
 * window 2 on, churn and link flaps happen at the windows where their period has come round. A
 * window that ran longer than the interval makes the next one start at once, and none starts once
 * the duration is over: the soak ends within one window of it.
 */
public final class SoakPlanner implements StepSource {
  private final Soak soak;
  private final int interfacesPerPod;
  private final Clock clock;
  private final Sleeper sleeper;
  private long startNanos = -1;
  private int windows;
  private Duration lastChurn = Duration.ZERO;
  private Duration lastFlap = Duration.ZERO;

  /**
   * @param interfacesPerPod every interface of a pod, eth0 included (what a flap share is of)
   */
  public SoakPlanner(Soak soak, int interfacesPerPod, Clock clock, Sleeper sleeper) {
    this.soak = soak;
    this.interfacesPerPod = interfacesPerPod;
    this.clock = clock;
    this.sleeper = sleeper;
  }

  @Override
  public Optional<Step> next(List<StepOutcome> done) {
    if (done.isEmpty()) {
      return Optional.of(new Step(1, soak.pods(), false));
    }
    long now = clock.monotonicTime();
    if (startNanos < 0) {
      startNanos = now;
    }
    Duration due = soak.interval().multipliedBy(windows);
    if (due.compareTo(soak.duration()) >= 0 || now - startNanos >= soak.duration().toNanos()) {
      return Optional.empty();
    }
    long wait = startNanos + due.toNanos() - now;
    if (wait > 0) {
      try {
        sleeper.sleep(Duration.ofNanos(wait));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return Optional.empty();
      }
    }
    int number = ++windows;
    int churn = 0;
    int flap = 0;
    if (number > 1) {
      if (soak.churn().active() && due.minus(lastChurn).compareTo(soak.churn().every()) >= 0) {
        churn = soak.churn().of(soak.pods());
        lastChurn = due;
      }
      if (soak.linkFlap().active() && due.minus(lastFlap).compareTo(soak.linkFlap().every()) >= 0) {
        flap = soak.linkFlap().of(soak.pods() * interfacesPerPod);
        lastFlap = due;
      }
    }
    Duration at = Duration.ofNanos(clock.monotonicTime() - startNanos);
    return Optional.of(
        new Step(done.size() + 1, soak.pods(), false, new Step.Window(number, at, churn, flap)));
  }

  @Override
  public int stepsLeft() {
    return soak.windows() - windows;
  }
}
