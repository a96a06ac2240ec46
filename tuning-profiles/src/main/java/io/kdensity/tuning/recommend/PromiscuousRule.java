package io.kdensity.tuning.recommend;

import io.kdensity.probes.cpu.PacketCpuProbe;
import io.kdensity.probes.finding.FindingCode;
import io.kdensity.probes.finding.Recommendation;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A NIC pushed into promiscuous mode by one MAC per macvlan child. */
public final class PromiscuousRule implements RecommendationRule {
  @Override
  public FindingCode code() {
    return FindingCode.NIC_PROMISC_FALLBACK;
  }

  @Override
  public Optional<Recommendation> recommend(RuleInput in, Recommender.Context c) {
    // every frame on the wire enters the receive path: the cost per hop is the cost per frame
    double cpp = c.metric(PacketCpuProbe.CYCLES_PER_HOP, 0);
    return Optional.of(
        in.recommendation(
            "Stop one MAC per pod interface from pushing the NIC into promiscuous mode",
            "Each macvlan child puts its MAC in the parent NIC's unicast filter; beyond the filter size the NIC goes promiscuous and the CPU inspects every frame on the wire"
                + (cpp > 0
                    ? String.format(
                        " (measured: %,.0f CPU cycles per packet hop in NET_RX/NET_TX at the knee)",
                        cpp)
                    : "")
                + ".",
            Map.of(),
            Map.of(),
            List.of(
                "Use ipvlan (L2 or L3 mode): all pods share the NIC's MAC, the filter stays small.",
                "Or give pods SR-IOV virtual functions: each VF filters in hardware.",
                "If macvlan stays, declare the real filter size of your NIC (target.local.nicUnicastFilter) to see where the fallback starts.")));
  }
}
