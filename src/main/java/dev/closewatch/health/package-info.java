/**
 * The {@code upstreams} health contributor: what each upstream is doing, for operators.
 */
@NullMarked
package dev.closewatch.health;

import org.jspecify.annotations.NullMarked;
