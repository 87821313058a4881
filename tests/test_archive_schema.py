"""Schema versions: the tables match the migrations, an archive made by the first schema is
upgraded in place with its data, and one made by a newer evoforge is refused."""
from __future__ import annotations

import json
import logging
import zlib
from datetime import datetime, timezone

import pytest
import sqlalchemy as sa
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlmodel import SQLModel

from evoforge.archive import ArchiveError, NewEvent, open_archive, resolve_url
from evoforge.archive import tables
from evoforge.archive.blobs import sha256
from evoforge.archive.migrate import alembic_config
from evoforge.archive.revision import HEAD, VERSION_TABLE, current_revision
from evoforge.archive.schema import upgrade
from evoforge.archive.engine import make_engine
from test_archive_backends import archive, archive_url  # noqa: F401 (fixtures)

ARCHIVE_TABLES = {"runs", "blobs", "variants", "evaluations", "contract_events", "model_usage", "run_events", "model_cache",
                  "synthesis_candidates"}


def test_a_new_archive_is_at_the_newest_schema(archive):
    with archive.engine.connect() as connection:
        assert current_revision(connection) == HEAD == "0004"
        assert ARCHIVE_TABLES <= set(sa.inspect(connection).get_table_names())
    assert archive.upgraded_from is None


def test_head_names_the_newest_migration():
    """`HEAD` (what opening an up-to-date archive compares with, without alembic) is alembic's head."""
    assert HEAD == ScriptDirectory.from_config(alembic_config()).get_current_head()


def test_the_migrations_build_exactly_the_tables_the_code_uses(archive):
    assert tables.Run.__table__.metadata is SQLModel.metadata
    with archive.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={
            "compare_type": True,
            "include_name": lambda name, kind, _parent: kind != "table" or name in ARCHIVE_TABLES,
        })
        assert compare_metadata(context, SQLModel.metadata) == []


def make_first_schema_archive(url: str) -> None:
    """What evoforge's first schema (0001) wrote: a run with a root and a child, one evaluation."""
    engine = make_engine(resolve_url(url), create=True)
    upgrade(engine, url, target="0001")
    now = datetime(2026, 1, 2, 3, 4, 5, tzinfo=timezone.utc)
    text = "def solve(task):\n    return 41\n"
    with engine.begin() as c:
        c.execute(sa.text(
            "INSERT INTO runs (id, uid, name, domain, model, config, budgets, status, generation, progress,"
            " created_at, updated_at, model_calls, prompt_tokens, completion_tokens, cost_usd)"
            " VALUES (1, 'aaaabbbbccccdddd', 'old', 'arith', 'm', '{}', '{}', 'finished', 1, 1.0,"
            " :now, :now, 2, 30, 4, 0.125)"), {"now": now})
        c.execute(sa.text("INSERT INTO blobs (sha256, size, data) VALUES (:h, :n, :d)"),
                  {"h": sha256(text), "n": len(text), "d": zlib.compress(text.encode())})
        for vid, parent, score in ((1, None, 0.25), (2, 1, 0.75)):
            c.execute(sa.text(
                "INSERT INTO variants (id, run_id, parent_id, generation, status, score, scores, valid_parent,"
                " in_population, summary, manifest, created_at)"
                " VALUES (:id, 1, :p, :g, 'valid', :s, '{}', true, true, '', :m, :now)"),
                {"id": vid, "p": parent, "g": vid - 1, "s": score, "m": json.dumps({"agent.py": sha256(text)}), "now": now})
        c.execute(sa.text(
            "INSERT INTO evaluations (variant_id, task_id, split, stage, score, output, seconds, created_at)"
            " VALUES (2, 't1', 'train', 'full', 1.0, '42', 0.5, :now)"), {"now": now})
        if c.dialect.name == "postgresql":  # explicit ids above left the sequences behind
            for table in ("runs", "variants"):
                c.execute(sa.text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), 2)"))
    engine.dispose()


def test_an_archive_of_the_first_schema_is_upgraded_with_its_data(archive_url, caplog):
    make_first_schema_archive(archive_url)
    with caplog.at_level(logging.WARNING, logger="evoforge.archive"):
        upgraded = open_archive(archive_url)
    with upgraded:
        assert upgraded.upgraded_from == "0001"
        assert "from schema 0001 to 0004" in caplog.text
        run = upgraded.run(1)
        assert (run.uid, run.status, run.cost_usd, run.created_at.year) == ("aaaabbbbccccdddd", "finished", 0.125, 2026)
        assert [v.id for v in upgraded.path_to_best(1)] == [1, 2]
        assert upgraded.files(2) == {"agent.py": "def solve(task):\n    return 41\n"}
        assert [e.output for e in upgraded.evaluations(2)] == ["42"]
        # What the second schema added works on the upgraded archive.
        child = upgraded.add_variant(1, {"agent.py": "x\n"}, parent_id=2, proposal_key="k",
                                     events=[NewEvent("variant_archived")])
        assert upgraded.find_proposal(1, "k").id == child.id and child.generation == 2
        assert [e.payload for e in upgraded.events(1)] == [{"variant_id": child.id}]
    with open_archive(archive_url) as again:
        assert again.upgraded_from is None


def test_an_archive_from_a_newer_evoforge_is_refused(archive):
    with archive.engine.begin() as connection:
        connection.execute(sa.text(f"UPDATE {VERSION_TABLE} SET version_num = '0099'"))
    with pytest.raises(ArchiveError, match="schema version 0099, newer than this evoforge knows .newest 0004.: upgrade"):
        open_archive(archive.url.render_as_string(hide_password=False))


def test_tables_without_a_version_are_not_taken_for_an_archive(archive):
    with archive.engine.begin() as connection:
        connection.execute(sa.text(f"DROP TABLE {VERSION_TABLE}"))
    with pytest.raises(ArchiveError, match=f"has archive tables but no {VERSION_TABLE} table"):
        open_archive(archive.url.render_as_string(hide_password=False))


def test_other_applications_tables_are_left_alone(archive_url):
    engine = make_engine(resolve_url(archive_url), create=True)
    with engine.begin() as connection:
        connection.execute(sa.text("CREATE TABLE checkpoints (id INTEGER PRIMARY KEY, data TEXT)"))
        connection.execute(sa.text("INSERT INTO checkpoints VALUES (1, 'graph state')"))
    engine.dispose()
    with open_archive(archive_url) as opened:
        opened.create_run("arith", "m")
        with opened.engine.connect() as connection:
            assert connection.execute(sa.text("SELECT data FROM checkpoints")).scalar() == "graph state"


def test_the_second_schema_can_be_rolled_back_and_reapplied(archive):
    archive.create_run("arith", "m")
    with archive.engine.begin() as connection:
        command.downgrade(alembic_config(connection), "0001")
    with archive.engine.connect() as connection:
        assert current_revision(connection) == "0001"
        assert not sa.inspect(connection).has_table("run_events")
    with open_archive(archive.url.render_as_string(hide_password=False)) as again:
        assert again.upgraded_from == "0001" and len(again.runs()) == 1
