/** {@code recommendations.md} and {@code .json}: the knee, the top problems and what to change. */
package io.kdensity.reports.recommend;
