"""The text of a file someone sent: a .docx, a PDF with a text layer, or plain text.

Pure: bytes and a file name in, text out. What cannot be read raises ExtractError with a code the
text layer words ("send a .docx or a PDF with text"); nothing is guessed from a scan.
"""

from __future__ import annotations

import io
import logging
import zipfile
from enum import StrEnum

from bot.patterns import lazy

# Telegram lets a bot download files of up to 20 MB with getFile.
MAX_BYTES = 20 * 1024 * 1024

_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # the old binary Office container (.doc, .xls)
_SPACES = lazy(r"[ \t\u00a0]+")
_BLANK_RUNS = lazy(r"\n{3,}")

TEXT_EXTENSIONS = ("txt",)
DOCX_EXTENSIONS = ("docx", "docm")
OLD_WORD_EXTENSIONS = ("doc", "rtf", "odt", "wps")
KNOWN_EXTENSIONS = ("docx", "pdf", "txt")


class ExtractErrorCode(StrEnum):
    TOO_LARGE = "too_large"  # over getFile's 20 MB
    OLD_WORD = "old_word"  # .doc and other formats we cannot open: ask for .docx
    SCANNED = "scanned"  # a PDF without a text layer
    UNSUPPORTED = "unsupported"  # an image, a spreadsheet, anything else
    DAMAGED = "damaged"  # claims to be .docx/.pdf but does not open
    EMPTY = "empty"  # opens, holds no text


class ExtractError(Exception):
    def __init__(self, code: ExtractErrorCode, name: str = "") -> None:
        self.code = code
        self.name = name
        super().__init__(f"{code}: {name}")


def extension(file_name: str | None) -> str:
    if not file_name or "." not in file_name:
        return ""
    return file_name.rsplit(".", 1)[1].strip().lower()


def precheck(file_name: str | None, size: int | None) -> None:
    """What can be refused before downloading: too large, or a type we never read."""
    name = file_name or ""
    if size is not None and size > MAX_BYTES:
        raise ExtractError(ExtractErrorCode.TOO_LARGE, name)
    ext = extension(file_name)
    if ext in OLD_WORD_EXTENSIONS:
        raise ExtractError(ExtractErrorCode.OLD_WORD, name)
    if ext and ext not in (*DOCX_EXTENSIONS, "pdf", *TEXT_EXTENSIONS):
        raise ExtractError(ExtractErrorCode.UNSUPPORTED, name)


def extract_text(data: bytes, file_name: str | None) -> str:
    """The file's text, paragraphs on their own lines, tables row by row."""
    name = file_name or ""
    precheck(file_name, len(data))
    ext = extension(file_name)
    # The content decides over the name: a .doc renamed .docx is still a .doc.
    if data.startswith(_OLE):
        raise ExtractError(ExtractErrorCode.OLD_WORD, name)
    if not ext:
        ext = "pdf" if data.startswith(b"%PDF") else "docx" if data.startswith(b"PK") else "txt"
    if ext == "pdf":
        text = _pdf(data, name)
    elif ext in DOCX_EXTENSIONS:
        text = _docx(data, name)
    else:
        text = _plain(data, name)
    text = _tidy(text)
    if not text:
        raise ExtractError(
            ExtractErrorCode.SCANNED if ext == "pdf" else ExtractErrorCode.EMPTY, name
        )
    return text


def _tidy(text: str) -> str:
    lines = [_SPACES.sub(" ", line).strip() for line in text.replace("\r\n", "\n").split("\n")]
    return _BLANK_RUNS.sub("\n\n", "\n".join(lines)).strip()


def _plain(data: bytes, name: str) -> str:
    if b"\x00" in data[:4096] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise ExtractError(ExtractErrorCode.UNSUPPORTED, name)
    for encoding in ("utf-8-sig", "utf-16"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if encoding == "utf-16" and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
            break
        return text
    # Older Vietnamese Windows files: code page 1258 decodes any byte sequence.
    return data.decode("cp1258", errors="replace")


def _docx(data: bytes, name: str) -> str:
    from docx import Document
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    try:
        document = Document(io.BytesIO(data))
    except (zipfile.BadZipFile, KeyError, ValueError) as exc:
        # A zip that is not a Word document (an .xlsx renamed, say) is not ours to read.
        if isinstance(exc, ValueError) and "content type" in str(exc).lower():
            raise ExtractError(ExtractErrorCode.UNSUPPORTED, name) from None
        raise ExtractError(ExtractErrorCode.DAMAGED, name) from None
    except Exception:  # python-docx raises lxml and zip errors of many kinds on damaged files
        raise ExtractError(ExtractErrorCode.DAMAGED, name) from None
    lines: list[str] = []
    for block in document.iter_inner_content():
        if isinstance(block, Paragraph):
            lines.append(block.text)
        elif isinstance(block, Table):
            for row in block.rows:
                cells: list[str] = []
                for cell in row.cells:
                    text = cell.text.strip()
                    # Merged cells repeat their text in every grid cell they span.
                    if text and (not cells or cells[-1] != text):
                        cells.append(text)
                if cells:
                    lines.append(" ".join(cells))
    return "\n".join(lines)


def _pdf(data: bytes, name: str) -> str:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    # pypdf logs every oddity of real-world files as a warning; the text is what matters.
    logging.getLogger("pypdf").setLevel(logging.ERROR)
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            reader.decrypt("")
        pages = [page.extract_text() or "" for page in reader.pages]
    except (PdfReadError, ValueError, KeyError, TypeError, OSError):
        raise ExtractError(ExtractErrorCode.DAMAGED, name) from None
    except Exception:  # a damaged stream fails deep inside pypdf in many ways
        raise ExtractError(ExtractErrorCode.DAMAGED, name) from None
    return "\n".join(pages)
