package io.kdensity.probes.ethtool;

import io.kdensity.probes.shell.Command;
import io.kdensity.probes.shell.CommandResult;
import io.kdensity.probes.shell.NodeShell;
import java.util.Map;

/** Runs {@code ethtool} queries for one device through a {@link NodeShell}. */
public final class EthtoolReader {
  private final NodeShell shell;

  public EthtoolReader(NodeShell shell) {
    this.shell = shell;
  }

  public Supported<Map<String, Long>> stats(String dev) {
    return EthtoolParser.parseStats(query("-S", dev), "ethtool -S " + dev);
  }

  public Supported<RingParams> rings(String dev) {
    return EthtoolParser.parseRings(query("-g", dev), "ethtool -g " + dev);
  }

  public Supported<Channels> channels(String dev) {
    return EthtoolParser.parseChannels(query("-l", dev), "ethtool -l " + dev);
  }

  public Supported<Map<String, Feature>> features(String dev) {
    return EthtoolParser.parseFeatures(query("-k", dev), "ethtool -k " + dev);
  }

  public Supported<Map<String, Long>> coalesce(String dev) {
    return EthtoolParser.parseCoalesce(query("-c", dev), "ethtool -c " + dev);
  }

  /** stdout and stderr together: ethtool prints "not supported" on stderr with exit code != 0. */
  private String query(String flag, String dev) {
    CommandResult r = shell.run(Command.of("ethtool", flag, dev));
    String both = r.stdout() + (r.stderr().isEmpty() ? "" : "\n" + r.stderr());
    if (!r.ok() && EthtoolParser.unsupported(both) == null) {
      r.requireSuccess();
    }
    return both;
  }
}
