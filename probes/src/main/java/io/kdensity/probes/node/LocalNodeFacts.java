package io.kdensity.probes.node;

import io.kdensity.probes.probe.NodeFacts;
import java.util.ArrayList;
import java.util.List;
import oshi.SystemInfo;
import oshi.hardware.CentralProcessor;
import oshi.hardware.NetworkIF;

/** Collects {@link NodeFacts} of this machine with OSHI. */
public final class LocalNodeFacts {
  private LocalNodeFacts() {}

  public static NodeFacts collect() {
    SystemInfo si = new SystemInfo();
    CentralProcessor cpu = si.getHardware().getProcessor();
    long hz = cpu.getMaxFreq();
    if (hz <= 0) {
      hz = cpu.getProcessorIdentifier().getVendorFreq();
    }
    if (hz <= 0) {
      long[] cur = cpu.getCurrentFreq();
      hz = cur.length > 0 ? cur[0] : 0;
    }
    List<String> nics = new ArrayList<>();
    for (NetworkIF nif : si.getHardware().getNetworkIFs(false)) {
      nics.add(
          nif.getName() + " (" + nif.getMacaddr() + ", " + nif.getSpeed() / 1_000_000 + " Mb/s)");
    }
    return new NodeFacts(
        si.getOperatingSystem().getNetworkParams().getHostName(),
        System.getProperty("os.version"),
        cpu.getProcessorIdentifier().getName().strip(),
        cpu.getLogicalProcessorCount(),
        Math.max(0, hz),
        nics);
  }
}
