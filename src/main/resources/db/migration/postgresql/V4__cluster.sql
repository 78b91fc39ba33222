-- Cluster coordination (closewatch.cluster.enabled, PostgreSQL only): which members are live and
-- which member holds each shard's lease. Both expire by this database's clock (now()), never by a
-- replica's, so clock skew between replicas cannot make two of them owners of one shard.
CREATE TABLE cluster_member (
    member_id  TEXT        NOT NULL PRIMARY KEY,
    started_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    expires_at TIMESTAMPTZ NOT NULL
);

-- successor: the member the owner hands the shard to (rebalancing after a member joined); it may
-- take the lease while it runs, opens its connections, and the owner closes its own when it sees
-- the lease gone: make-before-break.
CREATE TABLE cluster_lease (
    shard      INTEGER     NOT NULL PRIMARY KEY,
    owner      TEXT        NOT NULL,
    expires_at TIMESTAMPTZ NOT NULL,
    successor  TEXT
);

CREATE INDEX cluster_lease_owner ON cluster_lease (owner);
