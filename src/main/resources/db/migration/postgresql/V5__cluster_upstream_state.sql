-- Each replica of a cluster publishes the live state of the upstreams it owns, so that any
-- replica's API can show every upstream (GET /api/v1/upstreams) and a replica handing a shard
-- over can see that its next owner has opened the shard's upstreams before it closes its own.
-- Written only on a change, at most once per closewatch.cluster.publish-interval.
CREATE TABLE cluster_upstream_state (
    upstream     TEXT        NOT NULL PRIMARY KEY,
    owner        TEXT        NOT NULL,
    state        TEXT        NOT NULL,
    -- the attempt number of the owner's loop: 0 while its first attempt is still to come
    attempt      INTEGER     NOT NULL,
    -- the status as the owner's API answers it (JSON)
    status       TEXT        NOT NULL,
    published_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
