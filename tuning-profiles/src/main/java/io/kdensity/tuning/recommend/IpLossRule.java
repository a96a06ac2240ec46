package io.kdensity.tuning.recommend;

import io.kdensity.probes.finding.Cause;
import io.kdensity.probes.finding.FindingCode;
import io.kdensity.probes.finding.Recommendation;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Lost addresses, by their cause: DAD (let IPAM guarantee uniqueness), not configured (IPAM or
 * plugin), no route, neighbour discovery unanswered with drops (the datapath), unexplained (what to
 * look at). Addresses the neighbour table refused are covered by its own recommendation.
 */
public final class IpLossRule implements RecommendationRule {
  @Override
  public FindingCode code() {
    return FindingCode.IP_LOSS;
  }

  @Override
  public Optional<Recommendation> recommend(RuleInput in, Recommender.Context c) {
    Set<Cause> causes = in.causes();
    if (causes.contains(Cause.DAD_FAILED) || causes.contains(Cause.STILL_TENTATIVE)) {
      return Optional.of(
          in.recommendation(
              "Let IPAM, not DAD, guarantee unique pod addresses",
              "Pod addresses failed or stalled in duplicate address detection. IPAM already hands out unique addresses; DAD adds 1-2 s per interface and multicast solicitations at scale.",
              Map.of(),
              Map.of("net.ipv6.conf.all.accept_dad", "0", "net.ipv6.conf.default.accept_dad", "0"),
              List.of(
                  "In Kubernetes set these per pod (securityContext.sysctls) or with the tuning CNI plugin in the NetworkAttachmentDefinition.")));
    }
    if (causes.contains(Cause.ADDRESS_NOT_CONFIGURED)) {
      return Optional.of(
          in.recommendation(
              "Find where pod addresses go missing",
              "Addresses the CNI result (or Multus network-status) declared are not configured on their interfaces.",
              Map.of(),
              Map.of(),
              List.of(
                  "Compare the IPAM allocations with the pods' interfaces; look for a second IPAM handing out the same range, or an agent removing addresses.")));
    }
    if (causes.contains(Cause.NO_ROUTE)) {
      return Optional.of(
          in.recommendation(
              "Restore the routes to pod addresses",
              "The gateway side has no route to the lost addresses: the routed (ptp) host route of the pod is missing.",
              Map.of(),
              Map.of(),
              List.of(
                  "Check that the CNI plugin's host routes survive (another agent flushing routes, route table limits: net.ipv6.route.max_size).")));
    }
    if (causes.contains(Cause.NEIGHBOUR_UNANSWERED)) {
      return Optional.of(
          in.recommendation(
              "Stop the drops on the path of the lost addresses",
              "Neighbour discovery for the lost addresses went unanswered while packets were dropped on their path (see the evidence: uplink, macvlan or bridge drop counters, softnet backlog drops).",
              Map.of("net.core.netdev_max_backlog", "16384"),
              Map.of(),
              List.of(
                  "Spread the packet load over CPUs (RPS) and give the NICs larger rings if their rx_dropped moved.")));
    }
    if (causes.equals(Set.of(Cause.NEIGHBOUR_REFUSED))) {
      return Optional.empty(); // the neighbour table's recommendation is the fix
    }
    return Optional.of(
        in.recommendation(
            "Find out why pod addresses stop answering",
            "Configured pod addresses did not answer their gateway, and nothing kdensity checked explains it: no neighbour overflow, no drops on the path, the routes are there (see the evidence for what was checked).",
            Map.of(),
            Map.of(),
            List.of(
                "Check IPAM pool sizes, duplicate addresses across nodes, and the switch's MAC table.")));
  }
}
