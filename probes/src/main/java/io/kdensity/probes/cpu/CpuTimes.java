package io.kdensity.probes.cpu;

/**
 * CPU time from {@code /proc/stat} in clock ticks (USER_HZ, normally 100 per second).
 *
 * @param cpu {@code cpu} for the total line, {@code cpu0}, {@code cpu1}… per CPU
 */
public record CpuTimes(
    String cpu,
    long user,
    long nice,
    long system,
    long idle,
    long iowait,
    long irq,
    long softirq,
    long steal) {

  public long total() {
    return user + nice + system + idle + iowait + irq + softirq + steal;
  }
}
