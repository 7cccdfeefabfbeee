"""The index tables in PostgreSQL, and the statements that read and write them.

- store_events: the events `select_events` reads (primary key originator_id + version), each
  with its notification id (see commits.notification_id; gaps allowed, ordered per partition).
- store_commits: the outcome of every commit decided (valid or conflict), by commit id.
- store_positions: per (topic, partition) the next log offset the index has not yet decided.
"""

from __future__ import annotations

from typing import Literal

import psycopg
from psycopg import sql

from services.store.errors import StoreMisconfiguredError
from services.store.kafka.commits import PARTITION_SHIFT

EVENTS = "store_events"
COMMITS = "store_commits"
POSITIONS = "store_positions"
TABLES = (EVENTS, COMMITS, POSITIONS)
GUESSED_FUNCTION = "store_apply_guessed"
# Serialises concurrent CREATE TABLE IF NOT EXISTS from several processes starting at once.
_DDL_LOCK_KEY = 0x7A686C73


class IndexSql:
    """Schema-qualified statements for one index."""

    def __init__(self, schema: str, id_type: Literal["uuid", "text"]) -> None:
        self.schema = schema
        self.id_type = id_type
        self.channel = f"{schema}_{EVENTS}"
        s = sql.Identifier(schema)
        t = {name: sql.SQL("{}.{}").format(s, sql.Identifier(name)) for name in TABLES}
        idt = sql.SQL(id_type)
        self.events, self.commits, self.positions = t[EVENTS], t[COMMITS], t[POSITIONS]
        self.create = [
            sql.SQL("CREATE SCHEMA IF NOT EXISTS {}").format(s),
            sql.SQL(
                "CREATE TABLE IF NOT EXISTS {} (originator_id {} NOT NULL, "
                "originator_version bigint NOT NULL, topic text NOT NULL, state bytea NOT NULL, "
                "notification_id bigint NOT NULL, PRIMARY KEY (originator_id, originator_version))"
            ).format(self.events, idt),
            sql.SQL("CREATE UNIQUE INDEX IF NOT EXISTS {} ON {} (notification_id)").format(
                sql.Identifier(f"{EVENTS}_notification_id_idx"), self.events
            ),
            sql.SQL(
                "CREATE TABLE IF NOT EXISTS {} (commit_id uuid PRIMARY KEY, "
                "partition integer NOT NULL, record_offset bigint NOT NULL, "
                "first_index integer NOT NULL, event_count integer NOT NULL, "
                "valid boolean NOT NULL, reason text)"
            ).format(self.commits),
            sql.SQL(
                "CREATE TABLE IF NOT EXISTS {} (topic text NOT NULL, partition integer NOT NULL, "
                "next_offset bigint NOT NULL, PRIMARY KEY (topic, partition))"
            ).format(self.positions),
        ]
        self.lock_position = sql.SQL(
            "SELECT next_offset FROM {} WHERE topic = %s AND partition = %s FOR UPDATE"
        ).format(self.positions)
        self.read_positions = sql.SQL(
            "SELECT partition, next_offset FROM {} WHERE topic = %s ORDER BY partition"
        ).format(self.positions)
        self.set_position = sql.SQL(
            "UPDATE {} SET next_offset = %s WHERE topic = %s AND partition = %s"
        ).format(self.positions)
        self.tips = sql.SQL(
            "SELECT o.id, e.originator_version, e.notification_id "
            "FROM unnest(%s::{}[]) AS o(id) CROSS JOIN LATERAL ("
            "SELECT originator_version, notification_id FROM {} WHERE originator_id = o.id "
            "ORDER BY originator_version DESC LIMIT 1) AS e"
        ).format(idt, self.events)
        self.decided = sql.SQL("SELECT commit_id FROM {} WHERE commit_id = ANY(%s::uuid[])").format(
            self.commits
        )
        self.copy_events = sql.SQL(
            "COPY {} (originator_id, originator_version, topic, state, notification_id) "
            "FROM STDIN (FORMAT BINARY)"
        ).format(self.events)
        self.copy_commits = sql.SQL(
            "COPY {} (commit_id, partition, record_offset, first_index, event_count, valid, "
            "reason) FROM STDIN (FORMAT BINARY)"
        ).format(self.commits)
        self.outcomes = sql.SQL(
            "SELECT commit_id, partition, record_offset, first_index, event_count, valid, reason "
            "FROM {} WHERE commit_id = ANY(%s::uuid[])"
        ).format(self.commits)
        self.insert_events = sql.SQL(
            "INSERT INTO {} (originator_id, originator_version, topic, state, notification_id) "
            "SELECT * FROM unnest(%s::{}[], %s::bigint[], %s::text[], %s::bytea[], %s::bigint[])"
        ).format(self.events, idt)
        self.insert_commits = sql.SQL(
            "INSERT INTO {} (commit_id, partition, record_offset, first_index, event_count, "
            "valid, reason) SELECT * FROM unnest(%s::uuid[], %s::integer[], %s::bigint[], "
            "%s::integer[], %s::integer[], %s::boolean[], %s::text[])"
        ).format(self.commits)
        # The writer's one-round-trip path (see IndexWriter._apply_guessed). The function locks
        # the partition's position, then fails (SQLSTATE P0001 'guess stale', nothing applied)
        # unless the position is the writer's first offset, every aggregate's tip is the one the
        # writer judged against (version and partition; NULL = no valid events yet) and no commit
        # id was decided before; then it writes the rows the writer's judge produced, advances
        # the position and notifies, all in the statement's one transaction. The rule itself
        # stays in Python (validity.py): the function only proves its inputs were current.
        self.guessed_function = sql.SQL("{}.{}").format(s, sql.Identifier(GUESSED_FUNCTION))
        self.create.append(
            sql.SQL(
                "CREATE OR REPLACE FUNCTION {fn}(p_topic text, p_partition integer, "
                "p_offset bigint, p_next bigint, p_oids {idt}[], p_versions bigint[], "
                "p_commit_ids uuid[], e_oids {idt}[], e_versions bigint[], e_topics text[], "
                "e_states bytea[], e_nids bigint[], c_ids uuid[], c_partitions integer[], "
                "c_offsets bigint[], c_firsts integer[], c_counts integer[], c_valid boolean[], "
                "c_reasons text[]) RETURNS void LANGUAGE plpgsql AS $fn$\n"
                "DECLARE v_next bigint;\n"
                "BEGIN\n"
                "  SELECT next_offset INTO v_next FROM {positions} "
                "WHERE topic = p_topic AND partition = p_partition FOR UPDATE;\n"
                "  IF v_next IS DISTINCT FROM p_offset THEN\n"
                "    RAISE EXCEPTION 'guess stale: index position is %, not %', v_next, p_offset;\n"
                "  END IF;\n"
                "  IF EXISTS (SELECT 1 FROM unnest(p_oids, p_versions) AS a(id, version) "
                "LEFT JOIN LATERAL (SELECT originator_version, notification_id FROM {events} "
                "WHERE originator_id = a.id ORDER BY originator_version DESC LIMIT 1) AS e "
                "ON TRUE WHERE e.originator_version IS DISTINCT FROM a.version "
                "OR (e.notification_id >> {shift}) <> p_partition) THEN\n"
                "    RAISE EXCEPTION 'guess stale: aggregate tips moved';\n"
                "  END IF;\n"
                "  IF EXISTS (SELECT 1 FROM {commits} WHERE commit_id = ANY(p_commit_ids)) THEN\n"
                "    RAISE EXCEPTION 'guess stale: commit decided before';\n"
                "  END IF;\n"
                "  INSERT INTO {events} (originator_id, originator_version, topic, state, "
                "notification_id) SELECT * FROM unnest(e_oids, e_versions, e_topics, e_states, "
                "e_nids);\n"
                "  INSERT INTO {commits} (commit_id, partition, record_offset, first_index, "
                "event_count, valid, reason) SELECT * FROM unnest(c_ids, c_partitions, c_offsets, "
                "c_firsts, c_counts, c_valid, c_reasons);\n"
                "  UPDATE {positions} SET next_offset = p_next "
                "WHERE topic = p_topic AND partition = p_partition;\n"
                "  PERFORM pg_notify({channel}, '');\n"
                "END $fn$"
            ).format(
                fn=self.guessed_function,
                idt=idt,
                positions=self.positions,
                events=self.events,
                commits=self.commits,
                shift=sql.Literal(PARTITION_SHIFT),
                channel=sql.Literal(self.channel),
            )
        )
        self.apply_guessed = sql.SQL(
            "SELECT {}(%s, %s, %s, %s, %s::{idt}[], %s::bigint[], %s::uuid[], %s::{idt}[], "
            "%s::bigint[], %s::text[], %s::bytea[], %s::bigint[], %s::uuid[], %s::integer[], "
            "%s::bigint[], %s::integer[], %s::integer[], %s::boolean[], %s::text[])"
        ).format(self.guessed_function, idt=idt)
        self.event_types = [id_type, "int8", "text", "bytea", "int8"]
        self.commit_types = ["uuid", "int4", "int8", "int4", "int4", "bool", "text"]


def ensure_index(conn: psycopg.Connection, q: IndexSql, topic: str, partitions: int) -> None:
    """Create the index tables if missing, seed positions, refuse an index of another topic."""
    with conn.transaction():
        conn.execute("SELECT pg_advisory_xact_lock(%s)", (_DDL_LOCK_KEY,))
        for statement in q.create:
            conn.execute(statement)
        other = conn.execute(
            sql.SQL("SELECT DISTINCT topic FROM {} WHERE topic <> %s").format(q.positions),
            (topic,),
        ).fetchall()
        if other:
            raise StoreMisconfiguredError(
                f"the index in schema {q.schema!r} was built from topic {other[0][0]!r}, "
                f"not {topic!r}: use another KAFKA_INDEX_SCHEMA or rebuild the index"
            )
        with conn.cursor() as cur:
            cur.executemany(
                sql.SQL(
                    "INSERT INTO {} (topic, partition, next_offset) VALUES (%s, %s, 0) "
                    "ON CONFLICT DO NOTHING"
                ).format(q.positions),
                [(topic, p) for p in range(partitions)],
            )


def drop_index(conn: psycopg.Connection, q: IndexSql) -> None:
    """Drop every index table (the log keeps the truth; see rebuild)."""
    with conn.transaction():
        conn.execute("SELECT pg_advisory_xact_lock(%s)", (_DDL_LOCK_KEY,))
        for table in (q.events, q.commits, q.positions):
            conn.execute(sql.SQL("DROP TABLE IF EXISTS {}").format(table))
        conn.execute(sql.SQL("DROP FUNCTION IF EXISTS {}").format(q.guessed_function))
