package io.kdensity.probes.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import io.kdensity.probes.shell.FixtureShell;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class NetnsCleanupTest {

  @ParameterizedTest(name = "{0} → busy {1}")
  @DisplayName("a kernel worker counts as freeing namespaces only while it runs netns work ('+')")
  @CsvSource({
    // names as /proc/<pid>/comm showed them on Linux 6.18 during and after a teardown
    "kworker/u8:2+netns, true",
    "kworker/1:3+netns, true",
    "kworker/u8:2-netns, false", // idle, last ran netns work
    "kworker/R-netns, false", // the workqueue's rescuer thread, always present
    "kworker/u8:0+events_unbound, false",
    "netns, false",
  })
  void recognisesRunningNetnsWork(String name, boolean busy) {
    assertThat(NetnsCleanup.anyRunsNetnsWork(List.of("kthreadd", name))).isEqualTo(busy);
  }

  @Test
  @DisplayName(
      "reads kthreadd's children and their names; a thread gone since the listing is skipped")
  void readsKernelThreadsOfTheHost() {
    FixtureShell host =
        new FixtureShell("host")
            .file("/proc/2/task/2/children", "3 4 57 \n")
            .file("/proc/3/comm", "pool_workqueue_release\n")
            .file("/proc/57/comm", "kworker/u8:2+netns\n");
    assertThat(new NetnsCleanup(host).busy()).isTrue();
    host.file("/proc/57/comm", "kworker/u8:2-netns\n");
    assertThat(new NetnsCleanup(host).busy()).isFalse();
  }
}
