package io.kdensity.probes;

import io.kdensity.probes.addr.IpLossProbe;
import io.kdensity.probes.conntrack.ConntrackProbe;
import io.kdensity.probes.cpu.PacketCpuProbe;
import io.kdensity.probes.drop.DropReasonProbe;
import io.kdensity.probes.fdb.MacTableProbe;
import io.kdensity.probes.neigh.NeighbourProbe;
import io.kdensity.probes.probe.ProbeRegistry;
import io.kdensity.probes.socket.SocketBufferProbe;
import java.util.List;

/** The seven probe families with their thresholds, as one registry. */
public final class DefaultProbes {
  private DefaultProbes() {}

  /** All thresholds of the default probe set. */
  public record Thresholds(
      IpLossProbe.Thresholds ipLoss,
      NeighbourProbe.Thresholds neighbour,
      MacTableProbe.Thresholds macTable,
      PacketCpuProbe.Thresholds packetCpu,
      SocketBufferProbe.Thresholds socketBuffer,
      ConntrackProbe.Thresholds conntrack) {
    public static final Thresholds DEFAULT =
        new Thresholds(
            IpLossProbe.Thresholds.DEFAULT,
            NeighbourProbe.Thresholds.DEFAULT,
            MacTableProbe.Thresholds.DEFAULT,
            PacketCpuProbe.Thresholds.DEFAULT,
            SocketBufferProbe.Thresholds.DEFAULT,
            ConntrackProbe.Thresholds.DEFAULT);
  }

  /**
   * IP loss, neighbour and MAC tables, packet CPU, socket buffers, connection tracking, and the
   * kernel's drop reasons.
   */
  public static ProbeRegistry registry(Thresholds t) {
    return ProbeRegistry.of(
        List.of(
            new IpLossProbe(t.ipLoss()),
            new NeighbourProbe(t.neighbour()),
            new MacTableProbe(t.macTable()),
            new PacketCpuProbe(t.packetCpu()),
            new SocketBufferProbe(t.socketBuffer()),
            new ConntrackProbe(t.conntrack()),
            new DropReasonProbe()));
  }
}
