package io.kdensity.reports.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.kdensity.config.run.AttachMode;
import io.kdensity.probes.finding.Finding;
import io.kdensity.probes.finding.FindingCode;
import io.kdensity.probes.finding.Recommendation;
import io.kdensity.probes.finding.Severity;
import io.kdensity.probes.probe.NodeFacts;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Everything a run measured; written as {@code summary.json}.
 *
 * @param schemaVersion {@value #SCHEMA_VERSION}; gates refuse other versions
 * @param runId the run's id ({@code kd-<runId>-…} names its objects)
 * @param kdensityVersion version of the tool
 * @param plan plan name
 * @param planFile plan file
 * @param target local or kube
 * @param attach how the pods' interfaces were made (absent in older summaries: cni)
 * @param node facts about the node under test
 * @param profile tuning profile in force ("" for none)
 * @param secondaryPerPod secondary interfaces per pod
 * @param started start
 * @param finished end
 * @param steps every step in execution order (bisection steps included)
 * @param knee the knee, or null if every step passed
 * @param verdict how the run ended
 * @param error the infrastructure error, or ""
 * @param recommendations what to change, by impact
 * @param soak a soak's windows and what drifted or leaked; null for a ramp
 * @param trials with {@code ramp --trials N}: every trial's knee (this summary is the median
 *     trial's); empty for a single run
 * @param steady with {@code ramp --steady}: how long failing steps were held, and how many pods the
 *     node takes at once at its steady-state capacity; null for a plain ramp
 * @param prediction with {@code ramp --predict} or {@code kdensity predict}: the capacity model's
 *     prediction from the run's calibration steps; null otherwise
 */
public record RunSummary(
    int schemaVersion,
    String runId,
    String kdensityVersion,
    String plan,
    String planFile,
    String target,
    AttachMode attach,
    NodeFacts node,
    String profile,
    int secondaryPerPod,
    Instant started,
    Instant finished,
    List<StepOutcome> steps,
    Knee knee,
    Verdict verdict,
    String error,
    List<Recommendation> recommendations,
    @JsonInclude(JsonInclude.Include.NON_NULL) SoakReport soak,
    @JsonInclude(JsonInclude.Include.NON_EMPTY) List<Trial> trials,
    @JsonInclude(JsonInclude.Include.NON_NULL) SteadyState steady,
    @JsonInclude(JsonInclude.Include.NON_NULL) Prediction prediction) {

  public static final int SCHEMA_VERSION = 2;

  public RunSummary {
    steps = List.copyOf(steps);
    recommendations = recommendations == null ? List.of() : List.copyOf(recommendations);
    error = error == null ? "" : error;
    attach = attach == null ? AttachMode.CNI : attach;
    trials = trials == null ? List.of() : List.copyOf(trials);
  }

  /** A single run's summary (no trials). */
  public RunSummary(
      int schemaVersion,
      String runId,
      String kdensityVersion,
      String plan,
      String planFile,
      String target,
      AttachMode attach,
      NodeFacts node,
      String profile,
      int secondaryPerPod,
      Instant started,
      Instant finished,
      List<StepOutcome> steps,
      Knee knee,
      Verdict verdict,
      String error,
      List<Recommendation> recommendations,
      SoakReport soak) {
    this(
        schemaVersion,
        runId,
        kdensityVersion,
        plan,
        planFile,
        target,
        attach,
        node,
        profile,
        secondaryPerPod,
        started,
        finished,
        steps,
        knee,
        verdict,
        error,
        recommendations,
        soak,
        List.of(),
        null,
        null);
  }

  /**
   * One of N independent searches for the knee ({@code ramp --trials N}).
   *
   * @param trial its number, from 1
   * @param firstFailingPods its knee, or null if every step passed
   * @param lastPassingPods the most pods that passed below the knee, or null
   * @param verdict how it ended
   * @param summary its own summary.json, relative to the combined one
   * @param criticalCodes the codes of its critical findings (a gate's new-findings rule judges a
   *     code against every baseline trial, not only the median one's); empty in older files
   */
  public record Trial(
      int trial,
      Integer firstFailingPods,
      Integer lastPassingPods,
      Verdict verdict,
      String summary,
      List<FindingCode> criticalCodes) {
    public Trial {
      criticalCodes = criticalCodes == null ? List.of() : List.copyOf(criticalCodes);
    }

    /** A trial whose findings are not recorded. */
    public Trial(
        int trial,
        Integer firstFailingPods,
        Integer lastPassingPods,
        Verdict verdict,
        String summary) {
      this(trial, firstFailingPods, lastPassingPods, verdict, summary, List.of());
    }
  }

  /** The same summary carrying every trial's knee. */
  public RunSummary withTrials(List<Trial> all) {
    return new RunSummary(
        schemaVersion,
        runId,
        kdensityVersion,
        plan,
        planFile,
        target,
        attach,
        node,
        profile,
        secondaryPerPod,
        started,
        finished,
        steps,
        knee,
        verdict,
        error,
        recommendations,
        soak,
        all,
        steady,
        prediction);
  }

  /** The same summary with other recommendations. */
  public RunSummary withRecommendations(List<Recommendation> recs) {
    return new RunSummary(
        schemaVersion,
        runId,
        kdensityVersion,
        plan,
        planFile,
        target,
        attach,
        node,
        profile,
        secondaryPerPod,
        started,
        finished,
        steps,
        knee,
        verdict,
        error,
        recs,
        soak,
        trials,
        steady,
        prediction);
  }

  /** The same summary without the probe snapshots of its steps (for baselines: small files). */
  public RunSummary withoutSnapshots() {
    List<StepOutcome> slim = steps.stream().map(StepOutcome::withoutSnapshots).toList();
    return new RunSummary(
        schemaVersion,
        runId,
        kdensityVersion,
        plan,
        planFile,
        target,
        attach,
        node,
        profile,
        secondaryPerPod,
        started,
        finished,
        slim,
        knee,
        verdict,
        error,
        recommendations,
        soak,
        trials,
        steady,
        prediction);
  }

  /**
   * The same summary with a soak block; a run whose windows all passed fails when the soak found a
   * critical leak or drift.
   */
  public RunSummary withSoak(SoakReport report) {
    boolean leaked = report.findings().stream().anyMatch(f -> f.severity() == Severity.CRITICAL);
    return new RunSummary(
        schemaVersion,
        runId,
        kdensityVersion,
        plan,
        planFile,
        target,
        attach,
        node,
        profile,
        secondaryPerPod,
        started,
        finished,
        steps,
        knee,
        verdict == Verdict.PASSED && leaked ? Verdict.FAILED : verdict,
        error,
        recommendations,
        report,
        trials,
        steady,
        prediction);
  }

  /** The same summary marked as a steady-state ramp's. */
  public RunSummary withSteady(SteadyState st) {
    return new RunSummary(
        schemaVersion,
        runId,
        kdensityVersion,
        plan,
        planFile,
        target,
        attach,
        node,
        profile,
        secondaryPerPod,
        started,
        finished,
        steps,
        knee,
        verdict,
        error,
        recommendations,
        soak,
        trials,
        st,
        prediction);
  }

  /** The same summary with the capacity model's prediction beside what was measured. */
  public RunSummary withPrediction(Prediction p) {
    return new RunSummary(
        schemaVersion,
        runId,
        kdensityVersion,
        plan,
        planFile,
        target,
        attach,
        node,
        profile,
        secondaryPerPod,
        started,
        finished,
        steps,
        knee,
        verdict,
        error,
        recommendations,
        soak,
        trials,
        steady,
        p);
  }

  /** Every finding of the run: the steps', then the soak's. */
  public List<Finding> allFindings() {
    List<Finding> all = new ArrayList<>();
    steps.forEach(o -> all.addAll(o.findings()));
    if (soak != null) {
      all.addAll(soak.findings());
    }
    return all;
  }
}
