package io.kdensity.scale.run;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * What a ramp run was asked for.
 *
 * @param plan the plan file
 * @param out the output folder (summary.json, recommendations, allure-results, allure-report)
 * @param profile a tuning profile (name or file) overriding the plan's, or ""
 * @param target {@code local} or {@code kube} overriding the plan's target type, or ""
 * @param attach {@code cni} or {@code netlink} overriding the local target's attach mode, or ""
 * @param profileDirs where profiles are looked up by name
 * @param prometheusPort serve metrics for Prometheus on this port, 0 = off
 * @param otlpUrl push metrics to this OTLP endpoint, "" = off
 * @param soak run a soak instead of the ramp, with these overrides of the plan's {@code soak:}
 *     section; null for a ramp
 * @param steady a steady-state ramp ({@code --steady}): failing steps are held and measured again,
 *     and the burst tolerance is found (the plan's {@code steady:} section can ask for it too)
 * @param predict calibrate the capacity model on the first steps and predict ({@code ramp
 *     --predict}, {@code kdensity predict})
 * @param interfaces secondary interfaces per pod overriding the plan's {@code interfacesPerPod}
 *     ({@code --interfaces}); 0 = the plan's
 */
public record RunOptions(
    Path plan,
    Path out,
    String profile,
    String target,
    String attach,
    List<Path> profileDirs,
    int prometheusPort,
    String otlpUrl,
    SoakOptions soak,
    boolean steady,
    Predict predict,
    int interfaces) {
  public RunOptions {
    predict = predict == null ? Predict.OFF : predict;
    profileDirs = List.copyOf(profileDirs);
    profile = profile == null ? "" : profile.strip();
    target = target == null ? "" : target.strip();
    attach = attach == null ? "" : attach.strip();
    otlpUrl = otlpUrl == null ? "" : otlpUrl.strip();
  }

  /** Options as the plan asks, with no steady state forced. */
  public RunOptions(
      Path plan,
      Path out,
      String profile,
      String target,
      String attach,
      List<Path> profileDirs,
      int prometheusPort,
      String otlpUrl,
      SoakOptions soak) {
    this(
        plan,
        out,
        profile,
        target,
        attach,
        profileDirs,
        prometheusPort,
        otlpUrl,
        soak,
        false,
        Predict.OFF,
        0);
  }

  /** The same options writing into another folder. */
  public RunOptions withOut(Path dir) {
    return new RunOptions(
        plan,
        dir,
        profile,
        target,
        attach,
        profileDirs,
        prometheusPort,
        otlpUrl,
        soak,
        steady,
        predict,
        interfaces);
  }

  /** The same options, a steady-state ramp or as the plan asks. */
  public RunOptions withSteady(boolean on) {
    return new RunOptions(
        plan,
        out,
        profile,
        target,
        attach,
        profileDirs,
        prometheusPort,
        otlpUrl,
        soak,
        on,
        predict,
        interfaces);
  }

  /** The same options with a prediction asked for (or not). */
  public RunOptions withPredict(Predict p) {
    return new RunOptions(
        plan,
        out,
        profile,
        target,
        attach,
        profileDirs,
        prometheusPort,
        otlpUrl,
        soak,
        steady,
        p,
        interfaces);
  }

  /**
   * The same options with {@code n} secondary interfaces a pod instead of the plan's (0: the
   * plan's).
   */
  public RunOptions withInterfaces(int n) {
    return new RunOptions(
        plan,
        out,
        profile,
        target,
        attach,
        profileDirs,
        prometheusPort,
        otlpUrl,
        soak,
        steady,
        predict,
        n);
  }

  /**
   * A capacity prediction: the model calibrated on the run's first two passing plain steps.
   *
   * @param enabled off by default
   * @param pods the density to predict for; 0 means the plan's largest step
   * @param only stop once calibrated ({@code kdensity predict}) instead of ramping on
   */
  public record Predict(boolean enabled, int pods, boolean only) {
    public static final Predict OFF = new Predict(false, 0, false);

    public Predict {
      if (pods < 0) {
        throw new IllegalArgumentException("pods to predict for must be positive, found " + pods);
      }
    }
  }

  /** A ramp's options (no soak). */
  public RunOptions(
      Path plan,
      Path out,
      String profile,
      String target,
      String attach,
      List<Path> profileDirs,
      int prometheusPort,
      String otlpUrl) {
    this(plan, out, profile, target, attach, profileDirs, prometheusPort, otlpUrl, null);
  }

  /**
   * A soak's command-line overrides of the plan's {@code soak:} section, as written; "" keeps the
   * plan's value. Checked when the plan is resolved, with errors naming the option.
   */
  public record SoakOptions(
      String pods,
      String duration,
      String interval,
      String churn,
      String linkFlap,
      String leakFault) {
    public SoakOptions {
      pods = pods == null ? "" : pods.strip();
      duration = duration == null ? "" : duration.strip();
      interval = interval == null ? "" : interval.strip();
      churn = churn == null ? "" : churn.strip();
      linkFlap = linkFlap == null ? "" : linkFlap.strip();
      leakFault = leakFault == null ? "" : leakFault.strip();
    }

    /** The plan's soak as it is. */
    public static final SoakOptions PLAN = new SoakOptions("", "", "", "", "", "");
  }

  public static final String SOAK = "kdensity.soak";
  public static final String SOAK_PODS = "kdensity.soak.pods";
  public static final String SOAK_DURATION = "kdensity.soak.duration";
  public static final String SOAK_INTERVAL = "kdensity.soak.interval";
  public static final String SOAK_CHURN = "kdensity.soak.churn";
  public static final String SOAK_LINK_FLAP = "kdensity.soak.linkFlap";
  public static final String SOAK_LEAK_FAULT = "kdensity.soak.leakFault";

  /** Keys of JUnit configuration parameters (or system properties) that carry the options. */
  public static final String PLAN = "kdensity.plan";

  public static final String OUT = "kdensity.out";
  public static final String PROFILE = "kdensity.profile";
  public static final String TARGET = "kdensity.target";
  public static final String ATTACH = "kdensity.attach";
  public static final String PROMETHEUS_PORT = "kdensity.prometheusPort";
  public static final String OTLP_URL = "kdensity.otlpUrl";
  public static final String PROFILE_DIRS = "kdensity.profileDirs";
  public static final String STEADY = "kdensity.steady";
  public static final String PREDICT = "kdensity.predict";
  public static final String PREDICT_PODS = "kdensity.predict.pods";
  public static final String PREDICT_ONLY = "kdensity.predict.only";
  public static final String INTERFACES = "kdensity.interfaces";

  /**
   * Builds options from configuration parameters (JUnit) or system properties (Maven); relative
   * paths are the user's ({@link UserPaths}).
   */
  public static RunOptions from(Function<String, String> get) {
    String plan = get.apply(PLAN);
    String dirs = get.apply(PROFILE_DIRS);
    return new RunOptions(
        plan == null || plan.isBlank()
            ? UserPaths.home("scale-tests/plans/default.yaml")
            : UserPaths.resolve(plan),
        UserPaths.resolve(orDefault(get.apply(OUT), "kdensity-out")),
        UserPaths.resolveProfile(get.apply(PROFILE)),
        get.apply(TARGET),
        get.apply(ATTACH),
        dirs == null || dirs.isBlank()
            ? List.of(UserPaths.home("tuning-profiles/profiles"))
            : Arrays.stream(dirs.split(":"))
                .filter(s -> !s.isBlank())
                .map(UserPaths::resolve)
                .toList(),
        Integer.parseInt(orDefault(get.apply(PROMETHEUS_PORT), "0")),
        get.apply(OTLP_URL),
        "true".equals(get.apply(SOAK))
            ? new SoakOptions(
                get.apply(SOAK_PODS),
                get.apply(SOAK_DURATION),
                get.apply(SOAK_INTERVAL),
                get.apply(SOAK_CHURN),
                get.apply(SOAK_LINK_FLAP),
                get.apply(SOAK_LEAK_FAULT))
            : null,
        "true".equals(get.apply(STEADY)),
        new Predict(
            "true".equals(get.apply(PREDICT)),
            Integer.parseInt(orDefault(get.apply(PREDICT_PODS), "0")),
            "true".equals(get.apply(PREDICT_ONLY))),
        Integer.parseInt(orDefault(get.apply(INTERFACES), "0")));
  }

  /** As JUnit configuration parameters. */
  public Map<String, String> asParameters() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put(PLAN, plan.toString());
    m.put(OUT, out.toString());
    m.put(PROFILE, profile);
    m.put(TARGET, target);
    m.put(ATTACH, attach);
    m.put(PROFILE_DIRS, String.join(":", profileDirs.stream().map(Path::toString).toList()));
    m.put(PROMETHEUS_PORT, Integer.toString(prometheusPort));
    m.put(OTLP_URL, otlpUrl);
    m.put(STEADY, Boolean.toString(steady));
    m.put(PREDICT, Boolean.toString(predict.enabled()));
    m.put(PREDICT_PODS, Integer.toString(predict.pods()));
    m.put(PREDICT_ONLY, Boolean.toString(predict.only()));
    m.put(INTERFACES, Integer.toString(interfaces));
    if (soak != null) {
      m.put(SOAK, "true");
      m.put(SOAK_PODS, soak.pods());
      m.put(SOAK_DURATION, soak.duration());
      m.put(SOAK_INTERVAL, soak.interval());
      m.put(SOAK_CHURN, soak.churn());
      m.put(SOAK_LINK_FLAP, soak.linkFlap());
      m.put(SOAK_LEAK_FAULT, soak.leakFault());
    }
    return m;
  }

  private static String orDefault(String v, String d) {
    return v == null || v.isBlank() ? d : v;
  }
}
