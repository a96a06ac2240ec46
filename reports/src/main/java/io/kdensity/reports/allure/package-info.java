/**
 * Allure content of a ramp: for the current test (one per step) its phases as Allure steps with
 * their real timings, the findings table, probe snapshots as JSON and the charts as PNG; for the
 * results folder {@code categories.json}, {@code environment.properties}, {@code executor.json} and
 * the history of the previous report.
 */
package io.kdensity.reports.allure;
