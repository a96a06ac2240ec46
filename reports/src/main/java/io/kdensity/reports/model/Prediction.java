package io.kdensity.reports.model;

import io.kdensity.probes.finding.FindingCode;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the capacity model predicts for a density ({@code kdensity predict}, {@code ramp
 * --predict}): every limit it knows with its headroom, which breaks first and between which pod
 * counts, and the calibration the costs were measured in.
 *
 * @param pods the density predicted for
 * @param interfacesPerPod secondary interfaces per pod
 * @param limits every modelled limit, the first to be crossed first
 * @param calibration the calibration points the costs come from, in pod order
 * @param unmodelled limits the plan can reach that the model does not predict, each with why
 */
public record Prediction(
    int pods,
    int interfacesPerPod,
    List<Headroom> limits,
    List<CalibrationPoint> calibration,
    List<String> unmodelled) {
  public Prediction {
    limits =
        limits.stream()
            .sorted(
                Comparator.comparing(
                    (Headroom h) -> h.breaksFrom() == null ? Integer.MAX_VALUE : h.breaksFrom()))
            .toList();
    calibration = List.copyOf(calibration);
    unmodelled = List.copyOf(unmodelled);
  }

  /**
   * One limit.
   *
   * @param limit what it is: "IPv6 (ndisc_cache) neighbour table, gc_thresh3"
   * @param code the finding a ramp names when it breaks
   * @param size the limit, in {@code unit}
   * @param unit what it counts: "entries", "ports", "datagrams a burst"
   * @param steadyNeed what {@code pods} need of it once bring-up transients are gone
   * @param peakNeed what {@code pods} need of it at the worst moment of a plain ramp's step
   *     (bring-up transients included); equal to {@code steadyNeed} where the cost has no transient
   * @param breaksFrom the fewest pods at which it can break (transients at their largest); null if
   *     it never does (no cost per pod)
   * @param breaksBy the pods at which it breaks even once transients are gone; null if never
   * @param basis the measured costs and the kernel's rule the figures come from
   * @param warning whether crossing it is a warning only: the node keeps working (a NIC whose
   *     unicast filter is full runs promiscuous) and no SLO of the plan counts it, so it is never
   *     the first to break
   */
  public record Headroom(
      String limit,
      FindingCode code,
      long size,
      String unit,
      long steadyNeed,
      long peakNeed,
      Integer breaksFrom,
      Integer breaksBy,
      String basis,
      boolean warning) {

    /** A limit whose crossing fails a step. */
    public Headroom(
        String limit,
        FindingCode code,
        long size,
        String unit,
        long steadyNeed,
        long peakNeed,
        Integer breaksFrom,
        Integer breaksBy,
        String basis) {
      this(limit, code, size, unit, steadyNeed, peakNeed, breaksFrom, breaksBy, basis, false);
    }

    /** Whether it can break at {@code n} pods or fewer. */
    public boolean breaksWithin(int n) {
      return breaksFrom != null && breaksFrom <= n;
    }

    /** "90–130 pods", "1,024 pods" or "never". */
    public String range() {
      if (breaksFrom == null) {
        return "never";
      }
      return breaksBy == null || breaksBy.equals(breaksFrom)
          ? String.format("%,d pods", breaksFrom)
          : String.format("%,d–%,d pods", breaksFrom, breaksBy);
    }
  }

  /**
   * What a calibration point measured.
   *
   * @param pods the pod count
   * @param measured quantity → value, e.g. {@code neigh.v6.pinned.steady} → 412
   */
  public record CalibrationPoint(int pods, Map<String, Long> measured) {
    public CalibrationPoint {
      measured = Map.copyOf(measured);
    }
  }

  /**
   * Whether the measured limits are in it: the calibration had its two points. Without them only
   * the limits that need no calibration are predicted (a host-local network's addresses, a cluster
   * node's pod slots).
   */
  public boolean calibrated() {
    return calibrates(calibration);
  }

  /**
   * Whether {@code points} measure a cost per pod: two of them at different pod counts (a line
   * needs two distinct points).
   */
  public static boolean calibrates(List<CalibrationPoint> points) {
    return points.stream().mapToInt(CalibrationPoint::pods).distinct().count() >= 2;
  }

  /** The limit that breaks first at or below {@link #pods}, if any; a warning never does. */
  public Optional<Headroom> firstToBreak() {
    return limits.stream().filter(h -> !h.warning() && h.breaksWithin(pods)).findFirst();
  }

  /**
   * Whether a measured knee is what the prediction says: the first pod count that failed lies in
   * the first limit's range, or no limit breaks up to {@link #pods} and nothing failed.
   *
   * @param kneePods the measured knee (first failing pods), null if every step passed
   * @param resolution the ramp's grid: a knee is found to this many pods
   */
  public boolean agrees(Integer kneePods, int resolution) {
    Optional<Headroom> first = firstToBreak();
    if (kneePods == null) {
      return first.isEmpty();
    }
    if (first.isEmpty()) {
      return false;
    }
    Headroom h = first.get();
    int high = h.breaksBy() == null ? pods : h.breaksBy();
    // a ramp finds the first failing count on its grid: the break rounded up to a grid point
    return kneePods >= h.breaksFrom() && kneePods < high + Math.max(1, resolution);
  }
}
