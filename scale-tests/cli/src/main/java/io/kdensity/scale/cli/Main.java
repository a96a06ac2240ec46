package io.kdensity.scale.cli;

import io.kdensity.config.yaml.ConfigException;
import io.kdensity.probes.shell.ShellException;
import io.kdensity.reports.json.SummaryJson;
import io.kdensity.scale.run.BuildInfo;
import io.kdensity.scale.run.UserPaths;
import io.kdensity.scale.targets.InfrastructureException;
import java.nio.file.Path;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code kdensity} command. */
@Command(
    name = "kdensity",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description =
        "How many pods and Multus interfaces can this worker node really hold, what breaks first, and which tuning moves the limit?",
    subcommands = {
      RampCommand.class,
      PredictCommand.class,
      SoakCommand.class,
      CleanupCommand.class,
      DoctorCommand.class,
      MetricsCommand.class,
      ProfileCommand.class,
      RecommendCommand.class,
      ReportCommand.class,
      CompareCommand.class,
      BenchCommand.class,
      GateCommand.class,
      BaselineCommand.class,
      HistoryCommand.class,
      SimClusterCommand.class,
      CommandLine.HelpCommand.class,
      picocli.AutoComplete.GenerateCompletion.class
    })
public final class Main implements Runnable {
  /** {@code kdensity --version}: the version and the commit it was built from. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {"kdensity " + BuildInfo.current().describe()};
    }
  }

  @Override
  public void run() {
    CommandLine.usage(this, System.out);
  }

  public static void main(String[] args) {
    System.exit(execute(args));
  }

  /**
   * The exit code of a command that ended with this exception: the user's input (a plan, profile,
   * rules, summary or option) → 2; a broken invariant inside kdensity — the JDK's programming-error
   * exceptions — → 4; anything else reached outside the JVM (a node, a cluster, a file) → 3.
   */
  static int exitCodeOf(Exception e) {
    if (e instanceof ConfigException
        || e instanceof SummaryJson.BadSummaryException
        || e instanceof UsageError) {
      return ExitCodes.BAD_INPUT;
    }
    if (e instanceof IllegalArgumentException
        || e instanceof IllegalStateException
        || e instanceof NullPointerException
        || e instanceof ClassCastException
        || e instanceof IndexOutOfBoundsException
        || e instanceof ArithmeticException
        || e instanceof UnsupportedOperationException) {
      return ExitCodes.INTERNAL;
    }
    return ExitCodes.INFRASTRUCTURE;
  }

  private static boolean known(Exception e) {
    return e instanceof InfrastructureException
        || e instanceof ShellException
        || e instanceof java.io.UncheckedIOException;
  }

  /** Runs a command line; bad input → 2, infrastructure → 3, a bug → 4, with a one-line message. */
  public static int execute(String... args) {
    CommandLine cl = new CommandLine(new Main());
    // every path option is the caller's, wherever the launcher runs the JVM
    cl.registerConverter(Path.class, UserPaths::resolve);
    cl.setExecutionExceptionHandler(
        (e, cmd, parsed) -> {
          int code = exitCodeOf(e);
          switch (code) {
            case ExitCodes.BAD_INPUT ->
                System.err.println("kdensity: bad input:\n" + e.getMessage());
            case ExitCodes.INTERNAL -> {
              System.err.println(
                  "kdensity: internal error (a bug in kdensity, not in your input or node;"
                      + " please report it with what follows): "
                      + e);
              e.printStackTrace(System.err);
            }
            default -> System.err.println("kdensity: " + (known(e) ? e.getMessage() : e));
          }
          return code;
        });
    cl.setExitCodeExceptionMapper(e -> ExitCodes.BAD_INPUT);
    return cl.execute(args);
  }
}
