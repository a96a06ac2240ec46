package io.kdensity.probes.finding;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A conclusion about the node: what broke (code), how badly, a one-line message a person can read,
 * where (subject), and the evidence.
 *
 * @param code the bottleneck
 * @param severity how bad
 * @param cause why, established from evidence (of {@code code}); what recommendations act on
 * @param subject what it is about, e.g. {@code node} or {@code pod kd-r1-p0007 net3}
 * @param message one line, e.g. "neighbour table full: 1,194 entries refused (gc_thresh3 1024)"
 * @param evidence counters and raw lines that prove it
 * @param origin what reported it: a probe's name ({@code neighbour}), {@link #TARGET} (attaching
 *     interfaces), {@link #SLO} (a rule of the plan) or {@link #MODEL}; "" until stamped
 * @param step the ramp step it was seen at, or -1 before the harness assigns it
 */
@JsonIgnoreProperties(
    value = {"recommendation", "layer"},
    allowGetters = true)
public record Finding(
    FindingCode code,
    Severity severity,
    Cause cause,
    String subject,
    String message,
    List<Evidence> evidence,
    String origin,
    int step) {

  /** The origin of findings the target reports while attaching interfaces. */
  public static final String TARGET = "target";

  /** The origin of findings a plan's SLO rules produce ({@code ATTACH_SLOW}). */
  public static final String SLO = "slo";

  /** The origin of findings the capacity model predicts at a density no step reached. */
  public static final String MODEL = "capacity-model";

  public Finding {
    Objects.requireNonNull(code, "code");
    Objects.requireNonNull(severity, "severity");
    Objects.requireNonNull(cause, "cause");
    if (cause.code() != code) {
      throw new IllegalArgumentException("cause " + cause + " does not explain " + code);
    }
    Objects.requireNonNull(subject, "subject");
    Objects.requireNonNull(message, "message");
    evidence = List.copyOf(evidence);
    origin = origin == null ? "" : origin;
  }

  /** A finding not yet assigned to a step; its code is its cause's. */
  public static Finding of(
      Severity severity, Cause cause, String subject, String message, List<Evidence> evidence) {
    return new Finding(cause.code(), severity, cause, subject, message, evidence, "", -1);
  }

  /** The same finding, seen at ramp step {@code n}. */
  public Finding atStep(int n) {
    return new Finding(code, severity, cause, subject, message, evidence, origin, n);
  }

  /** The same finding, reported by {@code what} (a probe's name, {@link #TARGET}, {@link #SLO}). */
  public Finding from(String what) {
    return new Finding(code, severity, cause, subject, message, evidence, what, step);
  }

  /**
   * The same finding with another cause of the same code, as a diagnosis established it, with the
   * evidence that shows it (it replaces the original evidence, which it explains).
   */
  public Finding because(Cause refined, String refinedMessage, List<Evidence> diagnosed) {
    return new Finding(code, severity, refined, subject, refinedMessage, diagnosed, origin, step);
  }

  /** The same finding with more evidence (another probe's view of the same step). */
  public Finding withMoreEvidence(List<Evidence> more) {
    if (more.isEmpty()) {
      return this;
    }
    List<Evidence> all = new ArrayList<>(evidence);
    all.addAll(more);
    return new Finding(code, severity, cause, subject, message, all, origin, step);
  }

  /** Where its cause lives: the node's kernel or a component around it (also in summary.json). */
  @JsonProperty("layer")
  public Layer layer() {
    return cause.layer();
  }

  /** The id of the recommendation that addresses this finding (also in summary.json). */
  @JsonProperty("recommendation")
  public String recommendation() {
    return code.recommendation();
  }

  @Override
  public String toString() {
    return code + " [" + severity + ", " + cause + "] " + subject + ": " + message;
  }
}
