/**
 * A node's history of runs: the knee and the gated latencies in start order, and where each changed
 * level (E-divisive means), with acknowledged changes taken as the new level.
 */
package io.kdensity.scale.history;
