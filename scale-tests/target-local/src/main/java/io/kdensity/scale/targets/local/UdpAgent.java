package io.kdensity.scale.targets.local;

import io.micrometer.core.instrument.Clock;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.ArrayList;
import java.util.List;

/**
 * The UDP load of a step, run as a small JVM inside a run's namespace ({@code nsenter --net}):
 *
 * <ul>
 *   <li>{@code sink PORT RCVBUF SECONDS [READRATE [READBURST]]} binds a socket (receive buffer
 *       RCVBUF bytes, 0: the namespace's {@code net.core.rmem_default}) and reads like an
 *       application that handles READRATE datagrams a second (0 or absent: never reads): a token
 *       bucket filled at READRATE and capped at READBURST (default 1), so what arrives faster waits
 *       in the buffer or overflows it ({@code RcvbufErrors}) — the kernel's buffer, not the
 *       reader's wake-ups, decides;
 *   <li>{@code send RATE PAYLOAD SECONDS PORT ADDR…} sends {@code RATE × SECONDS} datagrams evenly
 *       spaced, round-robin to the sinks;
 *   <li>{@code burst COUNT PAYLOAD SECONDS PORT ADDR…} sends COUNT datagrams back to back,
 *       round-robin to the sinks, once a second for SECONDS seconds.
 * </ul>
 *
 * Senders print {@code sent N failed M}. Bounded in count and time.
 */
public final class UdpAgent {
  private UdpAgent() {}

  public static void main(String[] args) throws Exception {
    if (args.length >= 4 && args[0].equals("sink")) {
      sink(
          Integer.parseInt(args[1]),
          Integer.parseInt(args[2]),
          Math.min(600, Long.parseLong(args[3])),
          args.length > 4 ? Integer.parseInt(args[4]) : 0,
          args.length > 5 ? Integer.parseInt(args[5]) : 1);
      return;
    }
    if (args.length >= 6 && (args[0].equals("send") || args[0].equals("burst"))) {
      int n = Integer.parseInt(args[1]);
      ByteBuffer payload = ByteBuffer.allocate(Integer.parseInt(args[2]));
      long seconds = Math.min(600, Long.parseLong(args[3]));
      int port = Integer.parseInt(args[4]);
      List<InetSocketAddress> to = new ArrayList<>();
      for (int i = 5; i < args.length; i++) {
        to.add(new InetSocketAddress(args[i], port));
      }
      boolean burst = args[0].equals("burst");
      long total = n * seconds;
      long attempts = 0;
      long sent = 0;
      long failed = 0;
      Clock clock = Clock.SYSTEM;
      long start = clock.monotonicTime();
      try (DatagramChannel ch = DatagramChannel.open(StandardProtocolFamily.INET6)) {
        while (attempts < total) {
          // steady: one datagram every 1/n s; burst: n datagrams at the start of every second
          long due =
              burst
                  ? start + (attempts / n) * 1_000_000_000L
                  : start + attempts * 1_000_000_000L / n;
          long now = clock.monotonicTime();
          if (due > now) {
            Thread.sleep((due - now) / 1_000_000, (int) ((due - now) % 1_000_000));
          }
          payload.clear();
          try {
            // a blocking channel sends the whole datagram or throws
            ch.send(payload, to.get((int) (attempts % to.size())));
            sent++;
          } catch (IOException e) {
            failed++; // a full send buffer or an unreachable sink: counted, not hidden
          }
          attempts++;
        }
      }
      System.out.println("sent " + sent + " failed " + failed);
      return;
    }
    System.err.println(
        "usage: sink PORT RCVBUF SECONDS [READRATE [READBURST]] | send RATE PAYLOAD SECONDS PORT ADDR..."
            + " | burst COUNT PAYLOAD SECONDS PORT ADDR...");
    System.exit(2);
  }

  private static void sink(int port, int rcvbuf, long seconds, int readRate, int readBurst)
      throws Exception {
    try (DatagramChannel ch = DatagramChannel.open(StandardProtocolFamily.INET6)) {
      if (rcvbuf > 0) {
        ch.setOption(StandardSocketOptions.SO_RCVBUF, rcvbuf);
      }
      ch.bind(new InetSocketAddress("::", port));
      System.out.println("ready");
      System.out.flush();
      if (readRate <= 0) {
        Thread.sleep(seconds * 1000);
        return;
      }
      ch.configureBlocking(false);
      ByteBuffer buf = ByteBuffer.allocate(65536);
      Clock clock = Clock.SYSTEM;
      long start = clock.monotonicTime();
      long end = start + seconds * 1_000_000_000L;
      ReadCredit credit = new ReadCredit(readRate, readBurst, start);
      for (long now = start; now < end; now = clock.monotonicTime()) {
        credit.refill(now);
        while (credit.mayRead()) {
          buf.clear();
          if (ch.receive(buf) == null) {
            break;
          }
          credit.read();
        }
        Thread.sleep(1);
      }
    }
  }
}
