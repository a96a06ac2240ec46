package io.kdensity.probes.shell;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Runs commands and reads files on one node (or one network namespace of a node).
 *
 * <p>Implementations: {@link LocalShell} (this machine), {@link NetnsShell} (inside a named network
 * namespace of this machine), the Kubernetes target's exec shell, and in tests a fixture shell that
 * answers from recorded output. Implementations are thread-safe.
 *
 * <pre>{@code
 * NodeShell node = new NetnsShell("kd-r1-node", new LocalShell());
 * String links = node.run(Command.of("ip", "-j", "-d", "-s", "link")).requireSuccess().stdout();
 * String snmp6 = node.readFile("/proc/net/snmp6");
 * }</pre>
 */
public interface NodeShell {

  /**
   * Runs a command to completion or until its timeout, when it is killed.
   *
   * @return the result, also for a non-zero exit status (see {@link CommandResult#requireSuccess})
   * @throws MissingToolException if the program is not installed (names the Debian package)
   * @throws CommandTimeoutException if the command ran longer than its timeout (it was killed)
   * @throws ShellException for any other failure to start or talk to the command
   */
  CommandResult run(Command command);

  /**
   * Reads a whole (small) file, e.g. from {@code /proc} or {@code /proc/sys}, as seen from this
   * shell's network namespace.
   *
   * @throws ShellException naming the file if it does not exist or cannot be read
   */
  String readFile(String path);

  /**
   * Writes a small file, e.g. a sysctl under {@code /proc/sys}, as seen from this shell's network
   * namespace. Node settings are written only by tuning profiles, after journalling the previous
   * value; the local target also writes settings of the namespaces it created (forwarding in its
   * emulated node).
   *
   * @throws ShellException naming the file and the kernel's reason (e.g. Invalid argument)
   */
  void writeFile(String path, String content);

  /**
   * Another shell's file that reading {@code path} here amounts to.
   *
   * @param shell the shell that reads it
   * @param path the file as that shell sees it
   */
  record Delegated(NodeShell shell, String path) {}

  /**
   * Where reading {@code path} here is reading a file of another shell — a namespace's {@code
   * /proc/net} through the {@code /proc/<pid>/net} of a process living in it — that shell and its
   * path, so a caller reading the same file in many namespaces asks their common shell once ({@link
   * FileReads#readAll}). Empty: the file is read here.
   */
  default Optional<Delegated> readVia(String path) {
    return Optional.empty();
  }

  /**
   * Another shell's command that running a command here amounts to.
   *
   * @param shell the shell that runs it
   * @param command the command as that shell runs it
   */
  record DelegatedRun(NodeShell shell, Command command) {}

  /**
   * Where running {@code command} here is running another command in another shell — a namespace's
   * command as {@code nsenter -t <pid> -n …} on the host — that shell and command, so a caller
   * running commands in many namespaces can batch them there ({@link BatchRun#runAll}). Empty: it
   * runs here.
   */
  default Optional<DelegatedRun> runVia(Command command) {
    return Optional.empty();
  }

  /**
   * Reads several files at once; implementations that pay per call (a process per read) override
   * this to batch. A file that cannot be read maps to a {@link ShellException} in the result rather
   * than failing the whole batch.
   */
  default Map<String, FileRead> readFiles(List<String> paths) {
    Map<String, FileRead> out = new LinkedHashMap<>();
    for (String p : paths) {
      try {
        out.put(p, FileRead.ok(p, readFile(p)));
      } catch (ShellException e) {
        out.put(p, FileRead.failed(p, e.getMessage()));
      }
    }
    return out;
  }

  /**
   * Starts a long-lived process (a pod's anchor, a traffic agent, a sweep read as it answers) and
   * returns at once, the command's standard input written and closed; the command's timeout does
   * not apply. Shells that cannot keep a process alive refuse.
   *
   * @throws MissingToolException if the program is not installed
   * @throws ShellException if it cannot start, or this shell cannot run background processes
   */
  default RunningProcess start(Command command) {
    throw new ShellException(describe() + " cannot start background processes");
  }

  /**
   * A path that names this shell's network namespace for a process of the machine's host shell
   * (e.g. {@code /proc/1234/ns/net}, {@code /run/netns/kd-r1-node}), so that namespaces can be told
   * apart by their inode; empty where the shell cannot say (then nothing is told apart).
   */
  default Optional<String> netnsPath() {
    return Optional.empty();
  }

  /** A short description used in error messages, e.g. {@code netns kd-r1-node}. */
  String describe();

  /** Default timeout for short inspection commands. */
  Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);
}
