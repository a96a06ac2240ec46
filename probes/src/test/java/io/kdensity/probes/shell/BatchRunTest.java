package io.kdensity.probes.shell;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class BatchRunTest {
  private final LocalShell local = new LocalShell();

  /** A shell whose commands are really run by {@code host} (like a namespace entered by pid). */
  private static final class Through implements NodeShell {
    private final NodeShell host;
    final AtomicInteger ranHere = new AtomicInteger();

    Through(NodeShell host) {
      this.host = host;
    }

    @Override
    public Optional<DelegatedRun> runVia(Command c) {
      return Optional.of(new DelegatedRun(host, c));
    }

    @Override
    public CommandResult run(Command c) {
      ranHere.incrementAndGet();
      return host.run(c);
    }

    @Override
    public String readFile(String path) {
      return host.readFile(path);
    }

    @Override
    public void writeFile(String path, String content) {
      throw new UnsupportedOperationException();
    }

    @Override
    public String describe() {
      return "through " + host.describe();
    }
  }

  @Test
  void manyCommandsRunInBatchesOfTheirCommonShellEachWithItsOwnOutputAndExitCode() {
    Through pod = new Through(local);
    Map<Integer, BatchRun.Run> runs = new LinkedHashMap<>();
    for (int i = 0; i < 230; i++) {
      runs.put(
          i,
          new BatchRun.Run(
              pod,
              switch (i % 3) {
                case 0 -> Command.of("echo", "pod-" + i, "alive");
                case 1 -> Command.of("false");
                default -> Command.of("ls", "/nonexistent-" + i);
              }));
    }

    Map<Integer, CommandResult> out = BatchRun.runAll(runs, Runnable::run);

    assertThat(pod.ranHere).hasValue(0);
    assertThat(out).hasSize(230);
    for (int i = 0; i < 230; i++) {
      CommandResult r = out.get(i);
      switch (i % 3) {
        case 0 -> {
          assertThat(r.exitCode()).as("echo %d", i).isZero();
          assertThat(r.stdout()).isEqualTo("pod-" + i + " alive\n");
        }
        case 1 -> {
          assertThat(r.exitCode()).as("false %d", i).isEqualTo(1);
          assertThat(r.stdout()).isEmpty();
        }
        default -> {
          assertThat(r.exitCode()).as("ls %d", i).isEqualTo(2);
          assertThat(r.stdout()).contains("/nonexistent-" + i); // stderr comes along
        }
      }
    }
  }

  @Test
  void aCommandWhoseWordsCannotTravelOnALineRunsOnItsOwn() {
    Through pod = new Through(local);
    Map<String, BatchRun.Run> runs = new LinkedHashMap<>();
    runs.put("spaced", new BatchRun.Run(pod, Command.of("echo", "two words")));
    runs.put("quoted", new BatchRun.Run(pod, Command.of("echo", "it's")));
    runs.put("plain", new BatchRun.Run(pod, Command.of("echo", "fd00:10:1::5")));

    Map<String, CommandResult> out = BatchRun.runAll(runs, Runnable::run);

    assertThat(pod.ranHere).hasValue(2);
    assertThat(out.get("spaced").stdout()).isEqualTo("two words\n");
    assertThat(out.get("quoted").stdout()).isEqualTo("it's\n");
    assertThat(out.get("plain").stdout()).isEqualTo("fd00:10:1::5\n");
  }

  @Test
  void aNamespaceEnteredByPidRunsItsCommandsAsNsenterOnTheHost() {
    FixtureShell host = new FixtureShell("probe pod");
    NetnsShell pod = NetnsShell.ofProcess("p1", 4242, host);

    Optional<NodeShell.DelegatedRun> via = pod.runVia(Command.of("fping", "-r", "1", "fd00::1"));

    assertThat(via).isPresent();
    assertThat(via.get().shell()).isSameAs(host);
    assertThat(via.get().command().argv())
        .containsExactly("nsenter", "-t", "4242", "-n", "--", "fping", "-r", "1", "fd00::1");
    assertThat(new NetnsShell("kd-x-p1", host).runVia(Command.of("true"))).isEmpty();
  }

  @Test
  void outputWithoutAFinalLineBreakStaysAsItWas() {
    List<CommandResult> r =
        BatchRun.split(
            "@@kd-run 0 0\nx\n@@kd-run 1 1\n\n",
            List.of(Command.of("a"), Command.of("b")),
            "probe pod");

    assertThat(r).extracting(CommandResult::stdout).containsExactly("x", "");
    assertThat(r).extracting(CommandResult::exitCode).containsExactly(0, 1);
  }

  @Test
  void aCommandTheBatchDidNotReportIsAFailureSayingSo() {
    List<CommandResult> r =
        BatchRun.split(
            "@@kd-run 1 0\nok\n\n", List.of(Command.of("a"), Command.of("b")), "probe pod");

    assertThat(r.get(0).exitCode()).isEqualTo(-1);
    assertThat(r.get(0).stderr()).isEqualTo("not run by the batch in probe pod");
    assertThat(r.get(1).stdout()).isEqualTo("ok\n");
  }
}
