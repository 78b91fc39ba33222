/**
 * The bounded store of recorded close events.
 */
@NullMarked
package dev.closewatch.history;

import org.jspecify.annotations.NullMarked;
