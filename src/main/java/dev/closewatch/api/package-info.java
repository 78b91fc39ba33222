/**
 * The read-only REST API under /api/v1.
 */
@NullMarked
package dev.closewatch.api;

import org.jspecify.annotations.NullMarked;
