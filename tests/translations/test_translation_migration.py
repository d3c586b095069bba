"""Migration 0012: rows that existed before the Spanish edition become English, a key each."""
import datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE, AFTER = [("pages", "0011_pending_changes")], [("pages", "0012_translations")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def test_existing_rows_become_english_with_a_key_each_and_their_history_the_same_key():
    old = migrate(BEFORE)
    try:
        Topic, HistoricalTopic = old.get_model("pages", "Topic"), old.get_model("pages", "HistoricalTopic")
        for slug in ("one", "two"):
            topic = Topic.objects.create(title=slug, slug=slug, summary="s", body="b",
                                         last_reviewed=datetime.date(2026, 1, 1), reviewed_by="PT")
            HistoricalTopic.objects.create(id=topic.pk, title=slug, slug=slug, summary="s", body="b",
                                           last_reviewed=datetime.date(2026, 1, 1), reviewed_by="PT",
                                           menu_order=100, published=True, history_type="+",
                                           history_date=datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC))
        new = migrate(AFTER)
        topics = list(new.get_model("pages", "Topic").objects.order_by("slug"))
        assert [t.language for t in topics] == ["en", "en"]
        assert topics[0].translation_key != topics[1].translation_key
        history = new.get_model("pages", "HistoricalTopic").objects.get(id=topics[0].pk)
        assert history.translation_key == topics[0].translation_key
    finally:
        migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
