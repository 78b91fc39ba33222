/**
 * Prometheus metrics derived from upstream events.
 */
@NullMarked
package dev.closewatch.metrics;

import org.jspecify.annotations.NullMarked;
