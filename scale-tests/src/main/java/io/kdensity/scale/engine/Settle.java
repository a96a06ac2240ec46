package io.kdensity.scale.engine;

import io.kdensity.probes.addr.IpLossProbe;
import io.kdensity.probes.probe.ProbeContext;
import io.kdensity.probes.probe.ProbeRunner;
import io.kdensity.probes.probe.ProbeScope;
import java.time.Clock;
import java.time.Duration;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

/**
 * Waits until every pod address has left the tentative state (DAD finished), at most the plan's
 * settle time. Not settling is not an error: the IP loss probe reports what stays tentative.
 */
public final class Settle {
  private Settle() {}

  public static void await(ProbeRunner runner, ProbeScope scope, Duration atMost) {
    if (atMost.isZero() || scope.pods().isEmpty()) {
      return;
    }
    IpLossProbe probe = new IpLossProbe(IpLossProbe.Thresholds.DEFAULT);
    ProbeContext ctx = new ProbeContext(scope, Runnable::run, Clock.systemUTC());
    try {
      Awaitility.await("pod addresses to finish DAD")
          .atMost(atMost)
          .pollDelay(Duration.ZERO)
          .pollInterval(Duration.ofMillis(250))
          .until(
              () ->
                  probe.snapshot(ctx).problems().stream()
                      .noneMatch(p -> p.reason() == IpLossProbe.Reason.TENTATIVE));
    } catch (ConditionTimeoutException e) {
      // the IP loss probe reports addresses that stay tentative
    }
  }
}
