package io.kdensity.scale.run;

import java.nio.file.Path;
import java.util.Arrays;
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
 */
public record RunOptions(
    Path plan,
    Path out,
    String profile,
    String target,
    String attach,
    List<Path> profileDirs,
    int prometheusPort,
    String otlpUrl) {
  public RunOptions {
    profileDirs = List.copyOf(profileDirs);
    profile = profile == null ? "" : profile.strip();
    target = target == null ? "" : target.strip();
    attach = attach == null ? "" : attach.strip();
    otlpUrl = otlpUrl == null ? "" : otlpUrl.strip();
  }

  /** Keys of JUnit configuration parameters (or system properties) that carry the options. */
  public static final String PLAN = "kdensity.plan";

  public static final String OUT = "kdensity.out";
  public static final String PROFILE = "kdensity.profile";
  public static final String TARGET = "kdensity.target";
  public static final String ATTACH = "kdensity.attach";
  public static final String PROMETHEUS_PORT = "kdensity.prometheusPort";
  public static final String OTLP_URL = "kdensity.otlpUrl";
  public static final String PROFILE_DIRS = "kdensity.profileDirs";

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
        get.apply(OTLP_URL));
  }

  /** As JUnit configuration parameters. */
  public Map<String, String> asParameters() {
    return Map.of(
        PLAN,
        plan.toString(),
        OUT,
        out.toString(),
        PROFILE,
        profile,
        TARGET,
        target,
        ATTACH,
        attach,
        PROFILE_DIRS,
        String.join(":", profileDirs.stream().map(Path::toString).toList()),
        PROMETHEUS_PORT,
        Integer.toString(prometheusPort),
        OTLP_URL,
        otlpUrl);
  }

  private static String orDefault(String v, String d) {
    return v == null || v.isBlank() ? d : v;
  }
}
