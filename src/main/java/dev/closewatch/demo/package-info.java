/**
 * The built-in demo upstream, served only with the {@code demo} profile.
 */
@NullMarked
package dev.closewatch.demo;

import org.jspecify.annotations.NullMarked;
