package io.kdensity.scale.run;

import io.kdensity.reports.model.AttachMode;
import io.kdensity.scale.plan.Plan;
import io.kdensity.scale.plan.PlanLoader;
import io.kdensity.scale.plan.TargetSpec;
import io.kdensity.tuning.profile.Profile;
import io.kdensity.tuning.profile.ProfileLoader;
import io.kdensity.tuning.yaml.ConfigError;
import io.kdensity.tuning.yaml.ConfigException;
import java.util.List;

/**
 * The plan a ramp runs, as the command line overrides it ({@code --target}, {@code --attach},
 * {@code --profile}), and the one profile it applies (null for none).
 */
record RunPlan(Plan plan, Profile profile) {

  /**
   * @throws ConfigException for a bad plan or profile, or more than one profile
   */
  static RunPlan resolve(RunOptions options) {
    Plan plan = PlanLoader.load(options.plan());
    if (!options.target().isEmpty()) {
      TargetSpec.Type type = TargetSpec.Type.valueOf(options.target().toUpperCase());
      plan =
          plan.withTarget(
              new TargetSpec(
                  type, plan.target().node(), plan.target().local(), plan.target().kube()));
    }
    if (!options.attach().isEmpty()) {
      plan = plan.withAttach(attachMode(options.attach(), plan.source()));
    }
    if (!options.profile().isEmpty()) {
      plan = plan.withProfiles(List.of(options.profile()));
    }
    if (plan.profiles().size() > 1) {
      throw new ConfigException(
          List.of(
              new ConfigError(
                  plan.source(),
                  0,
                  "a ramp applies one profile; to compare "
                      + plan.profiles()
                      + " run `kdensity compare --plan "
                      + plan.source()
                      + " --profiles "
                      + String.join(",", plan.profiles())
                      + "`")));
    }
    Profile profile =
        plan.profiles().isEmpty()
            ? null
            : new ProfileLoader(options.profileDirs()).load(plan.profiles().get(0));
    return new RunPlan(plan, profile);
  }

  /** {@code cni} or {@code netlink}; anything else is a one-line error. */
  static AttachMode attachMode(String text, String source) {
    try {
      return AttachMode.of(text);
    } catch (IllegalArgumentException e) {
      throw new ConfigException(List.of(new ConfigError(source, 0, "--attach: " + e.getMessage())));
    }
  }
}
