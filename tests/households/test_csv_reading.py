"""The CSV reader (households.imports.reading) finds the encoding without keeping the text, then reads the rows
through a decoder over the bytes: the rows, their numbers and the refusals are what decoding the whole file gave.
No database: the files are built in memory."""

import csv
import io

import pytest

from households.imports import reading
from households.imports.reading import FileRefused, read_table


def whole_text_rows(data: bytes, encoding: str) -> list:
    """The rows as the reader gave them when it decoded the whole file into one string."""
    text = data.removeprefix(b"\xef\xbb\xbf").decode(encoding)
    return [(n, row) for n, row in enumerate(csv.reader(io.StringIO(text, newline="")), start=1) if any(c.strip() for c in row)]


def csv_of(rows: list[list[str]], encoding: str, *, bom: bool = False) -> bytes:
    text = io.StringIO()
    csv.writer(text).writerows(rows)
    return (b"\xef\xbb\xbf" if bom else b"") + text.getvalue().encode(encoding)


@pytest.mark.parametrize(("encoding", "bom"), [("utf-8", True), ("utf-8", False), ("gb18030", False), ("gbk", False)])
def test_rows_numbers_and_size_are_those_of_the_whole_decoded_text(encoding, bom):
    """Blank lines, quoted line breaks, CRLF, Chinese text; the BOM is not part of the first header."""
    rows = [["户编号", "姓名", "住址"], ["1", "王建国", "一组\r\n二号"], ["", "", ""], [], ["2", "李秀兰", "“引号”,逗号"]]
    data = csv_of(rows, encoding, bom=bom)
    table = read_table(data, filename="a.csv")
    expected = whole_text_rows(data, "utf-8" if encoding == "utf-8" else "gb18030")
    assert [(1, table.header), *table.rows] == expected
    assert table.header[0] == "户编号"
    assert table.size == data.decode("gb18030" if encoding != "utf-8" else "utf-8-sig").count("\n")


def test_a_character_cut_by_a_chunk_boundary_is_still_utf_8(monkeypatch):
    """The encoding is found a chunk at a time: a character split between two chunks decodes whole."""
    monkeypatch.setattr(reading, "_CHUNK", 7)
    data = csv_of([["姓名", "住址"], ["王建国", "镇赉县"]], "utf-8")
    table = read_table(data, filename="a.csv")
    assert [table.header, *(row for _n, row in table.rows)] == [["姓名", "住址"], ["王建国", "镇赉县"]]


def test_a_file_that_stops_being_utf_8_after_the_first_chunk_is_read_as_gbk(monkeypatch):
    monkeypatch.setattr(reading, "_CHUNK", 16)
    data = csv_of([["name", "village"], ["a" * 40, "b"], ["王建国", "镇赉县"]], "gbk")
    table = read_table(data, filename="a.csv")
    assert list(table.rows)[-1] == (3, ["王建国", "镇赉县"])


def test_bytes_that_are_neither_utf_8_nor_gb18030_are_refused():
    with pytest.raises(FileRefused) as refused:
        read_table(b"name\n\x81\x20\xff\n", filename="a.csv")
    assert refused.value.reason == "CSV 文件的编码无法识别（请保存为 UTF-8 或 GBK）"


def test_a_malformed_line_is_refused_when_it_is_reached():
    table = read_table(b"name,x\nok,1\n" + b"a" * 200_000 + b"\n", filename="a.csv")  # over csv's field limit
    rows = iter(table.rows)
    assert next(rows) == (2, ["ok", "1"])
    with pytest.raises(FileRefused) as refused:
        next(rows)
    assert refused.value.reason.startswith("CSV 文件格式有误")
