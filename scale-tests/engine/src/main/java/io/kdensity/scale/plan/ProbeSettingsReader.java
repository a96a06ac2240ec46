package io.kdensity.scale.plan;

import io.kdensity.config.yaml.Reader;
import io.kdensity.config.yaml.YNode.YMap;
import io.kdensity.probes.DefaultProbes;
import io.kdensity.probes.addr.IpLossProbe;
import io.kdensity.probes.conntrack.ConntrackProbe;
import io.kdensity.probes.cpu.PacketCpuProbe;
import io.kdensity.probes.fdb.MacTableProbe;
import io.kdensity.probes.neigh.NeighbourProbe;
import io.kdensity.probes.socket.SocketBufferProbe;
import java.util.List;

/** Binds {@code traffic} (what runs during the hold) and {@code probes} (their thresholds). */
final class ProbeSettingsReader {
  private ProbeSettingsReader() {}

  static Traffic traffic(Reader r, YMap m) {
    r.allowOnly(
        m, List.of("reachability", "pingInterval", "pingTimeout", "pingRetries", "peers", "udp"));
    Traffic d = Traffic.DEFAULT;
    YMap u = r.map(m, "udp");
    r.allowOnly(
        u,
        List.of(
            "enabled",
            "pods",
            "rate",
            "payload",
            "rcvbuf",
            "pattern",
            "perPod",
            "readRate",
            "readBurst"));
    Traffic.Udp ud = Traffic.Udp.OFF;
    Traffic.Udp udp =
        new Traffic.Udp(
            r.bool(u, "enabled", ud.enabled()),
            (int) r.integer(u, "pods", ud.pods(), 1, 64),
            (int) r.integer(u, "rate", ud.rate(), 1, 2_000_000),
            (int) r.integer(u, "payload", ud.payload(), 1, 8192),
            (int) r.integer(u, "rcvbuf", ud.rcvbuf(), 0, 1 << 30),
            r.enumValue(u, "pattern", Traffic.UdpPattern.class, ud.pattern()),
            (int) r.integer(u, "perPod", ud.perPod(), 1, 10_000),
            (int) r.integer(u, "readRate", ud.readRate(), 0, 10_000_000),
            (int) r.integer(u, "readBurst", ud.readBurst(), 1, 1_000_000));
    return new Traffic(
        r.bool(m, "reachability", d.reachability()),
        r.duration(m, "pingInterval", d.pingInterval()),
        r.duration(m, "pingTimeout", d.pingTimeout()),
        (int) r.integer(m, "pingRetries", d.pingRetries(), 0, 10),
        (int) r.integer(m, "peers", d.peers(), 0, 64),
        udp);
  }

  static DefaultProbes.Thresholds thresholds(Reader r, YMap m) {
    r.allowOnly(
        m, List.of("ipLoss", "neighbour", "macTable", "packetCpu", "socketBuffer", "conntrack"));
    YMap ip = r.map(m, "ipLoss");
    r.allowOnly(ip, List.of("tentativeGrace", "maxLost", "examples"));
    IpLossProbe.Thresholds ipd = IpLossProbe.Thresholds.DEFAULT;
    YMap ne = r.map(m, "neighbour");
    r.allowOnly(ne, List.of("maxTableFulls", "nearLimit"));
    YMap mac = r.map(m, "macTable");
    r.allowOnly(mac, List.of("nearLimit"));
    YMap cpu = r.map(m, "packetCpu");
    r.allowOnly(cpu, List.of("maxDrops", "maxTimeSqueeze"));
    YMap sock = r.map(m, "socketBuffer");
    r.allowOnly(sock, List.of("maxRcvbufErrors", "maxSndbufErrors"));
    YMap ct = r.map(m, "conntrack");
    r.allowOnly(ct, List.of("nearLimit"));
    return new DefaultProbes.Thresholds(
        new IpLossProbe.Thresholds(
            r.duration(ip, "tentativeGrace", ipd.tentativeGrace()),
            (int) r.integer(ip, "maxLost", ipd.maxLost(), 0, Integer.MAX_VALUE),
            (int) r.integer(ip, "examples", ipd.examples(), 0, 10_000)),
        new NeighbourProbe.Thresholds(
            r.integer(ne, "maxTableFulls", 0, 0, Long.MAX_VALUE),
            r.number(ne, "nearLimit", 0.9, 0, 1)),
        new MacTableProbe.Thresholds(r.number(mac, "nearLimit", 0.9, 0, 1)),
        new PacketCpuProbe.Thresholds(
            r.integer(cpu, "maxDrops", 0, 0, Long.MAX_VALUE),
            r.integer(cpu, "maxTimeSqueeze", 0, 0, Long.MAX_VALUE)),
        new SocketBufferProbe.Thresholds(
            r.integer(sock, "maxRcvbufErrors", 0, 0, Long.MAX_VALUE),
            r.integer(sock, "maxSndbufErrors", 0, 0, Long.MAX_VALUE)),
        new ConntrackProbe.Thresholds(
            r.number(ct, "nearLimit", ConntrackProbe.Thresholds.DEFAULT.nearLimit(), 0, 1)));
  }
}
