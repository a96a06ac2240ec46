package io.kdensity.scale.predict;

/**
 * A cost linear in pods, fitted through two calibration points: {@code base + perPod × pods}.
 *
 * @param base what does not grow with pods
 * @param perPod what each pod adds
 */
record Line(double base, double perPod) {

  static Line through(int podsA, long valueA, int podsB, long valueB) {
    if (podsB <= podsA) {
      throw new IllegalArgumentException(
          "calibration points must grow: " + podsA + " then " + podsB + " pods");
    }
    double perPod = (double) (valueB - valueA) / (podsB - podsA);
    return new Line(valueA - perPod * podsA, perPod);
  }

  long at(int pods) {
    return Math.round(base + perPod * pods);
  }

  /**
   * The fewest pods whose cost exceeds {@code size} by this line, plus {@code extra}; null if it
   * never does (nothing added per pod and the base fits).
   */
  Integer firstAbove(double size, double extra) {
    double room = size - base - extra;
    if (room < 0) {
      return 1;
    }
    if (perPod <= 0) {
      return null;
    }
    return (int) Math.min(Integer.MAX_VALUE, Math.floor(room / perPod) + 1);
  }
}
