/**
 * What a close is: the CloseEvent record, the registered close codes and the browser-view
 * rules.
 */
@NullMarked
package dev.closewatch.closeevent;

import org.jspecify.annotations.NullMarked;
