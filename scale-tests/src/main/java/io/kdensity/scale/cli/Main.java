package io.kdensity.scale.cli;

import io.kdensity.probes.shell.ShellException;
import io.kdensity.reports.json.SummaryJson;
import io.kdensity.scale.run.BuildInfo;
import io.kdensity.scale.run.UserPaths;
import io.kdensity.scale.targets.InfrastructureException;
import io.kdensity.tuning.yaml.ConfigException;
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

  /** Runs a command line; bad input → 2, infrastructure → 3, with a one-line message. */
  public static int execute(String... args) {
    CommandLine cl = new CommandLine(new Main());
    // every path option is the caller's, wherever the launcher runs the JVM
    cl.registerConverter(Path.class, UserPaths::resolve);
    cl.setExecutionExceptionHandler(
        (e, cmd, parsed) -> {
          if (e instanceof ConfigException
              || e instanceof SummaryJson.BadSummaryException
              || e instanceof IllegalArgumentException) {
            System.err.println("kdensity: bad input:\n" + e.getMessage());
            return ExitCodes.BAD_INPUT;
          }
          if (e instanceof InfrastructureException || e instanceof ShellException) {
            System.err.println("kdensity: " + e.getMessage());
            return ExitCodes.INFRASTRUCTURE;
          }
          System.err.println("kdensity: " + e);
          return ExitCodes.INFRASTRUCTURE;
        });
    cl.setExitCodeExceptionMapper(e -> ExitCodes.BAD_INPUT);
    return cl.execute(args);
  }
}
