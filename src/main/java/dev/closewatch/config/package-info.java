/**
 * Sources of upstream definitions that change while closewatch runs: watched files and
 * the REST API.
 */
@NullMarked
package dev.closewatch.config;

import org.jspecify.annotations.NullMarked;
