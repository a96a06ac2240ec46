package io.kdensity.scale.targets.local;

import io.kdensity.probes.addr.Addresses;
import io.kdensity.probes.concurrent.DaemonThreads;
import io.kdensity.probes.probe.PodInterface;
import io.kdensity.probes.shell.Command;
import io.kdensity.probes.shell.NodeShell;
import io.kdensity.probes.shell.RunningProcess;
import io.kdensity.scale.targets.AttachStages;
import io.kdensity.scale.targets.InfrastructureException;
import io.micrometer.core.instrument.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * When each pod's IPv6 addresses leave duplicate address detection, from the kernel's own address
 * notifications: one {@code ip -o monitor all-nsid address} in the machine's root namespace hears
 * every namespace that has an id there (the pods are given one as they are made, {@code ip netns
 * set NAME auto}). Each line is stamped with the run's clock as it is read. An address is announced
 * tentative when it is added and again when DAD ends ({@code addrconf_dad_completed} sends
 * RTM_NEWADDR), so the watch sees DAD's start and end whether the CNI plugin waited for it or
 * returned before.
 */
final class AddressWatch implements AutoCloseable {
  static final Command MONITOR = Command.of("ip", "-o", "monitor", "all-nsid", "address");
  static final Command NSIDS = Command.of("ip", "-j", "netns", "list");

  /**
   * How long the watch waits for the notifications of addresses the engine already found settled:
   * the monitor prints each within milliseconds of the kernel's change.
   */
  static final Duration LAG = Duration.ofSeconds(1);

  /** Not seen. */
  static final long NONE = Long.MIN_VALUE;

  private static final Pattern LINE =
      Pattern.compile(
          "^\\[nsid (\\d+)\\](Deleted )?\\d+: \\S+\\s+inet6 ([0-9a-fA-F:.]+)/\\d+(.*)$");

  /**
   * One address notification.
   *
   * @param nsid the namespace's id in the root namespace
   * @param address canonical, without prefix length
   * @param tentative DAD has not finished
   * @param dadFailed DAD found a duplicate: the address is never used
   * @param at when the line was read, the run clock's monotonic nanoseconds
   */
  record Event(int nsid, String address, boolean tentative, boolean dadFailed, long at) {}

  /** One line of {@code ip -o monitor all-nsid address}; IPv6 additions of a namespace only. */
  static Optional<Event> parse(String line, long at) {
    Matcher m = LINE.matcher(line);
    if (!m.matches() || m.group(2) != null) {
      return Optional.empty(); // the root namespace's own, IPv4, or a deletion
    }
    String flags = m.group(4);
    int cut = flags.indexOf('\\');
    Set<String> words = Set.of((cut < 0 ? flags : flags.substring(0, cut)).trim().split("\\s+"));
    return Optional.of(
        new Event(
            Integer.parseInt(m.group(1)),
            Addresses.canonical(m.group(3)),
            words.contains("tentative"),
            words.contains("dadfailed"),
            at));
  }

  /**
   * What was seen of one address.
   *
   * @param tentativeAt first seen tentative, or {@link #NONE}
   * @param validAt first seen past DAD, or {@link #NONE}
   * @param failed DAD failed
   */
  record Seen(long tentativeAt, long validAt, boolean failed) {
    static final Seen NOTHING = new Seen(NONE, NONE, false);

    static Seen of(Event e) {
      if (e.dadFailed()) {
        return new Seen(NONE, NONE, true);
      }
      return e.tentative() ? new Seen(e.at(), NONE, false) : new Seen(NONE, e.at(), false);
    }

    /** The first of each moment, and failed if either failed. */
    Seen merge(Seen later) {
      return new Seen(
          tentativeAt != NONE ? tentativeAt : later.tentativeAt,
          validAt != NONE ? validAt : later.validAt,
          failed || later.failed);
    }

    boolean ended() {
      return validAt != NONE || failed;
    }
  }

  private record Key(int nsid, String address) {}

  private final NodeShell root;
  private final RunningProcess monitor;
  private final Clock clock;
  private final Map<Key, Seen> seen = new HashMap<>();

  private AddressWatch(NodeShell root, RunningProcess monitor, Clock clock) {
    this.root = root;
    this.monitor = monitor;
    this.clock = clock;
  }

  /** Starts listening in {@code root}, the namespace where the pods' namespaces get their ids. */
  static AddressWatch start(NodeShell root, Clock clock) {
    AddressWatch w = new AddressWatch(root, root.start(MONITOR), clock);
    DaemonThreads.named("kd-address-watch").newThread(w::read).start();
    return w;
  }

  private void read() {
    String line;
    while ((line = monitor.readLine()) != null) {
      long at = clock.monotonicTime();
      parse(line, at)
          .ifPresent(
              e -> {
                synchronized (this) {
                  seen.merge(new Key(e.nsid(), e.address()), Seen.of(e), Seen::merge);
                  notifyAll();
                }
              });
    }
  }

  /**
   * Waits, at most {@code atMost}, until every IPv6 address of {@code created} has been heard
   * leaving DAD (or failing it), then records into {@code stages} each address's DAD (tentative →
   * valid) and how long after its interface's attach it became usable (0 when the plugin waited for
   * DAD). An address still tentative at the deadline is left to the IP loss probe.
   */
  void await(List<LocalPod> created, Duration atMost, AttachStages stages) {
    if (created.isEmpty()) {
      return;
    }
    Map<String, Integer> ids = ids();
    Map<Key, Long> attachedAt = new HashMap<>();
    for (LocalPod p : created) {
      Integer nsid = ids.get(p.name());
      if (nsid == null) {
        continue; // no id: its notifications were not heard
      }
      for (PodInterface i : p.interfaces()) {
        for (String a : i.addresses()) {
          if (a.contains(":")) {
            attachedAt.put(new Key(nsid, a), i.attachedAt());
          }
        }
      }
    }
    Map<Key, Seen> now;
    synchronized (this) {
      MonitorWait.until(this, () -> allEnded(attachedAt.keySet()), monitor, atMost, clock);
      now = Map.copyOf(seen);
    }
    attachedAt.forEach(
        (k, attached) -> {
          Seen s = now.getOrDefault(k, Seen.NOTHING);
          if (s.validAt() == NONE) {
            return;
          }
          if (s.tentativeAt() != NONE && s.tentativeAt() <= s.validAt()) {
            stages.dad(s.validAt() - s.tentativeAt());
          }
          if (attached != PodInterface.UNKNOWN_TIME) {
            stages.usableAfterAttach(Math.max(0, s.validAt() - attached));
          }
        });
  }

  private boolean allEnded(Set<Key> keys) {
    for (Key k : keys) {
      if (!seen.getOrDefault(k, Seen.NOTHING).ended()) {
        return false;
      }
    }
    return true;
  }

  /** The ids the root namespace gave the named namespaces ({@code ip -j netns list}). */
  Map<String, Integer> ids() {
    return ids(root.run(NSIDS).requireSuccess().stdout());
  }

  static Map<String, Integer> ids(String json) {
    Map<String, Integer> out = new HashMap<>();
    if (json.isBlank()) {
      return out;
    }
    try {
      for (JsonNode n : JsonMapper.shared().readTree(json)) {
        if (n.has("id")) {
          out.put(n.path("name").asString(), n.path("id").asInt());
        }
      }
    } catch (JacksonException e) {
      throw new InfrastructureException(
          "`" + NSIDS.display() + "` printed what is not JSON: " + e.getOriginalMessage());
    }
    return out;
  }

  @Override
  public void close() {
    monitor.close();
  }
}
