package io.kdensity.tuning.profile;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * One NIC setting a profile may make, by its key in profiles and journals ({@code rings.rx}, {@code
 * mtu}). The {@link Group} says which tool changes it and which values it takes.
 */
public enum NicSetting {
  RINGS_RX(Group.RINGS, "rx"),
  RINGS_TX(Group.RINGS, "tx"),
  CHANNELS_COMBINED(Group.CHANNELS, "combined"),
  CHANNELS_RX(Group.CHANNELS, "rx"),
  CHANNELS_TX(Group.CHANNELS, "tx"),
  OFFLOADS_GRO(Group.OFFLOADS, "gro"),
  OFFLOADS_GSO(Group.OFFLOADS, "gso"),
  OFFLOADS_TSO(Group.OFFLOADS, "tso"),
  OFFLOADS_LRO(Group.OFFLOADS, "lro"),
  COALESCE_RX_USECS(Group.COALESCE, "rx-usecs"),
  COALESCE_TX_USECS(Group.COALESCE, "tx-usecs"),
  TXQUEUELEN(Group.TXQUEUELEN, ""),
  MTU(Group.MTU, ""),
  RPS_CPUS(Group.RPS_CPUS, ""),
  XPS_CPUS(Group.XPS_CPUS, "");

  /**
   * A family of settings written by one command.
   *
   * @see <a href="https://man7.org/linux/man-pages/man8/ethtool.8.html">ethtool(8)</a>
   */
  public enum Group {
    /** {@code ethtool -G}: descriptors per ring. */
    RINGS("rings", Values.integer(1, 65_536)),
    /** {@code ethtool -L}: queues. */
    CHANNELS("channels", Values.integer(0, 4096)),
    /** {@code ethtool -K}: on or off. */
    OFFLOADS("offloads", Values.ON_OFF),
    /** {@code ethtool -C}: interrupt coalescing in microseconds (1 s at most). */
    COALESCE("coalesce", Values.integer(0, 1_000_000)),
    /** {@code ip link set txqueuelen}. */
    TXQUEUELEN("txqueuelen", Values.integer(0, Integer.MAX_VALUE)),
    /** {@code ip link set mtu}: 68 is IPv4's minimum, 65,535 the largest any driver takes. */
    MTU("mtu", Values.integer(68, 65_535)),
    /** {@code /sys/class/net/DEV/queues/rx-N/rps_cpus}: a hex CPU mask. */
    RPS_CPUS("rps_cpus", Values.HEX_MASK),
    /** {@code /sys/class/net/DEV/queues/tx-N/xps_cpus}: a hex CPU mask. */
    XPS_CPUS("xps_cpus", Values.HEX_MASK);

    private final String key;
    private final Values values;

    Group(String key, Values values) {
      this.key = key;
      this.values = values;
    }

    /** The key in profiles: {@code rings}, {@code mtu}. */
    public String key() {
      return key;
    }

    /** The values the group's settings accept. */
    public Values accepts() {
      return values;
    }

    /** The settings of this group. */
    public List<NicSetting> settings() {
      return Arrays.stream(NicSetting.values()).filter(s -> s.group == this).toList();
    }

    /** Whether the group is a map of fields in profiles ({@code rings: {rx: 4096}}). */
    public boolean hasFields() {
      return settings().size() > 1 || !settings().get(0).field.isEmpty();
    }
  }

  /**
   * The values a setting takes: an integer range, on/off, or a hex CPU mask.
   *
   * @param min least integer value (integer settings)
   * @param max largest integer value (integer settings)
   */
  public record Values(Kind kind, long min, long max) {
    public enum Kind {
      INTEGER,
      ON_OFF,
      HEX_MASK
    }

    static final Values ON_OFF = new Values(Kind.ON_OFF, 0, 0);
    static final Values HEX_MASK = new Values(Kind.HEX_MASK, 0, 0);

    static Values integer(long min, long max) {
      return new Values(Kind.INTEGER, min, max);
    }
  }

  private final Group group;
  private final String field;

  NicSetting(Group group, String field) {
    this.group = group;
    this.field = field;
  }

  public Group group() {
    return group;
  }

  /** The field within the group ({@code rx}, {@code rx-usecs}), or "" for a group of one. */
  public String field() {
    return field;
  }

  /** The key in profiles and journals: {@code rings.rx}, {@code mtu}. */
  public String key() {
    return field.isEmpty() ? group.key : group.key + "." + field;
  }

  /** The setting with this key. */
  public static Optional<NicSetting> ofKey(String key) {
    return Arrays.stream(values()).filter(s -> s.key().equals(key)).findFirst();
  }

  @Override
  public String toString() {
    return key();
  }
}
