/**
 * Applying a profile safely: read every previous value, write them to a journal on disk, apply,
 * read back and verify, and revert from the journal at the end of a run or, after a crash, with
 * {@code kdensity profile revert}. A profile that cannot be applied completely is rolled back.
 */
package io.kdensity.tuning.apply;
