package io.kdensity.tuning.apply;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JournalTest {

  @Test
  void aClusterJournalKeepsTheServerAndTheNodeUid(@TempDir Path dir) {
    JournalTarget t =
        JournalTarget.cluster(
            "/root/.kube/config", null, "https://api.lab:6443", "worker-3", "6b1f-uid");
    Path file = dir.resolve("j.json");
    new Journal("dense-ipv6", "2026-12-03T12:00:00Z", 42, t, List.of()).write(file);

    assertThat(Journal.read(file).target()).isEqualTo(t);
    assertThat(t.describe()).isEqualTo("node worker-3 of https://api.lab:6443");
  }

  @Test
  void aJournalWrittenBeforeServerAndUidWereKeptStillReads(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("old.json");
    Files.writeString(
        file,
        """
        {"profile":"dense-ipv6","startedAt":"2026-11-20T10:00:00Z","pid":7,
         "target":{"kind":"CLUSTER","kubeconfig":null,"context":"lab","node":"worker-3"},
         "entries":[]}
        """);

    JournalTarget t = Journal.read(file).target();

    assertThat(t.node()).isEqualTo("worker-3");
    assertThat(t.server()).isNull();
    assertThat(t.nodeUid()).isNull();
    assertThat(t.describe()).isEqualTo("node worker-3 (context lab)");
  }
}
