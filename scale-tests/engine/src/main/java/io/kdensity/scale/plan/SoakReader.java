package io.kdensity.scale.plan;

import io.kdensity.config.yaml.Reader;
import io.kdensity.config.yaml.YNode;
import io.kdensity.config.yaml.YNode.YMap;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Reads a plan's {@code soak:} section: {@code pods}, {@code duration}, {@code interval}, {@code
 * churn} and {@code linkFlap} ({@code 10%/5m}), {@code linkDown}.
 */
final class SoakReader {
  private SoakReader() {}

  /** The soak, or null if the plan has none. */
  static Soak soak(Reader r, YMap root) {
    YMap m = r.map(root, "soak");
    if (m == null) {
      return null;
    }
    r.allowOnly(m, List.of("pods", "duration", "interval", "churn", "linkFlap", "linkDown"));
    int pods = (int) r.integer(m, "pods", 0, 1, PlanLoader.MAX_PODS);
    if (r.opt(m, "pods").isEmpty()) {
      r.require(m, "pods");
    }
    Duration duration = r.duration(m, "duration", Soak.DEFAULT_DURATION);
    Duration interval = r.duration(m, "interval", Soak.DEFAULT_INTERVAL);
    Soak.Rate churn = rate(r, m, "churn", interval);
    Soak.Rate flap = rate(r, m, "linkFlap", interval);
    Duration down = r.duration(m, "linkDown", Soak.DEFAULT_LINK_DOWN);
    if (r.hasErrors()) {
      return null;
    }
    try {
      return new Soak(Math.max(1, pods), duration, interval, churn, flap, down, 0);
    } catch (IllegalArgumentException e) {
      r.error(m, "soak: " + e.getMessage());
      return null;
    }
  }

  private static Soak.Rate rate(Reader r, YMap m, String key, Duration window) {
    Optional<YNode> n = r.opt(m, key);
    if (n.isEmpty()) {
      return Soak.Rate.NONE;
    }
    String text = r.scalar(n.get());
    Optional<Soak.Rate> rate = text == null ? Optional.empty() : Soak.Rate.parse(text, window);
    if (rate.isEmpty()) {
      r.error(n.get(), "'soak." + key + "' must be " + Soak.RATE_FORM + ", found '" + text + "'");
      return Soak.Rate.NONE;
    }
    return rate.get();
  }
}
