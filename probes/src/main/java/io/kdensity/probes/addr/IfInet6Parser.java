package io.kdensity.probes.addr;

import io.kdensity.probes.parse.ParseException;
import io.kdensity.probes.parse.Text;
import java.util.ArrayList;
import java.util.List;

/**
 * Parses {@code /proc/net/if_inet6}: {@code <32 hex addr> <ifindex> <prefix> <scope> <flags>
 * <name>}, all hex. Reading this file through a pod's anchor process costs no process start, which
 * is what makes a sweep over thousands of pod namespaces fast.
 */
public final class IfInet6Parser {
  static final int IFA_F_DADFAILED = 0x08;
  static final int IFA_F_TENTATIVE = 0x40;

  private IfInet6Parser() {}

  public static List<AddressInfo> parse(String text, String source) {
    List<AddressInfo> out = new ArrayList<>();
    String[] lines = text.split("\n", -1);
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i];
      if (line.isBlank()) {
        continue;
      }
      String[] f = line.trim().split("\\s+");
      if (f.length != 6 || !f[0].matches("[0-9a-fA-F]{32}")) {
        throw new ParseException(
            source, i + 1, line, "expected 6 fields: addr idx plen scope flags name");
      }
      int prefix = (int) Text.hex(f[2], source, i + 1, line);
      int scope = (int) Text.hex(f[3], source, i + 1, line);
      int flags = (int) Text.hex(f[4], source, i + 1, line);
      out.add(
          new AddressInfo(
              f[5],
              "inet6",
              Addresses.fromHex32(f[0]),
              prefix,
              scope == 0x20 ? "link" : scope == 0x10 ? "host" : "global",
              (flags & IFA_F_TENTATIVE) != 0,
              (flags & IFA_F_DADFAILED) != 0));
    }
    return out;
  }
}
