package io.kdensity.scale.targets.local;

import io.micrometer.core.instrument.Clock;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.ArrayList;
import java.util.List;

/**
 * The UDP load of a step, run as a small JVM inside a run's namespace ({@code nsenter --net}):
 * {@code sink PORT RCVBUF SECONDS} binds a socket with a small receive buffer and never reads, so
 * bursts overflow it ({@code RcvbufErrors}); {@code send RATE PAYLOAD SECONDS PORT ADDR…} sends at
 * most {@code RATE × SECONDS} datagrams round-robin to the sinks. Bounded in count and time.
 */
public final class UdpAgent {
  private UdpAgent() {}

  public static void main(String[] args) throws Exception {
    if (args.length >= 4 && args[0].equals("sink")) {
      try (DatagramChannel ch = DatagramChannel.open(java.net.StandardProtocolFamily.INET6)) {
        ch.setOption(StandardSocketOptions.SO_RCVBUF, Integer.parseInt(args[2]));
        ch.bind(new InetSocketAddress("::", Integer.parseInt(args[1])));
        System.out.println("ready");
        System.out.flush();
        Thread.sleep(Math.min(600, Long.parseLong(args[3])) * 1000);
      }
      return;
    }
    if (args.length >= 6 && args[0].equals("send")) {
      int rate = Integer.parseInt(args[1]);
      ByteBuffer payload = ByteBuffer.allocate(Integer.parseInt(args[2]));
      long seconds = Math.min(600, Long.parseLong(args[3]));
      int port = Integer.parseInt(args[4]);
      List<InetSocketAddress> to = new ArrayList<>();
      for (int i = 5; i < args.length; i++) {
        to.add(new InetSocketAddress(args[i], port));
      }
      long total = rate * seconds;
      long attempts = 0;
      long sent = 0;
      long failed = 0;
      Clock clock = Clock.SYSTEM;
      long start = clock.monotonicTime();
      try (DatagramChannel ch = DatagramChannel.open(java.net.StandardProtocolFamily.INET6)) {
        while (attempts < total) {
          long due = start + attempts * 1_000_000_000L / rate;
          long now = clock.monotonicTime();
          if (due > now) {
            Thread.sleep((due - now) / 1_000_000, (int) ((due - now) % 1_000_000));
          }
          payload.clear();
          try {
            // a blocking channel sends the whole datagram or throws
            ch.send(payload, to.get((int) (attempts % to.size())));
            sent++;
          } catch (java.io.IOException e) {
            failed++; // a full send buffer or an unreachable sink: counted, not hidden
          }
          attempts++;
        }
      }
      System.out.println("sent " + sent + " failed " + failed);
      return;
    }
    System.err.println("usage: sink PORT RCVBUF SECONDS | send RATE PAYLOAD SECONDS PORT ADDR...");
    System.exit(2);
  }
}
