package io.kdensity.probes.cpu;

import io.kdensity.probes.parse.ParseException;
import io.kdensity.probes.parse.Text;
import io.kdensity.probes.probe.ProbeScope;
import io.kdensity.probes.shell.Command;
import io.kdensity.probes.shell.CommandResult;
import io.kdensity.probes.shell.NodeShell;
import io.kdensity.probes.shell.ShellException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Packets handed to a local protocol (ICMP and ICMPv6 with neighbour discovery, UDP, TCP): the
 * kernel's {@code Ip InDelivers} and {@code Ip6InDelivers} of every namespace the run's traffic can
 * end in — the node's root and pod-side namespaces, the run's pods, the emulated outside and the
 * traffic namespaces. A packet is delivered once however many hops it took, so it is the
 * denominator of a cost per packet that a bridge, a macvlan or a route does not inflate.
 *
 * <p>Only the two numbers travel: one {@code awk} in the shell the namespaces' counters are read
 * through (the pods' through their pause process's {@code /proc/<pid>/net}: one process for all of
 * them, one exec on a cluster) prints them, instead of 2,000 copies of {@code /proc/net/snmp6}.
 */
final class DeliveredPackets {
  static final String SNMP = "/proc/net/snmp";
  static final String SNMP6 = "/proc/net/snmp6";

  /**
   * Prints "file value" for {@code Ip InDelivers} (the column named in the first {@code Ip:} line
   * of each file, read from the second) and {@code Ip6InDelivers}.
   */
  static final String AWK =
      "FNR == 1 { col = 0 }\n"
          + "/^Ip: / { if (!col) { for (i = 2; i <= NF; i++) if ($i == \"InDelivers\") col = i;"
          + " next } print FILENAME, $col; next }\n"
          + "/^Ip6InDelivers / { print FILENAME, $2 }\n";

  /**
   * One reading.
   *
   * @param byNamespace namespace → its delivered packets so far; a namespace whose counters cannot
   *     be read (a pod being deleted) is absent, so that a step compares only namespaces read at
   *     both ends
   * @param unavailable why nothing could be counted (e.g. no {@code awk} on the node), else null
   */
  record Reading(Map<String, Long> byNamespace, String unavailable) {
    Reading {
      byNamespace = Map.copyOf(byNamespace);
    }
  }

  private DeliveredPackets() {}

  static Reading read(ProbeScope scope) {
    Map<String, NodeShell> namespaces = scope.knownNamespaces();
    // each namespace's two files, grouped by the shell that reads them, in the scope's order (the
    // host's first): a shell that cannot count stops the reading at the same place every time
    Map<NodeShell, Map<String, String>> byReader = new IdentityHashMap<>(); // path → namespace
    List<NodeShell> readers = new ArrayList<>();
    for (Map.Entry<String, NodeShell> e : namespaces.entrySet()) {
      for (String file : List.of(SNMP, SNMP6)) {
        var via = e.getValue().readVia(file);
        NodeShell reader = via.isPresent() ? via.get().shell() : e.getValue();
        String path = via.isPresent() ? via.get().path() : file;
        if (!byReader.containsKey(reader)) {
          readers.add(reader);
        }
        byReader.computeIfAbsent(reader, r -> new LinkedHashMap<>()).put(path, e.getKey());
      }
    }
    Map<String, long[]> counts = new LinkedHashMap<>(); // namespace → {files seen, delivered}
    for (NodeShell reader : readers) {
      Map<String, String> files = byReader.get(reader);
      Command c =
          Command.of("xargs", "awk", AWK).withStdin(String.join("\n", files.keySet()) + "\n");
      CommandResult r;
      try {
        r = reader.run(c);
      } catch (ShellException e) {
        return new Reading(Map.of(), e.getMessage());
      }
      // awk fails on a file that went away (a pod being deleted) and goes on with the others
      parse(r.stdout(), c.display())
          .forEach(
              (path, n) -> {
                String ns = files.get(path);
                if (ns != null) {
                  long[] acc = counts.computeIfAbsent(ns, k -> new long[2]);
                  acc[0]++;
                  acc[1] += n;
                }
              });
    }
    Map<String, Long> out = new LinkedHashMap<>();
    counts.forEach(
        (ns, acc) -> {
          if (acc[0] == 2) { // both families read
            out.put(ns, acc[1]);
          }
        });
    return new Reading(out, null);
  }

  /** The "file value" lines: file → value. */
  static Map<String, Long> parse(String out, String source) {
    Map<String, Long> values = new HashMap<>();
    String[] lines = out.split("\n", -1);
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i];
      if (line.isBlank()) {
        continue;
      }
      int sp = line.lastIndexOf(' ');
      if (sp <= 0) {
        throw new ParseException(source, i + 1, line, "expected 'file value'");
      }
      values.put(line.substring(0, sp), Text.dec(line.substring(sp + 1), source, i + 1, line));
    }
    return values;
  }

  /** The deliveries between two readings, over the namespaces read in both (a wrap is 0). */
  static long between(Map<String, Long> before, Map<String, Long> after) {
    long sum = 0;
    for (Map.Entry<String, Long> e : after.entrySet()) {
      Long was = before.get(e.getKey());
      if (was != null && e.getValue() >= was) {
        sum += e.getValue() - was;
      }
    }
    return sum;
  }
}
