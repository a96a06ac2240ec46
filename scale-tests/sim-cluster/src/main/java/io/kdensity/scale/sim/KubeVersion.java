package io.kdensity.scale.sim;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Kubernetes version the cluster plays ({@code v1.31.4}): what {@code /version} says and what
 * the kubelet reports in its node status.
 */
record KubeVersion(int major, int minor, int patch) {
  private static final Pattern FORM = Pattern.compile("v?(\\d+)\\.(\\d+)(?:\\.(\\d+))?");

  /**
   * @throws IllegalArgumentException if the text is not {@code vMAJOR.MINOR[.PATCH]}
   */
  static KubeVersion parse(String text) {
    Matcher m = FORM.matcher(text.strip());
    if (!m.matches()) {
      throw new IllegalArgumentException(
          "--kubernetes-version: expected vMAJOR.MINOR[.PATCH] such as v1.31.4, got '"
              + text
              + "'");
    }
    return new KubeVersion(
        Integer.parseInt(m.group(1)),
        Integer.parseInt(m.group(2)),
        m.group(3) == null ? 0 : Integer.parseInt(m.group(3)));
  }

  String git() {
    return "v" + major + "." + minor + "." + patch;
  }

  /** The body of {@code GET /version}, as kube-apiserver writes it. */
  Map<String, String> info() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("major", Integer.toString(major));
    m.put("minor", Integer.toString(minor));
    m.put("gitVersion", git());
    m.put("gitCommit", "kdensity-sim");
    m.put("gitTreeState", "clean");
    m.put("buildDate", "2026-01-01T00:00:00Z");
    m.put("goVersion", "go1.22.0");
    m.put("compiler", "gc");
    m.put("platform", "linux/amd64");
    return m;
  }

  /** Whether this version is at least {@code major.minor}. */
  boolean atLeast(int major, int minor) {
    return this.major > major || this.major == major && this.minor >= minor;
  }

  @Override
  public String toString() {
    return git();
  }
}
