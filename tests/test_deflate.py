"""Streams made of pieces compressed apart (shared pieces once per process) are standard
deflate: any reader gets back exactly the bytes joined, and the checksums match."""

from __future__ import annotations

import random
import zlib

from appeal.render.deflate import compress_pieces, deflate_pieces


_ALPHABET = bytes(b"abcdefgh <>/\n"[i % 13] for i in range(256))  # text-like bytes


def _cases():
    rng = random.Random(2026)
    yield []
    yield [(b"", True), (b"", False)]
    for _ in range(120):
        pieces = []
        for _k in range(rng.randint(1, 7)):
            size = rng.choice([0, 1, 5, 100, 1000, 3000, 40000])
            pieces.append((rng.randbytes(size).translate(_ALPHABET),
                           rng.random() < 0.5))
        yield pieces


def test_pieces_join_into_one_valid_stream():
    for pieces in _cases():
        whole = b"".join(data for data, _shared in pieces)
        raw, crc = deflate_pieces(pieces)
        reader = zlib.decompressobj(-15)
        assert reader.decompress(raw) == whole and reader.eof and not reader.unused_data
        assert crc == zlib.crc32(whole)
        assert zlib.decompress(compress_pieces(pieces)) == whole


def test_a_shared_piece_costs_its_bytes_once_and_not_much_more_than_whole():
    body = b"".join(b"<w:p><w:r><w:t>Le escribo para expresarle mi preocupacion %d</w:t>"
                    b"</w:r></w:p>" % i for i in range(60))
    pieces = [(b"<w:body>Ana Garcia, Oaxaca", False), (body, True), (b"Ana</w:body>", False)]
    raw, _crc = deflate_pieces(pieces)
    whole = zlib.compress(b"".join(data for data, _ in pieces), 1)
    assert len(raw) < 1.1 * len(whole)
    assert deflate_pieces(pieces)[0] == raw  # the same bytes every time
