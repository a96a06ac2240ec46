package io.kdensity.scale.plan;

import io.kdensity.config.run.AttachMode;
import io.kdensity.config.yaml.Reader;
import io.kdensity.config.yaml.YNode;
import io.kdensity.config.yaml.YNode.YList;
import io.kdensity.config.yaml.YNode.YMap;
import io.kdensity.config.yaml.Yaml;
import io.kdensity.probes.DefaultProbes;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Loads a ramp plan from YAML and validates all of it, reporting every problem with its line: the
 * top-level binding is here, each section has its reader ({@link TargetReader}, {@link
 * AttachmentReader}, {@link RampReader}, {@link ProbeSettingsReader}, {@link SloReader}), all
 * writing their problems into one {@link Reader}.
 *
 * <pre>{@code
 * Plan plan = PlanLoader.load(Path.of("scale-tests/plans/default.yaml"));
 * Plan fleet = PlanLoader.load(Path.of("scale-tests/plans/cluster-2000x5.yaml"), System.getenv());
 * }</pre>
 */
public final class PlanLoader {
  private static final List<String> TOP =
      List.of(
          "name",
          "description",
          "target",
          "primary",
          "attachments",
          "interfacesPerPod",
          "ramp",
          "settle",
          "hold",
          "traffic",
          "probes",
          "slos",
          "stop",
          "bisect",
          "profiles",
          "cleanup",
          "soak",
          "trials",
          "steady");

  /** The most independent searches for the knee a plan may ask for ({@code ramp --trials}). */
  public static final int MAX_TRIALS = 50;

  /** The most secondary interfaces a pod may have. */
  static final int MAX_INTERFACES = 64;

  /** The largest pod count a plan may ask for. */
  static final int MAX_PODS = 100_000;

  private PlanLoader() {}

  /**
   * Loads and validates; throws {@link io.kdensity.config.yaml.ConfigException} with all problems.
   */
  public static Plan load(Path file) {
    return load(file, System.getenv());
  }

  /**
   * Loads with {@code ${NAME}} / {@code ${NAME:-default}} placeholders taken from {@code env}
   * ({@link Placeholders}).
   */
  public static Plan load(Path file, Map<String, String> env) {
    String text = Placeholders.expand(Yaml.read(file), file.toString(), env);
    return parse(Yaml.parse(text, file.toString()), file.toString());
  }

  public static Plan parse(String yaml, String file) {
    return parse(Yaml.parse(yaml, file), file);
  }

  private static Plan parse(YNode doc, String file) {
    Reader r = new Reader(file);
    YMap root = r.map(doc);
    if (root == null) {
      r.throwIfAny();
    }
    r.allowOnly(root, TOP);
    String name = r.requireString(root, "name");
    String description = r.string(root, "description", "");
    TargetSpec target = TargetReader.target(r, r.map(root, "target"));
    Attachment primary =
        r.opt(root, "primary")
            .map(n -> AttachmentReader.attachment(r, n, target, true))
            .orElse(AttachmentReader.defaultPrimary(target));
    List<Attachment> attachments = new ArrayList<>();
    YList al = r.list(root, "attachments");
    if (al != null) {
      for (YNode n : al.items()) {
        Attachment a = AttachmentReader.attachment(r, n, target);
        if (a != null) {
          if (attachments.stream().anyMatch(x -> x.name().equals(a.name()))
              || (primary != null && primary.name().equals(a.name()))) {
            r.error(n, "attachment name '" + a.name() + "' is used twice");
          }
          attachments.add(a);
        }
      }
    }
    int perPod = (int) r.integer(root, "interfacesPerPod", attachments.size(), 0, MAX_INTERFACES);
    if (perPod > 0 && attachments.isEmpty()) {
      r.error(
          root.get("interfacesPerPod") == null ? root : root.get("interfacesPerPod"),
          "interfacesPerPod is " + perPod + " but no attachments are declared");
    }
    Ramp ramp = RampReader.ramp(r, root);
    AttachmentReader.checkIpCapacity(r, attachments, perPod, ramp);
    if (primary != null) {
      AttachmentReader.checkIpCapacity(r, List.of(primary), 1, ramp);
    }
    Duration settle = r.duration(root, "settle", Duration.ofSeconds(2));
    Duration hold = r.duration(root, "hold", Duration.ofSeconds(5));
    Traffic traffic = ProbeSettingsReader.traffic(r, r.map(root, "traffic"));
    DefaultProbes.Thresholds thresholds = ProbeSettingsReader.thresholds(r, r.map(root, "probes"));
    List<Slo> slos = SloReader.slos(r, root);
    YMap stop = r.map(root, "stop");
    r.allowOnly(stop, List.of("policy", "extraSteps"));
    Plan.StopPolicy stopPolicy =
        new Plan.StopPolicy(
            r.enumValue(
                stop, "policy", Plan.StopPolicy.Mode.class, Plan.StopPolicy.Mode.FIRST_FAILURE),
            (int) r.integer(stop, "extraSteps", 0, 0, 1000));
    YMap bis = r.map(root, "bisect");
    r.allowOnly(bis, List.of("enabled", "resolution"));
    Plan.Bisect bisect =
        new Plan.Bisect(
            r.bool(bis, "enabled", true), (int) r.integer(bis, "resolution", 10, 1, MAX_PODS));
    List<String> profiles = r.strings(root, "profiles");
    Plan.Cleanup cleanup = r.enumValue(root, "cleanup", Plan.Cleanup.class, Plan.Cleanup.ALWAYS);
    Soak soak = SoakReader.soak(r, root);
    int trials = (int) r.integer(root, "trials", 1, 1, MAX_TRIALS);
    YMap st = r.map(root, "steady");
    r.allowOnly(st, List.of("enabled", "hold", "burst"));
    Steady steady =
        new Steady(
            r.bool(st, "enabled", Steady.OFF.enabled()),
            r.duration(st, "hold", Steady.OFF.hold()),
            r.bool(st, "burst", Steady.OFF.burst()));
    r.throwIfAny();
    Plan plan =
        new Plan(
            name,
            description,
            file,
            target,
            primary,
            attachments,
            perPod,
            ramp,
            settle,
            hold,
            traffic,
            thresholds,
            slos,
            stopPolicy,
            bisect,
            profiles,
            cleanup,
            soak,
            trials,
            steady);
    if (target.local().attach() == AttachMode.NETLINK) {
      plan.requireNetlinkPossible();
    }
    return plan;
  }
}
