package io.kdensity.probes.finding;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Objects;

/**
 * A conclusion about the node: what broke (code), how badly, a one-line message a person can read,
 * where (subject), and the evidence.
 *
 * @param code the bottleneck
 * @param severity how bad
 * @param subject what it is about, e.g. {@code node} or {@code pod kd-r1-p0007 net3}
 * @param message one line, e.g. "neighbour table full: 1,194 entries refused (gc_thresh3 1024)"
 * @param evidence counters and raw lines that prove it
 * @param step the ramp step it was seen at, or -1 before the harness assigns it
 */
@JsonIgnoreProperties(value = "recommendation", allowGetters = true)
public record Finding(
    FindingCode code,
    Severity severity,
    String subject,
    String message,
    List<Evidence> evidence,
    int step) {

  public Finding {
    Objects.requireNonNull(code, "code");
    Objects.requireNonNull(severity, "severity");
    Objects.requireNonNull(subject, "subject");
    Objects.requireNonNull(message, "message");
    evidence = List.copyOf(evidence);
  }

  public Finding(
      FindingCode code, Severity severity, String subject, String message, List<Evidence> ev) {
    this(code, severity, subject, message, ev, -1);
  }

  /** The same finding, seen at ramp step {@code n}. */
  public Finding atStep(int n) {
    return new Finding(code, severity, subject, message, evidence, n);
  }

  /** The id of the recommendation that addresses this finding (also in summary.json). */
  @JsonProperty("recommendation")
  public String recommendation() {
    return code.recommendation();
  }

  @Override
  public String toString() {
    return code + " [" + severity + "] " + subject + ": " + message;
  }
}
