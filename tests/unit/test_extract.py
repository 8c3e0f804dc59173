"""bot/intake/extract.py: the text of a .docx, a text PDF or a .txt; a clear refusal otherwise."""

from __future__ import annotations

import io
import zipfile

import pytest
from documents import OLD_DOC, make_docx, make_pdf, make_scanned_pdf
from openpyxl import Workbook

from bot.intake.extract import (
    MAX_BYTES,
    ExtractError,
    ExtractErrorCode,
    extract_text,
    precheck,
)

ITEM = (
    "1. Giao Phòng Tài chính - Kế hoạch chủ trì, phối hợp Phòng Quản lý đô thị rà soát hồ sơ,"
    " hoàn thành trước ngày 15/12/2026."
)


def code_of(data: bytes, name: str | None) -> ExtractErrorCode:
    with pytest.raises(ExtractError) as caught:
        extract_text(data, name)
    return caught.value.code


def test_docx_paragraphs_and_table_rows_in_order() -> None:
    data = make_docx(
        ["Số: 45/KL-UBND", "  KẾT LUẬN  ", ITEM],
        table=[["STT", "Nội dung"], ["2", "Giao QLĐT tổng hợp, trước 20/12/2026"]],
    )
    text = extract_text(data, "ket-luan.docx")
    lines = text.splitlines()
    assert lines[:3] == ["Số: 45/KL-UBND", "KẾT LUẬN", ITEM]
    assert lines[3:] == ["STT Nội dung", "2 Giao QLĐT tổng hợp, trước 20/12/2026"]


def test_pdf_text_layer_keeps_the_vietnamese_text() -> None:
    data = make_pdf(["Số: 45/KL-UBND", ITEM])
    text = extract_text(data, "KL 45.PDF")
    assert "Số: 45/KL-UBND" in text
    # The PDF wraps the long line; every word survives, accents included.
    assert " ".join(text.split()) == " ".join(["Số: 45/KL-UBND", *ITEM.split()])


@pytest.mark.parametrize(
    "data",
    [
        ITEM.encode("utf-8"),
        ITEM.encode("utf-8-sig"),
        ITEM.encode("utf-16"),
    ],
)
def test_plain_text_in_the_usual_encodings(data: bytes) -> None:
    assert extract_text(data, "ket-luan.txt") == ITEM


def test_windows_line_ends_and_blank_runs_are_tidied() -> None:
    data = "Số: 1/TB\r\n\r\n\r\n\r\n1.  Giao   TCKH\r\n".encode()
    assert extract_text(data, "a.txt") == "Số: 1/TB\n\n1. Giao TCKH"


def test_old_word_file_is_refused_by_name_and_by_content() -> None:
    assert code_of(OLD_DOC, "ket-luan.doc") is ExtractErrorCode.OLD_WORD
    # Renamed to .docx it is still the old format: the content decides.
    assert code_of(OLD_DOC, "ket-luan.docx") is ExtractErrorCode.OLD_WORD


def test_scanned_pdf_without_text_is_refused() -> None:
    assert code_of(make_scanned_pdf(), "scan.pdf") is ExtractErrorCode.SCANNED


def test_unsupported_types_are_refused_before_download() -> None:
    for name in ("anh.jpg", "bang.xlsx", "nen.zip"):
        with pytest.raises(ExtractError) as caught:
            precheck(name, 1000)
        assert caught.value.code is ExtractErrorCode.UNSUPPORTED
    precheck("ket-luan.docx", 1000)
    precheck("ket-luan.pdf", None)
    precheck(None, 10)


def test_over_twenty_megabytes_is_refused() -> None:
    with pytest.raises(ExtractError) as caught:
        precheck("lon.pdf", MAX_BYTES + 1)
    assert caught.value.code is ExtractErrorCode.TOO_LARGE
    precheck("vua.pdf", MAX_BYTES)


def test_damaged_files_are_refused_not_crashed() -> None:
    assert code_of(b"%PDF-1.4 garbage", "x.pdf") is ExtractErrorCode.DAMAGED
    assert code_of(b"PK\x03\x04 not a zip", "x.docx") is ExtractErrorCode.DAMAGED
    zipped = io.BytesIO()
    with zipfile.ZipFile(zipped, "w") as archive:
        archive.writestr("hello.txt", "hi")
    assert code_of(zipped.getvalue(), "x.docx") is ExtractErrorCode.DAMAGED


def test_a_spreadsheet_renamed_docx_is_not_read_as_word() -> None:
    book = io.BytesIO()
    Workbook().save(book)
    assert code_of(book.getvalue(), "x.docx") in (
        ExtractErrorCode.UNSUPPORTED,
        ExtractErrorCode.DAMAGED,
    )


def test_empty_files_say_so() -> None:
    assert code_of(b"   \n ", "trong.txt") is ExtractErrorCode.EMPTY
    assert code_of(make_docx([""]), "trong.docx") is ExtractErrorCode.EMPTY


def test_binary_without_a_name_is_not_taken_for_text() -> None:
    assert code_of(b"\x89PNG\r\n\x1a\n\x00\x00\x00", None) is ExtractErrorCode.UNSUPPORTED
