/**
 * When to try again: the reconnect policy and its settings.
 */
@NullMarked
package dev.closewatch.reconnect;

import org.jspecify.annotations.NullMarked;
