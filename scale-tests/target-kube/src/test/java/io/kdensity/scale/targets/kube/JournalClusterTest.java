package io.kdensity.scale.targets.kube;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.kdensity.scale.targets.InfrastructureException;
import io.kdensity.tuning.apply.JournalTarget;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A journal restores its values only on the machine it was written on. Models two things that
 * happen on real clusters between a crashed run and its revert: the kubeconfig's current context
 * now points at another cluster, and a node is deleted and re-joined under the same name (a
 * re-imaged or autoscaled machine: a new Node object, a new UID, the kernel's defaults).
 */
class JournalClusterTest {
  private final FakeCluster cluster = new FakeCluster(110, true);

  @AfterEach
  void close() {
    cluster.close();
  }

  private String uid() {
    return cluster.client.nodes().withName(FakeCluster.NODE).get().getMetadata().getUid();
  }

  private JournalTarget journal(String server, String uid) {
    return JournalTarget.cluster(null, null, server, FakeCluster.NODE, uid);
  }

  @Test
  void theSameClusterAndNodeAreReached() {
    String server = JournalCluster.server(cluster.client);
    assertThat(server).startsWith("http").doesNotEndWith("/");
    assertThat(uid()).isNotBlank();

    assertThatCode(() -> JournalCluster.verify(cluster.client, journal(server, uid())))
        .doesNotThrowAnyException();
  }

  @Test
  void aJournalOfAnotherClusterIsRefused() {
    assertThatThrownBy(
            () ->
                JournalCluster.verify(
                    cluster.client, journal("https://api.prod.example:6443", uid())))
        .isInstanceOf(InfrastructureException.class)
        .hasMessageContaining("node worker-1 of https://api.prod.example:6443")
        .hasMessageContaining(
            "but the kubeconfig reaches " + JournalCluster.server(cluster.client));
  }

  @Test
  void aNodeReCreatedUnderItsNameIsRefused() {
    String server = JournalCluster.server(cluster.client);
    String old = uid();
    cluster.client.nodes().withName(FakeCluster.NODE).delete();
    cluster
        .client
        .nodes()
        .resource(
            new NodeBuilder().withNewMetadata().withName(FakeCluster.NODE).endMetadata().build())
        .create();
    assertThat(uid()).isNotEqualTo(old);

    assertThatThrownBy(() -> JournalCluster.verify(cluster.client, journal(server, old)))
        .isInstanceOf(InfrastructureException.class)
        .hasMessageContaining("was re-created since the run (Node UID " + old)
        .hasMessageContaining("nothing was restored");
  }

  @Test
  void aNodeThatIsGoneIsRefused() {
    cluster.client.nodes().withName(FakeCluster.NODE).delete();

    assertThatThrownBy(
            () ->
                JournalCluster.verify(
                    cluster.client, journal(JournalCluster.server(cluster.client), "x")))
        .hasMessageContaining("node worker-1 no longer exists");
  }

  @Test
  void aJournalFromBeforeServerAndUidWereKeptIsCheckedByNameOnly() {
    assertThatCode(() -> JournalCluster.verify(cluster.client, journal(null, null)))
        .doesNotThrowAnyException();
  }
}
