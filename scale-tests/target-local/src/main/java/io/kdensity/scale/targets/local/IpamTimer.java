package io.kdensity.scale.targets.local;

import io.kdensity.config.run.IpamPlugin;
import io.kdensity.scale.targets.AttachStages;
import io.kdensity.scale.targets.InfrastructureException;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Times each IPAM plugin's run inside the ADDs ({@code attach.stage.ipam.*}). A plugin finds its
 * IPAM plugin through {@code CNI_PATH} and execs it with the ADD's environment and config; the
 * run's own plugin folder comes first in that path and holds, for each IPAM type the networks use,
 * a wrapper under the type's name that notes the time (bash's {@code $EPOCHREALTIME}, no process
 * started), runs the real binary with the same arguments, stdin and stdout, notes the time again,
 * appends one line to the run's log and exits with the binary's code. What it costs an ADD: one
 * bash start, about a millisecond, measured in docs/performance.md.
 *
 * <p>The wrappers are written from paths kdensity found, never from a plan's text: a binary or
 * state path with characters outside {@code [A-Za-z0-9/._+-]} is not wrapped (its stage is just not
 * timed).
 */
public final class IpamTimer {
  /** The wrappers' log in the run's state folder. */
  public static final String LOG = "ipam-times.log";

  private static final Pattern SAFE_PATH = Pattern.compile("[A-Za-z0-9/._+-]+");
  private static final Path BASH = Path.of("/bin/bash");

  private final Path binDir;
  private final Path log;
  private long offset;

  /**
   * @param stateDir the run's state folder: the wrappers go into {@code bin/}, their log next to it
   */
  public IpamTimer(Path stateDir) {
    this.binDir = stateDir.resolve("bin");
    this.log = stateDir.resolve(LOG);
  }

  /** The folder a plugin must find first on its {@code CNI_PATH}. */
  public Path binDir() {
    return binDir;
  }

  /**
   * Writes a wrapper for every IPAM type of {@code networks} whose binary {@code find} locates.
   *
   * @return the IPAM types wrapped
   * @throws InfrastructureException if the folder or a wrapper cannot be written
   */
  List<IpamPlugin> install(List<LocalNetwork> networks, Function<String, Optional<Path>> find) {
    Map<String, Path> real = new LinkedHashMap<>();
    for (LocalNetwork n : networks) {
      String type = n.config().ipam().path("type").asString("");
      if (!type.isEmpty()) {
        find.apply(type).ifPresent(bin -> real.putIfAbsent(type, bin));
      }
    }
    return install(real);
  }

  /**
   * Writes a wrapper for each IPAM type → its real binary.
   *
   * @return the IPAM types wrapped
   * @throws InfrastructureException if the folder or a wrapper cannot be written
   */
  public List<IpamPlugin> install(Map<String, Path> real) {
    List<IpamPlugin> wrapped = new ArrayList<>();
    if (!Files.isExecutable(BASH) || !SAFE_PATH.matcher(log.toString()).matches()) {
      return wrapped;
    }
    try {
      Files.createDirectories(binDir);
      for (Map.Entry<String, Path> e : real.entrySet()) {
        if (!SAFE_PATH.matcher(e.getKey()).matches()
            || e.getKey().contains("/")
            || !SAFE_PATH.matcher(e.getValue().toString()).matches()) {
          continue;
        }
        Path w = binDir.resolve(e.getKey());
        Files.writeString(w, script(e.getKey(), e.getValue(), log), StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(w, PosixFilePermissions.fromString("rwxr-xr-x"));
        wrapped.add(IpamPlugin.of(e.getKey()));
      }
    } catch (IOException e) {
      throw new InfrastructureException(
          "cannot write the IPAM timing wrappers in " + binDir + ": " + e.getMessage(), e);
    }
    return wrapped;
  }

  /** The wrapper of {@code type}: its paths are checked safe, so single quotes hold them. */
  static String script(String type, Path real, Path log) {
    return "#!/bin/bash\n"
        + "# kdensity: times the "
        + type
        + " IPAM plugin inside an ADD (attach.stage.ipam), passing its output and exit code on\n"
        + "t0=$EPOCHREALTIME\n"
        + "'"
        + real
        + "' \"$@\"\n"
        + "rc=$?\n"
        + "printf '%s %s %s %s %s %s\\n' '"
        + type
        + "' \"$CNI_COMMAND\" \"$CNI_CONTAINERID\" \"$CNI_IFNAME\" \"$t0\" \"$EPOCHREALTIME\" >>'"
        + log
        + "'\n"
        + "exit $rc\n";
  }

  /**
   * Records the ADDs' IPAM runs logged since the last call into {@code stages} (DELs are skipped);
   * a missing log (no wrapper, or no ADD yet) records nothing.
   */
  public void drain(AttachStages stages) {
    if (!Files.exists(log)) {
      return;
    }
    byte[] bytes;
    try (RandomAccessFile f = new RandomAccessFile(log.toFile(), "r")) {
      long end = f.length();
      if (end <= offset) {
        return;
      }
      bytes = new byte[(int) (end - offset)];
      f.seek(offset);
      f.readFully(bytes);
    } catch (IOException e) {
      return; // the stage is not timed this step; the ADDs are still timed whole
    }
    int complete = bytes.length; // a line being appended waits for the next call
    while (complete > 0 && bytes[complete - 1] != '\n') {
      complete--;
    }
    offset += complete;
    for (String line : new String(bytes, 0, complete, StandardCharsets.UTF_8).split("\n")) {
      parse(line)
          .filter(r -> r.command().equals("ADD"))
          .ifPresent(r -> stages.ipam(r.plugin(), r.nanos()));
    }
  }

  /**
   * One wrapper's line, as far as the stage needs it (the log also names the container and the
   * interface, for a reader).
   *
   * @param command the CNI command the plugin ran for (ADD, DEL, CHECK)
   * @param nanos how long the IPAM binary ran
   */
  record Run(IpamPlugin plugin, String command, long nanos) {}

  /**
   * "host-local ADD kd-r1-p0007 net3 1733312345.123456 1733312345.151234", or empty for a line that
   * is not one (a decimal comma, as some locales print {@code $EPOCHREALTIME}, is read too).
   */
  static Optional<Run> parse(String line) {
    String[] f = line.strip().split(" ");
    if (f.length != 6) {
      return Optional.empty();
    }
    try {
      BigDecimal t0 = new BigDecimal(f[4].replace(',', '.'));
      BigDecimal t1 = new BigDecimal(f[5].replace(',', '.'));
      long nanos = t1.subtract(t0).movePointRight(9).longValue();
      if (nanos < 0) {
        return Optional.empty();
      }
      return Optional.of(new Run(IpamPlugin.of(f[0]), f[1], nanos));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }
}
