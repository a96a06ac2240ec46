package io.kdensity.tuning.profile;

import io.kdensity.config.yaml.ConfigError;
import io.kdensity.config.yaml.ConfigException;
import io.kdensity.config.yaml.Reader;
import io.kdensity.config.yaml.YNode;
import io.kdensity.config.yaml.YNode.YList;
import io.kdensity.config.yaml.YNode.YMap;
import io.kdensity.config.yaml.YNode.YScalar;
import io.kdensity.config.yaml.Yaml;
import io.kdensity.probes.sysctl.Sysctl;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Loads profiles by file path or by name, resolves {@code extends}, and validates every value.
 * Names are looked up in the given directories, then among the built-in profiles on the classpath
 * ({@code /profiles/<name>.yaml}). All problems of all files in the chain are reported at once.
 *
 * <p>Over 300 lines: it validates every kind of setting (sysctls against the catalog, pod sysctls,
 * NIC settings, advisories) and the {@code extends} chain, so that all problems of all files come
 * out at once.
 *
 * <pre>{@code
 * Profile p = new ProfileLoader(List.of(Path.of("tuning-profiles/profiles"))).load("dense-ipv6");
 * }</pre>
 */
public final class ProfileLoader {
  private static final List<String> TOP =
      List.of("name", "description", "extends", "sysctl", "podSysctl", "nic", "advisory");
  private static final List<String> ADVISORY = List.of("kubeletMaxPods", "cpuReservation", "note");
  private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");
  private static final Pattern HEXMASK = Pattern.compile("[0-9a-fA-F]{1,64}(,[0-9a-fA-F]{1,8})*");

  private final List<Path> searchPath;

  /**
   * @param searchPath directories with {@code <name>.yaml} profiles, searched in order
   */
  public ProfileLoader(List<Path> searchPath) {
    this.searchPath = List.copyOf(searchPath);
  }

  /** Names of every profile found (directories first, then built-ins). */
  public List<String> available() {
    Set<String> names = new TreeSet<>();
    for (Path d : searchPath) {
      try (var s = Files.list(d)) {
        s.map(p -> p.getFileName().toString())
            .filter(f -> f.endsWith(".yaml"))
            .forEach(f -> names.add(f.substring(0, f.length() - 5)));
      } catch (IOException e) {
        // a missing directory has no profiles
      }
    }
    names.addAll(BUILT_IN);
    return List.copyOf(names);
  }

  /** The profiles shipped with kdensity. */
  public static final List<String> BUILT_IN = List.of("kernel-defaults", "dense-ipv6");

  /**
   * Loads a profile by path ({@code ./my.yaml}) or by name.
   *
   * @throws ConfigException with every problem of every file in the chain
   */
  public Profile load(String nameOrPath) {
    List<ConfigError> errors = new ArrayList<>();
    Profile raw = resolve(nameOrPath, new ArrayList<>(), errors);
    if (!errors.isEmpty() || raw == null) {
      if (errors.isEmpty()) {
        errors.add(new ConfigError(nameOrPath, 0, "no such profile"));
      }
      List<String> files = errors.stream().map(ConfigError::file).distinct().toList();
      List<ConfigError> sorted = new ArrayList<>(errors);
      sorted.sort(
          Comparator.comparingInt((ConfigError e) -> files.indexOf(e.file()))
              .thenComparingInt(ConfigError::line));
      throw new ConfigException(sorted);
    }
    return raw;
  }

  private Profile resolve(String nameOrPath, List<String> chain, List<ConfigError> errors) {
    Optional<Source> src = find(nameOrPath);
    if (src.isEmpty()) {
      String known = String.join(", ", available());
      errors.add(new ConfigError(nameOrPath, 0, "no such profile (known: " + known + ")"));
      return null;
    }
    if (chain.contains(src.get().label)) {
      errors.add(
          new ConfigError(
              src.get().label,
              0,
              "extends itself: " + String.join(" → ", chain) + " → " + src.get().label));
      return null;
    }
    chain.add(src.get().label);
    Reader r = new Reader(src.get().label);
    Profile own;
    try {
      own = parse(Yaml.parse(src.get().text, src.get().label), r);
    } catch (ConfigException e) {
      errors.addAll(e.errors());
      return null;
    }
    errors.addAll(r.errors());
    if (own == null || own.parents().isEmpty()) {
      return own;
    }
    Profile parent = resolve(own.parents().get(0), chain, errors);
    if (parent == null) {
      return own;
    }
    List<String> parents = new ArrayList<>();
    parents.add(parent.name());
    parents.addAll(parent.parents());
    Map<String, Setting> sysctl = new LinkedHashMap<>(parent.sysctl());
    sysctl.putAll(own.sysctl());
    Map<String, Setting> pod = new LinkedHashMap<>(parent.podSysctl());
    pod.putAll(own.podSysctl());
    Map<String, NicSettings> nic = new LinkedHashMap<>();
    for (NicSettings n : parent.nic()) {
      nic.put(n.match(), n);
    }
    for (NicSettings n : own.nic()) {
      NicSettings base = nic.get(n.match());
      if (base == null) {
        nic.put(n.match(), n);
      } else {
        Map<NicSetting, String> merged = new LinkedHashMap<>(base.settings());
        merged.putAll(n.settings());
        nic.put(
            n.match(),
            new NicSettings(
                n.match(), merged, n.reason().isEmpty() ? base.reason() : n.reason(), n.origin()));
      }
    }
    Map<String, Setting> adv = new LinkedHashMap<>(parent.advisory());
    adv.putAll(own.advisory());
    return new Profile(
        own.name(),
        own.description(),
        parents,
        sysctl,
        pod,
        List.copyOf(nic.values()),
        adv,
        own.source());
  }

  private record Source(String label, String text) {}

  private Optional<Source> find(String nameOrPath) {
    Path asPath = Path.of(nameOrPath);
    if (nameOrPath.endsWith(".yaml") || nameOrPath.endsWith(".yml") || nameOrPath.contains("/")) {
      return read(asPath);
    }
    for (Path d : searchPath) {
      Optional<Source> s = read(d.resolve(nameOrPath + ".yaml"));
      if (s.isPresent()) {
        return s;
      }
    }
    try (InputStream in =
        ProfileLoader.class.getResourceAsStream("/profiles/" + nameOrPath + ".yaml")) {
      if (in == null) {
        return Optional.empty();
      }
      return Optional.of(
          new Source(
              "profiles/" + nameOrPath + ".yaml",
              new String(in.readAllBytes(), StandardCharsets.UTF_8)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Optional<Source> read(Path p) {
    if (!Files.isRegularFile(p)) {
      return Optional.empty();
    }
    try {
      return Optional.of(new Source(p.toString(), Files.readString(p, StandardCharsets.UTF_8)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** One NIC setting's value, checked against what the setting takes; problems go to {@code r}. */
  private static Optional<String> nicValue(Reader r, YNode v, NicSetting setting) {
    NicSetting.Values values = setting.group().accepts();
    switch (values.kind()) {
      case ON_OFF -> {
        String s = r.scalar(v);
        if (s != null && !s.equals("on") && !s.equals("off")) {
          r.error(v, "'" + v.path() + "' must be on or off, found '" + s + "'");
          return Optional.empty();
        }
        return Optional.ofNullable(s);
      }
      case HEX_MASK -> {
        String s = r.scalar(v);
        if (s != null && !HEXMASK.matcher(s).matches()) {
          r.error(v, "'" + v.path() + "' must be a hex CPU mask like ff or 3, found '" + s + "'");
          return Optional.empty();
        }
        return Optional.ofNullable(s);
      }
      default -> {
        return Optional.of(Long.toString(r.integer(v, values.min(), values.min(), values.max())));
      }
    }
  }

  /** Reads one file's own settings; problems go to {@code r}. */
  private static Profile parse(YNode doc, Reader r) {
    YMap root = r.map(doc);
    if (root == null) {
      return null;
    }
    r.allowOnly(root, TOP);
    String name = r.requireString(root, "name");
    if (name != null && !NAME.matcher(name).matches()) {
      r.error(
          root.get("name"),
          "'name' must be lower case letters, digits and dashes, found '" + name + "'");
    }
    String description = r.string(root, "description", "");
    String parent = r.string(root, "extends", null);
    Map<String, Setting> sysctl = sysctls(r, root, "sysctl", false);
    Map<String, Setting> pod = sysctls(r, root, "podSysctl", true);
    List<NicSettings> nic = new ArrayList<>();
    YList nics = r.list(root, "nic");
    if (nics != null) {
      for (YNode item : nics.items()) {
        YMap m = r.map(item);
        if (m == null) {
          continue;
        }
        List<String> keys = new ArrayList<>(List.of("match", "reason"));
        for (NicSetting.Group g : NicSetting.Group.values()) {
          keys.add(g.key());
        }
        r.allowOnly(m, keys);
        String match = r.requireString(m, "match");
        Map<NicSetting, String> settings = new LinkedHashMap<>();
        for (NicSetting.Group g : NicSetting.Group.values()) {
          if (g.hasFields()) {
            YMap gm = r.map(m, g.key());
            r.allowOnly(gm, g.settings().stream().map(NicSetting::field).toList());
            if (gm == null) {
              continue;
            }
            for (NicSetting setting : g.settings()) {
              YNode v = gm.get(setting.field());
              if (v != null) {
                nicValue(r, v, setting).ifPresent(value -> settings.put(setting, value));
              }
            }
          } else {
            NicSetting setting = g.settings().get(0);
            r.opt(m, g.key())
                .flatMap(v -> nicValue(r, v, setting))
                .ifPresent(value -> settings.put(setting, value));
          }
        }
        if (settings.isEmpty()) {
          r.error(m, "nic entry for '" + match + "' sets nothing");
        }
        if (match != null) {
          nic.add(
              new NicSettings(
                  match, settings, r.string(m, "reason", ""), r.file() + ":" + m.line()));
        }
      }
    }
    Map<String, Setting> advisory = new LinkedHashMap<>();
    YMap adv = r.map(root, "advisory");
    r.allowOnly(adv, ADVISORY);
    if (adv != null) {
      for (String k : adv.entries().keySet()) {
        if (ADVISORY.contains(k)) {
          valueWithReason(r, adv.get(k), k).ifPresent(s -> advisory.put(k, s));
        }
      }
    }
    return new Profile(
        name == null ? "?" : name,
        description,
        parent == null ? List.of() : List.of(parent),
        sysctl,
        pod,
        nic,
        advisory,
        r.file());
  }

  private static Map<String, Setting> sysctls(Reader r, YMap root, String section, boolean pod) {
    Map<String, Setting> out = new LinkedHashMap<>();
    YMap m = r.map(root, section);
    if (m == null) {
      return out;
    }
    for (String key : m.entries().keySet()) {
      YNode node = m.get(key);
      Optional<Setting> s = valueWithReason(r, node, key);
      if (s.isEmpty()) {
        continue;
      }
      try {
        new Sysctl(key);
      } catch (IllegalArgumentException e) {
        // a key becomes a /proc/sys path and a pod's setting: nothing but plain segments
        r.error(m.keyLine(key), e.getMessage());
        continue;
      }
      Optional<SysctlCatalog.KeySpec> spec = SysctlCatalog.find(key);
      if (spec.isEmpty()) {
        r.error(
            m.keyLine(key),
            "unknown sysctl '" + key + "' (not in kdensity's catalog of network sysctls)");
        continue;
      }
      Optional<String> bad = spec.get().check(s.get().value());
      if (bad.isPresent()) {
        r.error(node, "'" + key + "' " + bad.get());
        continue;
      }
      if (pod && new Sysctl(key).nodeWide()) {
        r.error(
            m.keyLine(key),
            "'" + key + "' is node-wide and cannot be set per pod: move it to 'sysctl'");
        continue;
      }
      out.put(key, s.get());
    }
    return out;
  }

  /** {@code key: value} or {@code key: {value: v, reason: "…"}}. */
  private static Optional<Setting> valueWithReason(Reader r, YNode node, String key) {
    String origin = r.file() + ":" + node.line();
    if (node instanceof YScalar s) {
      if (s.isNull()) {
        r.error(node, "'" + node.path() + "' has no value");
        return Optional.empty();
      }
      return Optional.of(new Setting(key, s.value(), "", origin));
    }
    YMap m = r.map(node);
    if (m == null) {
      return Optional.empty();
    }
    r.allowOnly(m, List.of("value", "reason"));
    String v = r.requireString(m, "value");
    return v == null
        ? Optional.empty()
        : Optional.of(new Setting(key, v, r.string(m, "reason", ""), origin));
  }
}
