/**
 * Cross-cutting beans: the clock and the scheduler.
 */
@NullMarked
package dev.closewatch.system;

import org.jspecify.annotations.NullMarked;
