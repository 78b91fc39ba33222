#!/usr/bin/env python3
"""What a close costs SQLite's disk, by schema and page size (docs/performance.md, round 21).

Writes closewatch's close_event schema (V1 + V6, or with the id as the table's key as V7 makes
it) into a new file in WAL mode with synchronous=NORMAL, seeds it, then writes closes at a fixed
rate in commits of a few (as the writer's linger gathers them), with a passive checkpoint every
100 ms as SqliteCheckpointer does. Prints the bytes this process handed to the kernel per close
(/proc/self/io wchar) and what reached the disk holding the file (/proc/diskstats: other
processes' writes count too, so run it on a quiet machine), and the file's size.

--breakdown N: instead of the timed run, N commits with no checkpoint, then the log's frames read
back and each put to the b-tree its page belongs to (SQLite's dbstat table): which table or index
each commit writes, and how often (docs/performance.md, round 22).

Python's sqlite3 module, not sqlite-jdbc: the same file format and pager, a different SQLite
version (see the first line of the output). Bounded: --seconds at --rate, then it stops.

  bench/sqlite-pages.py [--schema rowid|v6] [--page-size 2048] [--per-commit 3] [--rate 1000]
                        [--seconds 20] [--seed-events 300000] [--upstreams 10000] [--dir /tmp]
                        [--breakdown COMMITS]
"""
import argparse
import collections
import os
import random
import sqlite3
import struct
import time

MIGRATIONS = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'src', 'main', 'resources', 'db',
                          'migration', 'sqlite')

INSERT = ('INSERT INTO close_event VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?) '
          'ON CONFLICT (id) DO NOTHING')

EPOCH = 1_760_000_000_000_000_000


def parse():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--schema', choices=('rowid', 'v6'), default='rowid')
    parser.add_argument('--page-size', type=int, default=2048)
    parser.add_argument('--per-commit', type=int, default=3)
    parser.add_argument('--rate', type=int, default=1000)
    parser.add_argument('--seconds', type=int, default=20)
    parser.add_argument('--seed-events', type=int, default=300_000)
    parser.add_argument('--upstreams', type=int, default=10_000)
    parser.add_argument('--dir', default='/tmp')
    parser.add_argument('--breakdown', type=int, default=0, metavar='COMMITS')
    options = parser.parse_args()
    if not (1 <= options.rate <= 100_000 and 1 <= options.seconds <= 600 and 1 <= options.per_commit <= 1000):
        parser.error('--rate 1 to 100000, --seconds 1 to 600, --per-commit 1 to 1000')
    if not 0 <= options.breakdown <= 100_000:
        parser.error('--breakdown 0 to 100000 commits')
    return options


def migrations(schema):
    names = ['V1__close_events.sql', 'V6__close_event_minute.sql']
    if schema == 'rowid':
        names.append('V7__close_event_rowid.sql')
    return [open(os.path.join(MIGRATIONS, name)).read() for name in names]


def row(n, upstreams):
    closed_at = EPOCH + n * 1_000_000
    code = random.choice((1000, 4000, 4001))
    return (n, f'upstream-{random.randrange(upstreams):05d}', closed_at - 5_000_000_000, closed_at - 4_000_000_000,
            closed_at, 5_000_000_000, code, f'bench:1:{n}', True, False, 'SERVER', 'OPEN', None, None, None, 1, 10,
            code, f'bench:1:{n}')


def written_by_this_process():
    with open('/proc/self/io') as io:
        return int(dict(line.split(': ') for line in io.read().splitlines())['wchar'])


def disk_of(path):
    device = os.stat(path).st_dev
    name = os.path.basename(os.path.realpath(f'/sys/dev/block/{os.major(device)}:{os.minor(device)}'))
    return name


def written_to_disk(name):
    with open('/proc/diskstats') as stats:
        for line in stats:
            fields = line.split()
            if fields[2] == name:
                return int(fields[9]) * 512
    return 0


def main():
    options = parse()
    random.seed(1)
    path = os.path.join(options.dir, f'sqlite-pages-{os.getpid()}.db')
    db = sqlite3.connect(path, isolation_level=None)
    try:
        db.execute(f'PRAGMA page_size = {options.page_size}')
        db.execute('PRAGMA journal_mode = WAL')
        db.execute('PRAGMA synchronous = NORMAL')
        for script in migrations(options.schema):
            db.executescript(script)
        db.execute('BEGIN')
        for n in range(1, options.seed_events + 1):
            db.execute(INSERT, row(n, options.upstreams))
        db.execute('COMMIT')
        db.execute('PRAGMA wal_checkpoint(TRUNCATE)')
        if options.breakdown:
            breakdown(db, path, options)
            return

        disk = disk_of(path)
        closes = options.rate * options.seconds
        commits_per_checkpoint = max(1, options.rate // (10 * options.per_commit))
        own, on_disk, start = written_by_this_process(), written_to_disk(disk), time.monotonic()
        n, commits = options.seed_events, 0
        while n < options.seed_events + closes:
            db.execute('BEGIN')
            for _ in range(options.per_commit):
                n += 1
                db.execute(INSERT, row(n, options.upstreams))
            db.execute('COMMIT')
            commits += 1
            if commits % commits_per_checkpoint == 0:
                db.execute('PRAGMA wal_checkpoint(PASSIVE)')
            ahead = start + (n - options.seed_events) / options.rate - time.monotonic()
            if ahead > 0:
                time.sleep(ahead)
        seconds = time.monotonic() - start
        written = n - options.seed_events
        print(f'SQLite {sqlite3.sqlite_version}, schema {options.schema}, pages of {options.page_size} bytes, '
              f'{options.per_commit} closes a commit, {options.upstreams} upstreams')
        print(f'{written} closes in {seconds:.1f} s: {(written_by_this_process() - own) / written:,.0f} bytes '
              f'written per close; the disk ({disk}) took {(written_to_disk(disk) - on_disk) / seconds / 1e6:.1f} MB/s; '
              f'file {os.path.getsize(path) / 2**20:.1f} MiB')
    finally:
        db.close()
        for suffix in ('', '-wal', '-shm'):
            if os.path.exists(path + suffix):
                os.remove(path + suffix)


def breakdown(db, path, options):
    """Write --breakdown commits with no checkpoint in between, then count the log's frames by
    the b-tree (and page kind) that each frame's page belongs to."""
    db.execute('PRAGMA wal_autocheckpoint = 0')
    n = options.seed_events
    for _ in range(options.breakdown):
        db.execute('BEGIN')
        for _ in range(options.per_commit):
            n += 1
            db.execute(INSERT, row(n, options.upstreams))
        db.execute('COMMIT')
    owners = {page: (name, kind) for name, kind, page in db.execute('SELECT name, pagetype, pageno FROM dbstat')}
    # page 1 is sqlite_schema's, and the file's header too, which a commit that grows the file
    # writes (the file's size in pages)
    owners[1] = ('page 1: the header, for the file size', '')
    frame = 24 + options.page_size
    counts = collections.Counter()
    with open(path + '-wal', 'rb') as log:
        log.seek(32)  # the log's header; each frame is a 24-byte header and a page
        while header := log.read(24):
            counts[owners.get(struct.unpack('>I', header[:4])[0], ('(free or new)', ''))] += 1
            log.seek(options.page_size, os.SEEK_CUR)
    frames = sum(counts.values())
    closes = options.breakdown * options.per_commit
    print(f'SQLite {sqlite3.sqlite_version}, schema {options.schema}, pages of {options.page_size} bytes, '
          f'{options.per_commit} closes a commit, {options.upstreams} upstreams, {options.seed_events} events before')
    print(f'{options.breakdown} commits: {frames / options.breakdown:.1f} pages a commit, '
          f'{frames * frame / closes:,.0f} bytes of log per close')
    for (name, kind), count in counts.most_common():
        print(f'  {count / options.breakdown:6.2f} a commit  {name}' + (f' ({kind})' if kind else ''))


if __name__ == '__main__':
    main()
