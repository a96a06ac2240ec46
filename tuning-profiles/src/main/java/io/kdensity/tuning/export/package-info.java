/**
 * Profiles in the formats operators already roll out: a {@code sysctl.d} drop-in, a TuneD profile,
 * and an OpenShift Node Tuning Operator {@code Tuned} custom resource.
 */
package io.kdensity.tuning.export;
