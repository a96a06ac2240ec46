package io.kdensity.probes.kernel;

import io.kdensity.probes.shell.FileRead;
import io.kdensity.probes.shell.NodeShell;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * Whether the kernel is still freeing deleted network namespaces.
 *
 * <p>Deleting a namespace returns at once; the kernel frees it later in {@code cleanup_net}, a work
 * item of the {@code netns} workqueue that holds the rtnl lock for long stretches. After a teardown
 * of 2,000 pod namespaces it stayed busy about 5 minutes on a 2-core machine, and a plain {@code ip
 * link} meanwhile took 43 s: a step measured then measures the kernel's cleanup, not the node.
 *
 * <p>A kernel worker executing a work item shows it in its name, {@code kworker/u8:2+netns} ("+"
 * while running, "-" once idle; {@code fs/proc/array.c} via {@code wq_worker_comm}). Kernel threads
 * are the children of {@code kthreadd} (pid 2), so one small read lists them and a batch read their
 * names: no process is started.
 *
 * <pre>{@code
 * NetnsCleanup cleanup = new NetnsCleanup(new LocalShell());
 * if (cleanup.busy()) { ... wait, and say so ... }
 * }</pre>
 */
public final class NetnsCleanup {
  static final String KERNEL_THREADS = "/proc/2/task/2/children";

  /** A kernel worker running a work item of the netns workqueue. */
  private static final Pattern RUNNING_NETNS_WORK = Pattern.compile("kworker/[^+\\-]*\\+netns.*");

  private final Supplier<NodeShell> host;

  /**
   * @param host a shell of the node's root namespace and PID namespace (it reads {@code /proc})
   */
  public NetnsCleanup(NodeShell host) {
    this(() -> host);
  }

  /**
   * @param host the shell of the node's root and PID namespace when there is one (a cluster's probe
   *     pod, asked for when the cleanup is), else null: then the kernel counts as idle
   */
  public NetnsCleanup(Supplier<NodeShell> host) {
    this.host = host;
  }

  /**
   * True while a kernel worker runs {@code cleanup_net}; false also where the kernel does not list
   * its threads' children ({@code CONFIG_PROC_CHILDREN} unset): then nothing can be waited for.
   */
  public boolean busy() {
    NodeShell shell = host.get();
    if (shell == null) {
      return false;
    }
    FileRead listing = shell.readFiles(List.of(KERNEL_THREADS)).get(KERNEL_THREADS);
    if (listing == null || !listing.isOk()) {
      return false;
    }
    List<String> paths = new ArrayList<>();
    for (String pid : listing.content().trim().split("\\s+")) {
      if (!pid.isEmpty()) {
        paths.add("/proc/" + pid + "/comm");
      }
    }
    List<String> names = new ArrayList<>();
    for (FileRead r : shell.readFiles(paths).values()) {
      if (r.isOk()) {
        names.add(r.content().strip()); // a thread that exited since the listing has no comm
      }
    }
    return anyRunsNetnsWork(names);
  }

  /** Whether one of these kernel thread names is a worker running netns work. */
  static boolean anyRunsNetnsWork(Collection<String> threadNames) {
    return threadNames.stream().anyMatch(n -> RUNNING_NETNS_WORK.matcher(n).matches());
  }
}
