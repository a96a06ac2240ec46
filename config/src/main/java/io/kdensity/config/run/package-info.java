/**
 * The run vocabulary that plans, tuning profiles, reports and gate rules share, below all of them:
 * how a run's pod interfaces were made ({@link io.kdensity.config.run.AttachMode}).
 */
package io.kdensity.config.run;
