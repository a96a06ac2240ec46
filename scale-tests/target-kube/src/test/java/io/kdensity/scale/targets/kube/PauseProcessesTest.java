package io.kdensity.scale.targets.kube;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PauseProcessesTest {
  private static final String UID_A = "0b6c7a1e-1111-4a4a-9f9f-000000000001";
  private static final String UID_B = "0b6c7a1e-1111-4a4a-9f9f-000000000002";
  private static final String UID_C = "0b6c7a1e-1111-4a4a-9f9f-000000000003";
  private static final String UID_D = "0b6c7a1e-1111-4a4a-9f9f-000000000004";

  private static final String UID_E = "0b6c7a1e-1111-4a4a-9f9f-000000000005";
  private static final String UID_F = "0b6c7a1e-1111-4a4a-9f9f-000000000006";
  private static final String UID_G = "0b6c7a1e-1111-4a4a-9f9f-000000000007";

  /** What the script prints on a node (host netns net:[4026531840]). */
  private static final String NODE =
      String.join(
          "\n",
          // containerd: the pause process and the pod's container in its namespace
          UID_A + " 2101 net:[4026532301] net:[4026531840] sandbox",
          UID_A + " 2140 net:[4026532301] net:[4026531840] container",
          // a hostNetwork pod's sandbox shares the node's namespace
          UID_B + " 2202 net:[4026531840] net:[4026531840] sandbox",
          // a sandbox being recreated: the old and the new one
          UID_C + " 2301 net:[4026532401] net:[4026531840] sandbox",
          UID_C + " 2399 net:[4026532477] net:[4026531840] sandbox",
          // OpenShift's CRI-O: pause_command /usr/bin/pod
          UID_E + " 2501 net:[4026532501] net:[4026531840] sandbox",
          // CRI-O with drop_infra_ctr: no infra process, the containers hold the pinned namespace
          UID_F + " 2601 net:[4026532601] net:[4026531840] container",
          UID_F + " 2602 net:[4026532601] net:[4026531840] container",
          // no infra, and the container's namespace changed (the pod's sandbox recreated)
          UID_G + " 2701 net:[4026532701] net:[4026531840] container",
          UID_G + " 2702 net:[4026532702] net:[4026531840] container",
          "garbage line",
          UID_D + " 2801 net:[4026532801] net:[4026531840] zombie",
          "");

  @ParameterizedTest(name = "{0} → {1}")
  @DisplayName(
      "a pod is entered through its own sandbox (containerd, CRI-O), or without one through its container (CRI-O drop_infra_ctr), never guessed")
  @CsvSource(
      delimiter = '|',
      value = {
        UID_A + " | pid 2101",
        UID_B + " | its sandbox is in the node's network namespace",
        UID_C + " | 2 sandboxes in different network namespaces (one is being recreated)",
        UID_D + " | no process with its UID in its cgroup on the node",
        UID_E + " | pid 2501",
        UID_F + " | pid 2601",
        UID_G + " | 2 processes in different network namespaces (one is being recreated)",
      })
  void lookup(String uid, String expected) {
    PauseProcesses.Lookup l = PauseProcesses.parse(NODE).of(uid);
    String got =
        l instanceof PauseProcesses.Lookup.Found f
            ? "pid " + f.sandbox().pid()
            : ((PauseProcesses.Lookup.NotFound) l).why();
    assertThat(got).isEqualTo(expected);
  }

  @org.junit.jupiter.api.Test
  @DisplayName("the script is valid sh and prints nothing on a machine without pods")
  void scriptRunsInSh() {
    var sh = new io.kdensity.probes.shell.LocalShell();
    var syntax =
        sh.run(io.kdensity.probes.shell.Command.of("sh", "-n", "-c", PauseProcesses.SCRIPT));
    assertThat(syntax.ok()).as(syntax.stderr()).isTrue();
    var run = sh.run(io.kdensity.probes.shell.Command.of("sh", "-c", PauseProcesses.SCRIPT));
    assertThat(run.ok()).as(run.stderr()).isTrue();
    assertThat(PauseProcesses.parse(run.stdout()).of(UID_A))
        .isInstanceOf(PauseProcesses.Lookup.NotFound.class);
  }
}
