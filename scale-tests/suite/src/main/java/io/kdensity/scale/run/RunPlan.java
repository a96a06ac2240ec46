package io.kdensity.scale.run;

import io.kdensity.config.run.AttachMode;
import io.kdensity.config.yaml.ConfigError;
import io.kdensity.config.yaml.ConfigException;
import io.kdensity.config.yaml.Reader;
import io.kdensity.scale.plan.Plan;
import io.kdensity.scale.plan.PlanLoader;
import io.kdensity.scale.plan.Soak;
import io.kdensity.scale.plan.TargetSpec;
import io.kdensity.scale.targets.kube.NodeMasters;
import io.kdensity.tuning.profile.Profile;
import io.kdensity.tuning.profile.ProfileLoader;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The plan a ramp runs, as the command line overrides it ({@code --target}, {@code --interfaces},
 * {@code --attach}, {@code --profile}), and the one profile it applies (null for none).
 */
record RunPlan(Plan plan, Profile profile) {

  /**
   * @throws ConfigException for a bad plan or profile, or more than one profile
   */
  static RunPlan resolve(RunOptions options) {
    Plan plan = PlanLoader.load(options.plan());
    if (!options.target().isEmpty()) {
      TargetSpec.Type type = targetType(options.target(), plan.source());
      plan =
          plan.withTarget(
              new TargetSpec(
                  type, plan.target().node(), plan.target().local(), plan.target().kube()));
    }
    if (plan.target().type() == TargetSpec.Type.KUBE) {
      clusterReady(plan);
    }
    if (options.interfaces() > 0) {
      plan = plan.withInterfaces(options.interfaces());
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
    if (options.soak() != null) {
      plan = plan.withSoak(soak(plan, options.soak()));
    }
    if (options.steady()) {
      plan = plan.withSteady(plan.steady().on());
    }
    Profile profile =
        plan.profiles().isEmpty()
            ? null
            : new ProfileLoader(options.profileDirs()).load(plan.profiles().get(0));
    return new RunPlan(plan, profile);
  }

  /** {@code local} or {@code kube}; anything else is a one-line error. */
  static TargetSpec.Type targetType(String text, String source) {
    for (TargetSpec.Type t : TargetSpec.Type.values()) {
      if (t.name().equalsIgnoreCase(text.strip())) {
        return t;
      }
    }
    throw new ConfigException(
        List.of(
            new ConfigError(
                source,
                0,
                "--target: expected one of "
                    + java.util.Arrays.stream(TargetSpec.Type.values())
                        .map(t -> t.name().toLowerCase(java.util.Locale.ROOT))
                        .toList()
                    + ", found '"
                    + text
                    + "'")));
  }

  /**
   * A plan made for the local node and sent to a cluster ({@code --target kube}) still names the
   * local target's node and emulated NICs: say which keys to set before anything is created.
   */
  private static void clusterReady(Plan plan) {
    List<ConfigError> errors = new ArrayList<>();
    String node = plan.target().node();
    if (node == null || node.isBlank() || node.equals("local")) {
      errors.add(
          new ConfigError(
              plan.source(),
              0,
              "target.node: a cluster run names the node under test (e.g. node: ${KDENSITY_NODE}),"
                  + " found '"
                  + (node == null ? "" : node)
                  + "'"));
    }
    for (NodeMasters.Named m : NodeMasters.of(plan.attachments())) {
      if (m.master().matches("uplink\\d+")) {
        errors.add(
            new ConfigError(
                plan.source(),
                0,
                "attachment '"
                    + m.nad()
                    + "': master \""
                    + m.master()
                    + "\" is the local target's emulated NIC; on a cluster name the node's NIC"
                    + " (e.g. \"master\": \"${KDENSITY_MASTER}\")"));
      }
    }
    if (!errors.isEmpty()) {
      throw new ConfigException(errors);
    }
  }

  /** {@code cni} or {@code netlink}; anything else is a one-line error. */
  static AttachMode attachMode(String text, String source) {
    try {
      return AttachMode.of(text);
    } catch (IllegalArgumentException e) {
      throw new ConfigException(List.of(new ConfigError(source, 0, "--attach: " + e.getMessage())));
    }
  }

  /**
   * The plan's soak with the command line's overrides.
   *
   * @throws ConfigException naming the option or the plan when a value is bad or the pod count is
   *     missing
   */
  static Soak soak(Plan plan, RunOptions.SoakOptions o) {
    Soak base = plan.soak();
    List<ConfigError> errors = new ArrayList<>();
    String src = plan.source();
    int pods = base == null ? 0 : base.pods();
    if (!o.pods().isEmpty()) {
      try {
        pods = Integer.parseInt(o.pods());
      } catch (NumberFormatException e) {
        errors.add(new ConfigError(src, 0, "--pods: not a number: '" + o.pods() + "'"));
      }
    } else if (base == null) {
      errors.add(
          new ConfigError(
              src, 0, "a soak needs --pods N, or a soak: section with pods in the plan"));
    }
    Duration duration =
        duration(
            o.duration(),
            "--duration",
            base == null ? Soak.DEFAULT_DURATION : base.duration(),
            src,
            errors);
    Duration interval =
        duration(
            o.interval(),
            "--interval",
            base == null ? Soak.DEFAULT_INTERVAL : base.interval(),
            src,
            errors);
    Soak.Rate churn =
        rate(
            o.churn(),
            "--churn",
            base == null ? Soak.Rate.NONE : base.churn(),
            interval,
            src,
            errors);
    Soak.Rate flap =
        rate(
            o.linkFlap(),
            "--link-flap",
            base == null ? Soak.Rate.NONE : base.linkFlap(),
            interval,
            src,
            errors);
    double fault = 0;
    if (!o.leakFault().isEmpty()) {
      Optional<Soak.Rate> f = Soak.Rate.parse(o.leakFault(), interval);
      if (f.isEmpty()) {
        errors.add(
            new ConfigError(
                src, 0, "--inject-leak: must be a share like 20%, found '" + o.leakFault() + "'"));
      } else {
        fault = f.get().share();
      }
    }
    if (errors.isEmpty()) {
      try {
        return new Soak(
            pods,
            duration,
            interval,
            churn,
            flap,
            base == null ? Soak.DEFAULT_LINK_DOWN : base.linkDown(),
            fault);
      } catch (IllegalArgumentException e) {
        errors.add(new ConfigError(src, 0, "soak: " + e.getMessage()));
      }
    }
    throw new ConfigException(errors);
  }

  private static Duration duration(
      String text, String option, Duration def, String src, List<ConfigError> errors) {
    if (text.isEmpty()) {
      return def;
    }
    Optional<Duration> d = Reader.parseDuration(text);
    if (d.isEmpty()) {
      errors.add(
          new ConfigError(
              src, 0, option + ": must be a duration like 30s, 10m, 6h, found '" + text + "'"));
      return def;
    }
    return d.get();
  }

  private static Soak.Rate rate(
      String text,
      String option,
      Soak.Rate def,
      Duration window,
      String src,
      List<ConfigError> errors) {
    if (text.isEmpty()) {
      return def;
    }
    Optional<Soak.Rate> r = Soak.Rate.parse(text, window);
    if (r.isEmpty()) {
      errors.add(
          new ConfigError(
              src, 0, option + ": must be " + Soak.RATE_FORM + ", found '" + text + "'"));
      return def;
    }
    return r.get();
  }
}
