/**
 * Ramp plans: typed YAML loaded into validated records. Validation reports every problem at once
 * with file and line; unknown keys are errors.
 */
package io.kdensity.scale.plan;
