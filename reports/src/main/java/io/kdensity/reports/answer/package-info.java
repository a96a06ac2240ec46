/**
 * The answer of a run in a few lines — verdict, knee, the limiting finding with its cause and
 * evidence, and the chart that shows it — for the terminal and the report's first screen.
 */
package io.kdensity.reports.answer;
