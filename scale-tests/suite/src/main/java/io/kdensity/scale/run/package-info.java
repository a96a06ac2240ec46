/**
 * One ramp run from plan to outputs, shared by both front doors (the JUnit suite behind {@code mvn
 * verify -Pramp} and the {@code kdensity} CLI): load and validate, preflight, set up, apply the
 * profile, step, clean up, revert, write {@code summary.json}, recommendations and the Allure run
 * files. Ctrl-C stops at once, cleans up and still writes what was measured.
 */
package io.kdensity.scale.run;
