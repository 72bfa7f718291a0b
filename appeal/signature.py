"""A scanned signature, checked and re-encoded before any renderer sees it.

A signature file is untrusted: it may be empty, truncated, a decompression bomb (a few KB that
decode to gigapixels), a CMYK or 16-bit image the DOCX and PDF writers cannot place, or carry
metadata (GPS position in EXIF). Every image is decoded under a pixel cap, turned upright,
scaled down to what print needs, and written again as a plain 8-bit PNG or baseline JPEG.
"""

from __future__ import annotations

import io
import warnings

from .errors import AppealError
from .i18n import _
from .letter import SignatureImage

MAX_BYTES = 10_000_000  # a signature scan is a few hundred KB
MAX_PIXELS = 40_000_000  # decoded size; Pillow's own bomb limit is 179 MP
MAX_SIDE = 2000  # px: 60 mm printed at ~850 dpi, plenty


def _unreadable(error) -> AppealError:
    return AppealError(
        _("signature: not a readable image ({error}).").format(error=error),
        _("Use a PNG or JPEG scan of your signature."),
    )


def read_signature(data: bytes) -> SignatureImage:
    """The image in ``data`` normalised for print, or an :class:`AppealError` saying why not."""
    from PIL import Image, ImageOps, UnidentifiedImageError

    if not data:
        raise AppealError(_("signature: the file is empty."),
                          _("Use a PNG or JPEG scan of your signature."))
    if len(data) > MAX_BYTES:
        raise AppealError(
            _("signature: the file is larger than {mb} MB.").format(mb=MAX_BYTES // 1_000_000),
            _("Use a PNG or JPEG scan of your signature."),
        )
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as img:
                kind = (img.format or "").lower()
                if kind not in ("png", "jpeg"):
                    raise AppealError(
                        _("signature: {kind} images are not supported.").format(
                            kind=kind.upper()),
                        _("Use a PNG or JPEG scan of your signature."),
                    )
                width, height = img.size
                if width * height > MAX_PIXELS:
                    raise AppealError(
                        _("signature: the image is {width}×{height} pixels, too large for a "
                          "signature.").format(width=width, height=height),
                        _("Scale it down (a signature needs at most {side} pixels across) and "
                          "try again.").format(side=MAX_SIDE),
                    )
                img.load()
                plain = _plain(ImageOps.exif_transpose(img), kind)
                plain.thumbnail((MAX_SIDE, MAX_SIDE))
                out = io.BytesIO()
                if kind == "jpeg":
                    plain.save(out, "JPEG", quality=90)
                else:
                    plain.save(out, "PNG", optimize=False)
                size = plain.size
    except AppealError:
        raise
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError,
            Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise _unreadable(exc.__class__.__name__ if not str(exc) else _short(exc))
    return SignatureImage(data=out.getvalue(), kind=kind, width_px=size[0], height_px=size[1])


def _short(exc: Exception) -> str:
    text = str(exc)
    return text if "<" not in text else exc.__class__.__name__  # no "<_io.BytesIO at 0x…>"


def _plain(img, kind: str):
    """8-bit grey or RGB (with alpha for PNG): what every PDF and DOCX viewer shows."""
    if kind == "jpeg":
        return img if img.mode in ("L", "RGB") else img.convert("RGB")
    if img.mode in ("1", "L", "RGB", "RGBA"):
        return img
    if img.mode in ("LA", "PA") or (img.mode == "P" and "transparency" in img.info):
        return img.convert("RGBA")
    if img.mode.startswith("I"):  # 16-bit grey: scale to 8 bits
        return img.convert("I").point(lambda v: v * (1 / 256)).convert("L")
    return img.convert("RGB")
