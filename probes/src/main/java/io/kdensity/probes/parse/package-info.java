/** Shared pieces of the pure text-to-record parsers: the parse error and small helpers. */
package io.kdensity.probes.parse;
