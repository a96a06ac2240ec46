/**
 * The step engine: scale, settle, snapshot, hold with traffic, snapshot, evaluate SLOs, find the
 * knee and bisect it. Front doors (the JUnit suite and the CLI) drive a {@link
 * io.kdensity.scale.engine.RampSession} step by step.
 */
package io.kdensity.scale.engine;
