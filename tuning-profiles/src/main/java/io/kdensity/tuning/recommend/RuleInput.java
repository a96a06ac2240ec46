package io.kdensity.tuning.recommend;

import io.kdensity.probes.finding.Cause;
import io.kdensity.probes.finding.Evidence;
import io.kdensity.probes.finding.Finding;
import io.kdensity.probes.finding.FindingCode;
import io.kdensity.probes.finding.Recommendation;
import io.kdensity.probes.finding.Severity;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The findings one rule answers, with every code seen in the run (a rule can stand back for
 * another) and what its recommendation carries: the impact and the evidence lines.
 *
 * @param findings the findings of the rule's code, in the order seen
 * @param codes every finding code of the run
 */
public record RuleInput(List<Finding> findings, Set<FindingCode> codes) {
  public RuleInput {
    findings = List.copyOf(findings);
    codes = Set.copyOf(codes);
    if (findings.isEmpty()) {
      throw new IllegalArgumentException("a rule needs at least one finding");
    }
  }

  /** The causes among the findings. */
  public Set<Cause> causes() {
    return findings.stream().map(Finding::cause).collect(Collectors.toSet());
  }

  /** The first finding. */
  public Finding first() {
    return findings.get(0);
  }

  /**
   * How much it matters (higher first): critical findings first, then the largest counter change,
   * then how often it was seen.
   */
  public long impact() {
    long critical = findings.stream().filter(f -> f.severity() == Severity.CRITICAL).count();
    long delta =
        findings.stream()
            .flatMap(f -> f.evidence().stream())
            .mapToLong(ev -> Math.abs(ev.delta()))
            .max()
            .orElse(0);
    // a critical finding outranks any counter: 1,000,000 is above every delta kept
    return critical * 1_000_000 + Math.min(delta, 999_999) + findings.size();
  }

  /** Up to three findings with up to three pieces of evidence each, as lines. */
  public List<String> evidence() {
    List<String> out = new ArrayList<>();
    for (Finding f : findings.subList(0, Math.min(3, findings.size()))) {
      String at = f.step() > 0 ? "step " + f.step() + ": " : "";
      out.add(at + f.message());
      for (Evidence e : f.evidence().subList(0, Math.min(3, f.evidence().size()))) {
        out.add("  " + e);
      }
    }
    return out;
  }

  /** A recommendation for this input's code with its impact and evidence. */
  public Recommendation recommendation(
      String title,
      String rationale,
      Map<String, String> sysctl,
      Map<String, String> podSysctl,
      List<String> actions) {
    FindingCode code = first().code();
    return new Recommendation(
        code.recommendation(),
        code,
        title,
        rationale,
        evidence(),
        sysctl,
        podSysctl,
        actions,
        impact());
  }
}
