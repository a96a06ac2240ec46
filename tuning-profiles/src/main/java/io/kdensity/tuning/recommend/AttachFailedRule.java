package io.kdensity.tuning.recommend;

import io.kdensity.probes.finding.Cause;
import io.kdensity.probes.finding.FindingCode;
import io.kdensity.probes.finding.Recommendation;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Attachments that failed, by cause: the action that fixes that cause. */
public final class AttachFailedRule implements RecommendationRule {
  @Override
  public FindingCode code() {
    return FindingCode.ATTACH_FAILED;
  }

  @Override
  public Optional<Recommendation> recommend(RuleInput in, Recommender.Context c) {
    Cause cause = in.first().cause();
    String action =
        switch (cause) {
          case IPAM_EXHAUSTED -> "Give the network a larger subnet: its IPAM pool is exhausted.";
          case ADDRESS_IN_USE ->
              "Fixed addresses are reused before the old sandbox released them: give each pod its own, or wait for the release.";
          case PLUGIN_MISCONFIGURED ->
              "Fix the network's CNI config: a plugin binary, its master interface or a field is missing or wrong (the plugin's message is in the evidence).";
          case SYSCTL_FORBIDDEN ->
              "Allow the profile's pod sysctls on the kubelet (allowedUnsafeSysctls: [\"net.ipv6.conf.*\"]), or drop them from the profile.";
          case NODE_POD_LIMIT ->
              "Raise the kubelet's maxPods on the node (KubeletConfiguration), or ramp fewer pods.";
          case UNSCHEDULABLE ->
              "Make the node schedulable for the pods: taints, cordon, or requests beyond allocatable (the scheduler's message is in the evidence).";
          case NOT_READY_IN_TIME ->
              "Pods did not become ready in time without reporting a failure: raise readyTimeout or look at the kubelet and runtime on the node.";
          default -> "Read the plugin's message in the evidence; kdensity passes it on unchanged.";
        };
    return Optional.of(
        in.recommendation(
            "Fix failing attachments (" + cause.summary() + ")",
            "CNI ADD failed: " + in.first().message(),
            Map.of(),
            Map.of(),
            List.of(action)));
  }
}
