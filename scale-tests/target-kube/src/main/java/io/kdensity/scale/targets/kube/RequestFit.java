package io.kdensity.scale.targets.kube;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * How many of the run's pods the scheduler fits on a node for one resource: it places a pod only
 * where allocatable less the requests of the node's pods fits the pod's request. The preflight
 * ({@link NodeCapacity}) and the capacity model ({@link NodePodLimits}) both ask this.
 *
 * @param resource the resource
 * @param allocatable the node's allocatable, in the quantity's base unit (cores, bytes)
 * @param others what the node's other pods request
 * @param probe what kdensity's probe pod requests
 * @param each what each of the run's pods requests, above 0
 */
record RequestFit(
    PodResource resource,
    BigDecimal allocatable,
    BigDecimal others,
    BigDecimal probe,
    BigDecimal each) {

  /**
   * @param allocatable the node's allocatable quantities
   * @param others the pods bound to the node that are not the run's
   * @return empty when the node declares no allocatable of the resource
   */
  static Optional<RequestFit> of(
      PodResource resource, Map<String, Quantity> allocatable, List<Pod> others) {
    Quantity size = allocatable.get(resource.key());
    if (size == null) {
      return Optional.empty();
    }
    BigDecimal requested =
        others.stream()
            .flatMap(p -> p.getSpec().getContainers().stream())
            .map(c -> request(c, resource.key()))
            .reduce(BigDecimal.ZERO, BigDecimal::add);
    return Optional.of(
        new RequestFit(
            resource,
            size.getNumericalAmount(),
            requested,
            new Quantity(resource.probePodRequest()).getNumericalAmount(),
            new Quantity(resource.runPodRequest()).getNumericalAmount()));
  }

  /** What the other pods and the probe pod take. */
  BigDecimal taken() {
    return others.add(probe);
  }

  /** How many run pods fit beside the others and the probe pod. */
  int fits() {
    return allocatable
        .subtract(taken())
        .max(BigDecimal.ZERO)
        .divide(each, 0, RoundingMode.DOWN)
        .intValue();
  }

  /** What {@code pods} run pods, the others and the probe pod request together. */
  BigDecimal need(int pods) {
    return taken().add(each.multiply(BigDecimal.valueOf(pods)));
  }

  /** A container's request of {@code resource}, 0 if none. */
  static BigDecimal request(Container c, String resource) {
    if (c.getResources() == null || c.getResources().getRequests() == null) {
      return BigDecimal.ZERO;
    }
    Quantity q = c.getResources().getRequests().get(resource);
    return q == null ? BigDecimal.ZERO : q.getNumericalAmount();
  }
}
