/**
 * The capacity model: from a short calibration (the plan's first two steps, each also held in
 * steady state, with a census of the neighbour tables and one incast burst) and the limits the node
 * reports, which limit a density breaks first and between which pod counts. {@link
 * io.kdensity.scale.predict.CapacityModel} is a pure function of the calibration; the engine's
 * session measures it.
 */
package io.kdensity.scale.predict;
