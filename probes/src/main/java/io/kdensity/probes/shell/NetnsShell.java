package io.kdensity.probes.shell;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Runs commands inside a named network namespace of this machine ({@code /run/netns/NAME}) with
 * {@code nsenter --net}, which is cheaper than {@code ip netns exec} because it does not remount
 * {@code /sys}.
 *
 * <p>Files under {@code /proc/net/} and {@code /proc/sys/net/} are per namespace, so they are read
 * by a process inside the namespace; {@link #readFiles} reads many of them with a single process.
 * If a long-lived process lives in the namespace (an <em>anchor</em>, like a pod's pause process),
 * {@code /proc/net/*} is read from {@code /proc/<pid>/net/} without starting a process at all.
 */
public final class NetnsShell implements NodeShell {

  private static final String FILE_MARK = "@@kd-file ";
  private static final String END_MARK = "\n@@kd-end ";
  private static final String READ_SCRIPT =
      "for f; do printf '"
          + FILE_MARK
          + "%s\\n' \"$f\"; cat -- \"$f\" 2>&1; "
          + "printf '\\n@@kd-end %d\\n' $?; done";

  private final String name;
  private final NodeShell host;
  private final long anchorPid;
  private final boolean byPid;

  /**
   * @param name the namespace name as listed by {@code ip netns list}
   * @param host the shell of the machine that holds the namespace (normally a {@link LocalShell})
   */
  public NetnsShell(String name, NodeShell host) {
    this(name, host, -1);
  }

  private NetnsShell(String name, NodeShell host, long anchorPid, boolean byPid) {
    this.name = Objects.requireNonNull(name, "name");
    this.host = Objects.requireNonNull(host, "host");
    this.anchorPid = anchorPid;
    this.byPid = byPid;
    if (name.isBlank() || name.contains("/")) {
      throw new IllegalArgumentException("not a namespace name: '" + name + "'");
    }
  }

  private NetnsShell(String name, NodeShell host, long anchorPid) {
    this(name, host, anchorPid, false);
  }

  /**
   * The network namespace of process {@code pid} on the host {@code host} reaches (e.g. a pod's
   * pause process seen from a privileged DaemonSet with the host's PID namespace). {@code label}
   * names it in messages.
   */
  public static NetnsShell ofProcess(String label, long pid, NodeShell host) {
    return new NetnsShell(label, host, pid, true);
  }

  /** The same namespace, reading {@code /proc/net/*} through a process that lives in it. */
  public NetnsShell withAnchor(long pid) {
    return new NetnsShell(name, host, pid, byPid);
  }

  public String name() {
    return name;
  }

  /** The namespace's bind mount, as CNI_NETNS expects it. */
  public String path() {
    return "/run/netns/" + name;
  }

  @Override
  public CommandResult run(Command command) {
    return run(command, false);
  }

  @Override
  public RunningProcess start(Command command) {
    return host.start(
        new Command(entering(command, false), command.stdin(), command.env(), command.timeout()));
  }

  /** {@code nsenter … -- argv}: the command's argv run inside this namespace. */
  private List<String> entering(Command command, boolean sysfs) {
    List<String> argv = new ArrayList<>(command.argv().size() + 4);
    if (byPid) {
      argv.addAll(List.of("nsenter", "-t", Long.toString(anchorPid), "-n", "--"));
    } else if (sysfs) {
      argv.addAll(List.of("ip", "netns", "exec", name));
    } else {
      argv.add("nsenter");
      argv.add("--net=" + path());
      argv.add("--");
    }
    argv.addAll(command.argv());
    return argv;
  }

  /**
   * @param sysfs run through {@code ip netns exec}, which mounts this namespace's {@code /sys}:
   *     with plain {@code nsenter}, {@code /sys/class/net} would show the host's devices
   */
  private CommandResult run(Command command, boolean sysfs) {
    List<String> argv = entering(command, sysfs);
    CommandResult r =
        host.run(new Command(argv, command.stdin(), command.env(), command.timeout()));
    if (r.exitCode() == 127 && r.stderr().contains("failed to execute")) {
      throw new MissingToolException(command.program(), Packages.providing(command.program()));
    }
    if (!byPid && r.exitCode() == 1 && r.stderr().startsWith("nsenter: cannot open " + path())) {
      throw new ShellException("network namespace " + name + " does not exist");
    }
    return new CommandResult(command.display(), r.exitCode(), r.stdout(), r.stderr(), r.elapsed());
  }

  /**
   * A namespace entered by a process's pid: its commands are {@code nsenter -t <pid> -n …} on the
   * host, which the host can run many at a time. (By name, {@code ip netns exec} semantics and the
   * namespace-gone message matter: those run here.)
   */
  @Override
  public Optional<DelegatedRun> runVia(Command command) {
    if (!byPid) {
      return Optional.empty();
    }
    return Optional.of(
        new DelegatedRun(
            host,
            new Command(
                entering(command, false), command.stdin(), command.env(), command.timeout())));
  }

  /** {@code /proc/net/*} through the anchor's {@code /proc/<pid>/net}, read by the host shell. */
  @Override
  public Optional<Delegated> readVia(String path) {
    if (anchorPid > 0 && path.startsWith("/proc/net/")) {
      return Optional.of(
          new Delegated(
              host, "/proc/" + anchorPid + "/net/" + path.substring("/proc/net/".length())));
    }
    return Optional.empty();
  }

  @Override
  public String readFile(String path) {
    Optional<Delegated> via = readVia(path);
    if (via.isPresent()) {
      return via.get().shell().readFile(via.get().path());
    }
    FileRead read = readFiles(List.of(path)).get(path);
    return read.require();
  }

  @Override
  public Map<String, FileRead> readFiles(List<String> paths) {
    Map<String, FileRead> out = new LinkedHashMap<>();
    List<String> viaProcess = new ArrayList<>();
    Map<String, String> viaHost = new LinkedHashMap<>(); // host path → path asked for
    for (String p : paths) {
      Optional<Delegated> via = readVia(p);
      if (via.isPresent()) {
        viaHost.put(via.get().path(), p);
      } else {
        viaProcess.add(p);
      }
    }
    if (!viaHost.isEmpty()) {
      // the anchor's /proc/<pid>/net files in one read of the host (one exec on a cluster)
      host.readFiles(List.copyOf(viaHost.keySet()))
          .forEach(
              (hostPath, read) -> {
                String asked = viaHost.get(hostPath);
                out.put(
                    asked,
                    read.isOk()
                        ? FileRead.ok(asked, read.content())
                        : FileRead.failed(asked, read.error()));
              });
    }
    if (!viaProcess.isEmpty()) {
      List<String> argv = new ArrayList<>(List.of("sh", "-c", READ_SCRIPT, "sh"));
      argv.addAll(viaProcess);
      boolean sysfs = viaProcess.stream().anyMatch(p -> p.startsWith("/sys/"));
      CommandResult r = run(Command.of(argv), sysfs);
      out.putAll(splitReads(r.stdout(), viaProcess, describe()));
    }
    Map<String, FileRead> ordered = new LinkedHashMap<>();
    for (String p : paths) {
      ordered.put(p, out.get(p));
    }
    return ordered;
  }

  @Override
  public void writeFile(String path, String content) {
    CommandResult r =
        run(
            Command.of("sh", "-c", "printf '%s\\n' \"$1\" > \"$2\"", "sh", content, path),
            path.startsWith("/sys/"));
    if (!r.ok()) {
      String reason = r.firstErrorLine();
      int colon = reason.lastIndexOf(": ");
      throw new ShellException(
          "cannot write "
              + path
              + " in "
              + describe()
              + ": "
              + (colon >= 0 ? reason.substring(colon + 2) : reason));
    }
  }

  static String readScript() {
    return READ_SCRIPT;
  }

  /**
   * Splits the output of the batch read script into one result per file. Package-private for tests.
   */
  static Map<String, FileRead> splitReads(String stdout, List<String> paths, String where) {
    Map<String, FileRead> out = new LinkedHashMap<>();
    int pos = 0;
    for (String p : paths) {
      String head = FILE_MARK + p + "\n";
      int start = stdout.indexOf(head, pos);
      int end = start < 0 ? -1 : stdout.indexOf(END_MARK, start + head.length());
      if (start < 0 || end < 0) {
        out.put(p, FileRead.failed(p, "cannot read " + p + " in " + where + ": no output"));
        continue;
      }
      String content = stdout.substring(start + head.length(), end);
      int eol = stdout.indexOf('\n', end + END_MARK.length());
      String rc = stdout.substring(end + END_MARK.length(), eol < 0 ? stdout.length() : eol);
      pos = eol < 0 ? stdout.length() : eol;
      if ("0".equals(rc.strip())) {
        out.put(p, FileRead.ok(p, content));
      } else {
        String reason = content.strip();
        int colon = reason.lastIndexOf(": ");
        reason = colon >= 0 ? reason.substring(colon + 2) : reason;
        out.put(p, FileRead.failed(p, "cannot read " + p + " in " + where + ": " + reason));
      }
    }
    return out;
  }

  @Override
  public Optional<String> netnsPath() {
    // a process in it (by pid, or its anchor) or its bind mount
    return Optional.of(anchorPid > 0 ? "/proc/" + anchorPid + "/ns/net" : path());
  }

  @Override
  public String describe() {
    return "netns " + name;
  }
}
