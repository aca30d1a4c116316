"""A file's type read from its first bytes, never from what the sender declared."""

from __future__ import annotations

_SIGNATURES = (
    (b"%PDF-", "application/pdf"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"II*\x00", "image/tiff"),
    (b"MM\x00*", "image/tiff"),
    (b"GIF87a", "image/gif"),
    (b"GIF89a", "image/gif"),
)
_HEIF_BRANDS = (b"heic", b"heix", b"mif1", b"msf1")
_TEXT_CONTROLS = frozenset(b"\t\n\r")


def sniffed_type(data: bytes) -> str | None:
    """The media type the bytes are, or None where they are none the hub knows."""
    for magic, media_type in _SIGNATURES:
        if data.startswith(magic):
            return media_type
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp"
    if data[4:8] == b"ftyp" and data[8:12] in _HEIF_BRANDS:
        return "image/heic"
    if _is_text(data):
        return "text/plain"
    return None


def _is_text(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return not any(byte < 0x20 and byte not in _TEXT_CONTROLS for byte in data)
