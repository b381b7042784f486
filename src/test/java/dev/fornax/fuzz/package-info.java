/**
 * Jazzer fuzz targets, one {@code @FuzzTest} per class (Jazzer fuzzes one per JVM; the pom's
 * {@code fuzz} execution forks one JVM per class). Each feeds mutated bytes to one parser and checks
 * {@link dev.fornax.fuzz.FuzzProperty}. Seeds live in {@code src/test/resources/dev/fornax/fuzz/
 * CLASSInputs/METHOD/}; without JAZZER_FUZZ the targets only replay them (regression mode).
 * {@code bench/fuzz.sh} runs each for minutes and records the figures in bench/RESULTS.md.
 */
package dev.fornax.fuzz;
