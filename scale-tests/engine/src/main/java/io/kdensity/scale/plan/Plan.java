package io.kdensity.scale.plan;

import io.kdensity.config.run.AttachMode;
import io.kdensity.config.yaml.ConfigError;
import io.kdensity.config.yaml.ConfigException;
import io.kdensity.config.yaml.Reader;
import io.kdensity.probes.DefaultProbes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A validated ramp plan.
 *
 * @param name plan name
 * @param description what it shows
 * @param source file it was loaded from
 * @param target where pods are ramped
 * @param primary eth0's network (a routed veth, like ptp or Calico)
 * @param attachments the Multus networks
 * @param interfacesPerPod secondary interfaces per pod (net1..netK), cycling through attachments
 * @param ramp pod counts per step
 * @param settle wait after scaling before the first snapshot
 * @param hold traffic time between the snapshots
 * @param traffic what traffic runs
 * @param thresholds probe thresholds
 * @param slos rules every step must pass
 * @param stop what to do after a failing step
 * @param bisect knee bisection
 * @param profiles tuning profiles: one is applied for the run; several are compared
 * @param cleanup when to remove what the run created
 * @param soak what a soak holds and for how long, or null if the plan has no {@code soak:} section
 * @param trials independent searches for the knee {@code ramp} runs ({@code --trials} overrides; 1
 *     = one ramp) (a ramp ignores it)
 * @param steady whether failing steps are held and measured again, and the burst tolerance found
 */
public record Plan(
    String name,
    String description,
    String source,
    TargetSpec target,
    Attachment primary,
    List<Attachment> attachments,
    int interfacesPerPod,
    Ramp ramp,
    Duration settle,
    Duration hold,
    Traffic traffic,
    DefaultProbes.Thresholds thresholds,
    List<Slo> slos,
    StopPolicy stop,
    Bisect bisect,
    List<String> profiles,
    Cleanup cleanup,
    Soak soak,
    int trials,
    Steady steady) {

  public Plan {
    attachments = List.copyOf(attachments);
    slos = List.copyOf(slos);
    profiles = List.copyOf(profiles);
  }

  /** After a failing step: stop, or run {@code extraSteps} more. */
  public record StopPolicy(Mode mode, int extraSteps) {
    public enum Mode {
      FIRST_FAILURE,
      CONTINUE
    }
  }

  /** Narrow the knee between the last passing and first failing pod count. */
  public record Bisect(boolean enabled, int resolution) {}

  public enum Cleanup {
    ALWAYS,
    ON_SUCCESS,
    NEVER
  }

  /** Interfaces per pod including eth0. */
  public int interfacesWithPrimary() {
    return interfacesPerPod + 1;
  }

  /** The attachment of interface {@code net<i>} (1-based): net1..netK cycle through them. */
  public Attachment attachmentOf(int i) {
    return attachments.get((i - 1) % attachments.size());
  }

  /**
   * The fixed addresses of pod {@code pod}'s (1-based) {@code net<i>} from its attachment's {@code
   * ips}; empty when the attachment has none (its IPAM allocates).
   */
  public List<String> podAddresses(int pod, int i) {
    int a = (i - 1) % attachments.size();
    return attachments
        .get(a)
        .podAddresses(
            pod,
            (i - 1) / attachments.size(),
            slotsPerPod(a, attachments.size(), interfacesPerPod));
  }

  /** eth0's fixed address(es) of pod {@code pod} from the primary's {@code ips}, or empty. */
  public List<String> primaryAddresses(int pod) {
    return primary.podAddresses(pod, 0, 1);
  }

  /** How many of a pod's {@code perPod} interfaces use attachment number {@code a}. */
  static int slotsPerPod(int a, int attachments, int perPod) {
    return perPod / attachments + (a < perPod % attachments ? 1 : 0);
  }

  /**
   * The addresses of pod {@code pod}'s interface {@code i} (0 is eth0) when kdensity hands them out
   * itself ({@code attach: netlink}): fixed {@code ips}, else what the IPAM config would give.
   */
  public List<String> plannedAddresses(int pod, int i) {
    if (i == 0) {
      return NetlinkAttach.addresses(primary, pod, 0, 1);
    }
    int a = (i - 1) % attachments.size();
    return NetlinkAttach.addresses(
        attachments.get(a),
        pod,
        (i - 1) / attachments.size(),
        slotsPerPod(a, attachments.size(), interfacesPerPod));
  }

  /**
   * Why this plan cannot run with {@code attach: netlink} (one error per attachment it cannot make,
   * at the line that declares it), or nothing.
   */
  public List<ConfigError> netlinkProblems() {
    List<ConfigError> out = new ArrayList<>();
    if (target.type() != TargetSpec.Type.LOCAL) {
      out.add(
          new ConfigError(
              source,
              0,
              "attach: netlink is a mode of the local target; a cluster's pods attach through its CNI"));
    }
    List<Attachment> all = new ArrayList<>(List.of(primary));
    all.addAll(attachments);
    for (Attachment a : all) {
      NetlinkAttach.unsupported(a).ifPresent(m -> out.add(new ConfigError(source, a.line(), m)));
    }
    return out;
  }

  /**
   * The same plan with another local attach mode (from --attach / -Dkdensity.attach).
   *
   * @throws ConfigException if the plan cannot run in that mode
   */
  public Plan withAttach(AttachMode mode) {
    Plan p =
        withTarget(
            new TargetSpec(
                target.type(), target.node(), target.local().withAttach(mode), target.kube()));
    if (mode == AttachMode.NETLINK) {
      p.requireNetlinkPossible();
    }
    return p;
  }

  /**
   * @throws ConfigException with every reason this plan cannot run with {@code attach: netlink}
   */
  void requireNetlinkPossible() {
    List<ConfigError> problems = netlinkProblems();
    if (!problems.isEmpty()) {
      throw new ConfigException(problems);
    }
  }

  /** How pod interfaces are made: the local target's attach mode; a cluster's are its CNI's. */
  public AttachMode attachMode() {
    return target.type() == TargetSpec.Type.LOCAL ? target.local().attach() : AttachMode.CNI;
  }

  /** The same plan with another target type (from -Dkdensity.target / --target). */
  public Plan withTarget(TargetSpec t) {
    return new Plan(
        name,
        description,
        source,
        t,
        primary,
        attachments,
        interfacesPerPod,
        ramp,
        settle,
        hold,
        traffic,
        thresholds,
        slos,
        stop,
        bisect,
        profiles,
        cleanup,
        soak,
        trials,
        steady);
  }

  /** The same plan with other profiles (from -Dkdensity.profile / --profile). */
  public Plan withProfiles(List<String> p) {
    return new Plan(
        name,
        description,
        source,
        target,
        primary,
        attachments,
        interfacesPerPod,
        ramp,
        settle,
        hold,
        traffic,
        thresholds,
        slos,
        stop,
        bisect,
        p,
        cleanup,
        soak,
        trials,
        steady);
  }

  /**
   * The plan cut to one pod with one interface on its first network: {@code doctor}'s canary, which
   * walks every part of the path once before a ramp walks it thousands of times.
   */
  public Plan canary() {
    return new Plan(
        name,
        description,
        source,
        target,
        primary,
        attachments.isEmpty() ? List.of() : List.of(attachments.get(0)),
        attachments.isEmpty() ? 0 : 1,
        new Ramp(List.of(1)),
        settle,
        hold,
        traffic,
        thresholds,
        slos,
        stop,
        bisect,
        profiles,
        cleanup,
        soak,
        trials,
        steady);
  }

  /** The same plan held in steady state (from --steady). */
  public Plan withSteady(Steady s) {
    return new Plan(
        name,
        description,
        source,
        target,
        primary,
        attachments,
        interfacesPerPod,
        ramp,
        settle,
        hold,
        traffic,
        thresholds,
        slos,
        stop,
        bisect,
        profiles,
        cleanup,
        soak,
        trials,
        s);
  }

  /** The same plan with another soak (the command line's). */
  public Plan withSoak(Soak s) {
    return new Plan(
        name,
        description,
        source,
        target,
        primary,
        attachments,
        interfacesPerPod,
        ramp,
        settle,
        hold,
        traffic,
        thresholds,
        slos,
        stop,
        bisect,
        profiles,
        cleanup,
        s,
        trials,
        steady);
  }

  /**
   * The same plan with {@code n} secondary interfaces a pod (from --interfaces), cycling through
   * its attachments as the plan's own count would.
   *
   * @throws ConfigException if the count is out of range, the plan has no attachment to put them
   *     on, or an attachment's fixed {@code ips} hold too few addresses for them
   */
  public Plan withInterfaces(int n) {
    Reader r = new Reader(source);
    if (n < 0 || n > PlanLoader.MAX_INTERFACES) {
      r.error(0, "--interfaces: expected 0 to " + PlanLoader.MAX_INTERFACES + ", found " + n);
    } else if (n > 0 && attachments.isEmpty()) {
      r.error(0, "--interfaces " + n + ": the plan declares no attachments to put them on");
    } else {
      AttachmentReader.checkIpCapacity(r, attachments, n, ramp);
    }
    r.throwIfAny();
    return new Plan(
        name,
        description,
        source,
        target,
        primary,
        attachments,
        n,
        ramp,
        settle,
        hold,
        traffic,
        thresholds,
        slos,
        stop,
        bisect,
        profiles,
        cleanup,
        soak,
        trials,
        steady);
  }
}
