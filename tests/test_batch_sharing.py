"""Work shared between the pool and this process (appeal.batch.sharing): results in order,
the same as doing it all here, with this process taking items from the back."""

from __future__ import annotations

import multiprocessing as mp
import os
import time
from concurrent.futures import ProcessPoolExecutor

import pytest

from appeal.batch.sharing import SharedWork


def slow_square(n: int) -> tuple[int, int]:
    time.sleep(0.05)
    return n * n, os.getpid()


def fails_on_three(n: int) -> int:
    if n == 3:
        raise ValueError("three")
    time.sleep(0.02)
    return n


@pytest.fixture
def pool():
    with ProcessPoolExecutor(max_workers=1, mp_context=mp.get_context("spawn")) as executor:
        yield executor


def test_results_in_order_and_this_process_takes_the_last(pool):
    work = SharedWork(pool, slow_square, [(n,) for n in range(16)])
    results = list(work.in_order())
    assert [r for r, _pid in results] == [n * n for n in range(16)]
    here = [n for n, (_r, pid) in enumerate(results) if pid == os.getpid()]
    there = [n for n, (_r, pid) in enumerate(results) if pid != os.getpid()]
    assert here and there  # both worked
    assert min(here) > max(there)  # the pool from the front, this process from the back


def test_here_can_do_an_item_differently(pool):
    done_here = []

    def here(n):
        done_here.append(n)
        return slow_square(n)

    work = SharedWork(pool, slow_square, [(n,) for n in range(10)], here=here)
    assert [r for r, _pid in work.in_order()] == [n * n for n in range(10)]
    assert done_here and done_here == sorted(done_here, reverse=True)


def test_an_error_is_raised_in_order(pool):
    work = SharedWork(pool, fails_on_three, [(n,) for n in range(8)])
    got = []
    with pytest.raises(ValueError, match="three"):
        for value in work.in_order():
            got.append(value)
    assert got == [0, 1, 2]
    for future in work.cancel():
        future.result()  # whatever still runs finishes; nothing hangs
