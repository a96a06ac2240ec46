package io.kdensity.scale.suite;

import io.kdensity.reports.model.StepOutcome;
import io.kdensity.scale.engine.Progress;
import io.kdensity.scale.engine.Step;
import io.kdensity.scale.run.RampRun;
import io.kdensity.scale.run.RunOptions;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.extension.ExtendWith;
import org.opentest4j.AssertionFailedError;

/**
 * The ramp of one plan: the dynamic tests are produced lazily, so each step's pod count can depend
 * on the previous results (stop policy, knee bisection). The stream's close writes the outputs.
 */
@ExtendWith(RunOptionsResolver.class)
public class RampTests {

  @TestFactory
  @DisplayName("kdensity ramp")
  Stream<DynamicTest> ramp(RunOptions options) {
    RampRun run = RampRun.open(options, Progress.to(System.err));
    Iterator<DynamicTest> steps =
        new Iterator<>() {
          private Optional<Step> next;

          @Override
          public boolean hasNext() {
            if (next == null) {
              next = run.next();
            }
            return next.isPresent();
          }

          @Override
          public DynamicTest next() {
            if (!hasNext()) {
              throw new NoSuchElementException();
            }
            Step s = next.get();
            next = null;
            String name = s.title(run.plan().interfacesPerPod());
            return DynamicTest.dynamicTest(
                name,
                () -> {
                  StepOutcome o = run.execute(s);
                  if (!o.passed()) {
                    throw new AssertionFailedError(StepFailure.message(o));
                  }
                });
          }
        };
    return StreamSupport.stream(
            Spliterators.spliteratorUnknownSize(steps, Spliterator.ORDERED), false)
        .onClose(run::finish);
  }
}
