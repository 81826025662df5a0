"""Reading inputs: formats, metadata, and bad files reported without raising."""

import json

import pytest

from kg.documents import html_to_text, iter_documents, text_document
from kg.errors import InputError


def read(paths):
    skipped = []
    docs = list(iter_documents(paths, lambda where, why: skipped.append((where, why))))
    return docs, skipped


def test_documents_text_title_and_source_line(tmp_path):
    path = tmp_path / "a.txt"
    path.write_text("Group X threatens Y\n\nSource: https://example.org/a (public domain)\n\nBody text here.")
    (doc,), skipped = read([path])
    assert doc.title == "Group X threatens Y"
    assert doc.url == "https://example.org/a"
    assert "Source:" not in doc.text and len(doc.text) == len(path.read_text())
    assert doc.id == "a.txt" and not skipped


def test_documents_folder_ids_are_relative_paths(tmp_path):
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "b.md").write_text("# Title\n\nText.")
    (tmp_path / "notes.pdf").write_bytes(b"%PDF-1.4 binary")
    docs, skipped = read([tmp_path])
    assert [d.id for d in docs] == ["sub/b.md"]
    assert docs[0].title == "Title"
    assert skipped == []  # files of other kinds in a folder are not inputs


def test_documents_html_drops_scripts_and_styles():
    title, text = html_to_text("<html><head><title>T &amp; co</title><style>p{}</style></head>"
                               "<body><script>alert(1)</script><p>First.</p><p>Second &lt;b&gt;</p></body></html>")
    assert title == "T & co"
    assert "alert" not in text and "p{}" not in text
    assert "First." in text and "Second <b>" in text


def test_documents_jsonl_keeps_good_lines_and_names_bad_ones(tmp_path):
    path = tmp_path / "feed.jsonl"
    lines = [json.dumps({"id": "n1", "text": "One.", "title": "T1", "url": "u", "date": "2020-01-01"}),
             "{not json", json.dumps({"title": "no text"}), json.dumps({"text": "Two."})]
    path.write_text("\n".join(lines))
    docs, skipped = read([path])
    assert [d.id for d in docs] == ["n1", "feed.jsonl#4"]
    assert docs[0].date == "2020-01-01" and docs[0].title == "T1"
    assert len(skipped) == 1 and "line 2, 3" in skipped[0][1]


@pytest.mark.parametrize("name, data, reason", [
    ("empty.txt", b"", "empty"),
    ("blank.txt", b"  \n\n ", "empty"),
    ("scan.txt", b"%PDF-1.7\x00\x01", "PDF"),
    ("image.html", b"\x89PNG\r\n\x1a\n\x00\x00", "PNG"),
    ("bin.md", b"abc\x00\x00\x00def", "binary"),
    ("data.csv", b"a,b\n1,2", "unknown file type"),
])
def test_documents_bad_files_are_skipped_with_reason(tmp_path, name, data, reason):
    path = tmp_path / name
    path.write_bytes(data)
    docs, skipped = read([path])
    assert docs == []
    assert len(skipped) == 1 and reason in skipped[0][1]


def test_documents_latin1_is_decoded_with_a_note(tmp_path):
    path = tmp_path / "old.txt"
    path.write_bytes("Le groupe a menacé la ville de Montréal à nouveau.".encode("latin-1"))
    (doc,), notes = read([path])
    assert "menacé" in doc.text and "Montréal" in doc.text
    assert notes and "not UTF-8" in notes[0][1]


def test_documents_missing_path_raises_input_error(tmp_path):
    with pytest.raises(InputError, match="no such file"):
        read([tmp_path / "nope"])


def test_documents_control_characters_are_blanked():
    doc = text_document("x", "A\x00B\x07C\r\nD")
    assert doc.text == "A B C\nD"
