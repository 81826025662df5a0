"""Read input files into Documents: plain text, Markdown, HTML and JSON Lines.

Bad input never raises out of the iterator: it is reported through a callback
with a one-line reason, and the good input goes on.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Iterator
from html.parser import HTMLParser
from pathlib import Path

from . import config
from .errors import InputError
from .facts import Document

TEXT_SUFFIXES = {".txt", ".md", ".markdown", ".text"}
HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
JSONL_SUFFIXES = {".jsonl", ".ndjson"}
SUFFIXES = TEXT_SUFFIXES | HTML_SUFFIXES | JSONL_SUFFIXES

_MAGIC = {
    b"%PDF": "a PDF",
    b"\x89PNG": "a PNG image",
    b"\xff\xd8\xff": "a JPEG image",
    b"GIF8": "a GIF image",
    b"PK\x03\x04": "a ZIP archive (or Office file)",
    b"\x1f\x8b": "a gzip archive",
    b"\x7fELF": "an executable",
}
_SOURCE_LINE = re.compile(r"^Source:\s*(\S+)(.*)$", re.MULTILINE)

Skip = Callable[[str, str], None]


def _warn_nothing(where: str, why: str) -> None:
    pass


def iter_documents(paths: Iterable[str | Path], on_skip: Skip = _warn_nothing,
                   on_note: Skip | None = None) -> Iterator[Document]:
    """Yield a Document for every readable text under ``paths``.

    ``on_skip(where, why)`` hears about every file or line left out;
    ``on_note(where, why)`` (``on_skip`` when not given) about files read with
    a guessed encoding, which are kept.
    """
    on_note = on_note or on_skip
    for raw in paths:
        path = Path(raw)
        if not path.exists():
            raise InputError(f"{path}: no such file or folder; check the path")
        if path.is_dir():
            files = sorted(p for p in path.rglob("*") if p.is_file() and not _hidden(p, path))
            readable = [p for p in files if p.suffix.lower() in SUFFIXES]
            if not readable:
                on_skip(str(path), f"no readable files (looked for {', '.join(sorted(SUFFIXES))})")
            for file in readable:
                yield from _read_file(file, file.relative_to(path).as_posix(), on_skip, on_note)
        else:
            yield from _read_file(path, path.name, on_skip, on_note)


def _hidden(file: Path, root: Path) -> bool:
    return any(part.startswith(".") for part in file.relative_to(root).parts)


def _read_file(path: Path, doc_id: str, on_skip: Skip, on_note: Skip) -> Iterator[Document]:
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        on_skip(str(path), f"unknown file type '{suffix or path.name}'; kg reads {', '.join(sorted(SUFFIXES))}")
        return
    try:
        size = path.stat().st_size
        if size > config.MAX_FILE_BYTES:
            on_skip(str(path), f"too large ({size // 2**20} MiB > {config.MAX_FILE_BYTES // 2**20} MiB); split it first")
            return
        data = path.read_bytes()
    except OSError as exc:
        on_skip(str(path), f"cannot be read: {exc.strerror or exc}")
        return
    kind = _binary_kind(data)
    if kind:
        on_skip(str(path), f"looks like {kind}, not text; convert it to text first")
        return
    text = decode(data, str(path), on_note)
    if suffix in JSONL_SUFFIXES:
        yield from _jsonl_documents(text, path, doc_id, on_skip)
        return
    if suffix in HTML_SUFFIXES:
        title, text = html_to_text(text)
        doc = Document(id=doc_id, text=text, title=title, path=str(path))
    else:
        doc = text_document(doc_id, text, str(path))
    if not doc.text.strip():
        on_skip(str(path), "is empty")
        return
    yield doc


def _binary_kind(data: bytes) -> str | None:
    for magic, kind in _MAGIC.items():
        if data.startswith(magic):
            return kind
    head = data[:8192]
    if b"\x00" in head and not head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "binary data"
    return None


def decode(data: bytes, where: str, on_note: Skip = _warn_nothing) -> str:
    """UTF-8 first, then a detected encoding; replacement characters as a last resort."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            pass
    from charset_normalizer import from_bytes

    best = from_bytes(data[:200_000]).best()
    if best is not None and best.encoding:
        try:
            text = data.decode(best.encoding)
            on_note(where, f"is not UTF-8; read as {best.encoding}")
            return text
        except (UnicodeDecodeError, LookupError):
            pass
    on_note(where, "is not valid UTF-8 and its encoding is unclear; undecodable bytes were replaced")
    return data.decode("utf-8", errors="replace")


def text_document(doc_id: str, text: str, path: str = "", **meta: str) -> Document:
    """A Document from plain text: line 1 is the title, a 'Source: URL' line gives the URL.

    The source line is blanked (same length, so offsets hold) because it is
    metadata, not prose to extract from.
    """
    text = _clean(text)
    title = meta.pop("title", "") or next((line.strip() for line in text.splitlines() if line.strip()), "")
    title = title.lstrip("# ").strip()[:300]
    url = meta.pop("url", "")
    match = _SOURCE_LINE.search(text[:2000])
    if match:
        url = url or match.group(1)
        text = text[: match.start()] + " " * (match.end() - match.start()) + text[match.end():]
    return Document(id=doc_id, text=text, title=title, url=url, path=path, date=meta.pop("date", ""))


def _clean(text: str) -> str:
    # Control characters other than newline and tab confuse the tokenizer and
    # are invalid in XML-based outputs.
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return re.sub(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]", " ", text)


def _jsonl_documents(text: str, path: Path, doc_id: str, on_skip: Skip) -> Iterator[Document]:
    bad: list[int] = []
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
            body = record["text"]
            if not isinstance(body, str) or not isinstance(record, dict):
                raise TypeError
        except (ValueError, KeyError, TypeError):
            bad.append(number)
            continue
        if not body.strip():
            bad.append(number)
            continue
        meta = {k: str(record[k]) for k in ("title", "url", "date") if record.get(k)}
        ident = str(record.get("id") or f"{doc_id}#{number}")
        yield text_document(ident, body, str(path), **meta)
    if bad:
        shown = ", ".join(map(str, bad[:20])) + (" …" if len(bad) > 20 else "")
        on_skip(str(path), f"{len(bad)} line(s) without a JSON object with a 'text' string were skipped: line {shown}")


_BLOCKS = {"p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "section", "article",
           "header", "footer", "blockquote", "pre", "ul", "ol", "table", "title", "figcaption"}
_HIDDEN = {"script", "style", "noscript", "template", "svg", "head"}


class _TextExtractor(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.title: list[str] = []
        self._hidden = 0
        self._in_title = False

    def handle_starttag(self, tag, attrs):
        if tag == "title":
            self._in_title = True
        elif tag in _HIDDEN:
            self._hidden += 1
        if tag in _BLOCKS:
            self.parts.append("\n\n")

    def handle_endtag(self, tag):
        if tag == "title":
            self._in_title = False
        elif tag in _HIDDEN and self._hidden:
            self._hidden -= 1
        if tag in _BLOCKS:
            self.parts.append("\n\n")

    def handle_data(self, data):
        if self._in_title:
            self.title.append(data)
        elif not self._hidden:
            self.parts.append(data)


def html_to_text(html: str) -> tuple[str, str]:
    """(title, text) of an HTML page; scripts, styles and markup are dropped."""
    parser = _TextExtractor()
    parser.feed(html)
    parser.close()
    body = re.sub(r"[ \t]+", " ", "".join(parser.parts))
    body = re.sub(r"\s*\n\s*\n\s*", "\n\n", body).strip()
    title = " ".join("".join(parser.title).split())
    if title and not body.startswith(title):
        body = f"{title}\n\n{body}"
    return title or body.split("\n", 1)[0][:300], _clean(body)
