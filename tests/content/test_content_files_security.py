"""Issue 11, findings 4 and 8: content files that used to hang, crash or mislead the loader.

Each must give a clear error naming the file (and line), and leave the database untouched.
"""
import os
import threading

import pytest
from django.core.management import CommandError, call_command

from pages.content import ContentErrors, load_content
from pages.models import Clinic, Condition, FaqEntry, Reference, Topic
from tests.helpers import write

pytestmark = pytest.mark.django_db


def row_counts():
    return [m.objects.count() for m in (Reference, Topic, FaqEntry, Condition, Clinic)]


def load_errors(directory):
    """The loader's message for a bad folder; the database must be as it was."""
    before = row_counts()
    with pytest.raises(ContentErrors) as info:
        load_content(directory)
    assert row_counts() == before
    return str(info.value)


def about(message, name):
    """What the message says about the file `name` (the temporary folder's path left out:
    it is named after the test, and could contain the words looked for)."""
    assert name in message, message
    return message.split(name, 1)[1].split("\n", 1)[0]


def test_yaml_anchors_and_aliases_are_refused_with_file_and_line(content_dir):
    lines = ["---", "question: Does it hurt?", "category: session", "a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol]"]
    # Depth 4 here (9**4 visits): the probe's depth 7 took 14 s and all the memory before the fix.
    lines += [f"a{n}: &a{n} [{', '.join([f'*a{n - 1}'] * 9)}]" for n in range(1, 5)]
    (content_dir / "faq/does-it-hurt.md").write_text("\n".join([*lines, "---", "Answer.", ""]))
    message = load_errors(content_dir)
    assert about(message, "faq/does-it-hurt.md").startswith(":4: ")
    assert "anchors (&name) and aliases (*name)" in about(message, "faq/does-it-hurt.md")


def test_a_yaml_alias_alone_is_refused(content_dir):
    path = content_dir / "faq/does-it-hurt.md"
    path.write_text(path.read_text().replace("topic: what-is-dry-needling", "topic: *x"))
    assert "faq/does-it-hurt.md:5:" in load_errors(content_dir)


def test_a_duplicate_key_is_refused_at_its_second_line(content_dir):
    path = content_dir / "faq/does-it-hurt.md"
    path.write_text(path.read_text().replace("order: 10\n", "order: 10\npublished: true\npublished: false\n"))
    message = load_errors(content_dir)
    assert about(message, "faq/does-it-hurt.md").startswith(":6: ")
    assert "duplicate field 'published' (first written on line 5)" in message


def test_an_impossible_date_is_reported_at_its_own_line(content_dir):
    path = content_dir / "topics/what-is-dry-needling.md"
    path.write_text(path.read_text().replace("last_reviewed: 2026-11-02", "last_reviewed: 2026-13-45"))
    message = load_errors(content_dir)
    assert "topics/what-is-dry-needling.md:5:" in message
    assert "2026-13-45" in message


def test_a_dangling_symlink_is_a_clear_error(content_dir):
    (content_dir / "faq/gone.md").symlink_to(content_dir / "faq/nowhere.md")
    message = load_errors(content_dir)
    assert "does not exist" in about(message, "faq/gone.md")


def test_a_folder_named_like_a_content_file_is_a_clear_error(content_dir):
    (content_dir / "faq/folder.md").mkdir()
    message = load_errors(content_dir)
    assert "not a regular file" in about(message, "faq/folder.md")


def test_a_fifo_named_like_a_content_file_is_refused_without_reading_it(content_dir):
    fifo = content_dir / "faq/pipe.md"
    os.mkfifo(fifo)
    done = threading.Event()

    def release_a_stuck_reader():
        # Before the fix the loader waits for a writer for ever: this one ends the wait (the
        # file then reads as empty), so the old code fails the assertions instead of hanging.
        while not done.wait(0.2):
            try:
                os.close(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK))
            except OSError:  # no reader yet
                continue

    writer = threading.Thread(target=release_a_stuck_reader, daemon=True)
    writer.start()
    try:
        message = load_errors(content_dir)
    finally:
        done.set()
        writer.join()
    assert "not a regular file" in about(message, "faq/pipe.md")


def test_a_symlink_to_a_file_outside_the_content_folder_is_refused(content_dir, tmp_path):
    outside = write(tmp_path, "elsewhere/secret.md", """
        ---
        question: Outside?
        category: session
        ---
        Read from outside the content folder.
        """)
    (content_dir / "faq/outside.md").symlink_to(outside)
    message = load_errors(content_dir)
    assert "outside the content folder" in about(message, "faq/outside.md")


def test_a_symlink_inside_the_content_folder_still_loads(content_dir):
    (content_dir / "faq/same-answer.md").symlink_to(content_dir / "faq/does-it-hurt.md")
    load_content(content_dir)
    assert FaqEntry.objects.filter(slug="same-answer").exists()


def test_check_content_reports_an_image_path_leaving_static(content_dir):
    path = content_dir / "conditions/neck-pain.md"
    path.write_text(path.read_text() + "\n![x](/static/../../../etc/passwd)\n")
    with pytest.raises(CommandError) as info:
        call_command("check_content", path=str(content_dir))
    assert "conditions/neck-pain.md" in str(info.value)
    assert "/static/../../../etc/passwd" in str(info.value)
