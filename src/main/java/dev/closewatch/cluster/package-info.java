/**
 * Several replicas sharing the upstreams through PostgreSQL: upstreams map to shards,
 * shards to live members by rendezvous hashing, and each shard is held by a lease row
 * whose expiry the database's clock judges. Depends on {@code upstream} and the history
 * store's database, never the other way.
 */
@NullMarked
package dev.closewatch.cluster;

import org.jspecify.annotations.NullMarked;
