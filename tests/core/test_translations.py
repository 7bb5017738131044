"""English translations: every string is translated, and the committed .mo matches the .po."""

import gettext
import re
from pathlib import Path

PO = Path(__file__).resolve().parents[2] / "locale" / "en" / "LC_MESSAGES" / "django.po"


def po_entries():
    text = PO.read_text(encoding="utf-8")
    pairs = re.findall(r'^msgid "((?:[^"\\]|\\.)*)"\nmsgstr "((?:[^"\\]|\\.)*)"', text, flags=re.M)
    return [(i.replace('\\"', '"'), s.replace('\\"', '"')) for i, s in pairs if i]


def test_catalogue_is_unwrapped_so_every_entry_is_checked():
    """makemessages --no-wrap keeps each msgid on one line; a wrapped one would escape these tests."""
    text = PO.read_text(encoding="utf-8")
    assert text.count('msgid ""\n"') == 0  # the header is msgid "" followed by msgstr


def test_no_entry_is_left_fuzzy():
    """msgfmt skips fuzzy entries: a fuzzy translation would silently show Chinese in English pages."""
    assert "fuzzy" not in PO.read_text(encoding="utf-8")


def test_every_string_has_an_english_translation():
    untranslated = [msgid for msgid, msgstr in po_entries() if not msgstr]
    assert untranslated == []


def test_compiled_messages_are_up_to_date():
    with PO.with_suffix(".mo").open("rb") as handle:
        catalog = gettext.GNUTranslations(handle)
    stale = [msgid for msgid, msgstr in po_entries() if catalog.gettext(msgid) != msgstr]
    assert stale == [], "run: make messages"
