/**
 * kdensity reports: {@code summary.json}, Allure results with charts, and recommendations a person
 * can act on. Depends only on result records.
 */
package io.kdensity.reports;
