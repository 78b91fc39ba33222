/**
 * The built-in demo upstream, served only with the {@code demo} profile, and the
 * {@code training} profile's run against it, from which the image build makes the JVM's
 * startup cache.
 */
@NullMarked
package dev.closewatch.demo;

import org.jspecify.annotations.NullMarked;
