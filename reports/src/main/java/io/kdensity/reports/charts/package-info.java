/** PNG charts of a ramp (JFreeChart, headless): one line per metric over interfaces per node. */
package io.kdensity.reports.charts;
