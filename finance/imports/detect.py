"""Which format a file is in, and how its text is encoded and delimited."""

import codecs
import csv
import io
import re
from typing import BinaryIO

SNIFF_BYTES = 64 * 1024
DELIMITERS = ",;\t|"


FORMAT_NAMES = {
    "csv": "CSV", "ofx": "OFX/QFX", "qif": "QIF", "camt053": "CAMT.053 (ISO 20022 XML)", "mt940": "MT940",
    "json": "JSON",
}  # fmt: skip
_QIF_HEADER = re.compile(r"^!(type|account|option|clear)", re.IGNORECASE)
_MT940_TAGS = re.compile(r"^:(20|25|28C?|60[FM]):", re.MULTILINE)


def detect_format(*, filename: str, head: bytes) -> str | None:
    """A FORMAT_NAMES key from the file's first bytes (its name only breaks ties); None when unknown."""
    text = decode_head(head).lstrip("\ufeff \r\n\t")
    upper = text[:2000].upper()
    if upper.startswith("OFXHEADER") or "<OFX>" in upper or upper.startswith("<?OFX"):
        return "ofx"
    if upper.startswith("<?XML") and "OFX" in upper and "CAMT." not in upper:
        return "ofx"
    if text.startswith("<") and "urn:iso:std:iso:20022:tech:xsd:camt.05" in text[:4000]:
        return "camt053"
    if _QIF_HEADER.match(text):
        return "qif"
    if len(_MT940_TAGS.findall(text[:4000])) >= 3 or text.startswith("{1:F01"):
        return "mt940"
    if text[:1] in "{[":
        return "json"
    name = filename.lower()
    if name.endswith((".ofx", ".qfx", ".json", ".qif", ".xml", ".sta", ".mt940")):
        return None  # named so, but the content is not: refuse rather than guess
    if "\x00" in text or not text.strip():
        return None
    first_line = text.splitlines()[0] if text.splitlines() else ""
    if any(delimiter in first_line for delimiter in DELIMITERS) or name.endswith((".csv", ".txt", ".tsv")):
        return "csv"
    return None


def detect_encoding(head: bytes) -> str:
    """UTF-8 (with or without BOM), UTF-16 (with BOM, or by its zero bytes), else cp1252."""
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    sample = head[:4000]
    if sample and sample.count(0) > len(sample) // 4:
        return "utf-16-le" if sample[1:2] == b"\x00" else "utf-16-be"
    try:
        codecs.getincrementaldecoder("utf-8")().decode(head, final=False)
        return "utf-8"
    except UnicodeDecodeError:
        return "cp1252"


def decode_head(head: bytes) -> str:
    return codecs.getincrementaldecoder(detect_encoding(head))(errors="replace").decode(head, final=False)


def detect_delimiter(sample: str) -> str:
    lines = [line for line in sample.splitlines() if line.strip()][:30]
    try:
        return csv.Sniffer().sniff("\n".join(lines), delimiters=DELIMITERS).delimiter
    except csv.Error:
        # The Sniffer gives up on preambles; the delimiter most lines share most often wins.
        counts = {delimiter: sorted(line.count(delimiter) for line in lines) for delimiter in DELIMITERS}
        return max(DELIMITERS, key=lambda delimiter: counts[delimiter][len(lines) // 2] if lines else 0)


def open_text(stream: BinaryIO) -> io.TextIOWrapper:
    """The stream as text in its detected encoding, read lazily (never the whole file at once)."""
    head = stream.read(SNIFF_BYTES)
    stream.seek(0)
    return io.TextIOWrapper(stream, encoding=detect_encoding(head), errors="replace", newline="")
