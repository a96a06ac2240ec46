/**
 * Targets: where pods and their Multus interfaces are ramped. The local node emulation and the
 * Kubernetes target implement the same {@link io.kdensity.scale.targets.Target} interface, so
 * plans, probes, SLOs and reports are shared.
 */
package io.kdensity.scale.targets;
