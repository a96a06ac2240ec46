/**
 * The node's kernel doing work of its own that a measurement must not absorb, such as freeing the
 * network namespaces of a previous teardown ({@link io.kdensity.probes.kernel.NetnsCleanup}).
 */
package io.kdensity.probes.kernel;
