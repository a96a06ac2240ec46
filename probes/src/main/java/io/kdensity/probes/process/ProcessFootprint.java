package io.kdensity.probes.process;

import io.kdensity.probes.probe.Metric;
import io.kdensity.probes.probe.MetricValues;
import java.util.List;
import oshi.SystemInfo;
import oshi.software.os.OSProcess;

/**
 * What kdensity itself holds (resident memory, threads, open files, child processes) and the memory
 * left on the machine it runs on, read through OSHI. A soak watches these for leaks of its own: a
 * harness that leaks would slowly become the bottleneck it measures.
 */
public interface ProcessFootprint {

  Metric RSS = new Metric("kdensity.rss_mb", Metric.Unit.MEGABYTES, "kdensity's resident memory");
  Metric THREADS = Metric.count("kdensity.threads", "kdensity's threads");
  Metric OPEN_FILES = Metric.count("kdensity.open_files", "kdensity's open file descriptors");
  Metric CHILDREN = Metric.count("kdensity.children", "kdensity's child processes (pod anchors…)");
  Metric MACHINE_AVAILABLE =
      new Metric(
          "machine.mem_available_mb",
          Metric.Unit.MEGABYTES,
          "memory available on the machine kdensity runs on (the node, for the local target)");

  /** Every metric {@link #read()} fills. */
  static List<Metric> metrics() {
    return List.of(RSS, THREADS, OPEN_FILES, CHILDREN, MACHINE_AVAILABLE);
  }

  /** The current readings, one per {@link #metrics()} entry the platform can report. */
  MetricValues read();

  /** This process, through OSHI. */
  static ProcessFootprint self() {
    SystemInfo si = new SystemInfo();
    return () -> {
      MetricValues m = new MetricValues();
      OSProcess p = si.getOperatingSystem().getCurrentProcess();
      if (p != null) {
        m.put(RSS, p.getResidentSetSize() / (1024.0 * 1024.0));
        m.put(THREADS, p.getThreadCount());
        if (p.getOpenFiles() >= 0) {
          m.put(OPEN_FILES, p.getOpenFiles());
        }
      }
      m.put(CHILDREN, ProcessHandle.current().children().count());
      m.put(MACHINE_AVAILABLE, si.getHardware().getMemory().getAvailable() / (1024.0 * 1024.0));
      return m;
    };
  }
}
