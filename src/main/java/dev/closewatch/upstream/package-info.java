/**
 * Upstream configuration, one connection state machine per upstream, and the supervisor
 * that owns them.
 */
@NullMarked
package dev.closewatch.upstream;

import org.jspecify.annotations.NullMarked;
