package io.kdensity.probes.reach;

import io.kdensity.probes.shell.Command;
import java.time.Duration;
import java.util.List;

/**
 * One bounded fping sweep over many targets of one family, the targets on stdin: at most {@code 1 +
 * retries} echo requests per target, one every {@code interval}, each waited for {@code timeout};
 * an answered target's line carries the round trip ({@code -e}, {@link FpingParser#answer}).
 */
public final class Fping {
  private Fping() {}

  /**
   * @param targets addresses of one family (IPv6 if the first has a colon)
   * @return the command, with a timeout that covers the whole sweep plus 30 s
   */
  public static Command sweep(
      List<String> targets, int retries, Duration timeout, Duration interval) {
    boolean v6 = targets.get(0).contains(":");
    long budgetMs =
        targets.size() * Math.max(1, interval.toMillis()) * (retries + 1L)
            + timeout.toMillis() * (retries + 2L)
            + 30_000;
    return Command.of(
            "fping",
            v6 ? "-6" : "-4",
            "-e",
            "-r",
            Integer.toString(retries),
            "-t",
            Long.toString(Math.max(1, timeout.toMillis())),
            "-i",
            Long.toString(interval.toMillis()))
        .withStdin(String.join("\n", targets) + "\n")
        .withTimeout(Duration.ofMillis(budgetMs));
  }
}
